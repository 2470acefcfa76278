"""`deluge-lite fmt` end to end (a subprocess): write, --check, --diff, stdin, folders, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

UGLY = 'if(a>1){info "big";}else{info "small";} // done\n'
PRETTY = 'if(a > 1)\n{\n\tinfo "big";\n}\nelse\n{\n\tinfo "small";\n} // done\n'


def fmt(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deluge_lite", "fmt", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=60)


def test_write_mode_rewrites_in_place_and_keeps_the_mode(tmp_path: Path) -> None:
    script = tmp_path / "a.dg"
    script.write_text(UGLY, encoding="utf-8")
    script.chmod(0o640)
    result = fmt(str(script))
    assert result.returncode == 0, result.stderr
    assert script.read_text(encoding="utf-8") == PRETTY
    assert script.stat().st_mode & 0o777 == 0o640
    assert "formatted" in result.stderr
    again = fmt(str(script))
    assert again.returncode == 0 and "formatted" not in again.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["a.dg"]  # no temporary file left


def test_check_and_diff_change_nothing(tmp_path: Path) -> None:
    script = tmp_path / "a.dg"
    script.write_text(UGLY, encoding="utf-8")
    check = fmt("--check", str(script))
    assert check.returncode == 1 and "would be reformatted" in check.stderr
    diff = fmt("--diff", str(script))
    assert diff.returncode == 1
    assert "-" + UGLY.rstrip("\n") in diff.stdout and "+\tinfo \"big\";" in diff.stdout
    assert script.read_text(encoding="utf-8") == UGLY
    script.write_text(PRETTY, encoding="utf-8")
    assert fmt("--check", str(script)).returncode == 0
    assert fmt("--diff", str(script)).stdout == ""


def test_stdin_to_stdout() -> None:
    result = fmt("-", stdin=UGLY)
    assert (result.returncode, result.stdout) == (0, PRETTY)
    assert fmt("--check", "-", stdin=PRETTY).returncode == 0
    assert fmt("--check", "-", stdin=UGLY).returncode == 1


def test_folders_format_every_script_under_them(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("one.dg", "sub/two.dg", ".hidden/three.dg"):
        (tmp_path / name).write_text(UGLY, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not deluge", encoding="utf-8")
    result = fmt(".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "one.dg").read_text(encoding="utf-8") == PRETTY
    assert (tmp_path / "sub/two.dg").read_text(encoding="utf-8") == PRETTY
    assert (tmp_path / ".hidden/three.dg").read_text(encoding="utf-8") == UGLY
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "not deluge"


def test_a_syntax_error_is_rendered_and_the_other_files_still_formatted(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.dg", tmp_path / "good.dg"
    bad.write_text("a = 1;\nif(a > 1 {\n\tinfo a;\n}\n", encoding="utf-8")
    good.write_text(UGLY, encoding="utf-8")
    result = fmt(str(bad), str(good))
    assert result.returncode == 1
    assert f"{bad}:2:" in result.stderr and "^" in result.stderr
    assert "Traceback" not in result.stderr
    assert bad.read_text(encoding="utf-8").startswith("a = 1;\nif(a > 1 {")
    assert good.read_text(encoding="utf-8") == PRETTY


def test_bad_files_are_clear_errors(tmp_path: Path) -> None:
    binary = tmp_path / "bin.dg"
    binary.write_bytes(b"\x7fELF\x00\x00\x01")
    latin = tmp_path / "latin.dg"
    latin.write_bytes(b'info "caf\xe9";\n')
    result = fmt(str(binary), str(latin), str(tmp_path / "missing.dg"))
    assert result.returncode == 2
    assert "looks like a binary file" in result.stderr
    assert "is not UTF-8 text" in result.stderr and "line 1" in result.stderr
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
    assert fmt("-", "x.dg").returncode == 2


def test_read_only_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        return  # root writes anywhere
    script = tmp_path / "a.dg"
    script.write_text(UGLY, encoding="utf-8")
    tmp_path.chmod(0o500)
    try:
        result = fmt(str(script))
    finally:
        tmp_path.chmod(0o700)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert script.read_text(encoding="utf-8") == UGLY


def test_byte_order_mark_and_crlf_survive_a_rewrite(tmp_path: Path) -> None:
    script = tmp_path / "bom.dg"
    script.write_bytes(b"\xef\xbb\xbfa=1;\r\nb=a+1;\r\n")
    assert fmt(str(script)).returncode == 0
    assert script.read_bytes() == b"\xef\xbb\xbfa = 1;\r\nb = a + 1;\r\n"
