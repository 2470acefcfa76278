"""A function's arguments: declared, given on the command line, converted to their types.

Zoho keeps a function's arguments in its editor, not in the code, so a pasted body reads
names it never assigns. deluge-lite infers them (see check.py) and lets a project declare
them, with one syntax in two places::

    // @arg record_id int
    // @arg mode string = "fast"

at the top of a script (a line comment each), or in deluge.toml::

    [functions.lead_score]            # a function's full or short name, or a file's stem
    args = ["record_id int", "mode string = fast"]

A spec is ``NAME [TYPE] [= DEFAULT]``; TYPE is one of Zoho's argument types (string,
int, bigint, decimal, bool, date, datetime, map, list); DEFAULT is JSON when it parses,
else text. Values from ``--arg`` are JSON when they parse, else text, then converted to
the declared type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from ..errors import UsageError
from ..fieldclass import fieldclass
from ..source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Zoho's argument types (the function editor's list) and the spellings scripts use.
TYPES = {"string": "string", "text": "string", "int": "int", "bigint": "int", "long": "int", "number": "int",
         "decimal": "decimal", "float": "decimal", "double": "decimal", "bool": "bool", "boolean": "bool",
         "date": "date", "datetime": "datetime", "timestamp": "datetime", "map": "map", "list": "list",
         "collection": "map"}

_SPEC = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\s([A-Za-z]+))?\s*(?:=\s*(.*?))?\s*$")
_COMMENT = re.compile(r"^\s*//\s*@arg\b(.*)$")


@fieldclass(frozen=True)
class ArgSpec:
    """One declared argument: its name, type (None: any) and default value."""

    name: str
    type: str | None = None
    default: Any = None
    has_default: bool = False


def parse_spec(text: str, where: str) -> ArgSpec:
    """``record_id int = 5`` -> ArgSpec; a malformed spec is a usage error naming ``where``."""
    match = _SPEC.match(text)
    if match is None:
        raise UsageError(f"{where}: '{text.strip()}' is not an argument (write NAME [TYPE] [= DEFAULT], "
                         f"e.g. 'record_id int')")
    name, kind, default = match.groups()
    if kind is not None and kind.lower() not in TYPES:
        raise UsageError(f"{where}: unknown argument type '{kind}' for '{name}' (types: "
                         f"{', '.join(sorted(set(TYPES.values())))})")
    if default is None:
        return ArgSpec(name, TYPES[kind.lower()] if kind else None)
    if not default:
        raise UsageError(f"{where}: nothing after '=' for '{name}' (write NAME [TYPE] = VALUE)")
    try:
        value = convert(parse_value(default), TYPES[kind.lower()] if kind else None, name)
    except UsageError as error:
        raise UsageError(f"{where}: {error}") from None
    return ArgSpec(name, TYPES[kind.lower()] if kind else None, value, True)


def declared_in_comments(source: Source) -> list[ArgSpec]:
    """The ``// @arg`` lines of a script, in order."""
    found: list[ArgSpec] = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if "@arg" not in line:
            continue
        match = _COMMENT.match(line)
        if match is not None:
            found.append(parse_spec(match.group(1), f"{source.name}:{number}"))
    return found


def parse_value(text: str) -> Any:
    """A value given on the command line: JSON when it parses (5, true, {"a":1}), else Text.

    Numbers read as JSON numbers do (`_number`): a whole number past 64 bits is a Decimal; one
    past a Decimal's range (a 400-digit ``--arg``) leaves the whole value as Text, as NaN does.
    """
    try:
        return json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_not_a_number)
    except ValueError:
        return text


def _number(text: str) -> int | float:
    whole = not any(mark in text for mark in ".eE")
    if whole and len(text.lstrip("-")) <= 19 and _MIN <= int(text) <= _MAX:
        return int(text)
    value = float(text)  # float() reads any number of digits; int() stops at 4,300
    if value in (_INF, -_INF):
        raise ValueError(f"{text[:20]}... is past a Decimal's range")
    return value


_MIN, _MAX, _INF = -(2**63), 2**63 - 1, float("inf")


def _not_a_number(word: str) -> Any:
    raise ValueError(f"{word} is not a Deluge number")  # NaN / Infinity stay Text


def parse_pairs(pairs: Sequence[str]) -> dict[str, Any]:
    """``name=value`` pairs to variables; ``input.id=5`` builds the Map ``input``."""
    variables: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--arg expects NAME=VALUE, got '{pair}'")
        parts = name.split(".")
        if not all(part.isidentifier() for part in parts):
            raise UsageError(f"--arg name '{name}' is not a Deluge variable name")
        target = variables
        for part in parts[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise UsageError(f"--arg {name}: '{part}' is already a value, not a map")
        target[parts[-1]] = parse_value(raw)
    return variables


def convert(value: Any, kind: str | None, name: str) -> Any:
    """Give an argument the type its declaration names (``int id`` gets a Number)."""
    kind = TYPES.get(kind.lower(), kind) if kind else None
    if kind is None:
        return value
    if kind == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, dict | list):
            return json.dumps(value)
        return "true" if value is True else "false" if value is False else str(value)
    if kind == "int" and isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 40 \
            and _MIN <= int(value) <= _MAX:
        return int(value)
    if kind == "int" and isinstance(value, str):
        raise UsageError(f"argument '{name}' must be a whole number, got '{_short(value)}'")
    if kind == "decimal" and isinstance(value, int | str) and not isinstance(value, bool):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            number = _INF
        if number in (_INF, -_INF) or number != number:
            raise UsageError(f"argument '{name}' must be a decimal number, got '{_short(value)}'")
        return number
    if kind in ("date", "datetime") and isinstance(value, str):
        from ..dates import parse_literal

        parsed = parse_literal(value)
        if parsed is None:
            raise UsageError(f"argument '{name}' must be a date like 15-Aug-1947, got '{_short(value)}'")
        return parsed
    if kind == "bool" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def missing_message(function: str, names: Iterable[str]) -> str:
    """The one line ``run`` gives when arguments are missing."""
    listed = list(names)
    flags = " ".join(f"--arg {name}=VALUE" for name in listed)
    plural = "s" if len(listed) > 1 else ""
    return (f"{function} reads the argument{plural} {', '.join(listed)} without assigning "
            f"{'them' if plural else 'it'} (Zoho defines a function's arguments in its editor); pass "
            f"{'them' if plural else 'it'} with {flags}, or declare a default with '// @arg NAME = VALUE'")


__all__ = ["ArgSpec", "TYPES", "convert", "declared_in_comments", "missing_message", "parse_pairs", "parse_spec",
           "parse_value"]
