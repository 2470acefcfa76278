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
import math
import operator
import sys

from .dates import parse_literal
from .errors import DelugeRuntimeError
from .file_value import File
from .lazy_pattern import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Value = Any  # str | int | float | bool | date | datetime | dict | list | None

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_TYPE_NAMES: dict[type, str] = {
    str: "Text", int: "Number", float: "Decimal", bool: "Boolean",
    _dt.date: "Date", _dt.datetime: "Date-Time", dict: "Map", list: "List", type(None): "null",
    File: "File",  # Zoho's FILE (file_value.py); info and Text joins show its name
}

NUMERIC = (int, float)

MIN_NUMBER = -(2**63)
MAX_NUMBER = 2**63 - 1
MAX_TEXT = 10_000_000  # characters; Decision: a longer Text is a runtime error, not an out-of-memory


def type_name(value: Value) -> str:
    """The Deluge name of a value's type, as error messages show it."""
    kind = type(value)
    return _TYPE_NAMES.get(kind) or getattr(kind, "deluge_type", kind.__name__)  # deluge_type: Creator's Records


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
    import decimal

    exact = decimal.Decimal(repr(magnitude))
    digits = "".join(map(str, exact.as_tuple().digits)).rstrip("0") or "0"
    sign = "-" if number < 0 else ""
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exact.adjusted()}"


def to_text(value: Value, limit: int | None = None) -> str:
    """How ``info`` and text concatenation show a value.

    The text of a List or Map is built size-aware: once it would pass ``limit`` characters
    (default `MAX_TEXT`) it stops with a Deluge error, and a part that is shared (``x = {x, x}``
    repeated) is written once and copied, so nesting cannot make the work exponential.
    """
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
    if kind is list or kind is dict:
        fast = _one_pass(value, MAX_TEXT if limit is None else limit, top_list=kind is list)
        if fast is not None:
            return fast
        writer = _JsonWriter(MAX_TEXT if limit is None else limit)
        if kind is dict:
            writer.write(value)
        else:
            writer.write_elements(value)
        return writer.text()
    if kind is _dt.datetime:
        return format_datetime(value)
    if kind is _dt.date:
        return format_date(value)
    return str(value)


def format_date(value: _dt.date) -> str:
    return f"{value.day:02d}-{MONTH_ABBR[value.month - 1]}-{value.year:04d}"


def format_datetime(value: _dt.date) -> str:
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def to_json(value: Value, limit: int | None = None) -> str:
    """Compact JSON text of a value, keys in insertion order (a Map's ``toString()``); size-aware as `to_text`."""
    if type(value) is dict or type(value) is list:
        fast = _one_pass(value, MAX_TEXT if limit is None else limit)
        if fast is not None:
            return fast
    writer = _JsonWriter(MAX_TEXT if limit is None else limit)
    writer.write(value)
    return writer.text()


def text_too_long(length: int, limit: int = MAX_TEXT) -> DelugeRuntimeError:
    """The one message for a Text over the size cap."""
    shown = f"{length:,} characters long" if length <= 100 * limit else "longer than that"
    return DelugeRuntimeError(f"the text would be {shown}; deluge-lite allows {limit:,} characters in a Text")


def _one_pass(value: list[Value] | dict[Any, Value], limit: int, top_list: bool = False) -> str | None:
    """The text `_JsonWriter` would write, made by the C JSON encoder in one pass; None when it cannot be.

    A walk first checks that the encoder's output is exactly the writer's: no Decimal (Python
    prints those differently from Java), no List or Map met twice (shared or circular: the
    writer copies those, so their cost stays bounded), Map keys that are Text or Numbers.
    Dates reach ``default`` and are written as their text. A result over ``limit``, or any
    encoder failure, returns None so the writer produces the exact error.
    """
    seen: set[int] = set()
    pending: list[Any] = [value]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            return None
        seen.add(id(current))
        if type(current) is dict:
            for key in current:
                if type(key) is not str and type(key) is not int:
                    return None
            items: Any = current.values()
        else:
            items = current
        for item in items:
            kind = type(item)
            if kind is dict or kind is list:
                pending.append(item)
            elif kind is float:
                return None
    try:
        if top_list:  # info's form of a List: elements joined by commas, only nested ones as JSON
            text = ",".join(_ENCODE(item) if type(item) is dict or type(item) is list else to_text(item)
                            for item in value)
        else:
            text = _ENCODE(value)
    except (ValueError, TypeError, RecursionError):
        return None
    return text if len(text) <= limit else None


def _encode_default(value: Any) -> str:
    return to_text(value)


def _first_encode(value: Any) -> str:
    """`_ENCODE` until its first use, which imports ``json`` (not at start-up) and puts the encoder in its place."""
    global _ENCODE
    import json

    _ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
                               default=_encode_default).encode
    return _ENCODE(value)


_ENCODE = _first_encode


