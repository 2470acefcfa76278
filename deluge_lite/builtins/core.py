"""Core built-ins that work on any value: null checks, constructors, conversion to text, equality.

Owns ``ifnull``, ``isNull``, ``isBlank``, ``isEmpty``, ``Map()``/``List()``/``Collection()``,
``toString``/``toText`` (for every type except dates, whose formatted ``toString`` lives in
``builtins/dates.py``), and ``equals``. It also holds the small argument helpers
the sibling families share (``text_arg``, ``index_arg``). It does not own type-specific
methods (text, numbers, collections, JSON, encoding each have their own module) nor
the type checks ``isText``/``isNumber``/``isDate`` (``type_checks.py``).
"""

from __future__ import annotations

from ..errors import DelugeRuntimeError
from ..values import equal, to_text, type_name
from .number_format import format_number
from .registry import (
    ANY,
    BOOLEAN,
    LIST,
    MAP,
    NULL,
    NUMERIC,
    TEXT,
    builtin,
    expect_int,
    ordinal,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HELP = "https://www.zoho.com/deluge/help"

# Receivers for the plain conversions: everything but dates (dates.py formats those) and null.
NOT_DATES = ANY - frozenset({"date", "datetime", "null"})
SCALAR = TEXT | NUMERIC | BOOLEAN


# ---------------------------------------------------------------- shared argument helpers

def text_arg(function: str, position: int, value: Any) -> str:
    """A Text argument; Numbers, Decimals and Booleans are accepted and shown as ``info`` shows them.

    *Decision:* ``"ab12".contains(12)`` is true: real scripts pass record ids as numbers.
    """
    kind = type(value)
    if kind is str:
        return value
    if kind in (int, float, bool):
        return to_text(value)
    raise DelugeRuntimeError(
        f"{function}() expects Text for its {ordinal(position)} argument, got {type_name(value)}")


def index_arg(function: str, position: int, value: Any) -> int:
    """A whole-number argument (index, count, length)."""
    return expect_int(function, position, value)


def bool_arg(function: str, position: int, value: Any) -> bool:
    """A Boolean argument; the texts "true"/"false" are accepted too."""
    if type(value) is bool:
        return value
    if type(value) is str and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise DelugeRuntimeError(
        f"{function}() expects Boolean for its {ordinal(position)} argument, got {type_name(value)}")


# ---------------------------------------------------------------- null checks

@builtin("ifnull", on=None, args=(2, 2), doc=f"{_HELP}/functions/common/ifnull.html")
def if_null(value: Any, alternative: Any) -> Any:
    """The first value, or the second when the first is null."""
    return alternative if value is None else value


@builtin("isNull", on=ANY, doc=f"{_HELP}/functions/common/isnull.html")
def is_null(value: Any) -> bool:
    """True for null and for empty text (reference section 2: ``isNull("")`` is true, ``" "`` false)."""
    return value is None or value == ""


@builtin("isBlank", on=ANY, doc=f"{_HELP}/functions/common/isblank.html")
def is_blank(value: Any) -> bool:
    """True for null, for text that is empty or only spaces, and for an empty list or map.

    *Decision:* whitespace-only text counts as blank (unlike ``isNull``).
    """
    if value is None:
        return True
    kind = type(value)
    if kind is str:
        return value.strip() == ""
    if kind in (list, dict):
        return not value
    return False


@builtin("isEmpty", on=TEXT | LIST | MAP | NULL, doc=f"{_HELP}/functions/string/isempty.html")
def is_empty(value: Any) -> bool:
    """True when a text, list or map has nothing in it.

    *Decision:* ``null.isEmpty()`` is true (scripts test possibly-missing fields this way);
    text made of spaces is not empty.
    """
    return value is None or len(value) == 0


# ---------------------------------------------------------------- constructors

@builtin("Map", on=None, args=(0, 1), doc=f"{_HELP}/map-manipulations.html")
def new_map(entries: Any = None) -> dict[str, Any]:
    """A new Map (insertion ordered), empty, or, as the isEmpty page writes
    ``Map({"key1": "value1"})``, holding a copy of a given Map's entries."""
    if entries is None:
        return {}
    if type(entries) is dict:
        return dict(entries)
    raise DelugeRuntimeError(f"Map() expects a Map for its 1st argument, got {type_name(entries)}")


@builtin("List", on=None, args=(0, None), doc=f"{_HELP}/list-manipulations.html")
def new_list(*items: Any) -> list[Any]:
    """A new List; ``List()`` is empty. *Decision:* ``List(a, b)`` starts with those items."""
    return list(items)


@builtin("Collection", on=None, args=(0, None), doc=f"{_HELP}/collection-manipulations.html")
def new_collection(*items: Any) -> Any:
    """``Collection()`` is an empty Map; ``Collection(a, b)`` a List of its arguments.

    *Decision:* Deluge collections behave as a map or a list depending on use; with no
    items we start with a Map (``put`` works), with items a List.
    """
    return list(items) if items else {}


# ---------------------------------------------------------------- conversion and equality

@builtin("toString", "toText", on=NOT_DATES, args=(0, 2), doc=f"{_HELP}/functions/common/tostring.html")
def to_string(value: Any, form: Any = None, zone: Any = None) -> str | None:
    """Text form of a value: a Map is compact JSON, a List comma-joined (as ``info`` shows them).

    With an argument, a Number or Decimal is written with that Java number pattern
    (``1234.5.toString("#,##0.00")`` is ``1,234.50``, see `number_format`) and a List is
    joined with that separator (*decision*, as real scripts build CSV text with it); for
    other values the argument is ignored. Dates have their own ``toString`` (``dates.py``).
    As the page gives it, a Number with a date-time pattern and a time zone is milliseconds
    since 1970 written as that date-time (as ``toDateTimeString``).
    """
    if form is None:
        return to_text(value)
    kind = type(value)
    if zone is not None and kind is int:
        from .dates import millis_text  # the date family loads only for this form

        return millis_text("toString", None, value, form, zone)
    if kind is int or kind is float:
        return format_number(value, text_arg("toString", 1, form))
    if kind is list:
        separator = to_text(form)
        try:
            return separator.join(value)  # a List of Texts (only Text elements join)
        except TypeError:
            return separator.join(map(to_text, value))
    return to_text(value)


@builtin("equals", on=ANY, args=(1, 1), doc=f"{_HELP}/functions/string/equals.html")
def equals(value: Any, other: Any) -> bool:
    """Deluge ``==``: case-sensitive for text, 1 equals 1.0, true never equals 1."""
    return equal(value, other)


@builtin("isList", on=ANY, doc=f"{_HELP}/list-manipulations.html")
def is_list(value: Any) -> bool:
    """True when the value is a List. *Decision:* provided for type checks in scripts."""
    return type(value) is list


@builtin("isMap", on=ANY, doc=f"{_HELP}/map-manipulations.html")
def is_map(value: Any) -> bool:
    """True when the value is a Map. *Decision:* provided for type checks in scripts."""
    return type(value) is dict
