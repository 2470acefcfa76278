"""The Deluge syntax tree: frozen `fieldclass` nodes (a cheap dataclass), each with a `Span`. No behaviour.

The builder (``builder.py``) makes these from Lark's parse tree and does all desugaring;
the checker and compiler read them. Names keep the spelling the script used; lookups
fold case where Deluge does.
"""

from __future__ import annotations

from .fieldclass import fieldclass
from .source import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass(frozen=True, slots=True)
class Node:
    span: Span


# ---------------------------------------------------------------- expressions

@fieldclass(frozen=True, slots=True)
class Literal(Node):
    """Text, Number, Decimal, Boolean, null or a Date/Date-Time from a quoted literal."""

    value: Any


@fieldclass(frozen=True, slots=True)
class QuotedLiteral(Node):
    """A single-quoted literal: a Date/Date-Time when the text is a date, else Text (Decision)."""

    text: str


@fieldclass(frozen=True, slots=True)
class Name(Node):
    name: str


@fieldclass(frozen=True, slots=True)
class ListLiteral(Node):
    items: tuple[Node, ...]


@fieldclass(frozen=True, slots=True)
class MapLiteral(Node):
    entries: tuple[tuple[Node, Node], ...]


@fieldclass(frozen=True, slots=True)
class Binary(Node):
    """Arithmetic and comparison: ``+ - * / % == != < <= > >=``.

    ``single_equals`` marks a comparison written with one ``=`` (``if(a = b)``, which Zoho
    accepts): op is then ``==`` and check can warn that ``==`` is meant.
    """

    op: str
    left: Node
    right: Node
    single_equals: bool = False


@fieldclass(frozen=True, slots=True)
class Logical(Node):
    """``&&`` / ``and`` and ``||`` / ``or`` (short-circuit); op is "and" or "or"."""

    op: str
    left: Node
    right: Node


@fieldclass(frozen=True, slots=True)
class Unary(Node):
    """``-x`` and ``!x``."""

    op: str
    operand: Node


@fieldclass(frozen=True, slots=True)
class IfExpr(Node):
    """The expression form ``if(condition, when_true, when_false)``."""

    condition: Node
    when_true: Node
    when_false: Node


@fieldclass(frozen=True, slots=True)
class Call(Node):
    """A bare call ``name(args)``: a built-in function (ifnull, Map, len, ...)."""

    name: str
    args: tuple[Node, ...]


@fieldclass(frozen=True, slots=True)
class MethodCall(Node):
    """``receiver.name(args)``; ``name_span`` covers the method name."""

    receiver: Node
    name: str
    args: tuple[Node, ...]
    name_span: Span


@fieldclass(frozen=True, slots=True)
class FunctionCall(Node):
    """A call of a user-defined function: ``standalone.greet(x)``, ``thisapp.greet(x)``."""

    category: str
    name: str
    args: tuple[Node, ...]


@fieldclass(frozen=True, slots=True)
class TaskCall(Node):
    """A dotted call rooted at ``zoho``: ``zoho.crm.getRecords(...)``, ``zoho.encryption.md5(x)``."""

    path: str
    args: tuple[Node, ...]


@fieldclass(frozen=True, slots=True)
class SystemVariable(Node):
    """``zoho.currentdate``, ``zoho.loginuserid``, ..."""

    path: str


@fieldclass(frozen=True, slots=True)
class Property(Node):
    """``value.name`` without a call: a Map key read (``input.id``, ``e.message``)."""

    receiver: Node
    name: str


@fieldclass(frozen=True, slots=True)
class TaskParam(Node):
    """One ``key: value`` line of a bracketed task; key is normalised (``content-type``)."""

    key: str
    value: Node
    key_span: Span


@fieldclass(frozen=True, slots=True)
class InvokeUrl(Node):
    params: tuple[TaskParam, ...]


@fieldclass(frozen=True, slots=True)
class InvokeApi(Node):
    """``invokeapi [ service: ... path: ... ]``: a Zoho API call by service and path."""

    params: tuple[TaskParam, ...]