class _JsonWriter:
    """Writes JSON into a list of parts, counting characters; shared Lists and Maps are written once.

    The first time a List or Map is written, the span of parts it produced is recorded by
    identity; meeting the same object again copies that span as one joined text instead of
    walking it again. The values cannot change while they are being written.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.length = 0
        self.spans: dict[int, tuple[int, int]] = {}
        self.joined: dict[int, str] = {}
        self.open: set[int] = set()  # the Lists and Maps being written: met again inside, a cycle
        import json

        self.dumps = json.dumps

    def text(self) -> str:
        return "".join(self.parts)

    def _put(self, piece: str) -> None:
        self.length += len(piece)
        if self.length > self.limit:
            raise text_too_long(self.length, self.limit)
        self.parts.append(piece)

    def _reuse(self, value: Value) -> bool:
        key = id(value)
        span = self.spans.get(key)
        if span is None:
            return False
        piece = self.joined.get(key)
        if piece is None:
            piece = self.joined[key] = "".join(self.parts[span[0]:span[1]])
        self._put(piece)
        return True

    def write_elements(self, items: list[Value]) -> None:
        """A List as ``info`` shows it at the top level: elements joined by commas, nested ones as JSON."""
        for index, item in enumerate(items):
            if index:
                self._put(",")
            kind = type(item)
            if kind is list or kind is dict:
                self.write(item)
            else:
                self._put(to_text(item))

    def write(self, value: Value) -> None:
        kind = type(value)
        if kind is dict or kind is list:
            if self._reuse(value):
                return
            if id(value) in self.open:
                raise DelugeRuntimeError(f"this {type_name(value)} contains itself, so it has no text form")
            self.open.add(id(value))
            start = len(self.parts)
            if kind is dict:
                self._put("{")
                for index, (key, item) in enumerate(value.items()):
                    self._put(("," if index else "")
                              + self.dumps(key if type(key) is str else to_text(key), ensure_ascii=False) + ":")
                    self.write(item)
                self._put("}")
            else:
                self._put("[")
                for index, item in enumerate(value):
                    if index:
                        self._put(",")
                    self.write(item)
                self._put("]")
            self.open.discard(id(value))
            self.spans[id(value)] = (start, len(self.parts))
        elif kind is str:
            self._put(self.dumps(value, ensure_ascii=False))
        elif value is None or kind in (int, float, bool):
            self._put(to_text(value))
        else:
            self._put(self.dumps(to_text(value), ensure_ascii=False))


def deep_size(value: Value, limit: int) -> int:
    """The size of a value in budget units: one per Text character and one per List/Map element.

    A List or Map met twice (by identity) counts once, as it takes memory once; a Text
    counts every time it appears. The walk stops early, returning more than ``limit``, as
    soon as the size passes ``limit``, so its cost is bounded by the budget. (One loop, and
    no bookkeeping until a nested List or Map is met: ``add`` and ``put`` call this on every
    collection they take.)
    """
    kind = type(value)
    if kind is str:
        return len(value)
    if kind is not list and kind is not dict:
        return 0
    total = 0
    seen: set[int] | None = None
    pending: list[Any] | None = None
    current: Any = value
    while True:
        total += len(current)
        items = current
        if type(current) is dict:
            for key in current:
                if type(key) is str:
                    total += len(key)
            items = current.values()
        for item in items:
            kind = type(item)
            if kind is str:
                total += len(item)
            elif kind is list or kind is dict:
                if pending is None:
                    pending = [item]
                else:
                    pending.append(item)
        if total > limit or not pending:
            return total
        if seen is None:
            seen = {id(value)}
        current = pending.pop()
        while id(current) in seen:
            if not pending:
                return total
            current = pending.pop()
        seen.add(id(current))


def _json_integer(text: str) -> int | float:
    """A JSON integer: a Number when it fits in 64 bits, else a Decimal (as ``toDecimal`` would make it).

    *Decision:* Deluge Numbers are 64-bit; a larger integer from JSON (an id from another
    system, a JavaScript-sized number) keeps its magnitude as a Decimal instead of failing
    the whole parse. Past a Decimal's range it is Infinity, as Java's parser gives.
    """
    if len(text) <= 18:
        return int(text)
    if len(text) <= 20:
        number = int(text)
        if MIN_NUMBER <= number <= MAX_NUMBER:
            return number
    return float(text)


def from_json(text: str) -> Value:
    """Parse JSON text into Deluge values: integers stay Number (64-bit), fractions become Decimal.

    A ``\\ud800``-style escape can name half of a UTF-16 pair alone; such halves become ``?``
    (`without_lone_surrogates`), so no Deluge Text holds one.
    """
    import json

    value = json.loads(text, parse_int=_json_integer)
    return without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


_SURROGATE_ESCAPE = LazyPattern(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = LazyPattern("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with each unpaired UTF-16 surrogate replaced by ``?``, as Java writes one out as UTF-8.

    A Deluge Text never holds a lone surrogate: they cannot be printed or encoded. Texts
    from outside (JSON escapes, command-line bytes that are not UTF-8) pass through here.
    """
    return text if text.isascii() else _LONE_SURROGATE.sub("?", text)


