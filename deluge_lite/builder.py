"""Turns the parse tree (``parsing.tree``) into the `ast` nodes, and does all desugaring.

Desugaring done here: compound assignment (``a += 1`` -> ``a = a + 1``), ``else if``
chains, text escapes, dotted names rooted at ``zoho`` (system variables and integration
tasks), calls of the file's own functions (``standalone.f(x)``, ``thisapp.f(x)``),
task keys (``content type`` and ``content-type`` are one key), a comparison written
with one ``=`` (``==``, marked ``single_equals``), typed constructors (``List:String()``
is ``List()``), ``Collection("k": v)`` (a Map literal), ``[a, b]`` lists, several values
of one task key (a List) and sendmail attachments (``file: x`` is ``x``). The transformer is
non-recursive, so deeply nested input cannot exhaust Python's stack here.
"""

from __future__ import annotations

from . import ast
from .collection_kind import PAIR_INSERT, EmptyCollections
from .errors import DelugeSyntaxError
from .fieldclass import fieldclass, fields, replace
from .parsing.tree import Token, Transformer, Tree
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# System variables Zoho documents (the rest of a zoho.* chain is a task call).
SYSTEM_VARIABLES = frozenset({
    "zoho.currentdate", "zoho.currenttime", "zoho.adminuser", "zoho.adminuserid", "zoho.loginuser",
    "zoho.loginuserid", "zoho.loginusername", "zoho.appname", "zoho.appuri", "zoho.ipaddress",
    "zoho.currenttimezone",
})
# Categories under which Zoho files functions; `thisapp` calls a function of the same app.
FUNCTION_CATEGORIES = frozenset({"standalone", "thisapp", "automation", "button", "schedule",
                                 "workflow", "validation", "related_list", "custom"})

# Element types a typed constructor may name (List:String(), List:Int(), Map:String(), ...).
# https://www.zoho.com/developer/help/scripting/list-manipulations.html
TYPED_ELEMENTS = frozenset({"string", "text", "int", "integer", "number", "long", "bigint", "decimal", "float",
                            "date", "datetime", "time", "bool", "boolean", "map", "list", "collection",
                            "object", "file"})
# sendmail attachment kinds (Creator's send mail page): a file value, a record template, a report.
ATTACHMENT_KINDS = ("file", "template", "view")

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'"}
MAX_NUMBER = 2**63 - 1


def _span(meta: Any) -> Span:
    if getattr(meta, "empty", True):
        return Span.point(1, 1)
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_span(token: Token) -> Span:
    return Span(token.line, token.column, token.end_line or token.line,
                token.end_column or token.column + len(token))


def unescape(body: str) -> str:
    """Resolve ``\\"``, ``\\\\``, ``\\n``, ``\\t`` (Decision); any other backslash stays as written."""
    if "\\" not in body:
        return body
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and body[index + 1] in _ESCAPES:
            out.append(_ESCAPES[body[index + 1]])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _dotted_path(node: ast.Node) -> str | None:
    """``zoho.crm`` for Property(Name zoho, crm); None when the chain is not all names."""
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.SystemVariable):
        return node.path
    if isinstance(node, ast.Property):
        head = _dotted_path(node.receiver)
        return f"{head}.{node.name}" if head else None
    return None


@fieldclass(frozen=True)
class _Attachment:
    """One sendmail attachment (``file: x``) on its way into its task parameter."""

    kind: str
    kind_span: Span
    node: ast.Node


