"""The built-in library: importing this package registers every built-in in `REGISTRY`.

Each sibling module owns one family (text, numbers, collections, json, xml, dates, encoding,
type checks, math, AES encryption, Collection functions, file objects and their zip archives, core helpers such as ifnull/isNull/Map()/List()); `registry` owns the table itself.
"""

from __future__ import annotations

import importlib

from .registry import REGISTRY, Builtin, Registry

_FAMILIES = ("core", "text", "numbers", "collections", "json_functions", "xml_functions", "dates", "encoding", "type_checks", "math", "encryption", "collection_functions", "files", "file_archives")

for _family in _FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")

__all__ = ["REGISTRY", "Builtin", "Registry"]
