"""Text built-ins: searching, slicing, case, padding, splitting, regex replace and number parsing.

Owns every method whose receiver is Text (reference section 5 "Text" and the corpus's most
used text methods) plus the number conversions ``toNumber``/``toLong``/``toDecimal``
on Text, Number and Decimal (the ``isNumber`` check is ``type_checks.py``). Java regular expressions and replacement strings
(``$1``) are translated by `java_regex` / `_java_replacement`. It does not own JSON parsing
(``json_functions.py``), URL/base64 encoding (``encoding.py``) nor date parsing (``dates.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache

from ..errors import DelugeRuntimeError
from ..java_text import REGEX_SYNTAX, TRIM_CHARACTERS, plain_replacement
from ..lazy_pattern import LazyPattern
from ..values import MAX_TEXT, text_too_long
from .core import bool_arg, index_arg, text_arg
from .registry import LIST, NUMERIC, TEXT, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FN = "https://www.zoho.com/deluge/help/functions/string"
_NUM = "https://www.zoho.com/deluge/help/functions/number"

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


# ---------------------------------------------------------------- length and searching

@builtin("length", "len", on=TEXT, doc=f"{_FN}/length.html")
def length(text: str) -> int:
    """Number of characters; spaces count."""
    return len(text)


@builtin("contains", on=TEXT, args=(1, 1), doc=f"{_FN}/contains.html")
def contains(text: str, search: Any) -> bool:
    """Case-sensitive substring test."""
    if type(search) is str:
        return search in text
    return text_arg("contains", 1, search) in text


@builtin("notContains", on=TEXT, args=(1, 1), doc=f"{_FN}/notcontains.html")
def not_contains(text: str, search: Any) -> bool:
    return text_arg("notContains", 1, search) not in text


@builtin("containsIgnoreCase", on=TEXT, args=(1, 1), doc=f"{_FN}/containsignorecase.html")
def contains_ignore_case(text: str, search: Any) -> bool:
    return text_arg("containsIgnoreCase", 1, search).lower() in text.lower()


@builtin("startsWith", on=TEXT, args=(1, 1), doc=f"{_FN}/startswith.html")
def starts_with(text: str, prefix: Any) -> bool:
    return text.startswith(text_arg("startsWith", 1, prefix))


@builtin("startsWithIgnoreCase", on=TEXT, args=(1, 1), doc=f"{_FN}/startswith.html")
def starts_with_ignore_case(text: str, prefix: Any) -> bool:
    return text.lower().startswith(text_arg("startsWithIgnoreCase", 1, prefix).lower())


@builtin("endsWith", on=TEXT, args=(1, 1), doc=f"{_FN}/endswith.html")
def ends_with(text: str, suffix: Any) -> bool:
    return text.endswith(text_arg("endsWith", 1, suffix))


@builtin("endsWithIgnoreCase", on=TEXT, args=(1, 1), doc=f"{_FN}/endswith.html")
def ends_with_ignore_case(text: str, suffix: Any) -> bool:
    return text.lower().endswith(text_arg("endsWithIgnoreCase", 1, suffix).lower())


@builtin("indexOf", "find", on=TEXT, args=(1, 2), doc=f"{_FN}/indexof.html")
def index_of(text: str, search: Any, start: Any = None) -> int:
    """Index of the first occurrence (from 0), or -1. The optional start index is where to begin."""
    needle = text_arg("indexOf", 1, search)
    begin = 0 if start is None else max(0, index_arg("indexOf", 2, start))
    return text.find(needle, begin)


@builtin("lastIndexOf", on=TEXT, args=(1, 1), doc=f"{_FN}/lastindexof.html")
def last_index_of(text: str, search: Any) -> int:
    return text.rfind(text_arg("lastIndexOf", 1, search))


@builtin("getOccurenceCount", "getOccurrenceCount", on=TEXT, args=(1, 1),
         doc=f"{_FN}/getoccurencecount.html")
def get_occurence_count(text: str, search: Any) -> int:
    """Non-overlapping occurrences of the search text (Zoho spells it 'Occurence').

    *Decision:* an empty search text occurs 0 times.
    """
    needle = text_arg("getOccurenceCount", 1, search)
    return text.count(needle) if needle else 0


@builtin("equalsIgnoreCase", on=TEXT, args=(1, 1), doc=f"{_FN}/equalsignorecase.html")
def equals_ignore_case(text: str, other: Any) -> bool:
    """Case-insensitive equality. *Decision:* a non-text other side (null, a list) is simply unequal."""
    if type(other) is str:
        return text.lower() == other.lower()
    if type(other) in (int, float, bool):
        return text.lower() == text_arg("equalsIgnoreCase", 1, other).lower()
    return False


# ---------------------------------------------------------------- slicing

@builtin("subString", "subText", "mid", on=TEXT, args=(1, 2), doc=f"{_FN}/substring.html")
def sub_string(text: str, start: Any, end: Any = None) -> str:
    """Characters from start (inclusive) to end (exclusive, default: the end), like Java's substring.

    Out-of-range indexes are an error, as in Deluge; a negative end index is ignored and the
    rest of the text is returned (Zoho's subString page).
    """
    begin = index_arg("subString", 1, start)
    stop = len(text) if end is None else index_arg("subString", 2, end)
    if stop < 0:
        stop = len(text)
    if begin < 0:
        raise DelugeRuntimeError(f"subString() start index {begin} is negative")
    if stop > len(text):
        raise DelugeRuntimeError(
            f"subString() end index {stop} is greater than the text length {len(text)}")
    if begin > stop:
        raise DelugeRuntimeError(f"subString() start index {begin} is greater than the end index {stop}")
    return text[begin:stop]


@builtin("left", on=TEXT, args=(1, 1), doc=f"{_FN}/left.html")
def left(text: str, count: Any) -> str:
    """The first n characters; as the page gives it, a negative n gives the whole text and an n
    beyond the length is a runtime error."""
    n = index_arg("left", 1, count)
    if n < 0:
        return text
    if n > len(text):
        raise DelugeRuntimeError(f"left() count {n} is greater than the text length {len(text)}")
    return text[:n]


@builtin("right", on=TEXT, args=(1, 1), doc=f"{_FN}/right.html")
def right(text: str, count: Any) -> str:
    """The last n characters; as the page gives it, a negative n or one beyond the length is a
    runtime error."""
    n = index_arg("right", 1, count)
    if n < 0:
        raise DelugeRuntimeError(f"right() needs a count of 0 or more, got {n}")
    if n > len(text):
        raise DelugeRuntimeError(f"right() count {n} is greater than the text length {len(text)}")
    return text[len(text) - n:] if n else ""


def _prefix(text: str, search: str, fold: bool) -> str | None:
    haystack, needle = (text.lower(), search.lower()) if fold else (text, search)
    at = haystack.find(needle)
    return None if at < 0 else text[:at]


def _suffix(text: str, search: str, fold: bool) -> str | None:
    haystack, needle = (text.lower(), search.lower()) if fold else (text, search)
    at = haystack.find(needle)
    return None if at < 0 else text[at + len(needle):]


@builtin("getPrefix", on=TEXT, args=(1, 1), doc=f"{_FN}/getprefix.html")
def get_prefix(text: str, search: Any) -> str | None:
    """The text before the first occurrence of the search text; null when it does not occur."""
    return _prefix(text, text_arg("getPrefix", 1, search), False)


@builtin("getPrefixIgnoreCase", on=TEXT, args=(1, 1), doc=f"{_FN}/getprefixignorecase.html")
def get_prefix_ignore_case(text: str, search: Any) -> str | None:
    return _prefix(text, text_arg("getPrefixIgnoreCase", 1, search), True)


@builtin("getSuffix", on=TEXT, args=(1, 1), doc=f"{_FN}/getsuffix.html")
def get_suffix(text: str, search: Any) -> str | None:
    """The text after the first occurrence of the search text; null when it does not occur."""
    return _suffix(text, text_arg("getSuffix", 1, search), False)


@builtin("getSuffixIgnoreCase", on=TEXT, args=(1, 1), doc=f"{_FN}/getsuffixignorecase.html")
def get_suffix_ignore_case(text: str, search: Any) -> str | None:
    return _suffix(text, text_arg("getSuffixIgnoreCase", 1, search), True)


# ---------------------------------------------------------------- case, trimming, padding

@builtin("toUpperCase", "upper", on=TEXT, doc=f"{_FN}/touppercase.html")
def to_upper_case(text: str) -> str:
    return text.upper()


@builtin("toLowerCase", "lower", on=TEXT, doc=f"{_FN}/tolowercase.html")
def to_lower_case(text: str) -> str:
    return text.lower()


_WORD = LazyPattern(r"\S+")


@builtin("proper", on=TEXT, doc=f"{_FN}/proper.html")
def proper(text: str) -> str:
    """First letter of each space-separated word upper case, the rest lower case.

    *Decision:* words are separated by whitespace only (``o'neil`` becomes ``O'neil``).
    """
    return _WORD.sub(lambda word: word.group(0)[:1].upper() + word.group(0)[1:].lower(), text)


@builtin("trim", on=TEXT, doc=f"{_FN}/trim.html")
def trim(text: str) -> str:
    """Removes leading and trailing spaces and control characters (Java's ``trim``)."""
    return text.strip(TRIM_CHARACTERS)


@builtin("ltrim", on=TEXT, doc=f"{_FN}/ltrim.html")
def ltrim(text: str) -> str:
    return text.lstrip(TRIM_CHARACTERS)


@builtin("rtrim", on=TEXT, doc=f"{_FN}/rtrim.html")
def rtrim(text: str) -> str:
    return text.rstrip(TRIM_CHARACTERS)


def _pad_char(function: str, pad: Any) -> str:
    char = " " if pad is None else text_arg(function, 2, pad)
    if len(char) != 1:
        raise DelugeRuntimeError(f"{function}() pads with one character, got {char!r}")
    return char


@builtin("leftPad", on=TEXT, args=(1, 2), doc=f"{_FN}/leftpad.html")
def left_pad(text: str, width: Any, pad: Any = None) -> str:
    """Pads on the left to a total length; a shorter width (or negative) leaves the text as it is.

    *Decision:* an optional second argument names the padding character (default a space).
    """
    return text.rjust(_pad_width("leftPad", width), _pad_char("leftPad", pad))


@builtin("rightPad", on=TEXT, args=(1, 2), doc=f"{_FN}/rightpad.html")
def right_pad(text: str, width: Any, pad: Any = None) -> str:
    return text.ljust(_pad_width("rightPad", width), _pad_char("rightPad", pad))


def _pad_width(function: str, width: Any) -> int:
    size = max(index_arg(function, 1, width), 0)  # a negative width leaves the text unchanged
    if size > MAX_TEXT:
        raise DelugeRuntimeError(f"{function}() would make a text of {size:,} characters; "
                                 f"deluge-lite allows {MAX_TEXT:,}")
    return size


@builtin("reverse", on=TEXT, doc=f"{_FN}/reverse.html")
def reverse(text: str) -> str:
    return text[::-1]


@builtin("repeat", on=TEXT, args=(1, 1), doc=f"{_FN}/repeat.html")
def repeat(text: str, times: Any) -> str:
    """The text written ``times`` times over (``"Zoho".repeat(3)`` is ``ZohoZohoZoho``).

    *Decision:* a count of 0 gives empty text and a negative count is an error (as Java's
    ``String.repeat``); the page states neither.
    """
    count = index_arg("repeat", 1, times)
    if count < 0:
        raise DelugeRuntimeError(f"repeat() count must not be negative, got {count}")
    if len(text) * count > MAX_TEXT:
        raise text_too_long(len(text) * count)
    return text * count


@builtin("concat", on=TEXT, args=(1, 1), doc=f"{_FN}/concat.html")
def concat(text: str, other: Any) -> str:
    """Joins two texts; numbers are joined as ``info`` shows them."""
    return text + text_arg("concat", 1, other)


# ---------------------------------------------------------------- removing characters

@builtin("remove", on=TEXT, args=(1, 1), doc=f"{_FN}/remove.html")
def remove(text: str, search: Any) -> str:
    """Removes every occurrence of the search text."""
    needle = text_arg("remove", 1, search)
    return text.replace(needle, "") if needle else text


@builtin("removeFirstOccurence", "removeFirstOccurrence", on=TEXT, args=(1, 1),
         doc=f"{_FN}/removefirstoccurence.html")
def remove_first_occurence(text: str, search: Any) -> str:
    needle = text_arg("removeFirstOccurence", 1, search)
    return text.replace(needle, "", 1) if needle else text


@builtin("removeLastOccurence", "removeLastOccurrence", on=TEXT, args=(1, 1),
         doc=f"{_FN}/removelastoccurence.html")
def remove_last_occurence(text: str, search: Any) -> str:
    needle = text_arg("removeLastOccurence", 1, search)
    at = text.rfind(needle) if needle else -1
    return text if at < 0 else text[:at] + text[at + len(needle):]


@builtin("getAlpha", on=TEXT, doc=f"{_FN}/getalpha.html")
def get_alpha(text: str) -> str:
    """Only the letters. *Decision:* letters of any alphabet count, not only A-Z."""
    return "".join(ch for ch in text if ch.isalpha())


@builtin("getAlphaNumeric", on=TEXT, doc=f"{_FN}/getalphanumeric.html")
def get_alpha_numeric(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@builtin("removeAllAlpha", on=TEXT, doc=f"{_FN}/removeallalpha.html")
def remove_all_alpha(text: str) -> str:
    return "".join(ch for ch in text if not ch.isalpha())


@builtin("removeAllAlphaNumeric", on=TEXT, doc=f"{_FN}/removeallalphanumeric.html")
def remove_all_alpha_numeric(text: str) -> str:
    return "".join(ch for ch in text if not ch.isalnum())


# ---------------------------------------------------------------- Java regular expressions

_POSIX_CLASSES = {
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7f", "Alpha": "a-zA-Z", "Digit": "0-9",
    "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~",
    "Blank": " \\t", "Cntrl": "\\x00-\\x1f\\x7f", "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0b\\f\\r",
    "L": "^\\W\\d_", "IsAlphabetic": "^\\W\\d_", "IsLetter": "^\\W\\d_", "N": "\\d", "Nd": "\\d",
    "IsDigit": "\\d", "Lu": "A-Z", "Ll": "a-z",
}
_PROPERTY = LazyPattern(r"\\([pP])\{(\w+)\}")


REGEX_SECONDS = 5.0  # a regular expression that backtracks longer than this is stopped


@lru_cache(maxsize=256)
def java_regex(function: str, pattern: str) -> Any:
    """Compile a Java regular expression with the ``regex`` package (it can time out; ``re`` cannot).

    Handles what differs in practice: named groups ``(?<name>``, POSIX and Unicode
    property classes ``\\p{Alpha}`` (a common subset), and ``\\Q...\\E`` quoting.
    """
    import re

    translated = re.sub(r"\\Q(.*?)(?:\\E|$)", lambda m: re.escape(m.group(1)), pattern, flags=re.S)
    translated = re.sub(r"\(\?<(?![=!])", "(?P<", translated)

    def property_class(match: re.Match[str]) -> str:
        body = _POSIX_CLASSES.get(match.group(2))
        if body is None:
            raise DelugeRuntimeError(f"{function}() does not support the regex class \\p{{{match.group(2)}}}")
        negated = match.group(1) == "P"
        if body.startswith("^"):  # already a negated class body
            return f"[{body[1:]}]" if negated else f"[{body}]"
        return f"[^{body}]" if negated else f"[{body}]"

    translated = _PROPERTY.sub(property_class, translated)
    import regex  # loaded on the first regular expression, not with the built-ins

    try:
        return regex.compile(translated)
    except (regex.error, OverflowError, RecursionError) as error:
        raise DelugeRuntimeError(f"{function}() got an invalid regular expression {pattern!r}: {error}") from None


def _java_replacement(function: str, replacement: str) -> Callable[[Any], str]:
    """Turn a Java replacement string (``$1``, ``${name}``, ``\\$``) into a match -> text function."""
    parts: list[tuple[str, str]] = []  # ("text", literal) | ("number", digits) | ("name", group name)
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append(("text", "".join(literal)))
            literal.clear()

    index = 0
    while index < len(replacement):
        char = replacement[index]
        if char == "\\":
            index += 1
            if index >= len(replacement):
                raise DelugeRuntimeError(f"{function}() replacement text ends with a lone backslash")
            literal.append(replacement[index])
        elif char == "$":
            index += 1
            if index >= len(replacement):
                raise DelugeRuntimeError(f"{function}() replacement text ends with a lone '$'")
            flush()
            if replacement[index] == "{":
                close = replacement.find("}", index)
                if close < 0:
                    raise DelugeRuntimeError(f"{function}() replacement has an unclosed '${{'")
                parts.append(("name", replacement[index + 1:close]))
                index = close
            elif replacement[index] in "0123456789":
                start = index
                while index + 1 < len(replacement) and replacement[index + 1] in "0123456789":
                    index += 1
                parts.append(("number", replacement[start:index + 1]))
            else:
                raise DelugeRuntimeError(
                    f"{function}() replacement has an illegal group reference '${replacement[index]}'")
        else:
            literal.append(char)
        index += 1
    flush()
    if all(kind == "text" for kind, _ in parts):
        fixed = "".join(part for _, part in parts)
        return lambda _match: fixed

    def expand(match: Any) -> str:
        out: list[str] = []
        groups = match.re.groups
        for kind, part in parts:
            if kind == "number":
                # Java takes the first digit, then more digits while they still name a group.
                number, used = int(part[0]), 1
                while used < len(part) and number * 10 + int(part[used]) <= groups:
                    number, used = number * 10 + int(part[used]), used + 1
                if number > groups:
                    raise DelugeRuntimeError(f"{function}() replacement refers to group {number}, "
                                             f"but the pattern has {groups} group(s)")
                out.append(match.group(number) or "")
                out.append(part[used:])
            elif kind == "name":
                if part not in match.re.groupindex:
                    raise DelugeRuntimeError(f"{function}() replacement refers to unknown group '{part}'")
                out.append(match.group(part) or "")
            else:
                out.append(part)
        return "".join(out)

    return expand


def _replace(rt: Any, function: str, text: str, search: Any, replacement: Any, literal: Any, count: int,
             ignore_case: bool = False) -> str:
    needle = text_arg(function, 1, search)
    new = text_arg(function, 2, replacement)
    if ignore_case:
        # one engine for both: a case-insensitive Java pattern, the plain-text form quoted into one
        if literal is not None and bool_arg(function, 3, literal):
            needle = REGEX_SYNTAX.sub(lambda match: "\\" + match.group(), needle)
            new = new.replace("\\", "\\\\").replace("$", "\\$")
        needle, literal = "(?i)" + needle, None
    if literal is not None and bool_arg(function, 3, literal):
        # The size is known before the text is built: an empty search text matches between
        # every two characters, so "x".replaceAll("", s, true) grows by len(s) per character.
        found = len(text) + 1 if needle == "" else text.count(needle)
        size = len(text) + min(found, count or found) * (len(new) - len(needle))
        if size > MAX_TEXT:
            raise text_too_long(size)
        return text.replace(needle, new, count) if count else text.replace(needle, new)
    if plain_replacement(needle, new):  # exactly the regex result, without the regex
        size = len(text) + min(text.count(needle), count or len(text)) * (len(new) - len(needle))
        if size > MAX_TEXT:
            raise text_too_long(size)
        return text.replace(needle, new, count) if count else text.replace(needle, new)
    pattern = java_regex(function, needle)
    expand = _java_replacement(function, new)
    size = len(text)
    replaced = 0

    def bounded_expand(match: Any) -> str:
        nonlocal size, replaced
        piece = expand(match)
        size += len(piece) - (match.end() - match.start())
        if size > MAX_TEXT:
            raise text_too_long(size)
        replaced += 1
        if not replaced & 0xFFF:
            rt.check_deadline()
        return piece

    try:
        return pattern.sub(bounded_expand, text, count=count, timeout=_regex_seconds(rt))
    except TimeoutError:
        raise _regex_timeout(rt, function, needle) from None
    except (IndexError, _regex_error()) as error:
        raise DelugeRuntimeError(f"{function}() could not replace: {error}") from None


def _regex_error() -> type[Exception]:
    import regex

    return regex.error


def _regex_seconds(rt: Any) -> float:
    """How long one regular expression may run: `REGEX_SECONDS`, or less when the run's deadline is nearer.

    The ``regex`` package reads its clock only now and then: a busy machine sees it stop up to
    twice the asked time. Half of what is left of the run keeps a match inside the run's limit
    plus a second (issue 13), however the loop around it catches the errors.
    """
    return max(0.01, min(REGEX_SECONDS, (rt.deadline - time.monotonic()) / 2 + 0.05))


def _regex_timeout(rt: Any, function: str, pattern: str) -> DelugeRuntimeError:
    rt.check_deadline()  # past the run's own time limit: that limit is the error
    return DelugeRuntimeError(f"{function}() stopped: the regular expression {pattern!r} ran longer than "
                              f"{REGEX_SECONDS:g} seconds (it backtracks too much on this text)")


@builtin("replaceAll", on=TEXT, args=(2, 3), runtime=True, doc=f"{_FN}/replaceall.html")
def replace_all(rt: Any, text: str, search: Any, replacement: Any, literal: Any = None) -> str:
    """Replaces every match of a Java regular expression; with a third argument true, the search
    and replacement are plain text (``"a.b".replaceAll(".", "-", true)`` is ``a-b``)."""
    return _replace(rt, "replaceAll", text, search, replacement, literal, 0)


@builtin("replaceFirst", on=TEXT, args=(2, 3), runtime=True, doc=f"{_FN}/replacefirst.html")
def replace_first(rt: Any, text: str, search: Any, replacement: Any, literal: Any = None) -> str:
    """Like ``replaceAll`` but only the first match."""
    return _replace(rt, "replaceFirst", text, search, replacement, literal, 1)


@builtin("replaceAllIgnoreCase", on=TEXT, args=(2, 3), runtime=True, doc=f"{_FN}/replaceallignorecase.html")
def replace_all_ignore_case(rt: Any, text: str, search: Any, replacement: Any, literal: Any = None) -> str:
    """``replaceAll`` with a case-insensitive search."""
    return _replace(rt, "replaceAllIgnoreCase", text, search, replacement, literal, 0, ignore_case=True)


@builtin("replaceFirstIgnoreCase", on=TEXT, args=(2, 3), runtime=True, doc=f"{_FN}/replacefirstignorecase.html")
def replace_first_ignore_case(rt: Any, text: str, search: Any, replacement: Any, literal: Any = None) -> str:
    """``replaceFirst`` with a case-insensitive search."""
    return _replace(rt, "replaceFirstIgnoreCase", text, search, replacement, literal, 1, ignore_case=True)


@builtin("matches", on=TEXT, args=(1, 1), runtime=True, doc=f"{_FN}/matches.html")
def matches(rt: Any, text: str, expression: Any) -> bool:
    """True when the whole text matches the Java regular expression."""
    pattern = text_arg("matches", 1, expression)
    try:
        return java_regex("matches", pattern).fullmatch(text, timeout=_regex_seconds(rt)) is not None
    except TimeoutError:
        raise _regex_timeout(rt, "matches", pattern) from None


# ---------------------------------------------------------------- splitting

def _split(text: str, separator: str) -> list[str]:
    if text == "":
        return []
    if separator == "":
        return list(text)
    return text.split(separator)


@builtin("toList", on=TEXT | LIST, args=(0, 1), doc=f"{_FN}/tolist.html")
def to_list(text: Any, separator: Any = None) -> list[Any]:
    """Splits the text at each (literal) separator, default a comma; empty parts are kept.

    *Decision:* empty text gives an empty list; an empty separator splits into characters;
    a List gives itself (``m.keys().toList()`` in real scripts).
    """
    if type(text) is list:
        return text
    sep = "," if separator is None else text_arg("toList", 1, separator)
    return _split(text, sep)


@builtin("toListString", on=TEXT, args=(0, 1), doc=f"{_FN}/tolist.html")
def to_list_string(text: str, separator: Any = None) -> list[str]:
    """Like ``toList``: the parts are always Text."""
    sep = "," if separator is None else text_arg("toListString", 1, separator)
    return _split(text, sep)


# ---------------------------------------------------------------- numbers from text

_NUMBER_TEXT = LazyPattern(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _parse_number(function: str, text: str) -> int | float:
    stripped = text.strip()
    if _NUMBER_TEXT.fullmatch(stripped) is None:
        raise DelugeRuntimeError(f"{function}() cannot convert {text!r} to a number")
    if "." in stripped or "e" in stripped or "E" in stripped:
        return float(stripped)
    try:
        return int(stripped)
    except ValueError:  # more digits than Python converts: far beyond a 64-bit Number anyway
        return float(stripped)


def _whole(function: str, number: int | float, shown: Any) -> int:
    if type(number) is float:
        if number != number or number in (float("inf"), float("-inf")):
            raise DelugeRuntimeError(f"{function}() cannot convert {shown!r} to a number")
        number = int(number)  # truncates toward zero, like Java's (long) cast
    if not _INT64_MIN <= number <= _INT64_MAX:
        raise DelugeRuntimeError(f"{function}() result {number} does not fit in a 64-bit Number")
    return number


@builtin("toNumber", "toLong", "toInt", "toBigInt", on=TEXT | NUMERIC, doc=f"{_FN}/tonumber.html")
def to_number(value: Any) -> int:
    """Text or Decimal to a whole Number; decimals are truncated (``123.25.toNumber()`` is 123).

    Non-numeric or empty text is an error.
    """
    kind = type(value)
    if kind is str:
        # Fast path: plain decimal digits short enough to fit in 64 bits (int() accepts
        # exactly the Unicode decimal digits that isdecimal() does, as the regex's \d does).
        if value.isdecimal() and len(value) < 19:
            return int(value)
        return _whole("toNumber", _parse_number("toNumber", value), value)
    return _whole("toNumber", value, value)


@builtin("toDecimal", on=TEXT | NUMERIC, doc=f"{_NUM}/todecimal.html")
def to_decimal(value: Any) -> float:
    """Text, Number or Decimal to a Decimal (``toDecimal(99.9)`` is 99.9, ``"5".toDecimal()`` 5.0)."""
    if type(value) is str:
        number = _parse_number("toDecimal", value)
        try:
            return float(number)
        except OverflowError:  # a whole number past a Decimal's range: Infinity, as "1e400" gives
            return float("inf") if number > 0 else float("-inf")
    try:
        return float(value)
    except OverflowError:
        raise DelugeRuntimeError(f"toDecimal() cannot convert {value} to a Decimal") from None


@builtin("isAscii", on=TEXT, doc=f"{_FN}/isascii.html")
def is_ascii(text: str) -> bool:
    return text.isascii()


# ---------------------------------------------------------------- HTML entities

@builtin("htmlEncode", on=TEXT, doc="https://www.zoho.com/deluge/help/functions/string.html")
def html_encode(text: str) -> str:
    """The text with ``& < > " '`` written as HTML entities, so it shows literally in HTML.

    *Decision:* the five XML-special characters only (``'`` becomes ``&#39;``); other
    characters, non-ASCII included, are left as they are.
    """
    import html  # on first use: its entity table costs every run's start-up

    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


@builtin("htmlDecode", on=TEXT, doc="https://www.zoho.com/deluge/help/functions/string.html")
def html_decode(text: str) -> str:
    """Named (``&amp;``, ``&nbsp;``) and numeric (``&#39;``, ``&#x27;``) HTML entities back to characters."""
    import html

    return html.unescape(text)
