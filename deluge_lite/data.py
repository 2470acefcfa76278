"""Locates the data files that ship with deluge-lite: the grammar and the stdlib catalogs.

In a wheel they live inside the package (``deluge_lite/_data``); in a source checkout
or an editable install they are the top-level ``grammar/`` and ``stdlib/`` folders.
This module owns that lookup, and reading the stdlib's TOML tables (`read_table`): parsed
once, then kept as plain data in the per-user private cache (`private_cache`), so a start
that needs the contexts or the task catalog neither imports tomllib nor parses them again.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

from . import private_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

TABLE_FORMAT = 1

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    """Return the path of a shipped data file, e.g. ``data_path("grammar", "deluge.lark")``."""
    for root in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent):
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError("deluge-lite data file missing: " + "/".join(parts))


def read_table(*parts: str) -> dict[str, Any]:
    """A shipped TOML file, parsed (``read_table("stdlib", "tasks.toml")``).

    The parse is cached under the user's private cache folder, keyed by the file's path,
    size and modification time and the Python version; a table marshal cannot hold (a TOML
    date) is simply parsed every time. Each call returns a fresh copy."""
    path = data_path(*parts)
    info = path.stat()
    key = "\0".join([str(TABLE_FORMAT), str(path), str(info.st_size), str(info.st_mtime_ns), sys.version])
    name = "table-" + "-".join(parts).replace("/", "-") + ".marshal"
    found = private_cache.load(name, lambda handle: _stored_table(handle, key))
    if found is not None:
        return found
    import tomllib

    table = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        data = marshal.dumps((key, table))
    except ValueError:  # a value marshal cannot hold: not cached
        return table
    private_cache.store(name, lambda handle: handle.write(data))
    return table


def _stored_table(handle: IO[bytes], key: str) -> dict[str, Any] | None:
    stored = marshal.loads(handle.read())  # (marshal.load reads a file in many small pieces)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key and isinstance(stored[1], dict):
        return stored[1]
    return None