class _Builder(Transformer):
    def __init__(self, source: Source) -> None:
        self.source = source
        self.empty_collections = EmptyCollections()

    def _error(self, message: str, span: Span) -> DelugeSyntaxError:
        return DelugeSyntaxError(message, span, self.source)

    # ---- program
    def start(self, meta: Any, items: list[Any]) -> ast.Program:
        functions = tuple(item for item in items if isinstance(item, ast.FunctionDef))
        statements = tuple(item for item in items if not isinstance(item, ast.FunctionDef) and item is not None)
        self.empty_collections.decide()
        return ast.Program(_span(meta), functions, statements)

    def function_def(self, meta: Any, children: list[Any]) -> ast.FunctionDef:
        type_token, (category, name, name_span) = children[0], children[1]
        params = tuple(child for child in children[2:-1])
        return ast.FunctionDef(_span(meta), str(type_token), category, name, params, children[-1], name_span)

    def qualified_name(self, meta: Any, parts: list[Token]) -> tuple[str, str, Span]:
        if len(parts) > 2:
            raise self._error("a function name has at most one category: category.name", _span(meta))
        category = str(parts[0]) if len(parts) == 2 else ""
        return category, str(parts[-1]), _span(meta)

    def param(self, meta: Any, children: list[Token]) -> ast.Param:
        type_token, name_token = children
        return ast.Param(_span(meta), str(type_token), ast.Name(_tok_span(name_token), str(name_token)))

    def block(self, meta: Any, statements: list[Any]) -> tuple[ast.Node, ...]:
        return tuple(statement for statement in statements if statement is not None)

    # ---- statements
    def empty_stmt(self, meta: Any, children: list[Any]) -> None:
        return None

    def assign(self, meta: Any, children: list[Any]) -> ast.Assign:
        name, value = children
        self.empty_collections.assigned(str(name), value)
        return ast.Assign(_span(meta), ast.Name(_tok_span(name), str(name)), value)

    def compound_assign(self, meta: Any, children: list[Any]) -> ast.Assign:
        name, op, value = children
        target = ast.Name(_tok_span(name), str(name))
        return ast.Assign(_span(meta), target, ast.Binary(_span(meta), str(op)[0], target, value))

    def field_assign(self, meta: Any, children: list[Any]) -> ast.FieldAssign:
        receiver, name, value = children
        return ast.FieldAssign(_span(meta), receiver, str(name), value)

    def expr_stmt(self, meta: Any, children: list[Any]) -> ast.ExprStatement:
        expr = children[0]
        if not isinstance(expr, ast.MethodCall | ast.Call | ast.FunctionCall | ast.TaskCall | ast.InvokeUrl
                          | ast.CreatorOnly | ast.CreatorInsert | ast.CreatorFetch):
            raise self._error("this value is not used: assign it (x = ...), print it (info ...) or call a "
                              "function", _span(meta))
        return ast.ExprStatement(_span(meta), expr)

    def info_stmt(self, meta: Any, children: list[Any]) -> ast.Info:
        return ast.Info(_span(meta), children[1])

    def return_stmt(self, meta: Any, children: list[Any]) -> ast.Return:
        return ast.Return(_span(meta), children[1] if len(children) > 1 else None)

    def break_stmt(self, meta: Any, children: list[Any]) -> ast.Break:
        return ast.Break(_span(meta))

    def continue_stmt(self, meta: Any, children: list[Any]) -> ast.Continue:
        return ast.Continue(_span(meta))

    def throw_stmt(self, meta: Any, children: list[Any]) -> ast.Throw:
        return ast.Throw(_span(meta), children[1])

    def if_stmt(self, meta: Any, children: list[Any]) -> ast.If:
        branches = [(children[1], children[2])]
        orelse = None
        for part in children[3:]:
            if isinstance(part, tuple) and len(part) == 3 and part[0] == "elif":
                branches.append((part[1], part[2]))
            else:
                orelse = part
        return ast.If(_span(meta), tuple(branches), orelse)

    def else_if(self, meta: Any, children: list[Any]) -> tuple[str, ast.Node, tuple[ast.Node, ...]]:
        return ("elif", children[2], children[3])

    def else_part(self, meta: Any, children: list[Any]) -> tuple[ast.Node, ...]:
        return children[1]

    def for_stmt(self, meta: Any, children: list[Any]) -> ast.ForEach:
        words = [child for child in children[1:] if isinstance(child, Token) and child.type == "NAME"]
        iterable, body = children[-2], children[-1]
        if str(words[0]).lower() != "each":
            raise self._error("expected 'each' after 'for' (for each x in list)", _tok_span(words[0]))
        by_index = len(words) == 3
        if by_index and str(words[1]).lower() != "index":
            raise self._error("expected 'index' or a variable name after 'for each'", _tok_span(words[1]))
        var = words[-1]
        return ast.ForEach(_span(meta), ast.Name(_tok_span(var), str(var)), iterable, body, by_index)

    def try_stmt(self, meta: Any, children: list[Any]) -> ast.Try:
        body, name, handler = children[1], children[3], children[4]
        return ast.Try(_span(meta), body, ast.Name(_tok_span(name), str(name)), handler)

    def sendmail_stmt(self, meta: Any, children: list[Any]) -> ast.SendMail:
        return ast.SendMail(_span(meta), tuple(children[1:]))

    def task_param(self, meta: Any, children: list[Any]) -> ast.TaskParam:
        (key, key_span), values = children[0], children[1:]
        items: list[ast.Node] = []
        for value in values:
            if isinstance(value, _Attachment):
                if key != "attachments":
                    raise self._error(f"'{value.kind}: ...' is how sendmail attaches a file; '{key}' takes a "
                                      "value", value.kind_span)
                items.append(value.node)
            else:
                items.append(value)
        if len(items) == 1:
            return ast.TaskParam(_span(meta), key, items[0], key_span)
        # `to: "a@x.com", "b@x.com"`: several values make a List (sendmail sends to each).
        span = items[0].span.to(items[-1].span)
        return ast.TaskParam(_span(meta), key, ast.ListLiteral(span, tuple(items)), key_span)

    def attachment(self, meta: Any, children: list[Any]) -> _Attachment:
        kind_token, value, rest = children[0], children[1], children[2:]
        kind, kind_span = str(kind_token).lower(), _tok_span(kind_token)
        if kind not in ATTACHMENT_KINDS:
            raise self._error(f"unknown attachment '{kind_token}:'; sendmail attaches file: <value>, "
                              "template: <name> as PDF or view: <report> as PDF", kind_span)
        if kind == "file":
            if rest:
                raise self._error("a file attachment is written  file: <value>  (no 'as' or form name)",
                                  _span(meta))
            return _Attachment(kind, kind_span, value)
        if not rest:
            raise self._error(f"a {kind} attachment names its format:  {kind}: <name> as PDF", _span(meta))
        what = "a record template attached to sendmail" if kind == "template" else \
            "a report attached to sendmail"
        return _Attachment(kind, kind_span, ast.CreatorOnly(_span(meta), what))

    def task_key(self, meta: Any, words: list[Token]) -> tuple[str, Span]:
        return "-".join(str(word).lower() for word in words), _span(meta)

    # ---- Zoho Creator statements (run against the Creator record store; alert/cancel need Creator's UI)
    def creator_stmt(self, meta: Any, children: list[Any]) -> ast.ExprStatement:
        return ast.ExprStatement(_span(meta), children[0])

    def creator_delete(self, meta: Any, children: list[Any]) -> ast.ExprStatement:
        form, criteria = str(children[1]), children[2]
        return ast.ExprStatement(_span(meta), ast.CreatorDelete(_span(meta), form, self._criteria(criteria, form)))

    def creator_alert(self, meta: Any, children: list[Any]) -> ast.ExprStatement:
        return ast.ExprStatement(_span(meta), ast.CreatorOnly(_span(meta), "alert"))

    def creator_cancel(self, meta: Any, children: list[Any]) -> ast.ExprStatement:
        return ast.ExprStatement(_span(meta), ast.CreatorOnly(_span(meta), "cancel submit"))

    def creator_insert(self, meta: Any, children: list[Any]) -> ast.CreatorInsert:
        fields: dict[str, tuple[str, ast.Node]] = {}
        for name, name_span, value in children[2:]:
            if name.lower() in fields:
                raise self._error(f"the field '{name}' is given twice in this insert", name_span)
            fields[name.lower()] = (name, value)
        return ast.CreatorInsert(_span(meta), str(children[1]), tuple(fields.values()))

    def creator_fetch(self, meta: Any, children: list[Any]) -> ast.CreatorFetch:
        form, criteria, rest = str(children[0]), children[1], children[2:]
        if _criteria_step(criteria) is None:  # not a criteria at all: list[0], list[i + 1]
            shown = criteria.value if isinstance(criteria, ast.Literal) else "index"
            raise self._error(f"Deluge has no {form}[index]; read an element with {form}.get({shown})",
                              _span(meta))
        sort_field, descending, range_from, range_to = None, False, None, None
        index = 0
        while index < len(rest):
            keyword = rest[index]
            if keyword.type == "SORT_BY":
                sort_field, index = str(rest[index + 1]), index + 2
                if index < len(rest) and isinstance(rest[index], Token) and rest[index].type == "NAME":
                    order = str(rest[index]).lower()
                    if order not in ("asc", "desc"):
                        raise self._error("after 'sort by Field' comes 'desc', 'asc' or nothing",
                                          _tok_span(rest[index]))
                    descending, index = order == "desc", index + 1
            else:  # RANGE_FROM start NAME(to) end
                word = rest[index + 2]
                if str(word).lower() != "to":
                    raise self._error("a range is written 'range from <start> to <end>'", _tok_span(word))
                range_from, range_to, index = rest[index + 1], rest[index + 3], index + 4
        return ast.CreatorFetch(_span(meta), form, self._criteria(criteria, form), sort_field, descending,
                                range_from, range_to)

    def criteria(self, meta: Any, children: list[Any]) -> ast.Node:
        return children[0]

    def _criteria(self, node: ast.Node, form: str) -> ast.CreatorCriteria:
        """Creator criteria as text for the record store plus the script's values (see ast.CreatorCriteria)."""
        parts: list[str | ast.Node] = []
        pending: list[str | ast.Node] = [node]
        while pending:
            item = pending.pop()
            if isinstance(item, str | ast.CreatorCriteria):  # text, or a value already set apart
                parts.append(item)
                continue
            translated = _criteria_step(item)
            if translated is None:
                raise self._error(f"this criteria of {form} cannot be read: Creator criteria compare a field "
                                  "with a value (Field == value, Field in list, Field.contains(text)), joined "
                                  "by && and ||", item.span)
            pending.extend(reversed(translated))
        return ast.CreatorCriteria(node.span, _joined(parts))

    def in_test(self, meta: Any, children: list[Any]) -> ast.InTest:
        return ast.InTest(_span(meta), children[0], children[2])

    def creator_field(self, meta: Any, children: list[Any]) -> tuple[str, Span, ast.Node]:
        name, value = children
        return str(name), _tok_span(name), value

    # ---- expressions
    def logical(self, meta: Any, children: list[Any]) -> ast.Logical:
        left, op, right = children
        return ast.Logical(_span(meta), "and" if str(op) in ("&&",) or str(op).lower() == "and" else "or",
                           left, right)

    def binary(self, meta: Any, children: list[Any]) -> ast.Binary:
        left, op, right = children
        return ast.Binary(_span(meta), str(op), left, right)

    def loose_equal(self, meta: Any, children: list[Any]) -> ast.Binary:
        """``a = b`` where a value is expected compares (Zoho accepts it); check warns."""
        left, right = children
        return ast.Binary(_span(meta), "==", left, right, single_equals=True)

    def unary(self, meta: Any, children: list[Any]) -> ast.Node:
        op, operand = children
        if str(op) == "+":
            return operand
        if str(op) == "-" and isinstance(operand, ast.Literal) and type(operand.value) in (int, float):
            return ast.Literal(_span(meta), -operand.value)
        return ast.Unary(_span(meta), str(op), operand)

    def paren(self, meta: Any, children: list[Any]) -> ast.Node:
        return children[0]

    def name(self, meta: Any, children: list[Token]) -> ast.Name:
        return ast.Name(_span(meta), str(children[0]))

    def call(self, meta: Any, children: list[Any]) -> ast.Call:
        name = children[0]
        args = tuple(children[1]) if len(children) > 1 else ()
        return ast.Call(_span(meta), str(name), args)

    def args(self, meta: Any, children: list[Any]) -> list[Any]:
        return children

    def method_call(self, meta: Any, children: list[Any]) -> ast.Node:
        receiver, name = children[0], children[1]
        args = tuple(children[2]) if len(children) > 2 else ()
        span, name_span = _span(meta), _tok_span(name)
        path = _dotted_path(receiver)
        if path is not None and path.lower().startswith("zoho.") and path.lower() not in SYSTEM_VARIABLES:
            return ast.TaskCall(span, f"{path}.{name}", args)
        if path is not None and path.lower() == "zoho":
            return ast.TaskCall(span, f"zoho.{name}", args)
        self.empty_collections.method(receiver, str(name), args)
        return _creator_aggregate(ast.MethodCall(span, receiver, str(name), args, name_span))

    def property(self, meta: Any, children: list[Any]) -> ast.Node:
        receiver, name = children
        path = _dotted_path(receiver)
        if path is not None and path.lower().split(".")[0] == "zoho":
            return ast.SystemVariable(_span(meta), f"{path}.{name}")
        return ast.Property(_span(meta), receiver, str(name))

    def empty_map(self, meta: Any, children: list[Any]) -> ast.MapLiteral:
        return ast.MapLiteral(_span(meta), ())

    def map_literal(self, meta: Any, children: list[Any]) -> ast.MapLiteral:
        return ast.MapLiteral(_span(meta), tuple(child for child in children if isinstance(child, tuple)))

    def map_item(self, meta: Any, children: list[Any]) -> tuple[ast.Node, ast.Node]:
        return children[0], children[1]

    def list_literal(self, meta: Any, children: list[Any]) -> ast.ListLiteral:
        return ast.ListLiteral(_span(meta), tuple(children))

    def empty_list(self, meta: Any, children: list[Any]) -> ast.ListLiteral:
        return ast.ListLiteral(_span(meta), ())

    def typed_new(self, meta: Any, children: list[Any]) -> ast.Node:
        """``List:String()`` is ``List()``; ``List:String({"a", "b"})`` is that list (Decision: the
        element type is not enforced)."""
        token = children[0]
        kind, _, element = str(token).partition(":")
        kind, element = kind.strip().lower(), element.strip()
        if element.lower() not in TYPED_ELEMENTS:
            raise self._error(f"unknown element type '{element}' in {str(token).strip()}(); Zoho's typed "
                              "constructors are List:String(), List:Int(), List:Date(), List:Bool(), List:Float()",
                              _tok_span(token))
        args = tuple(children[1]) if len(children) > 1 else ()
        if kind == "list" and len(args) == 1 and isinstance(args[0], ast.ListLiteral):
            return ast.ListLiteral(_span(meta), args[0].items)
        return ast.Call(_span(meta), {"list": "List", "map": "Map", "collection": "Collection"}[kind], args)

    def pair_call(self, meta: Any, children: list[Any]) -> ast.MapLiteral:
        """``Collection("Creator": 5, "CRM": 2)``: a key-value collection, i.e. a Map."""
        name = children[0]
        if str(name).lower() not in ("collection", "map"):
            raise self._error(f"{name}() takes values, not key: value pairs (only Collection(...) does)",
                              _span(meta))
        return ast.MapLiteral(_span(meta), tuple(child for child in children[1:] if isinstance(child, tuple)))

    def pair_method_call(self, meta: Any, children: list[Any]) -> ast.MethodCall:
        """``c.insert("CRM": 5, ...)``: key-value pairs into a collection (the insert page's second form)."""
        receiver, name = children[0], children[1]
        if str(name).lower() != "insert":
            raise self._error(f"{name}() takes values, not key: value pairs (only insert(key: value) does)",
                              _span(meta))
        pairs = ast.MapLiteral(_span(meta), tuple(child for child in children[2:] if isinstance(child, tuple)))
        self.empty_collections.method(receiver, PAIR_INSERT, (pairs,))
        return ast.MethodCall(_span(meta), receiver, PAIR_INSERT, (pairs,), _tok_span(name))

    def if_expr(self, meta: Any, children: list[Any]) -> ast.IfExpr:
        return ast.IfExpr(_span(meta), children[1], children[2], children[3])

    def invokeurl(self, meta: Any, children: list[Any]) -> ast.InvokeUrl:
        return ast.InvokeUrl(_span(meta), tuple(children[1:]))

    def invokeapi(self, meta: Any, children: list[Any]) -> ast.InvokeApi:
        params = []
        for param in children[1:]:
            if param.key == "type" and isinstance(param.value, ast.Name):  # a constant: type: GET
                param = replace(param, value=ast.Literal(param.value.span, param.value.name.upper()))
            params.append(param)
        return ast.InvokeApi(_span(meta), tuple(params))

    def literal(self, meta: Any, children: list[Any]) -> ast.Node:
        return children[0]

    def text(self, meta: Any, children: list[Token]) -> ast.Literal:
        return ast.Literal(_span(meta), unescape(str(children[0])[1:-1]))

    def quoted(self, meta: Any, children: list[Token]) -> ast.QuotedLiteral:
        return ast.QuotedLiteral(_span(meta), unescape(str(children[0])[1:-1]))

    def integer(self, meta: Any, children: list[Token]) -> ast.Literal:
        digits = str(children[0])
        # compared as text first: int() refuses more than 4,300 digits
        if len(digits.lstrip("0")) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
            shown = digits if len(digits) <= 40 else f"{digits[:20]}... ({len(digits):,} digits)"
            raise self._error(f"number {shown} is larger than the largest Number ({MAX_NUMBER})", _span(meta))
        return ast.Literal(_span(meta), int(digits))

    def decimal(self, meta: Any, children: list[Token]) -> ast.Literal:
        text = str(children[0])
        value = float(text)
        if value == float("inf"):
            shown = text if len(text) <= 40 else f"{text[:20]}... ({len(text):,} characters)"
            raise self._error(f"decimal {shown} is larger than the largest Decimal (1.7976931348623157E308)",
                              _span(meta))
        return ast.Literal(_span(meta), value)

    def true(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(_span(meta), True)

    def false(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(_span(meta), False)

    def null(self, meta: Any, children: list[Any]) -> ast.Literal:
        return ast.Literal(_span(meta), None)


def build(tree: Tree, source: Source) -> ast.Program:
    """Parse tree -> Program, with calls of the file's own functions resolved."""
    program = _Builder(source).transform(tree)
    return _resolve_function_calls(program)


def _resolve_function_calls(program: ast.Program) -> ast.Program:
    """Rewrite ``category.name(args)`` and a bare ``name(args)`` of the file's own functions into FunctionCall."""
    categories = set(FUNCTION_CATEGORIES) | {fn.category.lower() for fn in program.functions if fn.category}
    names = {fn.name.lower() for fn in program.functions}
    return _rewrite(program, categories, names)


def _rewrite(node: Any, categories: set[str], names: set[str]) -> Any:
    """Bottom-up rewrite with an explicit stack (no recursion limit on deep trees)."""
    results: dict[int, Any] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if isinstance(current, tuple):
            if expanded:
                results[id(current)] = tuple(results[id(item)] for item in current)
            else:
                stack.append((current, True))
                stack.extend((item, False) for item in current)
            continue
        if not isinstance(current, ast.Node):
            results[id(current)] = current
            continue
        field_names = [field.name for field in fields(current) if field.name != "span"]
        if not expanded:
            stack.append((current, True))
            stack.extend((getattr(current, name), False) for name in field_names)
            continue
        changes = {name: results[id(getattr(current, name))] for name in field_names}
        rebuilt = current if all(changes[n] is getattr(current, n) for n in field_names) else \
            replace(current, **changes)
        if (isinstance(rebuilt, ast.MethodCall) and isinstance(rebuilt.receiver, ast.Name)
                and rebuilt.receiver.name.lower() in categories):
            rebuilt = ast.FunctionCall(rebuilt.span, rebuilt.receiver.name, rebuilt.name, rebuilt.args)
        elif isinstance(rebuilt, ast.Call) and rebuilt.name.lower() in names:  # f(x) for the file's own f
            rebuilt = ast.FunctionCall(rebuilt.span, "", rebuilt.name, rebuilt.args)
        results[id(current)] = rebuilt
    return results[id(node)]


# Creator's aggregates name a field bare (Form[c].sum(Amount)); Deluge's own sum()/count() take no argument.
# https://www.zoho.com/creator/help/script/form-objects.html
_CREATOR_AGGREGATES = frozenset({"count", "sum", "avg", "maximum", "minimum", "median", "distinct"})


def _creator_aggregate(call: ast.MethodCall) -> ast.MethodCall:
    """``c.sum(Amount)`` -> ``c.sum("Amount")``; ``c.Field.getAll()`` -> ``c.getAll("Field")``."""
    key = call.name.lower()
    if key in _CREATOR_AGGREGATES and len(call.args) == 1 and isinstance(call.args[0], ast.Name):
        field = call.args[0]
        return replace(call, args=(ast.Literal(field.span, field.name),))
    if key == "getall" and not call.args and isinstance(call.receiver, ast.Property):
        field_text = ast.Literal(call.receiver.span, call.receiver.name)
        return replace(call, receiver=call.receiver.receiver, args=(field_text,))
    return call


# Comparisons a Creator criteria may make, and the operator with its operands swapped.
_CRITERIA_SWAPPED = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_CRITERIA_METHODS = frozenset({"contains", "startswith", "endswith"})


def _criteria_step(node: ast.Node) -> list[str | ast.Node] | None:
    """One criteria node as text and sub-nodes still to translate; None when Creator cannot read it."""
    if isinstance(node, ast.Logical):
        joiner = " && " if node.op == "and" else " || "
        return ["(", node.left, ")" + joiner + "(", node.right, ")"]
    if isinstance(node, ast.Unary) and node.op == "!":
        return ["!(", node.operand, ")"]
    if isinstance(node, ast.Binary) and node.op in _CRITERIA_SWAPPED:
        if isinstance(node.left, ast.Name):
            return [f"{node.left.name} {node.op} ", ast.CreatorCriteria(node.right.span, (node.right,))]
        if isinstance(node.right, ast.Name):  # "Open" == Status
            return [f"{node.right.name} {_CRITERIA_SWAPPED[node.op]} ",
                    ast.CreatorCriteria(node.left.span, (node.left,))]
        return None
    if isinstance(node, ast.InTest) and isinstance(node.left, ast.Name):
        return [f"{node.left.name} in ", ast.CreatorCriteria(node.right.span, (node.right,))]
    if (isinstance(node, ast.MethodCall) and isinstance(node.receiver, ast.Name)
            and node.name.lower() in _CRITERIA_METHODS and len(node.args) == 1):
        return [f"{node.receiver.name}.{node.name}(", ast.CreatorCriteria(node.args[0].span, node.args), ")"]
    return None


def _joined(parts: list[str | ast.Node]) -> tuple[str | ast.Node, ...]:
    """Adjacent texts merged; a value (wrapped while translating, so it is not translated again) unwrapped."""
    out: list[str | ast.Node] = []
    for part in parts:
        if isinstance(part, ast.CreatorCriteria):
            out.append(part.parts[0])
        elif isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        else:
            out.append(part)
    return tuple(out)
