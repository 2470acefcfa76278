"""Deluge value semantics on plain Python types.

A Deluge value is one of: ``str`` (Text), ``int`` (Number, 64-bit), ``float`` (Decimal,
a Java double), ``bool`` (Boolean), ``datetime.date`` (Date), ``datetime.datetime``
(Date-Time), ``dict`` (Map, insertion ordered, keys case-sensitive), ``list`` (List) and
``None`` (null). This module owns what the operators do with them (``+``, ``==``, ``<``,
truthiness), how ``info`` prints them and how they become JSON text. It does not own the
built-in functions (``builtins/``) nor date parsing and formatting (``dates.py``).

Because ``bool`` is a subclass of ``int`` in Python, every numeric test here checks
``type(x)`` rather than ``isinstance``.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json
import math
import operator
from typing import Any

from .errors import DelugeRuntimeError

Value = Any  # str | int | float | bool | date | datetime | dict | list | None

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_TYPE_NAMES: dict[type, str] = {
    str: "Text", int: "Number", float: "Decimal", bool: "Boolean",
    _dt.date: "Date", _dt.datetime: "Date-Time", dict: "Map", list: "List", type(None): "null",
}

NUMERIC = (int, float)


def type_name(value: Value) -> str:
    """The Deluge name of a value's type, as error messages show it."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def is_number(value: Value) -> bool:
    """True for Number and Decimal, false for Boolean."""
    kind = type(value)
    return kind is int or kind is float


# ---------------------------------------------------------------- printing

def java_double(number: float) -> str:
    """Format a float the way Java's ``Double.toString`` does (``15.0``, ``1.0E7``)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "-0.0" if math.copysign(1.0, number) < 0 else "0.0"
    magnitude = abs(number)
    if 1e-3 <= magnitude < 1e7:
        text = repr(number)
        if "e" in text or "E" in text:  # repr switches to exponent form below 1e-4
            text = f"{number:.20f}".rstrip("0")
        if "." not in text:
            text += ".0"
        if text.endswith("."):
            text += "0"
        return text
    # Java's computerized scientific form d.dddE<n>, with the shortest round-trip digits.
    exact = _decimal.Decimal(repr(magnitude))
    digits = "".join(map(str, exact.as_tuple().digits)).rstrip("0") or "0"
    sign = "-" if number < 0 else ""
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exact.adjusted()}"


def to_text(value: Value) -> str:
    """How ``info`` and text concatenation show a value."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return java_double(value)
    if value is None:
        return "null"
    if kind is list:
        return ",".join(_element_text(item) for item in value)
    if kind is dict:
        return to_json(value)
    if kind is _dt.datetime:
        return format_datetime(value)
    if kind is _dt.date:
        return format_date(value)
    return str(value)


def _element_text(item: Value) -> str:
    if type(item) in (dict, list):
        return to_json(item)
    return to_text(item)


def format_date(value: _dt.date) -> str:
    return f"{value.day:02d}-{MONTH_ABBR[value.month - 1]}-{value.year:04d}"


def format_datetime(value: _dt.datetime) -> str:
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def to_json(value: Value) -> str:
    """Compact JSON text of a value, keys in insertion order (a Map's ``toString()``)."""
    parts: list[str] = []
    _write_json(value, parts)
    return "".join(parts)


def _write_json(value: Value, out: list[str]) -> None:
    kind = type(value)
    if kind is dict:
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(key if type(key) is str else to_text(key), ensure_ascii=False))
            out.append(":")
            _write_json(item, out)
        out.append("}")
    elif kind is list:
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write_json(item, out)
        out.append("]")
    elif kind is str:
        out.append(json.dumps(value, ensure_ascii=False))
    elif value is None or kind in (int, float, bool):
        out.append(to_text(value))
    else:
        out.append(json.dumps(to_text(value), ensure_ascii=False))


def from_json(text: str) -> Value:
    """Parse JSON text into Deluge values: integers stay Number, fractions become Decimal."""
    return json.loads(text)


