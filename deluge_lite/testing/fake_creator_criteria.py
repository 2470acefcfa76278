"""Zoho Creator criteria for the fake Creator: ``(Status == "Open" && Amount > 10) || ID == 5``.

Owns parsing the criteria text Creator's Get Records API (``criteria=``) and the Creator
statements (``Form[criteria]``) take, and testing a record against it. Operators: ``==``,
``!=``, ``<``, ``<=``, ``>``, ``>=``, ``&&``/``and``, ``||``/``or``, ``!``, parentheses, and the
text tests ``.contains("x")``, ``.startsWith("x")``, ``.endsWith("x")``, and ``Field in list``;
values are quoted text, numbers, ``true``/``false`` and ``null``. Text compares without regard
to case, as Creator's criteria do (Creator help, "Criteria" page). A malformed criteria is a
`CriteriaError`. The same engine reads the criteria of Creator's own statements
(`parse_criteria_parts`: criteria text with the script's values already evaluated in between,
``["Status == ", "Open", " && ID in ", [1, 2]]``). It knows nothing about HTTP or SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ..creator_records import field_of
from .fake_crm_search import CriteriaError

_TOKEN = re.compile(r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<num>-?\d+(?:\.\d+)?)
                    |(?P<op>==|!=|<=|>=|&&|\|\||[<>!()=,.])|(?P<name>[A-Za-z_][A-Za-z0-9_]*))""", re.X)
_METHODS = {"contains": lambda a, b: b in a, "startswith": lambda a, b: a.startswith(b),
            "endswith": lambda a, b: a.endswith(b)}
Test = Callable[[dict[str, Any]], bool]


def parse_criteria(text: str) -> Test:
    """A test for records; an empty criteria matches every record."""
    return _test(_tokens(text))


def parse_criteria_parts(parts: Iterable[tuple[bool, Any]]) -> Test:
    """A test from ``(is_value, item)`` pairs: criteria text, or a value the script evaluated."""
    tokens: list[tuple[str, Any]] = []
    for is_value, item in parts:
        tokens.extend([("value", item)] if is_value else _tokens(str(item)))
    return _test(tokens)


def _test(tokens: list[tuple[str, Any]]) -> Test:
    if not tokens:
        return lambda record: True
    parser = _Parser(tokens)
    try:
        test = parser.disjunction()
    except RecursionError:
        raise CriteriaError("the criteria nests parentheses too deeply") from None
    if parser.pos != len(tokens):
        raise CriteriaError(f"unexpected '{tokens[parser.pos][1]}' in the criteria")
    return test


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise CriteriaError(f"cannot read the criteria at '{text[pos:pos + 20]}'")
        pos = match.end()
        kind = match.lastgroup or ""
        value: Any = match.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "num":
            value = float(value) if "." in value else int(value)
        elif kind == "name" and value.lower() in ("and", "or"):
            kind, value = "op", "&&" if value.lower() == "and" else "||"
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", None)

    def take(self, value: str) -> bool:
        if self.peek() == ("op", value):
            self.pos += 1
            return True
        return False

    def disjunction(self) -> Test:
        parts = [self.conjunction()]
        while self.take("||"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda r: any(p(r) for p in parts)

    def conjunction(self) -> Test:
        parts = [self.unary()]
        while self.take("&&"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else lambda r: all(p(r) for p in parts)

    def unary(self) -> Test:
        if self.take("!"):
            inner = self.unary()
            return lambda r: not inner(r)
        if self.take("("):
            inner = self.disjunction()
            if not self.take(")"):
                raise CriteriaError("a '(' in the criteria has no matching ')'")
            return inner
        return self.comparison()

    def comparison(self) -> Test:
        kind, field = self.peek()
        if kind != "name":
            raise CriteriaError(f"expected a field name in the criteria, found '{field}'")
        self.pos += 1
        if self.take("."):
            kind, method = self.peek()
            test = _METHODS.get(str(method).lower())
            if kind != "name" or test is None:
                raise CriteriaError(f"unknown criteria method '{method}'")
            self.pos += 1
            if not self.take("("):
                raise CriteriaError(f"{method} needs a value in parentheses")
            wanted = self.value()
            if not self.take(")"):
                raise CriteriaError(f"{method}( has no matching ')'")
            return lambda r: test(_text(field_of(r, field)).lower(), _text(wanted).lower())
        if self.peek()[0] == "name" and str(self.peek()[1]).lower() == "in":
            self.pos += 1
            choices = self.value()
            if not isinstance(choices, list):
                raise CriteriaError(f"'{field} in' needs a list of values")
            return lambda r: any(_equal(field_of(r, field), choice) for choice in choices)
        kind, op = self.peek()
        if kind != "op" or op not in ("==", "!=", "<", "<=", ">", ">=", "="):
            raise CriteriaError(f"expected a comparison after '{field}'")
        self.pos += 1
        wanted = self.value()
        compare = _COMPARE["==" if op == "=" else op]
        return lambda r: compare(field_of(r, field), wanted)

    def value(self) -> Any:
        kind, value = self.peek()
        if kind in ("str", "num", "value"):
            self.pos += 1
            return value
        if kind == "name" and str(value).lower() in ("true", "false", "null"):
            self.pos += 1
            return {"true": True, "false": False, "null": None}[str(value).lower()]
        raise CriteriaError(f"expected a value in the criteria, found '{value}'")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("display_value") or value.get("ID") or value.get("id") or "")
    return str(value).lower() if isinstance(value, bool) else str(value)


def _number(value: Any) -> float | None:
    try:
        return float(value) if not isinstance(value, bool) and value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _equal(a: Any, b: Any) -> bool:
    if b is None:
        return a in (None, "", [])
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return x == y
    if isinstance(a, list):
        return any(_equal(item, b) for item in a)
    return _text(a).casefold() == _text(b).casefold()


def _order(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        x, y = _number(a), _number(b)
        if x is not None and y is not None:
            return op(x, y)
        return a not in (None, "") and op(_text(a).casefold(), _text(b).casefold())
    return compare


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": _equal, "!=": lambda a, b: not _equal(a, b),
    "<": _order(lambda a, b: a < b), "<=": _order(lambda a, b: a <= b),
    ">": _order(lambda a, b: a > b), ">=": _order(lambda a, b: a >= b),
}
