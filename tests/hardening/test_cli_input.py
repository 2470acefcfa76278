"""Bad script paths at the CLI: a one-line usage error (exit 2), never a hang, a crash or a huge read (issue 13).

`read_script` opens without blocking, refuses anything but a regular file before reading,
and reads at most `MAX_SCRIPT_BYTES` + 1 bytes; the cases run the real CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deluge_lite.errors import DelugeSyntaxError, UsageError
from deluge_lite.interpreter import MAX_SCRIPT_BYTES, read_script

from .cli_runner import PYTHON_WORDS, run_cli


@pytest.mark.parametrize("path, words", [
    ("/dev/zero", ["not a regular file", "character device"]),
    ("/dev/urandom", ["not a regular file"]),
    ("/dev/null", ["not a regular file"]),
    ("/proc/self/mem", ["/proc/self/mem"]),
    ("/no/such/file.dg", ["no such file"]),
])
def test_special_paths_are_usage_errors(path: str, words: list[str]) -> None:
    if not os.path.exists(path) and "no/such" not in path:
        pytest.skip(f"{path} does not exist here")
    for command in (["run", path], ["check", path]):
        ran = run_cli(command, timeout=30)
        assert ran.code in (1, 2), (command, ran.code, ran.err)
        assert not PYTHON_WORDS.search(ran.err), ran.err
        for word in words:
            assert word in ran.err, ran.err


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.dg"
    os.mkfifo(fifo)
    ran = run_cli(["run", str(fifo)], timeout=30)  # before the fix the open blocked forever
    assert ran.code == 2, ran.err
    assert "not a regular file (a FIFO)" in ran.err


def test_an_oversized_script_is_refused_after_reading_one_byte_more_than_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.dg"
    with big.open("wb") as out:
        out.truncate(MAX_SCRIPT_BYTES * 50)  # a sparse 200 MB file: reading it whole would show in memory
    ran = run_cli(["run", str(big)], timeout=30)
    assert ran.code == 1, ran.err  # a script error, as the parser's own size limit is
    assert f"larger than {MAX_SCRIPT_BYTES:,} bytes" in ran.err


def test_a_script_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    script = tmp_path / "edge.dg"
    script.write_bytes(b"info 1;\n" + b" " * (MAX_SCRIPT_BYTES - 8))
    assert len(read_script(script)) == MAX_SCRIPT_BYTES
    script.write_bytes(b" " * (MAX_SCRIPT_BYTES + 1))
    with pytest.raises(DelugeSyntaxError, match="larger than"):
        read_script(script)


def test_a_directory_and_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a directory"):
        read_script(tmp_path)
    locked = tmp_path / "locked.dg"
    locked.write_text("info 1;")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any file")
        with pytest.raises(UsageError, match="cannot open"):
            read_script(locked)
    finally:
        locked.chmod(0o600)


@pytest.mark.parametrize("given, shown", [
    ("9" * 400 + ".5", "9" * 400 + ".5"),  # past a Decimal's range: the value stays Text
    ("9" * 400, "9" * 400),
    ("9" * 5000, "9" * 5000),  # past int()'s 4,300 digits too
    ("1e999", "1e999"),
    ("[1,1e999]", "[1,1e999]"),
    ("12345678901234567890123", "1.2345678901234568E22"),  # past 64 bits: a Decimal, as from JSON
    ('{"a":99999999999999999999}', '{"a":1.0E20}'),
    ("-9223372036854775808", "-9223372036854775808"),
])
def test_huge_numbers_in_arg(tmp_path: Path, given: str, shown: str) -> None:
    script = tmp_path / "show.dg"
    script.write_text("info x;\n")
    ran = run_cli(["run", str(script), "--arg", f"x={given}"], timeout=30)
    assert ran.code == 0, ran.err
    assert ran.out.strip() == shown


@pytest.mark.parametrize("declared, given", [("int", '"99999999999999999999"'), ("decimal", "9" * 400),
                                             ("decimal", '"1e999"'), ("int", "9" * 400)])
def test_huge_numbers_for_typed_parameters_are_usage_errors(tmp_path: Path, declared: str, given: str) -> None:
    script = tmp_path / "call.dg"
    script.write_text(f"string f({declared} n) {{ return n; }}\n")
    ran = run_cli(["run", str(script), "--call", "f", "--arg", f"n={given}"], timeout=30)
    assert ran.code == 2, ran.err
    assert "argument 'n' must be a" in ran.err
    assert not PYTHON_WORDS.search(ran.err)
