"""The file built-ins under hostile archives and tight limits, in process; and one end-to-end CLI run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from deluge_lite.builtins import REGISTRY
from deluge_lite.builtins.file_archives import MAX_ENTRIES
from deluge_lite.errors import DelugeRuntimeError, LimitExceeded
from deluge_lite.file_value import File
from deluge_lite.runtime import Limits, Runtime


def _call(name: str, receiver: object, *args: object, rt: Runtime | None = None) -> object:
    return REGISTRY.method_caller(name, len(args), rt or Runtime())(receiver, *args)


def _zip(entries: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_stops_after_at_most_3_mb_of_inflation() -> None:
    bomb = File("bomb.zip", _zip({f"part{i}.bin": b"\0" * 8_000_000 for i in range(2)}, level=1))  # 16 MB
    assert bomb.size < 200_000
    started = time.perf_counter()
    with pytest.raises(DelugeRuntimeError, match="larger than 3 MB"):
        _call("extract", bomb)
    assert time.perf_counter() - started < 2  # stopped at the limit, not after inflating everything


def test_an_archive_declaring_too_many_entries_is_refused_before_it_is_parsed() -> None:
    many = File("many.zip", _zip({f"e{i}": b"" for i in range(MAX_ENTRIES + 5)}))
    with pytest.raises(DelugeRuntimeError, match=f"holds {MAX_ENTRIES + 5:,} entries"):
        _call("extract", many)


def test_a_password_protected_zip_cannot_be_extracted() -> None:
    data = bytearray(_zip({"secret.txt": b"x"}))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # mark the entry encrypted
        at = data.find(signature)
        data[at + flag_offset] |= 0x1
    with pytest.raises(DelugeRuntimeError, match="protected with a password"):
        _call("extract", File("locked.zip", bytes(data)))


def test_damaged_and_foreign_archives() -> None:
    assert _call("extract", File("x.zip", b"PK\x03\x04 not really")) == {}
    data = bytearray(_zip({"a.txt": b"hello" * 100}))
    data[60:70] = b"\xff" * 10  # the entry's compressed bytes
    with pytest.raises(DelugeRuntimeError, match="cannot be read"):
        _call("extract", File("bad.zip", bytes(data)))


def test_extract_and_tofile_are_charged_to_the_value_budget() -> None:
    tight = Runtime(limits=Limits(value_size=1_000))
    with pytest.raises(LimitExceeded, match="size limit of 1,000"):
        _call("extract", File("z.zip", _zip({"a.txt": b"a" * 2_000})), rt=tight)
    with pytest.raises(LimitExceeded):
        _call("toFile", "b" * 2_000, "b.txt", rt=Runtime(limits=Limits(value_size=1_000)))


def test_compress_refuses_a_result_over_2_mb_and_unsafe_names() -> None:
    noise = File("noise.bin", os.urandom(2_200_000))
    with pytest.raises(DelugeRuntimeError, match="larger than 2 MB"):
        _call("compress", noise)
    archive = _call("compress", {"../../etc": {"..": File("../passwd", b"x")}})
    assert isinstance(archive, File)
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        assert opened.namelist() == ["etc/file"]  # the Map key names the file; ".." never survives


def test_run_reports_a_file_error_with_its_place(tmp_path: Path) -> None:
    script = tmp_path / "upload.dg"
    script.write_text('report = "a,b".toFile("report.csv");\ninfo report.getFileSize();\nreport.setCharset("klingon");\n')
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", str(script)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.strip() == "3"
    assert f"{script}:3:1: error: setCharset(): unknown character set 'klingon'" in proc.stderr
    assert "^~~~" in proc.stderr and "Traceback" not in proc.stderr


def test_a_charset_python_cannot_read_falls_back_to_utf8() -> None:
    odd = File("a.txt", "é".encode(), charset="x-no-such-charset")
    assert _call("getFileContent", odd) == "é"