def from_python(value: Any) -> Value:
    """Python data handed to a script (``--arg``, the embedding API) as exact Deluge values.

    Subclasses become their base type (an ``IntEnum`` is a Number, a ``StrEnum`` Text, a
    ``datetime`` subclass a Date-Time); tuples and sets become Lists; ``decimal.Decimal``
    a Number or Decimal; any mapping a Map. Anything else is a ``TypeError`` for the caller.
    """
    kind = type(value)
    if value is None or kind in (str, int, float, bool, _dt.date, _dt.datetime):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, value.day)
    if isinstance(value, _decimal.Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): from_python(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [from_python(item) for item in value]
    raise TypeError(f"cannot pass a {kind.__name__} to a Deluge script; use str, int, float, bool, "
                    "date, datetime, dict, list or None")


# ---------------------------------------------------------------- truth and equality

def truth(value: Value) -> bool:
    """Legacy Deluge rule (Creator help): null and false are false, every other value is true."""
    return value is not None and value is not False


def equal(left: Value, right: Value) -> bool:
    """Deluge ``==``: numbers compare by value, Booleans only with Booleans, text case-sensitively."""
    left_kind, right_kind = type(left), type(right)
    if left_kind is right_kind:
        return left == right
    if left_kind is bool or right_kind is bool:
        return False
    if left_kind in NUMERIC and right_kind in NUMERIC:
        return left == right
    if isinstance(left, _dt.date) and isinstance(right, _dt.date):
        return _as_datetime(left) == _as_datetime(right)
    return False


def not_equal(left: Value, right: Value) -> bool:
    return not equal(left, right)


def _as_datetime(value: _dt.date) -> _dt.datetime:
    if type(value) is _dt.datetime:
        return value.replace(tzinfo=None)
    return _dt.datetime(value.year, value.month, value.day)


def _ordering_operands(op: str, left: Value, right: Value) -> tuple[Any, Any]:
    left_kind, right_kind = type(left), type(right)
    if left_kind in NUMERIC and right_kind in NUMERIC:
        return left, right
    if isinstance(left, _dt.date) and isinstance(right, _dt.date):
        return _as_datetime(left), _as_datetime(right)
    raise DelugeRuntimeError(f"cannot compare {type_name(left)} and {type_name(right)} with '{op}'")


def less(left: Value, right: Value) -> bool:
    if type(left) is int and type(right) is int:
        return left < right
    a, b = _ordering_operands("<", left, right)
    return a < b


def less_equal(left: Value, right: Value) -> bool:
    if type(left) is int and type(right) is int:
        return left <= right
    a, b = _ordering_operands("<=", left, right)
    return a <= b


def greater(left: Value, right: Value) -> bool:
    if type(left) is int and type(right) is int:
        return left > right
    a, b = _ordering_operands(">", left, right)
    return a > b


def greater_equal(left: Value, right: Value) -> bool:
    if type(left) is int and type(right) is int:
        return left >= right
    a, b = _ordering_operands(">=", left, right)
    return a >= b


# ---------------------------------------------------------------- arithmetic

def _arith_error(op: str, left: Value, right: Value) -> DelugeRuntimeError:
    verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "take the remainder of"}[op]
    joiner = {"+": "and", "-": "from", "*": "by", "/": "by", "%": "by"}[op]
    if op == "-":
        return DelugeRuntimeError(f"cannot subtract {type_name(right)} from {type_name(left)}")
    return DelugeRuntimeError(f"cannot {verb} {type_name(left)} {joiner} {type_name(right)}")


MIN_NUMBER = -(2**63)
MAX_NUMBER = 2**63 - 1
MAX_TEXT = 10_000_000  # characters; Decision: a longer Text is a runtime error, not an out-of-memory


def number_overflow(value: int) -> DelugeRuntimeError:
    """Decision: a Number result outside the 64-bit range is an error (Java would wrap silently)."""
    sign = "above" if value > 0 else "below"
    return DelugeRuntimeError(f"Number overflow: the result is {sign} the 64-bit range "
                              f"({MIN_NUMBER} to {MAX_NUMBER}); use a Decimal")


