"""Snapshots: ``--deluge-update`` rewrites test_*.dg expectations and stores ``snapshot`` fixture values."""

from __future__ import annotations

from pathlib import Path

import pytest

from deluge_lite.testing.dgtest import Directive, Expected
from deluge_lite.testing.snapshot import align

BEFORE = """\
// name: fresh chunk, nothing written
info "a";
info "b";
---
// name: one line changes
info "x" + 1;    // expect: x2
info "kept";     // expect: kept
---
// name: a regex that still matches stays
info "first";
info "took 5 ms";  // expect-match: took \\d+ ms
info "new";
// expect: gone
---
// name: return value
return {"a": 1};
// expect-return: {"a":2}
---
// name: an expected error is left alone
x = 1 / 0;   // expect-error: division by zero
"""
AFTER = """\
// name: fresh chunk, nothing written
info "a";
info "b";
// expect: a
// expect: b
---
// name: one line changes
info "x" + 1;    // expect: x1
info "kept";     // expect: kept
---
// name: a regex that still matches stays
info "first";
// expect: first
info "took 5 ms";  // expect-match: took \\d+ ms
info "new";
// expect: new
---
// name: return value
return {"a": 1};
// expect-return: {"a":1}
---
// name: an expected error is left alone
x = 1 / 0;   // expect-error: division by zero
"""


def _expected(kind: str, text: str) -> Expected:
    import re

    return Expected(kind, text, Directive("expect", text, 1), re.compile(text) if kind == "match" else None)


def test_align_keeps_what_still_matches() -> None:
    ordered = [_expected("exact", "a"), _expected("match", r"n=\d+"), _expected("exact", "gone")]
    assert align(ordered, ["new", "a", "n=7", "z"]) == [(None, 0), (0, 1), (1, 2), (2, 3)]
    assert align(ordered, ["a"]) == [(0, 0), (1, None), (2, None)]
    assert align([], ["x", "y"]) == [(None, 0), (None, 1)]


def test_update_rewrites_only_what_changed(pytester: pytest.Pytester) -> None:
    path = pytester.path / "test_snap.dg"
    path.write_text(BEFORE)
    pytester.runpytest().assert_outcomes(passed=1, failed=4)
    updated = pytester.runpytest("--deluge-update")
    updated.assert_outcomes(passed=5)
    updated.stdout.fnmatch_lines(["deluge-update: rewrote the expectations of 4 chunk(s) in test_snap.dg"])
    assert path.read_text() == AFTER
    pytester.runpytest().assert_outcomes(passed=5)
    again = pytester.runpytest("--deluge-update")  # nothing left to change
    again.assert_outcomes(passed=5)
    assert "rewrote" not in again.stdout.str() and path.read_text() == AFTER


def test_update_leaves_chunks_it_cannot_judge(pytester: pytest.Pytester) -> None:
    text = """\
// name: an unexpected error
info "before";
x = 1 / 0;
---
// name: contains mode
info "zzz";
// expect-contains: yyy
"""
    path = pytester.path / "test_left.dg"
    path.write_text(text)
    result = pytester.runpytest("--deluge-update")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*unexpected error at test_left.dg:3*", "*no info line contains*"])
    assert path.read_text() == text


PY_TEST = """\
def test_values(deluge, snapshot):
    result = deluge.run('info "hi"; return {"n": NUMBER, "l": [1, 2]};')
    assert result.value == snapshot
    assert result.info == snapshot
"""


def test_snapshot_fixture_stores_compares_and_diffs(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_values=PY_TEST.replace("NUMBER", "3"))
    missing = pytester.runpytest()
    missing.assert_outcomes(failed=1)
    missing.stdout.fnmatch_lines(["*no snapshot 1 stored in *test_values.json; run pytest --deluge-update*"])

    stored = pytester.runpytest("--deluge-update")
    stored.assert_outcomes(passed=1)
    stored.stdout.fnmatch_lines(["deluge-update: wrote 1 snapshot file(s): test_values.json"])
    path = Path(pytester.path) / "__snapshots__" / "test_values" / "test_values.json"
    assert '"n": 3' in path.read_text()
    pytester.runpytest().assert_outcomes(passed=1)

    pytester.makepyfile(test_values=PY_TEST.replace("NUMBER", "4"))
    changed = pytester.runpytest()
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(["*snapshot 1 in *test_values.json differs*", "*-  \"n\": 3*", "*+  \"n\": 4*"])
    pytester.runpytest("--deluge-update").assert_outcomes(passed=1)
    assert '"n": 4' in path.read_text()


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', "\udcff"])
def test_unreadable_snapshot_fails_its_test(pytester: pytest.Pytester, content: str) -> None:
    pytester.makepyfile(test_values=PY_TEST.replace("NUMBER", "3"))
    folder = Path(pytester.path) / "__snapshots__" / "test_values"
    folder.mkdir(parents=True)
    (folder / "test_values.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_values.json * pytest --deluge-update writes it again*"])
    assert "Traceback" not in result.stdout.str()
    pytester.runpytest("--deluge-update").assert_outcomes(passed=1)
    pytester.runpytest().assert_outcomes(passed=1)
