"""Reading JSON text the way Zoho's ``toMap``/``getJSON``/``toJSONList``/``toXML`` read it.

Zoho's pages feed these functions text that strict JSON refuses and show the result:
``"{company:Zoho, product:Creator}".toMap()`` gives ``{"product":"Creator","company":"Zoho"}``
(https://www.zoho.com/deluge/help/functions/string/tomap.html) and
``"{Name:'Lia Shelton', OrderNo:[343,443,577]}"`` works with ``getJSON`` and ``toXML``
(https://www.zoho.com/deluge/help/functions/common/tojsonlist.html,
https://www.zoho.com/deluge/help/functions/xml/toxml.html). So this reader accepts:

- unquoted keys and unquoted values (``Zoho`` is the Text "Zoho"; ``true``, ``false``,
  ``null`` and numbers keep their kind),
- single-quoted strings (with the JSON escapes, plus ``\\'``),
- ``;`` between members and a trailing ``,`` before ``}`` or ``]``.

Key order: the pages' outputs list keys in the order of Java's ``HashMap`` (both examples
above match it), so a Map read from JSON text iterates in that order (`java_order`); Maps
a script builds keep insertion order (that is ``values``' business, not this module's).

Text that is not JSON at all is a `JsonTextError` carrying the offset, for the callers'
"cannot parse the text as JSON" errors. Nesting is bounded (`MAX_DEPTH`).
This module owns reading only; writing JSON is ``values.to_json``.
"""

from __future__ import annotations

import functools
import json
import re

from ..values import MAX_NUMBER, MIN_NUMBER, without_lone_surrogates

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 150
_UNQUOTED_STOP = frozenset(",:]}/\\\"[{;=#'")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "'": "'", "\\": "\\", "/": "/"}


class JsonTextError(ValueError):
    """Text that cannot be read as (lenient) JSON; ``offset`` is where reading stopped."""

    def __init__(self, message: str, text: str, offset: int) -> None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        super().__init__(f"{message} at line {line} column {column}")
        self.offset = offset


def _java_hash(key: str) -> int:
    """Java's ``String.hashCode`` (over UTF-16 code units), spread as ``HashMap.hash`` does."""
    value = 0
    if key.isascii():  # each character is one UTF-16 unit
        for char in key:
            value = (31 * value + ord(char)) & 0xFFFF_FFFF
        return value ^ (value >> 16)
    units = key.encode("utf-16-be")
    for index in range(0, len(units), 2):
        value = (31 * value + (units[index] << 8 | units[index + 1])) & 0xFFFF_FFFF
    return value ^ (value >> 16)


_KEPT_ORDERS = 64  # key sets up to this size have their Java order remembered (JSON arrays repeat them)


def java_order(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A dict of ``pairs`` (a repeated key keeps its first place and its last value) in the
    iteration order of a Java ``HashMap`` holding them: by bucket, then by insertion."""
    return java_ordered(dict(pairs))


def java_ordered(merged: dict[str, Any]) -> dict[str, Any]:
    """A dict's entries in the iteration order of a Java ``HashMap`` holding them (the dict itself when
    that is its order already)."""
    if len(merged) < 2:
        return merged
    keys = tuple(merged)
    order = _java_order_cached(keys) if len(keys) <= _KEPT_ORDERS else _java_order(keys)
    if order == keys:
        return merged
    return {key: merged[key] for key in order}


@functools.lru_cache(maxsize=512)
def _java_order_cached(keys: tuple[str, ...]) -> tuple[str, ...]:
    return _java_order(keys)


def _java_order(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Distinct keys in insertion order -> the order a Java ``HashMap`` iterates them."""
    buckets = 16
    while len(keys) > buckets * 3 // 4:
        buckets *= 2
    mask = buckets - 1
    ranked = sorted(enumerate(keys), key=lambda item: (_java_hash(item[1]) & mask, item[0]))
    return tuple(key for _, key in ranked)


def _number_value(text: str) -> int | float:
    """A Number when the text is a whole number that fits in 64 bits, else a Decimal
    (as ``values.from_json`` reads JSON integers; past a Decimal's range it is Infinity)."""
    digits = text[1:] if text[:1] == "-" else text
    if len(digits) < 19 and digits.isdecimal():  # at most 18 digits: always 64-bit
        return int(text)
    if "." in text or "e" in text or "E" in text or len(text.lstrip("-")) > 19:
        return float(text)
    number = int(text)
    return number if MIN_NUMBER <= number <= MAX_NUMBER else float(number)


def read_json(text: str) -> Any:
    """Parse JSON text into Deluge values (strict JSON first, then the lenient forms).

    A ``\\ud800``-style escape naming half a UTF-16 pair alone becomes ``?``, as in
    ``values.from_json``: no Deluge Text holds a lone surrogate.
    """
    value = _read(text)
    return without_lone_surrogates(value) if "\\u" in text else value


