"""Bad script paths at the CLI: a one-line usage error (exit 2), never a hang, a crash or a huge read (issue 13).

`read_script` opens without blocking, refuses anything but a regular file before reading,
and reads at most `MAX_SCRIPT_BYTES` + 1 bytes; the cases run the real CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deluge_lite.errors import UsageError
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
    assert ran.code == 2, ran.err
    assert f"larger than {MAX_SCRIPT_BYTES:,} bytes" in ran.err


def test_a_script_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    script = tmp_path / "edge.dg"
    script.write_bytes(b"info 1;\n" + b" " * (MAX_SCRIPT_BYTES - 8))
    assert len(read_script(script)) == MAX_SCRIPT_BYTES
    script.write_bytes(b" " * (MAX_SCRIPT_BYTES + 1))
    with pytest.raises(UsageError, match="larger than"):
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
