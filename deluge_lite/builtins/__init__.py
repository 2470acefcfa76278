"""The built-in library: every built-in is in `REGISTRY`, its family imported when first needed.

Each sibling module owns one family (text, numbers, collections, json, xml, dates, encoding,
type checks, math, AES encryption, Collection functions, Creator collection aggregates, file objects and their zip archives, core helpers such as ifnull/isNull/Map()/List()); `registry` owns the table itself.

`catalog` tells the registry which family registers each name, so importing this package
imports no family: each one loads the first time a script binds one of its names (see
`catalog` for where that table comes from).
"""

from __future__ import annotations

from . import catalog
from .registry import REGISTRY, Builtin, Registry

_FAMILIES = ("core", "text", "numbers", "collections", "json_functions", "xml_functions", "dates", "encoding", "type_checks", "math", "encryption", "collection_functions", "creator", "files", "file_archives")

catalog.install(REGISTRY, tuple(f"{__name__}.{family}" for family in _FAMILIES))

__all__ = ["REGISTRY", "Builtin", "Registry"]
