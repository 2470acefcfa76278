"""Type checks as their Zoho pages state them: ``isText``, ``isNumber``, ``isDecimal``, ``isDate``.

One table (`CHECKS`) says, per check and per kind of value, what the check gives: a fixed
answer (``True``/``False``/``None``) or a function of the value (for Text, which may hold a
number or a date). The pages:

- isText (https://www.zoho.com/deluge/help/functions/string/istext.html): Text is text,
  empty or blank Text included, except numbers in quotes (``"123"`` is false, ``"12a"`` true);
  a List, Map or Boolean gives null; a Date-Time ('01-02-2020') is not text.
- isNumber (https://www.zoho.com/deluge/help/functions/common/isnumber.html): a Number or
  Decimal, or Text holding one (``"12.3"``; ``"24/2*10"`` is false); a List or Map gives null.
- isDate (https://www.zoho.com/deluge/help/functions/common/isdate.html): a Date or Date-Time,
  or Text holding one; Text holding no date "will throw an error"; a Number is false; a List
  or Map gives null.
- isDecimal: *decision* (no page found): a Decimal, or Text with digits after a point; a List
  or Map gives null like its siblings.

Other kinds not named on a page (null, a File, Boolean for isNumber/isDate) give false. It does not
own ``isNull``/``isEmpty``/``isBlank`` (``core.py``) nor parsing dates (``dates.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import dates
from ..errors import DelugeRuntimeError
from .registry import ANY, PY_TYPE_TAG, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HELP = "https://www.zoho.com/deluge/help/functions"
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
DECIMAL_TEXT = re.compile(r"[+-]?\d*\.\d+")


def _text_is_text(text: str) -> bool:
    return NUMBER_TEXT.fullmatch(text.strip()) is None


def _text_is_number(text: str) -> bool:
    return NUMBER_TEXT.fullmatch(text.strip()) is not None


def _text_is_decimal(text: str) -> bool:
    return DECIMAL_TEXT.fullmatch(text.strip()) is not None


def _text_is_date(text: str) -> bool:
    if dates.parse_literal(text.strip()) is None:
        raise DelugeRuntimeError(f"isDate() needs text holding a date or date-time, got '{text[:80]}'")
    return True


Answer = bool | None | Callable[[str], bool]

# check -> (aliases, page, kind tag -> answer)
CHECKS: dict[str, tuple[tuple[str, ...], str, dict[str, Answer]]] = {
    "isText": (("isString",), f"{_HELP}/string/istext.html", {
        "text": _text_is_text, "number": False, "decimal": False, "boolean": None, "date": False,
        "datetime": False, "map": None, "list": None, "null": False, "file": False}),
    "isNumber": ((), f"{_HELP}/common/isnumber.html", {
        "text": _text_is_number, "number": True, "decimal": True, "boolean": False, "date": False,
        "datetime": False, "map": None, "list": None, "null": False, "file": False}),
    "isDecimal": ((), f"{_HELP}/number/isdecimal.html", {
        "text": _text_is_decimal, "number": False, "decimal": True, "boolean": False, "date": False,
        "datetime": False, "map": None, "list": None, "null": False, "file": False}),
    "isDate": ((), f"{_HELP}/common/isdate.html", {
        "text": _text_is_date, "number": False, "decimal": False, "boolean": False, "date": True,
        "datetime": True, "map": None, "list": None, "null": False, "file": False}),
}


def _make_check(answers: dict[str, Answer]) -> Callable[[Any], bool | None]:
    def check(value: Any) -> bool | None:
        answer = answers[PY_TYPE_TAG[type(value)]]
        return answer(value) if callable(answer) else answer
    return check


for _name, (_aliases, _page, _answers) in CHECKS.items():
    _impl = _make_check(_answers)
    _impl.__doc__ = f"{_name}() as its page states (see the module docstring and `CHECKS`)."
    builtin(_name, *_aliases, on=ANY, doc=_page)(_impl)
