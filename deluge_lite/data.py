"""Locates the data files that ship with deluge-lite: the grammar and the stdlib catalogs.

In a wheel they live inside the package (``deluge_lite/_data``); in a source checkout
or an editable install they are the top-level ``grammar/`` and ``stdlib/`` folders.
This module owns that lookup and nothing else.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    """Return the path of a shipped data file, e.g. ``data_path("grammar", "deluge.lark")``."""
    for root in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent):
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError("deluge-lite data file missing: " + "/".join(parts))
