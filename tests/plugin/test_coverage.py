"""Coverage of Deluge lines through coverage.py: its API, its reports, and ``pytest --cov``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from deluge_lite.testing.coverage_plugin import DelugeLines, is_measured

PLUGIN = "deluge_lite.testing.coverage_plugin"
# line numbers matter: the expectations below name them
LIBRARY = """\
// lib.dg: which lines run depends on x
x = 5;
if(x > 3)
{
\tinfo "big";
}
else if(x > 100)
{
\tinfo "huge";
}
else
{
\tinfo "small";
}
m = {"a": 1,
\t"b": 2};
for each k in m.keys()
{
\tinfo k;
}
if(x == 0)    // pragma: no cover
{
\tinfo "never";
}
string standalone.unused(string s)
{
\treturn s + "!";
}
"""
STATEMENTS = {2, 3, 5, 7, 9, 13, 15, 17, 19, 21, 23, 27}
EXCLUDED = {21, 23}
MISSING = {7, 9, 13, 27}  # the else-if condition never ran: x > 3 already held


def test_statements_are_deluge_statements() -> None:
    lines = DelugeLines(LIBRARY, "lib.dg")
    assert lines.lines == STATEMENTS
    assert lines.excluded == EXCLUDED
    # a multi-line statement is one statement; a line inside a block belongs to its own statement
    assert lines.translate({16, 5, 4}) == {15, 5, 3}


def test_files_measured() -> None:
    assert is_measured("/p/lib.dg") and is_measured("/p/lib.deluge")
    assert not is_measured("/p/test_lib.dg") and not is_measured("/p/lib.py")


def _coverage(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COVERAGE_FILE": str(folder / ".coverage")}
    return subprocess.run([sys.executable, "-m", "coverage", *args], cwd=folder, env=env, text=True,
                          capture_output=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "lib.dg").write_text(LIBRARY)
    (tmp_path / "never.dg").write_text('info "not run";\n')
    (tmp_path / ".coveragerc").write_text(f"[run]\nplugins = {PLUGIN}\nsource = .\n")
    return tmp_path


def test_coverage_run_of_the_cli_reports_deluge_lines(project: Path) -> None:
    ran = _coverage(project, "run", "-m", "deluge_lite", "run", "lib.dg")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["big", "a", "b"]

    assert _coverage(project, "json", "-o", "cov.json").returncode == 0
    files = json.loads((project / "cov.json").read_text())["files"]
    lib = files["lib.dg"]
    assert set(lib["missing_lines"]) == MISSING
    assert set(lib["executed_lines"]) == STATEMENTS - MISSING - EXCLUDED
    assert set(lib["excluded_lines"]) == EXCLUDED
    assert files["never.dg"]["summary"]["percent_covered"] == 0  # in the source folder, never ran

    report = _coverage(project, "report", "-m")
    assert report.returncode == 0, report.stderr
    [row] = [line for line in report.stdout.splitlines() if line.startswith("lib.dg")]
    assert row.split()[1:4] == ["10", "4", "60%"] and row.endswith("7-13, 27")

    assert _coverage(project, "xml", "-o", "cov.xml").returncode == 0
    classes = {node.get("filename"): node for node in ElementTree.parse(project / "cov.xml").iter("class")}
    hits = {int(line.get("number")): int(line.get("hits")) for line in classes["lib.dg"].iter("line")}
    assert {line for line, count in hits.items() if count == 0} == MISSING

    assert _coverage(project, "html", "-d", "html").returncode == 0
    page = next((project / "html").glob("*lib_dg.html")).read_text()
    assert "standalone.unused" in page


def test_pytest_cov_measures_included_files(project: Path) -> None:
    (project / "test_lib.dg").write_text("// include: lib.dg\n---\ninfo standalone.unused(\"hi\");  // expect: hi!\n")
    (project / "pyproject.toml").write_text("[tool.pytest.ini_options]\naddopts = \"-p no:cacheprovider\"\n")
    env = {**os.environ, "COVERAGE_FILE": str(project / ".coverage")}
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "--cov=.", "--cov-report=term-missing",
                          "--cov-report=json:cov.json", "test_lib.dg"], cwd=project, env=env, text=True,
                         capture_output=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
    files = json.loads((project / "cov.json").read_text())["files"]
    # an include brings functions only: the function ran, the top-level statements did not
    assert set(files["lib.dg"]["executed_lines"]) == {27}
    assert "test_lib.dg" not in files
    assert any(line.startswith("lib.dg") for line in ran.stdout.splitlines())