def checked(value: int) -> int:
    """A Number result, or the overflow error (used by the helpers and the compiled fast paths)."""
    if MIN_NUMBER <= value <= MAX_NUMBER:
        return value
    raise number_overflow(value)


def checked_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise DelugeRuntimeError(f"the text would be {len(value):,} characters long; "
                                 f"deluge-lite allows {MAX_TEXT:,}")
    return value


def add(left: Value, right: Value) -> Value:
    """``+``: numbers add; if either side is Text the other is converted and joined."""
    left_kind, right_kind = type(left), type(right)
    if left_kind is int and right_kind is int:
        return checked(left + right)
    if left_kind is str:
        return checked_text(left + (right if right_kind is str else to_text(right)))
    if right_kind is str:
        return checked_text(to_text(left) + right)
    if left_kind in NUMERIC and right_kind in NUMERIC:
        return _float_result("+", operator.add, left, right)
    if isinstance(left, _dt.date) and right_kind is int:
        return _date_shift(left, right)  # Decision: Date + n adds n days
    raise _arith_error("+", left, right)


def subtract(left: Value, right: Value) -> Value:
    left_kind, right_kind = type(left), type(right)
    if left_kind is int and right_kind is int:
        return checked(left - right)
    if left_kind in NUMERIC and right_kind in NUMERIC:
        return _float_result("-", operator.sub, left, right)
    if isinstance(left, _dt.date) and isinstance(right, _dt.date):
        # Date-Time minus Date-Time is a Number of milliseconds (reference section 2).
        delta = _as_datetime(left) - _as_datetime(right)
        return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000
    if isinstance(left, _dt.date) and right_kind is int:
        return _date_shift(left, -right)
    raise _arith_error("-", left, right)


def _date_shift(value: _dt.date, days: int) -> _dt.date:
    """Decision: Date +/- n moves by n days."""
    try:
        return value + _dt.timedelta(days=days)
    except OverflowError:
        raise DelugeRuntimeError("the date is out of range (years 1 to 9999)") from None


def multiply(left: Value, right: Value) -> Value:
    if type(left) is int and type(right) is int:
        return checked(left * right)
    if type(left) in NUMERIC and type(right) in NUMERIC:
        return _float_result("*", operator.mul, left, right)
    raise _arith_error("*", left, right)


def _float_result(op: str, function: Any, left: Any, right: Any) -> Any:
    """Apply a numeric operation; a Number too large for a Decimal is a Deluge error, not a crash."""
    try:
        return function(left, right)
    except OverflowError:
        raise DelugeRuntimeError(f"the result of '{op}' is too large for a number") from None


def divide(left: Value, right: Value) -> Value:
    """``/``: exact Number division stays a Number (``5/5`` is 1); otherwise a Decimal (``7/2`` is 3.5)."""
    left_kind, right_kind = type(left), type(right)
    if left_kind not in NUMERIC or right_kind not in NUMERIC:
        raise _arith_error("/", left, right)
    if right == 0:
        raise DelugeRuntimeError("division by zero")
    if left_kind is int and right_kind is int:
        quotient, rest = divmod(left, right)
        return checked(quotient) if rest == 0 else _float_result("/", operator.truediv, left, right)
    return _float_result("/", operator.truediv, left, right)


def remainder(left: Value, right: Value) -> Value:
    """``%``: Java remainder, which takes the sign of the left side (``-7 % 3`` is -1)."""
    left_kind, right_kind = type(left), type(right)
    if left_kind not in NUMERIC or right_kind not in NUMERIC:
        raise _arith_error("%", left, right)
    if right == 0:
        raise DelugeRuntimeError("division by zero")
    if left_kind is int and right_kind is int:
        result = abs(left) % abs(right)
        return -result if left < 0 else result
    if math.isinf(left) or math.isnan(left) or math.isnan(right):
        return math.nan  # Java: Infinity % x is NaN
    return _float_result("%", math.fmod, left, right)


def negate(value: Value) -> Value:
    if type(value) is int:
        return checked(-value)
    if type(value) in NUMERIC:
        return -value
    raise DelugeRuntimeError(f"cannot negate {type_name(value)}")


def logical_not(value: Value) -> bool:
    return not truth(value)
