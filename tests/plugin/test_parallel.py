"""Parallel runs under pytest-xdist: each worker's tests have their own fakes; updates and cassettes hold.

The suite runs in a subprocess (``-n 2`` starts two worker processes), so this is the
slowest plugin test: one run records (the example suite, isolated fakes, a crashing worker,
``--deluge-update`` written once by the controller), a second replays with the API gone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pluginhelpers import LocalApi

pytest.importorskip("xdist")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tests"
# Every chunk seeds the same lead into its own fake CRM: with shared fakes the counts would grow.
SEEDED_CHUNK = """\
// name: isolated {n}
// seed: Leads {{"Last_Name": "Ng", "Company": "C{n}"}}
found = zoho.crm.searchRecords("Leads", "(Last_Name:equals:Ng)");
info found.size();              // expect: 1
info found.get(0).get("Company");   // expect: C{n}
"""
PY_TESTS = """\
import os

import pytest


@pytest.mark.parametrize("n", range(6))
def test_own_crm(deluge, fake_crm, n):
    fake_crm.seed_records("Leads", [{"Last_Name": "Ng", "Company": f"P{n}"}])
    result = deluge.run('return zoho.crm.searchRecords("Leads", "(Last_Name:equals:Ng)").size();')
    assert result.value == 1
    assert len(fake_crm.records("Leads")) == 1


def test_worker_crash():
    os._exit(3)
"""


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
                          cwd=folder, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_suite_under_two_workers(tmp_path: Path, local_api: LocalApi) -> None:
    """The example suite and a suite of isolated tests, recorded under -n 2, then replayed under -n 2."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / "test_seeded.dg").write_text("\n---\n".join(SEEDED_CHUNK.format(n=n) for n in range(6)))
    (tmp_path / "test_update.dg").write_text('// name: fresh\ninfo "one";\ninfo "two";\n')
    (tmp_path / "test_python.py").write_text(PY_TESTS)
    calls = [f'// name: call {n}\nuser = invokeurl [ url: "{local_api.url}/api/user?n={n}" type: GET ];\n'
             f'info user.get("name");  // expect: Ada\n' for n in range(4)]
    (tmp_path / "test_api.dg").write_text("---\n".join(calls))

    run = _pytest(tmp_path, "-n", "2", "--deluge-record", "--deluge-update")
    out = run.stdout + run.stderr
    assert "26 passed" in out and "1 failed" in out, out  # the crash fails its own test only
    assert "test_python.py::test_worker_crash" in out and "crashed" in out
    assert "INTERNALERROR" not in out
    # the controller rewrote the chunk, once
    assert (tmp_path / "test_update.dg").read_text() == \
        '// name: fresh\ninfo "one";\ninfo "two";\n// expect: one\n// expect: two\n'
    assert len(list((tmp_path / "cassettes" / "test_api").glob("*.yaml"))) == 4
    assert not (tmp_path / "examples" / "cassettes").exists()  # the examples never leave the sandbox

    local_api.stop()  # from now on only the cassettes can answer
    replay = _pytest(tmp_path, "-n", "2", "--deluge-replay")
    out = replay.stdout + replay.stderr
    assert "26 passed" in out and "1 failed" in out, out
