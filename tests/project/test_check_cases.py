"""Check goldens: each case under cases/ ends with the findings `check` must give, exactly.

The trailing block lists one finding per line: ``LINE:COL SEVERITY CODE message-start``
(``0:0`` for a finding about the whole file); ``/* check --context NAME`` picks a context.
Every diagnostic code has at least one case (see test_every_code_has_a_case).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deluge_lite.diagnostics import CODES
from deluge_lite.interpreter import Interpreter
from deluge_lite.project import diagnose

CASES = sorted((Path(__file__).parent / "cases").glob("*.dg"))
_BLOCK = re.compile(r"/\*\s*check(?P<options>[^\n]*)\n(?P<body>.*?)\*/\s*\Z", re.S)
_LINE = re.compile(r"(?P<line>\d+):(?P<col>\d+) (?P<severity>error|warning|note) (?P<code>DL\d{3})(?: (?P<text>.*))?")
KNOWN = Interpreter().known


def _expected(text: str) -> tuple[str | None, list[re.Match[str]]]:
    block = _BLOCK.search(text)
    assert block, "a check case ends with a /* check ... */ block"
    options = block.group("options").split()
    context = options[options.index("--context") + 1] if "--context" in options else None
    lines = [_LINE.fullmatch(line.strip()) for line in block.group("body").strip().splitlines()]
    assert all(lines), block.group("body")
    return context, [line for line in lines if line]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_check_case(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    context, expected = _expected(text)
    found = diagnose(text, str(path), context=context, known=KNOWN)
    got = [(item.span.line if item.span else 0, item.span.col if item.span else 0, item.severity, item.code)
           for item in found]
    want = [(int(m["line"]), int(m["col"]), m["severity"], m["code"]) for m in expected]
    assert sorted(got) == sorted(want), "\n".join(item.render() for item in found)
    for match in expected:
        if match["text"]:
            messages = [item.message for item in found if item.code == match["code"]]
            assert any(message.startswith(match["text"]) for message in messages), (match["text"], messages)


def test_every_code_has_a_case() -> None:
    covered = {match["code"] for path in CASES for match in _expected(path.read_text(encoding="utf-8"))[1]}
    covered.add("DL208")  # needs several files: tests/project/test_projects.py
    assert covered >= set(CODES), sorted(set(CODES) - covered)


def test_the_codes_table_is_well_formed() -> None:
    names = [entry.name for entry in CODES.values()]
    assert len(names) == len(set(names))
    for code, entry in CODES.items():
        assert re.fullmatch(r"DL\d{3}", code) and entry.code == code
        assert entry.severity in ("error", "warning", "note")
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", entry.name) and entry.summary
