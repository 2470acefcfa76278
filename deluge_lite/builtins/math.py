"""Number built-ins that Zoho's pages add to the basics: ``isEven``, ``isOdd``, ``toWords``, list ``sum``.

- isEven/isOdd (https://www.zoho.com/deluge/help/functions/number/is-even.html): parity of a
  whole number; the page allows a Decimal "but parity cannot be determined", so a Decimal
  with a fraction is a Deluge error and ``4.0`` counts as 4.
- toWords (https://www.zoho.com/deluge/help/functions/number/towords.html): the number in
  English words, ``1989.13`` as "one thousand nine hundred eighty-nine point one three",
  ``-12`` as "minus twelve". Of the page's languages the English ones are here: ``en-us``
  (the default), ``en-gb`` (with "and" before the last part, British style) and ``en-in``
  (lakh and crore); the others are a clear error. Up to 18 digits for a Number and 15 for
  a Decimal, as the page says.
- sum: *decision*: the total of a list of numbers (a Number when every item is one).

The basics (``abs``, ``round``, ``power``...) are ``numbers.py``; the list statistics
``average``/``median``/``largest`` are ``collections.py``.
"""

from __future__ import annotations

import decimal as _decimal
import math as _math

from ..errors import DelugeRuntimeError
from ..values import checked, java_double, type_name
from .core import text_arg
from .registry import LIST, NUMERIC, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FN = "https://www.zoho.com/deluge/help/functions/number"


def _whole(function: str, value: int | float) -> int:
    if type(value) is float:
        if not value.is_integer():
            raise DelugeRuntimeError(f"{function}() needs a whole number; parity of {java_double(value)} "
                                     "cannot be determined")
        return int(value)
    return value


@builtin("isEven", on=NUMERIC, doc=f"{_FN}/is-even.html")
def is_even(value: int | float) -> bool:
    return _whole("isEven", value) % 2 == 0


@builtin("isOdd", on=NUMERIC, doc=f"{_FN}/is-odd.html")
def is_odd(value: int | float) -> bool:
    return _whole("isOdd", value) % 2 == 1


@builtin("sum", on=LIST, doc="https://www.zoho.com/deluge/help/functions/list.html")
def list_sum(items: list[Any]) -> int | float:
    """The total of a list of numbers; an empty list gives 0. *Decision* (no page found)."""
    total: int | float = 0
    for item in items:
        if type(item) not in (int, float):
            raise DelugeRuntimeError(f"sum() needs a list of numbers, found a {type_name(item)}")
        total += item
    return checked(total) if type(total) is int else total


# ---------------------------------------------------------------- toWords

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_THOUSANDS = ("", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion")
# Indian English: the last three digits, then groups of two (thousand, lakh, crore), then crores of crores
_INDIAN = ((10**7, "crore"), (10**5, "lakh"), (10**3, "thousand"))


def _below_hundred(number: int) -> str:
    if number < 20:
        return _ONES[number]
    tens, ones = divmod(number, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def _below_thousand(number: int, british: bool) -> str:
    hundreds, rest = divmod(number, 100)
    words = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        words.append(("and " if british and hundreds else "") + _below_hundred(rest))
    return " ".join(words)


def _western(number: int, british: bool) -> str:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        if british and scale == 0 and words and group < 100:
            words.append("and " + _below_hundred(group))
            continue
        words.append(_below_thousand(group, british) + (f" {_THOUSANDS[scale]}" if scale else ""))
    return " ".join(words)


def _indian(number: int) -> str:
    if number >= 10**9:  # crores of crores: the crore count is itself read in Indian words
        crores, rest = divmod(number, 10**7)
        return _indian(crores) + " crore" + (f" {_indian(rest)}" if rest else "")
    words: list[str] = []
    for size, name in _INDIAN:
        count, number = divmod(number, size)
        if count:
            words.append(f"{_below_hundred(count) if count < 100 else _below_thousand(count, False)} {name}")
    if number:
        words.append(_below_thousand(number, False))
    return " ".join(words)


_LANGUAGES = {"en-us": lambda n: _western(n, False), "en-gb": lambda n: _western(n, True), "en-in": _indian}


@builtin("toWords", on=NUMERIC, args=(0, 1), doc=f"{_FN}/towords.html")
def to_words(value: int | float, language: Any = None) -> str:
    """The number in English words (see the module docstring for the languages)."""
    code = "en-us" if language is None else text_arg("toWords", 1, language).strip().lower()
    spell = _LANGUAGES.get(code)
    if spell is None:
        raise DelugeRuntimeError(f"toWords() supports the languages {', '.join(sorted(_LANGUAGES))} here, "
                                 f"got '{code}'")
    if type(value) is float and not _math.isfinite(value):
        raise DelugeRuntimeError(f"toWords() cannot spell {java_double(value)}")
    text = str(value) if type(value) is int else format(_decimal.Decimal(repr(value)), "f")
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    fraction = "" if fraction == "0" else fraction
    if type(value) is int and len(whole) > 18:
        raise DelugeRuntimeError("toWords() takes a Number of up to 18 digits")
    if type(value) is float and len(whole) + len(fraction) > 15:
        raise DelugeRuntimeError("toWords() takes a Decimal of up to 15 digits in all")
    number = int(whole)
    words = spell(number) if number else "zero"
    if fraction:
        words += " point " + " ".join(_ONES[int(digit)] for digit in fraction)
    return ("minus " if negative else "") + words