def _read(text: str) -> Any:
    try:
        return json.loads(text, parse_int=_number_value, object_hook=java_ordered, parse_constant=_no_constant)
    except RecursionError:
        raise JsonTextError("the JSON is nested too deeply", text, 0) from None
    except ValueError:  # json.JSONDecodeError and _NotStrict: try the lenient forms
        pass
    reader = _Reader(text)
    if reader.peek() not in ("{", "[", '"', "'", ""):
        word = reader.unquoted()
        if type(word) is str:  # a bare word is no JSON value at the top
            raise JsonTextError("the text is not JSON (an object starts with '{', a list with '[')", text, 0)
        reader.pos = 0
    try:
        value = reader.value(0)
    except RecursionError:  # a deep Deluge call stack leaves less room than MAX_DEPTH needs
        raise JsonTextError("the JSON is nested too deeply", text, reader.pos) from None
    reader.skip_space()
    if reader.pos < len(text):
        raise JsonTextError(f"unexpected {text[reader.pos]!r} after the JSON value", text, reader.pos)
    return value


class _NotStrict(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotStrict(name)  # NaN/Infinity: let the lenient reader make them Text, as Zoho's does


class _Reader:
    """A hand-written reader for the lenient forms (no library reads unquoted values)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> JsonTextError:
        return JsonTextError(message, self.text, self.pos)

    def skip_space(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and (text[pos] <= " " or text[pos].isspace()):
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail("the JSON is nested too deeply")
        char = self.peek()
        if char == "":
            raise self.fail("expected a value but the text ended")
        if char in "\"'":
            return self.quoted(char)
        if char == "{":
            return self.object(depth)
        if char == "[":
            return self.array(depth)
        return self.unquoted()

    def quoted(self, quote: str) -> str:
        text = self.text
        pos = self.pos + 1
        parts: list[str] = []
        while True:
            if pos >= len(text):
                self.pos = pos
                raise self.fail("a quoted string is not closed")
            char = text[pos]
            if char == quote:
                self.pos = pos + 1
                return "".join(parts)
            if char == "\\":
                code = text[pos + 1: pos + 2]
                if code == "u":
                    digits = text[pos + 2: pos + 6]
                    if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                        self.pos = pos
                        raise self.fail("a \\u escape needs four hex digits")
                    code_unit = int(digits, 16)
                    low = text[pos + 8: pos + 12] if text[pos + 6: pos + 8] == "\\u" else ""
                    if 0xD800 <= code_unit < 0xDC00 and len(low) == 4 and all(
                            c in "0123456789abcdefABCDEF" for c in low) and 0xDC00 <= int(low, 16) < 0xE000:
                        parts.append(chr(0x10000 + ((code_unit - 0xD800) << 10) + (int(low, 16) - 0xDC00)))
                        pos += 12
                        continue
                    parts.append(chr(code_unit))
                    pos += 6
                    continue
                if code not in _ESCAPES:
                    self.pos = pos
                    raise self.fail(f"unknown escape '\\{code}'")
                parts.append(_ESCAPES[code])
                pos += 2
                continue
            parts.append(char)
            pos += 1

    def unquoted(self) -> Any:
        text, start = self.text, self.pos
        pos = start
        while pos < len(text) and text[pos] >= " " and text[pos] not in _UNQUOTED_STOP:
            pos += 1
        word = text[start:pos].strip()
        if not word:
            raise self.fail(f"unexpected {text[start]!r}")
        self.pos = pos
        lowered = word.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        if _NUMBER.fullmatch(word):
            return _number_value(word)
        return word

    def object(self, depth: int) -> dict[str, Any]:
        self.pos += 1
        pairs: list[tuple[str, Any]] = []
        while True:
            char = self.peek()
            if char == "}":
                self.pos += 1
                return java_order(pairs)
            if char == "":
                raise self.fail("an object is not closed with '}'")
            if char in "{[":
                raise self.fail("an object key must be a name or a string")
            key = self.value(depth + 1)
            if self.peek() != ":":
                raise self.fail(f"expected ':' after the key {key!r}")
            self.pos += 1
            pairs.append((key if type(key) is str else _key_text(key), self.value(depth + 1)))
            char = self.peek()
            if char in ",;":
                self.pos += 1
            elif char == "}":
                continue
            else:
                raise self.fail("expected ',' or '}' in an object")

    def array(self, depth: int) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        while True:
            char = self.peek()
            if char == "]":
                self.pos += 1
                return items
            if char == "":
                raise self.fail("a list is not closed with ']'")
            items.append(self.value(depth + 1))
            char = self.peek()
            if char in ",;":
                self.pos += 1
            elif char != "]":
                raise self.fail("expected ',' or ']' in a list")


def _key_text(key: Any) -> str:
    if key is None:
        return "null"
    if type(key) is bool:
        return "true" if key else "false"
    return json.dumps(key) if type(key) is float else str(key)
