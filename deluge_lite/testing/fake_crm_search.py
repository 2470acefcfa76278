"""Search for the fake Zoho CRM: the `criteria` mini-language and the email/phone/word matches.

Owns parsing `(Field:operator:value)` groups joined by `and`/`or` (``and`` binds tighter,
parentheses group), value escapes (``\\(``, ``\\)``, ``\\,``), and matching a parsed criterion
against a stored record. It knows nothing about HTTP or SQLite; the server turns a
`CriteriaError` into Zoho's INVALID_QUERY envelope.

Facts from Zoho's "Search Records" API page: operators equals, not_equal, starts_with,
in, between, greater_than, greater_equal, less_than, less_equal; ``${EMPTY}`` means an empty
value; lookup fields are compared by id (here: by id or name).
"""

from __future__ import annotations

from collections.abc import Callable

from ..fieldclass import fieldclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EMPTY = "${EMPTY}"


class CriteriaError(ValueError):
    """A criteria string Zoho would reject (answered as INVALID_QUERY)."""


@fieldclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: str


@fieldclass(frozen=True)
class Junction:
    operator: str  # "and" | "or"
    parts: tuple[Node, ...]


Node = Condition | Junction


# ---- parsing
def parse_criteria(text: str) -> Node:
    """Parse a criteria string into a tree, or raise CriteriaError saying what is wrong."""
    parser = _Parser(text.strip())
    if not parser.text:
        raise CriteriaError("criteria is empty")
    try:
        node = parser.expression()
    except RecursionError:
        raise CriteriaError("the criteria nests parentheses too deeply") from None
    parser.skip_space()
    if parser.pos != len(parser.text):
        raise CriteriaError(f"unexpected text at position {parser.pos + 1}: {parser.text[parser.pos:]!r}")
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def expression(self) -> Node:
        terms: list[list[Node]] = [[self.group()]]  # or-separated runs of and-joined groups
        while True:
            self.skip_space()
            rest = self.text[self.pos:].lower()
            if rest.startswith("and"):
                self.pos += 3
                terms[-1].append(self.group())
            elif rest.startswith("or"):
                self.pos += 2
                terms.append([self.group()])
            else:
                break
        ands: list[Node] = [run[0] if len(run) == 1 else Junction("and", tuple(run)) for run in terms]
        return ands[0] if len(ands) == 1 else Junction("or", tuple(ands))

    def group(self) -> Node:
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] != "(":
            raise CriteriaError(f"expected '(' at position {self.pos + 1}")
        self.pos += 1
        self.skip_space()
        if self.pos < len(self.text) and self.text[self.pos] == "(":
            node = self.expression()
        else:
            node = self.condition()
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] != ")":
            raise CriteriaError(f"expected ')' at position {self.pos + 1}")
        self.pos += 1
        return node

    def condition(self) -> Condition:
        start, chars = self.pos, []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                chars.append(self.text[self.pos:self.pos + 2])  # keep escapes for the value split
                self.pos += 2
                continue
            if char == ")":
                break
            if char == "(":
                raise CriteriaError(f"unescaped '(' in a condition at position {self.pos + 1}")
            chars.append(char)
            self.pos += 1
        raw = "".join(chars)
        pieces = raw.split(":", 2)
        if len(pieces) != 3:
            raise CriteriaError(f"condition at position {start + 1} is not Field:operator:value: {raw!r}")
        field, operator, value = (piece.strip() for piece in pieces)
        if not field or not all(ch.isalnum() or ch in "_." for ch in field):
            raise CriteriaError(f"invalid field name {field!r}")
        operator = operator.lower()
        if operator not in OPERATORS:
            raise CriteriaError(f"unsupported operator {operator!r}; use one of {', '.join(OPERATORS)}")
        return Condition(field, operator, value)