def without_lone_surrogates(value: Value) -> Value:
    """`clean_text` applied to every Text (keys included) inside a value, in place for Lists and Maps."""
    kind = type(value)
    if kind is str:
        return clean_text(value)
    pending = [value] if kind is list or kind is dict else []
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if type(current) is dict:
            for key in [key for key in current if type(key) is str and clean_text(key) != key]:
                current[clean_text(key)] = current.pop(key)
            items = current.items()
        else:
            items = enumerate(current)
        for slot, item in list(items):
            if type(item) is str:
                current[slot] = clean_text(item)
            elif type(item) is list or type(item) is dict:
                pending.append(item)
    return value


def from_python(value: Any) -> Value:
    """Python data handed to a script (``--arg``, the embedding API) as exact Deluge values.

    Subclasses become their base type (an ``IntEnum`` is a Number, a ``StrEnum`` Text, a
    ``datetime`` subclass a Date-Time); tuples and sets become Lists; ``decimal.Decimal``
    a Number or Decimal; any mapping a Map. Anything else is a ``TypeError`` for the caller.
    """
    kind = type(value)
    if kind is int and not MIN_NUMBER <= value <= MAX_NUMBER:
        return _big_to_decimal(value)
    if kind is str:
        return clean_text(value)
    if value is None or kind in (int, float, bool, _dt.date, _dt.datetime):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return clean_text(str(value))
    if isinstance(value, int):
        number = int(value)
        return number if MIN_NUMBER <= number <= MAX_NUMBER else _big_to_decimal(number)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, value.day)
    decimal = sys.modules.get("decimal")  # not imported: the value cannot be one of its Decimals
    if decimal is not None and isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): from_python(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [from_python(item) for item in value]
    raise TypeError(f"cannot pass a {kind.__name__} to a Deluge script; use str, int, float, bool, "
                    "date, datetime, dict, list or None")


def _big_to_decimal(number: int) -> float:
    """An integer past 64 bits handed to a script becomes a Decimal, as from JSON (`_json_integer`)."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


# ---------------------------------------------------------------- truth and equality

def truth(value: Value) -> bool:
    """Legacy Deluge rule (Creator help): null and false are false, every other value is true."""
    return value is not None and value is not False


def equal(left: Value, right: Value) -> bool:
    """Deluge ``==``: numbers compare by value, Booleans only with Booleans, text case-sensitively."""
    left_kind, right_kind = type(left), type(right)
    if left_kind is right_kind:
        if left_kind is list or left_kind is dict:
            return left is right or _same_items(left, right, set())
        return left == right
    if left_kind is bool or right_kind is bool:
        return False
    if left_kind in NUMERIC and right_kind in NUMERIC:
        return left == right
    if isinstance(left, _dt.date) and isinstance(right, _dt.date):
        return _as_datetime(left) == _as_datetime(right)
    if left_kind is str or right_kind is str:
        pair = _date_and_text(left, right)
        return pair is not None and pair[0] == pair[1]
    return False


def _date_and_text(left: Value, right: Value) -> tuple[_dt.datetime, _dt.datetime] | None:
    """A Date-Time and a Text holding a date, both as Date-Times (Deluge converts the text
    when it meets a date: ``'12-Jan-2026' == "12-Jan-2026"``); None for any other pair."""
    if isinstance(left, _dt.date) and type(right) is str:
        moment = parse_literal(right)
        return None if moment is None else (_as_datetime(left), _as_datetime(moment))
    if type(left) is str and isinstance(right, _dt.date):
        moment = parse_literal(left)
        return None if moment is None else (_as_datetime(moment), _as_datetime(right))
    return None


def _same_items(left: Any, right: Any, proven: set[tuple[int, int]]) -> bool:
    """Python's ``==`` on two Lists or two Maps, with pairs already found equal remembered by identity.

    Gives exactly what ``left == right`` gives (elements compare with Python's ``==``,
    identical objects are equal), but a shared part (``x = {x, x}`` repeated) is compared
    once, so the work stays linear in the distinct parts instead of exponential.
    """
    if len(left) != len(right):
        return False
    pair = (id(left), id(right))
    if pair in proven:
        return True
    if type(left) is dict:
        for key, item in left.items():
            if key not in right:
                return False
            if not _same_element(item, right[key], proven):
                return False
    else:
        for item, other in zip(left, right, strict=True):
            if not _same_element(item, other, proven):
                return False
    proven.add(pair)
    return True


def _same_element(item: Any, other: Any, proven: set[tuple[int, int]]) -> bool:
    if item is other:
        return True
    item_kind, other_kind = type(item), type(other)
    if item_kind is other_kind and (item_kind is list or item_kind is dict):
        return _same_items(item, other, proven)
    return bool(item == other)


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
    pair = _date_and_text(left, right)
    if pair is not None:
        return pair
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
    """A Text result, or the size-cap error (`MAX_TEXT` characters)."""
    if len(value) > MAX_TEXT:
        raise text_too_long(len(value))
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
