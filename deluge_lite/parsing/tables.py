"""Reads the committed parse tables (``deluge_tables.json``) and says whether they are current.

The tables are plain JSON data made by ``generate`` from ``grammar/deluge.lark``; they carry the
sha256 of the grammar text they were made from. ``current()`` returns them only when that hash is
the one of the grammar as it is now: a grammar edited without regenerating makes the parser fall
back to lark (``parser``), so an out-of-date table is never used. No lark here.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..data import data_path
from ..program_cache import sha256

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
# The options the grammar is built with, by lark (the fallback) and for the tables alike.
LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": False}
TABLES_PATH = Path(__file__).resolve().parent / "deluge_tables.json"


def grammar_path() -> Path:
    return data_path("grammar", "deluge.lark")


def grammar_sha256() -> str:
    return sha256(grammar_path().read_text(encoding="utf-8").encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def current() -> dict[str, Any] | None:
    """The committed tables when they were made from today's grammar, else None."""
    try:
        tables = json.loads(TABLES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(tables, dict) or tables.get("format") != FORMAT or tables.get("options") != LARK_OPTIONS:
        return None
    return tables if tables.get("grammar_sha256") == grammar_sha256() else None
