"""What the compiler may know about the type of a variable before the script runs.

A small, sound, flow-insensitive analysis of one function body (or the top-level
statements): a variable's *kind* is the one Python type every value it can ever hold has
(``int`` for a Deluge Number, ``str`` for Text, ``list``, ``dict``, ``bool``, ``float``), or
None when that is not known. It is the least fixed point of the variable's definitions
(assignments, ``for each`` variables, ``catch`` variables) over the expressions' kinds, so
every value a run can assign is covered; a read before any assignment fails with the same
"not defined" error whatever the kind. Parameters and the caller's inputs are unknown.

Lists get one fact more when they are *private*: a variable whose every definition makes a
fresh List (a literal, ``List()``, ``text.toList(...)``) and whose every use neither shares
the list (an assignment, an argument, a literal, a return all do) nor changes it other than
by ``add``: then the kind of its elements (and so of its ``get``) is known from what goes in, and
a ``for each`` over it whose body never adds to it need not copy it first.

Anything this module does not recognise (a statement or expression type it has no rule
for) makes the answer "unknown", never a guess. The compiler (``compiler.py``,
``compiler_operators.py``) drops a type test only where the kind is known. The REPL's
top-level variables (module globals that outlive an entry) and debugger runs (a paused
frame's variables can be set) are compiled without it.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import ast
from .check import node_children

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Kind = type | None  # None: not known
_BOTTOM: Any = object()  # no value yet (inside the fixed point only)

# Result kinds of built-in methods by (receiver kind, lower-case name), for the receivers the
# analysis can know. tests/test_compiler_types.py checks each entry against the registry.
METHOD_RESULTS: dict[tuple[type, str], type] = {
    (str, "length"): int, (str, "len"): int, (str, "tolist"): list, (str, "tolowercase"): str,
    (str, "touppercase"): str, (str, "lower"): str, (str, "upper"): str, (str, "trim"): str,
    (str, "tostring"): str, (str, "totext"): str, (str, "tolong"): int, (str, "tonumber"): int,
    (str, "toint"): int, (str, "contains"): bool, (str, "replaceall"): str, (str, "startswith"): bool,
    (str, "endswith"): bool, (str, "isempty"): bool,
    (int, "tolong"): int, (int, "tonumber"): int,  # not toString: a Number's (pattern, zone) form can give null
    (list, "size"): int, (list, "tostring"): str, (list, "contains"): bool, (list, "isempty"): bool,
    (dict, "size"): int, (dict, "tostring"): str, (dict, "keys"): list, (dict, "isempty"): bool,
    (dict, "containkey"): bool, (dict, "containskey"): bool,
}
# Built-in functions (bare calls) whose result kind is fixed.
FUNCTION_RESULTS: dict[str, type] = {"list": list, "map": dict}
# List methods that neither change the list nor give it (or a view of it) back.
_LIST_READS = frozenset({"size", "get", "contains", "notcontains", "isempty", "indexof", "lastindexof",
                         "tostring"})
_STATEMENTS = (ast.Assign, ast.FieldAssign, ast.ExprStatement, ast.Info, ast.Return, ast.Break, ast.Continue,
               ast.Throw, ast.If, ast.ForEach, ast.Try, ast.SendMail)
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


def _join(a: Any, b: Any) -> Any:
    if a is _BOTTOM:
        return b
    if b is _BOTTOM or a is b:
        return a
    return None


class Types:
    """The kinds of one body's variables (lower-case Deluge names)."""

    def __init__(self, statements: Iterable[ast.Node], unknown: Iterable[str] = ()) -> None:
        self._defs: dict[str, list[tuple[str, Any]]] = {}
        self._uses: dict[str, list[str]] = {}  # name -> how each read uses it: read, iterate, add, escape
        self._added: dict[str, list[ast.Node]] = {}  # private-list candidate -> the values its add() calls take
        self._add_sites: list[tuple[str, ast.MethodCall]] = []
        self.valid = True
        for name in unknown:
            self._define(name.lower(), "unknown", None)
        self.kinds: dict[str, Any] = {}
        self.elements: dict[str, Any] = {}
        self.private: set[str] = set()
        try:
            self._statements(tuple(statements))
            if self.valid:
                self._solve()
        except RecursionError:  # expressions nested too deeply to walk: know nothing (the compiler reports them)
            self.valid = False

    # ---- collection
    def _define(self, name: str, how: str, node: Any) -> None:
        self._defs.setdefault(name, []).append((how, node))

    def _statements(self, statements: Iterable[ast.Node]) -> None:
        for node in statements:
            if not isinstance(node, _STATEMENTS):
                self.valid = False  # a statement this analysis has no rule for: know nothing
                return
            if isinstance(node, ast.Assign):
                self._define(node.target.name.lower(), "expr", node.value)
                self._expression(node.value, "escape")
            elif isinstance(node, ast.ForEach):
                self._define(node.var.name.lower(), "index" if node.by_index else "element", node.iterable)
                self._expression(node.iterable, "iterate")
                self._statements(node.body)
            elif isinstance(node, ast.Try):
                self._define(node.error_var.name.lower(), "caught", None)
                self._statements(node.body)
                self._statements(node.handler)
            elif isinstance(node, ast.If):
                for condition, body in node.branches:
                    self._expression(condition, "read")
                    self._statements(body)
                self._statements(node.orelse or ())
            elif isinstance(node, ast.Info):
                self._expression(node.expr, "read")
            elif isinstance(node, ast.ExprStatement):
                self._expression(node.expr, "read")
            else:
                for child in node_children(node):
                    self._expression(child, "escape")

    def _expression(self, node: ast.Node, use: str) -> None:
        """Record how every variable in an expression is used (``use``: how this node's value is used)."""
        if isinstance(node, ast.Name):
            self._uses.setdefault(node.name.lower(), []).append(use)
        elif isinstance(node, ast.MethodCall):
            method = node.name.lower()
            if isinstance(node.receiver, ast.Name):
                receiver = node.receiver.name.lower()
                if method in _LIST_READS:
                    self._uses.setdefault(receiver, []).append("read")
                elif method == "add" and len(node.args) == 1:
                    self._uses.setdefault(receiver, []).append("add")
                    self._added.setdefault(receiver, []).append(node.args[0])
                    self._add_sites.append((receiver, node))
                else:
                    self._uses.setdefault(receiver, []).append("escape")
            else:
                self._expression(node.receiver, "escape")
            for arg in node.args:
                self._expression(arg, "escape")
        elif isinstance(node, ast.Binary | ast.Logical):
            self._expression(node.left, "read")
            self._expression(node.right, "read")
        elif isinstance(node, ast.Unary):
            self._expression(node.operand, "read")
        else:
            for child in node_children(node):
                self._expression(child, "escape")

    # ---- the fixed point
    def _solve(self) -> None:
        names = list(self._defs)
        kinds: dict[str, Any] = dict.fromkeys(names, _BOTTOM)
        candidates = {name for name in names if self._fresh_lists_only(name)
                      and all(use != "escape" for use in self._uses.get(name, ()))}
        elements: dict[str, Any] = dict.fromkeys(candidates, _BOTTOM)
        self.kinds, self.elements, self.private = kinds, elements, candidates
        for _ in range(4 * len(names) + 4):  # each kind rises at most twice: bottom, a type, unknown
            changed = False
            for name in names:
                kind = _BOTTOM
                for how, node in self._defs[name]:
                    kind = _join(kind, self._definition_kind(how, node))
                if kind is not kinds[name]:
                    kinds[name], changed = kind, True
            for name in candidates:
                element = _BOTTOM
                for _how, node in self._defs[name]:
                    element = _join(element, self._fresh_elements(node))
                for value in self._added.get(name, ()):
                    element = _join(element, self._raw(value))
                if element is not elements[name]:
                    elements[name], changed = element, True
            if not changed:
                break
        else:  # did not settle (cannot happen): know nothing
            self.kinds, self.elements, self.private = {}, {}, set()
            return
        self.kinds = {name: (None if kind is _BOTTOM else kind) for name, kind in kinds.items()}
        self.elements = {name: (None if kind is _BOTTOM else kind) for name, kind in elements.items()}

    def _fresh_lists_only(self, name: str) -> bool:
        return all(how == "expr" and self._is_fresh_list(node) for how, node in self._defs[name])

    def _is_fresh_list(self, node: ast.Node) -> bool:
        if isinstance(node, ast.ListLiteral):
            return True
        if isinstance(node, ast.Call):
            return node.name.lower() == "list" and not node.args
        return (isinstance(node, ast.MethodCall) and node.name.lower() == "tolist" and len(node.args) <= 1
                and self._raw(node.receiver) is str)

    def _fresh_elements(self, node: ast.Node) -> Any:
        """The element kind of a fresh List expression (bottom for an empty one)."""
        if isinstance(node, ast.ListLiteral):
            kind = _BOTTOM
            for item in node.items:
                kind = _join(kind, self._raw(item))
            return kind
        if isinstance(node, ast.MethodCall):  # text.toList(...): its parts are Text
            return str
        return _BOTTOM

    def _definition_kind(self, how: str, node: Any) -> Any:
        if how == "expr":
            return self._raw(node)
        if how == "index":
            return int
        if how == "caught":
            return dict
        if how == "element":
            return self._element_raw(node)
        return None

    def _element_raw(self, iterable: ast.Node) -> Any:
        kind = self._raw(iterable)
        if kind is _BOTTOM:
            return _BOTTOM
        if kind is str:
            return str  # for each over Text walks its comma-separated parts
        if kind is not list:
            return None
        if isinstance(iterable, ast.ListLiteral) or (isinstance(iterable, ast.MethodCall) and
                                                      self._is_fresh_list(iterable)):
            return self._fresh_elements(iterable)
        if isinstance(iterable, ast.Name) and iterable.name.lower() in self.private:
            return self.elements.get(iterable.name.lower())
        return None

    def _raw(self, node: ast.Node) -> Any:
        """The kind of an expression during the fixed point (bottom: no value can reach here yet)."""
        if isinstance(node, ast.Literal):
            return type(node.value) if type(node.value) in (int, float, str, bool) else None
        if isinstance(node, ast.Name):
            return self.kinds.get(node.name.lower())
        if isinstance(node, ast.ListLiteral):
            return list
        if isinstance(node, ast.MapLiteral):
            return dict
        if isinstance(node, ast.Logical):
            return bool
        if isinstance(node, ast.Unary):
            if node.op == "!":
                return bool
            operand = self._raw(node.operand)
            return operand if operand is _BOTTOM or operand is int else None
        if isinstance(node, ast.Binary):
            if node.op in _COMPARISONS:
                return bool
            left, right = self._raw(node.left), self._raw(node.right)
            if left is _BOTTOM or right is _BOTTOM:
                return _BOTTOM
            if node.op == "+" and (left is str or right is str):
                return str  # Text + anything joins (values.add) or fails
            if node.op in ("+", "-", "*", "%") and left is int and right is int:
                return int
            return None
        if isinstance(node, ast.IfExpr):
            return _join(self._raw(node.when_true), self._raw(node.when_false))
        if isinstance(node, ast.MethodCall):
            receiver = self._raw(node.receiver)
            if receiver is _BOTTOM:
                return _BOTTOM
            if receiver is list and node.name.lower() == "get" and isinstance(node.receiver, ast.Name) \
                    and node.receiver.name.lower() in self.private:
                return self.elements.get(node.receiver.name.lower())  # an element of a private List
            return METHOD_RESULTS.get((receiver, node.name.lower())) if receiver is not None else None
        if isinstance(node, ast.Call):
            return FUNCTION_RESULTS.get(node.name.lower()) if not node.args else None
        return None

    # ---- answers
    def of(self, node: ast.Node) -> Kind:
        """The kind of an expression's value, or None when not known."""
        if not self.valid:
            return None
        try:
            kind = self._raw(node)
        except RecursionError:
            return None
        return None if kind is _BOTTOM else kind

    def iterates_in_place(self, loop: ast.ForEach) -> bool:
        """Whether ``for each`` may walk its List without a copy: a fresh List, or a private one its body never adds to."""
        if not self.valid or loop.by_index or self.of(loop.iterable) is not list:
            return False
        iterable = loop.iterable
        if isinstance(iterable, ast.ListLiteral) or self._is_fresh_list(iterable):
            return True
        if not isinstance(iterable, ast.Name) or iterable.name.lower() not in self.private:
            return False
        name = iterable.name.lower()
        inside = {id(call) for call in _method_calls(loop.body)}
        return not any(id(site) in inside for owner, site in self._add_sites if owner == name)


def _method_calls(statements: Iterable[ast.Node]) -> list[ast.MethodCall]:
    """Every method call anywhere in a block."""
    out: list[ast.MethodCall] = []
    pending: list[Any] = list(statements)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.MethodCall):
            out.append(node)
        if isinstance(node, ast.Node):
            pending.extend(node_children(node))
    return out
