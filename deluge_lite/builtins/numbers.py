"""Number built-ins: rounding, powers and roots, min/max, hex and random numbers.

Owns the methods on Number and Decimal receivers (reference section 5 "Numbers") and the
``randomNumber`` function. Decimals are Python floats that print like Java doubles (see
``values.java_double``). It does not own conversions from text (``toNumber``/``toDecimal``
live in ``text.py``) nor ``toString`` (``core.py``).
"""

from __future__ import annotations

import decimal as _decimal
import math

from ..errors import DelugeRuntimeError
from ..values import checked
from .core import index_arg
from .registry import NUMBER, NUMERIC, builtin, expect

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FN = "https://www.zoho.com/deluge/help/functions/number"

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _number(function: str, position: int, value: Any) -> int | float:
    return expect(function, position, value, NUMERIC)


def _finite(function: str, result: float) -> float:
    if math.isnan(result):
        raise DelugeRuntimeError(f"{function}() has no real result for these values")
    return result


def _whole(function: str, value: float) -> int:
    if math.isnan(value) or math.isinf(value):
        raise DelugeRuntimeError(f"{function}() cannot make a whole number from {value}")
    result = int(value)
    if not _INT64_MIN <= result <= _INT64_MAX:
        raise DelugeRuntimeError(f"{function}() result does not fit in a 64-bit Number")
    return result


@builtin("abs", on=NUMERIC, doc=f"{_FN}/abs.html")
def absolute(value: int | float) -> int | float:
    """Absolute value; a Number stays a Number, a Decimal a Decimal (the smallest Number has none: overflow)."""
    return checked(abs(value)) if type(value) is int else abs(value)


@builtin("ceil", on=NUMERIC, doc=f"{_FN}/ceil.html")
def ceil(value: int | float) -> int:
    """Smallest whole number not below the value.

    *Decision:* the result is a Number (``3.2.ceil()`` prints ``4``): scripts use it as a count.
    """
    return value if type(value) is int else _whole("ceil", math.ceil(value) if math.isfinite(value) else value)


@builtin("floor", on=NUMERIC, doc=f"{_FN}/floor.html")
def floor(value: int | float) -> int:
    """Largest whole number not above the value. *Decision:* a Number, as for ``ceil``."""
    return value if type(value) is int else _whole("floor", math.floor(value) if math.isfinite(value) else value)


@builtin("round", on=NUMERIC, args=(0, 1), doc=f"{_FN}/round.html")
def round_number(value: int | float, places: Any = None) -> int | float:
    """Rounds half away from zero to the given decimal places (default 0).

    A Number stays a Number. *Decision:* a Decimal stays a Decimal (``12.567.round(2)`` is
    12.57, ``2.5.round()`` is 3.0); negative places round to tens, hundreds, ...
    """
    digits = 0 if places is None else index_arg("round", 1, places)
    if not -400 <= digits <= 400:
        raise DelugeRuntimeError(f"round() needs between -400 and 400 decimal places, got {digits}")
    if type(value) is float and not math.isfinite(value):
        return value
    if type(value) is int and digits >= 0:
        return value
    exact = _decimal.Decimal(value) if type(value) is int else _decimal.Decimal(repr(value))
    with _decimal.localcontext() as context:
        context.prec = 1000
        rounded = exact.quantize(_decimal.Decimal(1).scaleb(-digits), rounding=_decimal.ROUND_HALF_UP)
    if type(value) is int:
        return checked(int(rounded))  # 9223372036854775807.round(-1) is past 64 bits
    return float(rounded)


@builtin("sqrt", on=NUMERIC, doc=f"{_FN}/sqrt.html")
def sqrt(value: int | float) -> float:
    """Square root as a Decimal (``16.sqrt()`` is 4.0); a negative value is an error."""
    if value < 0:
        raise DelugeRuntimeError(f"sqrt() needs a value of 0 or more, got {value}")
    return math.sqrt(value)  # a Number is 64-bit (JSON and the embedding API keep it so), so this cannot overflow


