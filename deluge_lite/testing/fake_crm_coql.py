"""COQL for the fake CRM: ``select Last_Name, Email from Leads where Lead_Source = 'Web' limit 10``.

Owns parsing a COQL query (Zoho's "COQL" API page: select fields from a module, ``where``
with =, !=, <>, <, <=, >, >=, like '%x%', not like, in (...), not in, is null, is not
null, between ... and ..., joined by and/or with parentheses; ``order by F [asc|desc]``,
``limit N``, ``limit OFFSET, N``, ``offset N``) into a `Query` whose ``test`` checks a stored
record. Lookup fields match by id or by name, and ``Account_Name.Account_Name`` reads the
lookup's name. A query Zoho would refuse is a `CriteriaError` (answered as SYNTAX_ERROR).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..fieldclass import field, fieldclass
from .fake_crm_search import CriteriaError

MAX_LIMIT = 2000  # COQL's page limit (Zoho's COQL page: up to 2000 records per call)
_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.|'')*')|(?P<num>-?\d+(?:\.\d+)?)"
                    r"|(?P<op><>|!=|<=|>=|[=<>(),*])|(?P<name>[A-Za-z_][A-Za-z0-9_.$]*))")
Test = Callable[[dict[str, Any]], bool]


@fieldclass
class Query:
    fields: list[str]
    module: str
    test: Test = lambda record: True
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = 200
    offset: int = 0


def parse(text: str) -> Query:
    tokens = _tokens(text)
    parser = _Parser(tokens)
    parser.keyword("select")
    fields = [parser.name()]
    while parser.take(","):
        fields.append(parser.name())
    parser.keyword("from")
    query = Query(fields, parser.name())
    if parser.is_keyword("where"):
        parser.pos += 1
        try:
            query.test = parser.disjunction()
        except RecursionError:
            raise CriteriaError("the where clause nests parentheses too deeply") from None
    if parser.is_keyword("order"):
        parser.pos += 1
        parser.keyword("by")
        while True:
            name = parser.name()
            descending = False
            if parser.is_keyword("asc") or parser.is_keyword("desc"):
                descending = parser.tokens[parser.pos][1].lower() == "desc"
                parser.pos += 1
            query.order.append((name, descending))
            if not parser.take(","):
                break
    if parser.is_keyword("limit"):
        parser.pos += 1
        first = parser.number()
        if parser.take(","):
            query.offset, query.limit = first, parser.number()
        else:
            query.limit = first
    if parser.is_keyword("offset"):
        parser.pos += 1
        query.offset = parser.number()
    if parser.pos != len(tokens):
        raise CriteriaError(f"unexpected '{tokens[parser.pos][1]}' in the query")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise CriteriaError(f"limit must be from 1 to {MAX_LIMIT}")
    return query


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos, text = 0, text.strip().rstrip(";")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise CriteriaError(f"cannot read the query at '{text[pos:pos + 20]}'")
        pos = match.end()
        kind = match.lastgroup or ""
        value: Any = match.group(kind)
        if kind == "str":
            value = value[1:-1].replace("''", "'").replace("\\'", "'")
        elif kind == "num":
            value = float(value) if "." in value else int(value)
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "end of the query")

    def is_keyword(self, word: str) -> bool:
        kind, value = self.peek()
        return kind == "name" and str(value).lower() == word

    def keyword(self, word: str) -> None:
        if not self.is_keyword(word):
            raise CriteriaError(f"expected '{word}', found '{self.peek()[1]}'")
        self.pos += 1

    def take(self, op: str) -> bool:
        if self.peek() == ("op", op):
            self.pos += 1
            return True
        return False

    def name(self) -> str:
        kind, value = self.peek()
        if kind == "op" and value == "*":
            self.pos += 1
            return "*"
        if kind != "name":
            raise CriteriaError(f"expected a field or module name, found '{value}'")
        self.pos += 1
        return str(value)

    def number(self) -> int:
        kind, value = self.peek()
        if kind != "num" or not isinstance(value, int) or value < 0:
            raise CriteriaError(f"expected a whole number, found '{value}'")
        self.pos += 1
        return value

    def value(self) -> Any:
        kind, value = self.peek()
        if kind in ("str", "num"):
            self.pos += 1
            return value
        if kind == "name" and str(value).lower() in ("true", "false", "null"):
            self.pos += 1
            return {"true": True, "false": False, "null": None}[str(value).lower()]
        raise CriteriaError(f"expected a value, found '{value}'")

    def disjunction(self) -> Test:
        parts = [self.conjunction()]
        while self.is_keyword("or"):
            self.pos += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda r: any(p(r) for p in parts)

    def conjunction(self) -> Test:
        parts = [self.condition()]
        while self.is_keyword("and"):
            self.pos += 1
            parts.append(self.condition())
        return parts[0] if len(parts) == 1 else lambda r: all(p(r) for p in parts)

    def condition(self) -> Test:
        if self.take("("):
            inner = self.disjunction()
            if not self.take(")"):
                raise CriteriaError("a '(' in the where clause has no matching ')'")
            return inner
        name = self.name()
        negate = False
        if self.is_keyword("is"):
            self.pos += 1
            if self.is_keyword("not"):
                self.pos += 1
                negate = True
            self.keyword("null")
            return lambda r: (_read(r, name) in (None, "", [])) != negate
        if self.is_keyword("not"):
            self.pos += 1
            negate = True
        if self.is_keyword("like"):
            self.pos += 1
            pattern = _like(str(self.value()))
            return lambda r: bool(pattern.fullmatch(_text(_read(r, name)))) != negate
        if self.is_keyword("in"):
            self.pos += 1
            if not self.take("("):
                raise CriteriaError("in needs a list in parentheses")
            options = [self.value()]
            while self.take(","):
                options.append(self.value())
            if not self.take(")"):
                raise CriteriaError("the list after 'in' has no closing ')'")
            return lambda r: any(_equal(_read(r, name), o) for o in options) != negate
        if self.is_keyword("between"):
            self.pos += 1
            low = self.value()
            self.keyword("and")
            high = self.value()
            return lambda r: (_order(_read(r, name), low) >= 0 and _order(_read(r, name), high) <= 0) != negate
        if negate:
            raise CriteriaError("'not' goes before like, in or between")
        kind, op = self.peek()
        if kind != "op" or op not in _COMPARE:
            raise CriteriaError(f"expected an operator after '{name}', found '{op}'")
        self.pos += 1
        wanted = self.value()
        compare = _COMPARE[op]
        return lambda r: compare(_read(r, name), wanted)


def _read(record: dict[str, Any], name: str) -> Any:
    head, _, tail = name.partition(".")
    value = record.get(head)
    if tail and isinstance(value, dict):
        return value.get("name") if tail not in value else value.get(tail)
    return value


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _like(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern),
                      re.IGNORECASE | re.DOTALL)


def _number(value: Any) -> float | None:
    try:
        return float(value) if not isinstance(value, bool) and value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _equal(value: Any, wanted: Any) -> bool:
    if isinstance(value, dict):
        return str(wanted) in (str(value.get("id")), str(value.get("name")))
    if isinstance(value, list):
        return any(_equal(item, wanted) for item in value)
    x, y = _number(value), _number(wanted)
    if x is not None and y is not None:
        return x == y
    return _text(value).casefold() == _text(wanted).casefold()


def _order(value: Any, wanted: Any) -> int:
    x, y = _number(value), _number(wanted)
    a, b = (x, y) if x is not None and y is not None else (_text(value), _text(wanted))
    return (a > b) - (a < b)  # type: ignore[operator]


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": _equal, "!=": lambda a, b: not _equal(a, b), "<>": lambda a, b: not _equal(a, b),
    "<": lambda a, b: a not in (None, "") and _order(a, b) < 0, "<=": lambda a, b: a not in (None, "") and
    _order(a, b) <= 0, ">": lambda a, b: a not in (None, "") and _order(a, b) > 0,
    ">=": lambda a, b: a not in (None, "") and _order(a, b) >= 0,
}
