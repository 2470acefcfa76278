"""ZIP archives of file objects: ``compress`` and ``extract``, bounded against zip bombs.

The pages:

- compress (https://www.zoho.com/deluge/help/functions/file/compress.html): a File, a List of
  Files, or a Map whose keys are names and whose values are Files or Maps (folders, nested)
  become one ``.zip`` File; the optional argument names it. The result may not pass 2 MB
  ("an error will be thrown").
- extract (https://www.zoho.com/deluge/help/functions/file/extract.html): a zip File becomes
  a Map of entry name -> File; a file that is not a zip, or an empty zip, gives an empty Map;
  a password-protected zip cannot be extracted; the result may not pass 3 MB (500 KB in
  Creator; deluge-lite applies the 3 MB of the other services).

Bounds: the archive's own table of entries is read before Python's zipfile parses it (at
most `MAX_ENTRIES`), entries are inflated in chunks and the inflation stops the moment the
total passes the limit, so a zip bomb ends as a Deluge error after at most 3 MB, never as an
exhausted machine; every byte made is charged to the run's value budget as well.

*Decisions*: entry names keep their folder path (``docs/a.txt``) so two same-named files in
different folders both survive; folder entries are skipped; without a name the archive is
called after its only file (``report.pdf`` -> ``report.zip``) or ``Archive.zip``; a name
without ``.zip`` gets it.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import DelugeRuntimeError
from ..file_value import File
from ..values import type_name
from .core import text_arg
from .files import made
from .registry import FILE, LIST, MAP, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_COMPRESSED = 2 * 1024 * 1024  # the compress page: no zip above 2 MB
MAX_EXTRACTED = 3 * 1024 * 1024  # the extract page: no result above 3 MB (outside Creator)
MAX_ENTRIES = 10_000  # Decision: more entries than this is refused before any is read
MAX_FOLDER_DEPTH = 64
_CHUNK = 64 * 1024
_FUNCTIONS = "https://www.zoho.com/deluge/help/functions/file"


# ---------------------------------------------------------------- compress

@builtin("compress", on=FILE | LIST | MAP, args=(0, 1), runtime=True, doc=f"{_FUNCTIONS}/compress.html")
def compress(rt: Any, files: Any, name: Any = None) -> File:
    """One .zip File holding the files (a List: side by side; a Map: named, with folders)."""
    entries: list[tuple[str, File]] = []
    _collect(files, "", entries, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, file in entries:
            rt.check_deadline()
            archive.writestr(path, file.content)
            if buffer.tell() > MAX_COMPRESSED:
                raise _too_big("compress", "zip file", MAX_COMPRESSED)
    content = buffer.getvalue()
    if len(content) > MAX_COMPRESSED:
        raise _too_big("compress", "zip file", MAX_COMPRESSED)
    return made(rt, File(_archive_name(name, entries), content, "application/zip"), "compress")


def _collect(value: Any, folder: str, entries: list[tuple[str, File]], depth: int) -> None:
    if depth > MAX_FOLDER_DEPTH:
        raise DelugeRuntimeError(f"compress(): folders nested deeper than {MAX_FOLDER_DEPTH} levels")
    kind = type(value)
    if kind is File:
        entries.append((folder + _safe(value.name), value))
    elif kind is list:
        for item in value:
            if type(item) is not File:
                raise DelugeRuntimeError(f"compress(): a List to compress must hold only files, found {type_name(item)}")
            entries.append((folder + _safe(item.name), item))
    elif kind is dict:
        for key, item in value.items():
            label = _safe(text_arg("compress", 1, key) if type(key) is not str else key)
            if type(item) is File:
                entries.append((folder + label, item))
            elif type(item) is dict:
                _collect(item, f"{folder}{label}/", entries, depth + 1)
            else:
                raise DelugeRuntimeError("compress(): each value of the Map must be a file or a Map (a folder), "
                                         f"found {type_name(item)} under '{label}'")
    if len(entries) > MAX_ENTRIES:
        raise DelugeRuntimeError(f"compress(): more than {MAX_ENTRIES:,} files in one archive")


def _safe(name: str) -> str:
    """An entry name that cannot climb out of its folder when unpacked elsewhere."""
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".", "..")]
    return "_".join(parts) or "file"


def _archive_name(name: Any, entries: list[tuple[str, File]]) -> str:
    if name is None:
        if len(entries) == 1:
            stem = entries[0][1].name.rpartition(".")[0] or entries[0][1].name
            return f"{stem}.zip"
        return "Archive.zip"
    text = text_arg("compress", 1, name).strip() or "Archive"
    return text if text.lower().endswith(".zip") else f"{text}.zip"


def _too_big(function: str, what: str, limit: int) -> DelugeRuntimeError:
    return DelugeRuntimeError(f"{function}(): the {what} would be larger than {limit // (1024 * 1024)} MB, "
                              "the limit Zoho sets")


# ---------------------------------------------------------------- extract

@builtin("extract", on=FILE, runtime=True, doc=f"{_FUNCTIONS}/extract.html")
def extract(rt: Any, file: File) -> dict[str, Any]:
    """A Map of entry name -> File; empty for a file that is not a zip (as the page says)."""
    data = file.content
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return {}
    count = _entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise DelugeRuntimeError(f"extract(): the zip holds {count:,} entries; deluge-lite reads at most "
                                 f"{MAX_ENTRIES:,}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, OSError, EOFError):
        return {}
    result: dict[str, Any] = {}
    total = 0
    with archive:
        for info in archive.infolist()[:MAX_ENTRIES + 1]:
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise DelugeRuntimeError(f"extract(): '{file.name}' is protected with a password; Zoho cannot "
                                         "extract such a zip either")
            content = _inflate(archive, info, MAX_EXTRACTED - total, rt)
            total += len(content)
            name = info.filename.rstrip("/")
            result[name] = made(rt, File(name.rpartition("/")[2] or name, content), "extract")
    return result


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int, rt: Any) -> bytes:
    """One entry's bytes, read in chunks; passing ``room`` stops with the size error at once."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > room:
                    raise _too_big("extract", "extracted content", MAX_EXTRACTED)
                chunks.append(chunk)
                rt.check_deadline()
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        # a damaged entry, an unsupported compression method, a CRC mismatch
        raise DelugeRuntimeError(f"extract(): the entry '{info.filename[:80]}' cannot be read: "
                                 f"{_reason(error)}") from None
    except RuntimeError as error:  # zipfile's own word for an encrypted entry
        raise DelugeRuntimeError(f"extract(): the entry '{info.filename[:80]}' cannot be read: {error}") from None
    return b"".join(chunks)


def _reason(error: Exception) -> str:
    text = str(error)
    return text[:120] if text else "the zip is damaged"


def _entry_count(data: bytes) -> int | None:
    """The number of entries the archive's end record declares, read before zipfile builds its table."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = int.from_bytes(data[end + 10:end + 12], "little")
    if count != 0xFFFF:
        return count
    locator = end - 20  # a ZIP64 archive: the real count is in its own end record
    if locator < 0 or data[locator:locator + 4] != b"PK\x06\x07":
        return None
    offset = int.from_bytes(data[locator + 8:locator + 16], "little")
    if offset + 40 > len(data) or data[offset:offset + 4] != b"PK\x06\x06":
        return None
    return int.from_bytes(data[offset + 32:offset + 40], "little")