@builtin("power", on=NUMERIC, args=(1, 1), doc=f"{_FN}/power.html")
def power(value: int | float, exponent: Any) -> int | float:
    """The value raised to the exponent.

    *Decision:* a Number to a Number power of 0 or more is a Number (``2.power(3)`` is 8);
    otherwise a Decimal.
    """
    exp = _number("power", 1, exponent)
    if type(value) is int and type(exp) is int and exp >= 0:
        if exp > 4096 and abs(value) > 1:
            raise DelugeRuntimeError("power() result does not fit in a 64-bit Number")
        result = value**exp
        if not _INT64_MIN <= result <= _INT64_MAX:
            raise DelugeRuntimeError("power() result does not fit in a 64-bit Number")
        return result
    try:
        result = math.pow(value, exp)
    except (OverflowError, ValueError):
        raise DelugeRuntimeError(f"power() has no Decimal result for {value} and {exp}") from None
    return _finite("power", result)


@builtin("log", on=NUMERIC, doc=f"{_FN}/log.html")
def log(value: int | float) -> float:
    """Natural logarithm; 0 or less is an error."""
    if value <= 0:
        raise DelugeRuntimeError(f"log() needs a value greater than 0, got {value}")
    return math.log(value)


@builtin("log10", on=NUMERIC, doc=f"{_FN}/log.html")
def log10(value: int | float) -> float:
    """*Decision:* base-10 logarithm, for scripts that write it."""
    if value <= 0:
        raise DelugeRuntimeError(f"log10() needs a value greater than 0, got {value}")
    return math.log10(value)


@builtin("exp", on=NUMERIC, doc=f"{_FN}/exp.html")
def exp(value: int | float) -> float:
    """e raised to the value."""
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def _pick(function: str, value: int | float, other: Any, larger: bool) -> int | float:
    other = _number(function, 1, other)
    if larger:
        return other if other > value else value
    return other if other < value else value


@builtin("max", on=NUMERIC, args=(1, 1), doc=f"{_FN}/max.html")
def maximum(value: int | float, other: Any) -> int | float:
    """The larger of two numbers (``max(3, 7)`` or ``3.max(7)``); each keeps its own type."""
    return _pick("max", value, other, True)


@builtin("min", on=NUMERIC, args=(1, 1), doc=f"{_FN}/min.html")
def minimum(value: int | float, other: Any) -> int | float:
    return _pick("min", value, other, False)


@builtin("toHex", on=NUMBER, doc=f"{_FN}/tohex.html")
def to_hex(value: int) -> str:
    """Lower-case hexadecimal text. *Decision:* a negative Number shows its 64-bit two's complement,
    as Java's ``Long.toHexString`` does."""
    return format(value & 0xFFFF_FFFF_FFFF_FFFF if value < 0 else value, "x")


def _random_source(rt: Any) -> Any:
    source = getattr(rt, "random", None)
    if source is not None and hasattr(source, "randint"):
        return source
    import random  # (loaded by the first random number: round() and the rest of the family do not need it)

    return random


@builtin("randomNumber", on=None, args=(0, 2), runtime=True, doc=f"{_FN}/randomnumber.html")
def random_number(rt: Any, low: Any = None, high: Any = None) -> int | float:
    """A random number from low up to, but never equal to, high, as the page gives it
    (``randomNumber(1, 3)`` is 1 or 2); a Decimal when either limit is a Decimal.

    *Decision:* equal limits give that limit; with no arguments the range is 0 to
    2,147,483,647 (included); with one, 0 up to that value. The runtime's ``random`` (a
    ``random.Random``) is used when it has one, so tests can seed it.
    """
    if low is None:
        return _random_source(rt).randint(0, 2**31 - 1)
    start, stop = (0, low) if high is None else (low, high)
    expect("randomNumber", 1, start, NUMERIC)
    expect("randomNumber", 2 if high is not None else 1, stop, NUMERIC)
    if start > stop:
        raise DelugeRuntimeError(
            f"randomNumber() needs the first value ({start}) to be at most the second ({stop})")
    source = _random_source(rt)
    if type(start) is float or type(stop) is float:
        return start + source.random() * (stop - start)
    return start if start == stop else source.randrange(start, stop)