@fieldclass(frozen=True, slots=True)
class CreatorOnly(Node):
    """A Zoho Creator statement or expression (insert into, Form[criteria], alert, ...).

    Parsed so that running it says clearly that it needs Creator; ``what`` names it.
    """

    what: str


@fieldclass(frozen=True, slots=True)
class CreatorCriteria(Node):
    """Creator criteria (``Status == s && ID in ids``) as the record store reads it.

    ``parts`` alternate criteria text (field names, operators, parentheses: ``"Status == "``)
    and value expressions of the script (``s``), evaluated when the statement runs; field
    names stay text, so the checker never takes them for variables.
    """

    parts: tuple[str | Node, ...]


@fieldclass(frozen=True, slots=True)
class CreatorFetch(Node):
    """``Form[criteria] sort by Field desc range from a to b``: a collection of the form's records."""

    form: str
    criteria: CreatorCriteria
    sort_field: str | None = None
    descending: bool = False
    range_from: Node | None = None
    range_to: Node | None = None


@fieldclass(frozen=True, slots=True)
class CreatorInsert(Node):
    """``insert into Form [ Field = value ... ]``: adds a record, gives its ID."""

    form: str
    fields: tuple[tuple[str, Node], ...]


@fieldclass(frozen=True, slots=True)
class CreatorDelete(Node):
    """``delete from Form[criteria]``: removes the matching records."""

    form: str
    criteria: CreatorCriteria


@fieldclass(frozen=True, slots=True)
class InTest(Node):
    """``Field in list`` outside Creator criteria, where Deluge has no ``in`` operator (compile error)."""

    left: Node
    right: Node


# ---------------------------------------------------------------- statements

@fieldclass(frozen=True, slots=True)
class Assign(Node):
    """``name = value``; compound forms (``a += 1``) are desugared to ``a = a + 1``."""

    target: Name
    value: Node


@fieldclass(frozen=True, slots=True)
class FieldAssign(Node):
    """``receiver.name = value``: puts a key into a Map (Creator's ``input.Field = x``)."""

    receiver: Node
    name: str
    value: Node


@fieldclass(frozen=True, slots=True)
class ExprStatement(Node):
    expr: Node


@fieldclass(frozen=True, slots=True)
class Info(Node):
    expr: Node


@fieldclass(frozen=True, slots=True)
class Return(Node):
    value: Node | None


@fieldclass(frozen=True, slots=True)
class Break(Node):
    pass


@fieldclass(frozen=True, slots=True)
class Continue(Node):
    pass


@fieldclass(frozen=True, slots=True)
class Throw(Node):
    value: Node


@fieldclass(frozen=True, slots=True)
class If(Node):
    """``if / else if / else``: a chain of (condition, body) branches and an optional else body."""

    branches: tuple[tuple[Node, tuple[Node, ...]], ...]
    orelse: tuple[Node, ...] | None


@fieldclass(frozen=True, slots=True)
class ForEach(Node):
    """``for each var in iterable`` or, with ``by_index``, ``for each index var in list``."""

    var: Name
    iterable: Node
    body: tuple[Node, ...]
    by_index: bool


@fieldclass(frozen=True, slots=True)
class Try(Node):
    body: tuple[Node, ...]
    error_var: Name
    handler: tuple[Node, ...]


@fieldclass(frozen=True, slots=True)
class SendMail(Node):
    params: tuple[TaskParam, ...]


@fieldclass(frozen=True, slots=True)
class Param(Node):
    type_name: str
    name: Name


@fieldclass(frozen=True, slots=True)
class FunctionDef(Node):
    """``<type> <category>.<name>(<type> <param>, ...) { body }``; category may be empty."""

    return_type: str
    category: str
    name: str
    params: tuple[Param, ...]
    body: tuple[Node, ...]
    name_span: Span

    @property
    def full_name(self) -> str:
        return f"{self.category}.{self.name}" if self.category else self.name


@fieldclass(frozen=True, slots=True)
class Program(Node):
    functions: tuple[FunctionDef, ...]
    statements: tuple[Node, ...]