def _split_values(value: str) -> list[str]:
    """Split on unescaped commas and drop the escapes."""
    out, current, i = [], [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            current.append(value[i + 1])
            i += 2
            continue
        if value[i] == ",":
            out.append("".join(current).strip())
            current = []
        else:
            current.append(value[i])
        i += 1
    out.append("".join(current).strip())
    return out


def _unescape(value: str) -> str:
    """Drop the backslash of each escape (``\\(`` -> ``(``)."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            i += 1
        out.append(value[i])
        i += 1
    return "".join(out)


# ---- matching
def _candidates(value: Any) -> list[Any]:
    """The comparable forms of a stored value: a lookup compares by id or name, a list by any item."""
    if isinstance(value, dict):
        return [v for v in (value.get("id"), value.get("name")) if v is not None]
    if isinstance(value, list):
        return [c for item in value for c in _candidates(item)]
    return [value]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).casefold()


def _equals(stored: Any, wanted: str) -> bool:
    a, b = _number(stored), _number(wanted)
    if a is not None and b is not None:
        return a == b
    return _text(stored) == wanted.casefold()


def _compare(stored: Any, wanted: str) -> int | None:
    a, b = _number(stored), _number(wanted)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    if isinstance(stored, str):  # ISO dates and datetimes order as text
        return (stored > wanted) - (stored < wanted)
    return None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _ordered(predicate: Callable[[int], bool]) -> Callable[[Any, str], bool]:
    def test(stored: Any, wanted: str) -> bool:
        result = _compare(stored, _unescape(wanted))
        return result is not None and predicate(result)
    return test


def _between(stored: Any, wanted: str) -> bool:
    bounds = _split_values(wanted)
    if len(bounds) != 2:
        raise CriteriaError("between needs two comma-separated values")
    low, high = _compare(stored, bounds[0]), _compare(stored, bounds[1])
    return low is not None and high is not None and low >= 0 and high <= 0


OPERATORS: dict[str, Callable[[Any, str], bool]] = {
    "equals": lambda stored, wanted: _equals(stored, _unescape(wanted)),
    "not_equal": lambda stored, wanted: not _equals(stored, _unescape(wanted)),
    "starts_with": lambda stored, wanted: _text(stored).startswith(_unescape(wanted).casefold()),
    "in": lambda stored, wanted: any(_equals(stored, item) for item in _split_values(wanted)),
    "between": _between,
    "greater_than": _ordered(lambda r: r > 0),
    "greater_equal": _ordered(lambda r: r >= 0),
    "less_than": _ordered(lambda r: r < 0),
    "less_equal": _ordered(lambda r: r <= 0),
}


def _field_value(record: dict[str, Any], field: str) -> Any:
    if field in record:
        return record[field]
    if "." in field:  # Account_Name.id
        head, _, tail = field.partition(".")
        inner = record.get(head)
        return inner.get(tail) if isinstance(inner, dict) else None
    lowered = field.lower()  # API names are matched case-insensitively
    for key, value in record.items():
        if key.lower() == lowered:
            return value
    return None


def matches(node: Node, record: dict[str, Any]) -> bool:
    """Does the record satisfy the parsed criteria?"""
    if isinstance(node, Junction):
        combine = all if node.operator == "and" else any
        return combine(matches(part, record) for part in node.parts)
    value = _field_value(record, node.field)
    if node.value == EMPTY:
        return _is_empty(value) if node.operator == "equals" else not _is_empty(value)
    if _is_empty(value):
        return node.operator == "not_equal"
    test = OPERATORS[node.operator]
    candidates = _candidates(value)
    if node.operator == "not_equal":
        return all(test(candidate, node.value) for candidate in candidates)
    return any(test(candidate, node.value) for candidate in candidates)


# ---- the other search parameters
def matches_email(record: dict[str, Any], email: str) -> bool:
    wanted = email.strip().casefold()
    return any("email" in key.lower() and isinstance(value, str) and value.casefold() == wanted
               for key, value in record.items())


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def matches_phone(record: dict[str, Any], phone: str) -> bool:
    wanted = _digits(phone)
    return bool(wanted) and any(
        ("phone" in key.lower() or "mobile" in key.lower()) and isinstance(value, str | int)
        and _digits(str(value)) == wanted for key, value in record.items())


def matches_word(record: dict[str, Any], word: str) -> bool:
    wanted = word.strip().casefold()
    for value in record.values():
        for candidate in _candidates(value):
            if isinstance(candidate, str) and wanted in candidate.casefold():
                return True
    return False
