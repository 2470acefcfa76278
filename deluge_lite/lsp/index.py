"""What the editor server knows about one script: its parse, and every name in it.

`build_index(text, path)` parses the text once and records each occurrence of a variable
(assignment targets, loop and catch variables, parameters, reads) and of a script function
(definitions and ``thisapp.``/``standalone.`` calls), with the exact span of the name, its
scope (the function it sits in, or the top level) and whether it defines the name. Names
fold case, as Deluge's do. Variable types are inferred from what was last assigned: a literal
or constructor (``m = Map()`` is a Map), a built-in's declared result (``s = t.trim()`` is
Text), a task's (``zoho.crm.getRecords`` gives a List of Maps, so its loop variable is a
Map) or ``+`` with a Text; enough to complete methods by receiver type.

Pure: no pygls, no I/O. Positions are the parser's (1-based lines and columns, in
characters); ``server`` converts them to the client's units.
"""

from __future__ import annotations

import re

from .. import ast
from ..errors import DelugeSyntaxError
from ..fieldclass import field, fieldclass, fields
from ..parser import parse
from ..source import Source, Span
from . import catalog

TOP_LEVEL = ""

# Inferred types: the constructor or literal assigned -> the registry's receiver tag.
_CONSTRUCTOR_TYPES = {"map": "map", "list": "list", "collection": "map"}
_LITERAL_TYPES = {str: "text", bool: "boolean", int: "number", float: "decimal"}
TYPE_WORDS = {"text": "Text", "map": "Map", "list": "List", "number": "Number", "decimal": "Decimal",
              "boolean": "Boolean", "date": "Date", "datetime": "Date-Time", "file": "File"}


@fieldclass(frozen=True)
class Occurrence:
    """One written name: ``kind`` is 'variable' or 'function'; ``key`` is the folded name."""

    name: str
    key: str
    kind: str
    span: Span
    scope: str
    definition: bool


@fieldclass
class Index:
    """A parsed script (or its syntax error) and its names."""

    source: Source
    program: ast.Program | None
    error: DelugeSyntaxError | None
    occurrences: list[Occurrence] = field(default_factory=list)
    types: dict[tuple[str, str], str] = field(default_factory=dict)  # (scope, variable key) -> type tag

    @property
    def functions(self) -> tuple[ast.FunctionDef, ...]:
        return self.program.functions if self.program else ()

    def at(self, line: int, col: int) -> Occurrence | None:
        """The occurrence covering a position (a cursor just after a name counts)."""
        for occurrence in self.occurrences:
            span = occurrence.span
            if span.line == line and span.col <= col <= span.end_col:
                return occurrence
        return None

    def scope_at(self, line: int) -> str:
        """The function whose body holds a line (folded full name), or the top level."""
        for fn in self.functions:
            if fn.span.line <= line <= fn.span.end_line:
                return fn.full_name.lower()
        return TOP_LEVEL

    def variables(self, scope: str) -> list[str]:
        """The variables of a scope as first written, in order."""
        seen: dict[str, str] = {}
        for occurrence in self.occurrences:
            if occurrence.kind == "variable" and occurrence.scope == scope:
                seen.setdefault(occurrence.key, occurrence.name)
        return list(seen.values())

    def type_of(self, scope: str, name: str) -> str | None:
        return self.types.get((scope, name.lower()))

    def same_symbol(self, target: Occurrence) -> list[Occurrence]:
        """Every occurrence of the symbol ``target`` names: a function anywhere in the file, a
        variable within its own scope."""
        return [occurrence for occurrence in self.occurrences
                if occurrence.kind == target.kind and occurrence.key == target.key
                and (target.kind == "function" or occurrence.scope == target.scope)]


def build_index(text: str, path: str) -> Index:
    """Parse and index; a syntax error gives an index with no names and the error."""
    source = Source(text, path)
    try:
        program = parse(source)
    except DelugeSyntaxError as error:  # mid-typing: names and types read off the lines instead
        return _guessed(Index(source, None, error))
    index = Index(source, program, None)
    _Collector(index).program(program)
    index.occurrences.sort(key=lambda occurrence: (occurrence.span.line, occurrence.span.col))
    return index


class _Collector:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.lines = index.source.text.split("\n")
        self.defined: set[tuple[str, Span]] = set()  # (scope, span) of names recorded as definitions
        self.elements: dict[tuple[str, str], str] = {}  # (scope, variable) -> the type of its items

    def type_of(self, value: ast.Node, scope: str) -> str | None:
        """The type an expression gives, as far as one can tell without running it."""
        if isinstance(value, ast.Name):
            return self.index.types.get((scope, value.name.lower()))
        if isinstance(value, ast.Binary) and value.op == "+":
            sides = (self.type_of(value.left, scope), self.type_of(value.right, scope))
            return "text" if "text" in sides else (sides[0] if sides[0] == sides[1] else None)
        if isinstance(value, ast.MethodCall):
            return _returns(catalog.method(value.name, self.type_of(value.receiver, scope)))
        if isinstance(value, ast.Call) and value.name.lower() not in _CONSTRUCTOR_TYPES:
            return _returns(catalog.functions().get(value.name.lower()))
        if isinstance(value, ast.TaskCall):
            return _TASK_RESULTS.get(catalog.task_result(value.path) or "")
        return _value_type(value)

    def element_of(self, value: ast.Node, scope: str) -> str | None:
        """The type of the items of a collection expression (records of a list task are Maps)."""
        if isinstance(value, ast.Name):
            return self.elements.get((scope, value.name.lower()))
        if isinstance(value, ast.TaskCall) and catalog.task_result(value.path) == "list":
            return "map"
        if isinstance(value, ast.ListLiteral) and value.items:
            kinds = {self.type_of(item, scope) for item in value.items}
            return kinds.pop() if len(kinds) == 1 else None
        if isinstance(value, ast.MethodCall) and value.name.lower() in ("keys", "tolist"):
            return "text"
        return None

    def add(self, name: str, kind: str, span: Span, scope: str, definition: bool) -> None:
        if definition:
            self.defined.add((scope, span))
        self.index.occurrences.append(Occurrence(name, name.lower(), kind, span, scope, definition))

    def program(self, program: ast.Program) -> None:
        for fn in program.functions:
            scope = fn.full_name.lower()
            name_span = fn.name_span  # covers `thisapp.name`: keep the name only
            if name_span.line == name_span.end_line and name_span.end_col - name_span.col > len(fn.name):
                name_span = Span(name_span.line, name_span.end_col - len(fn.name), name_span.line, name_span.end_col)
            self.add(fn.name, "function", name_span, TOP_LEVEL, True)
            for param in fn.params:
                self.add(param.name.name, "variable", param.name.span, scope, True)
                self.index.types[(scope, param.name.name.lower())] = _declared_type(param.type_name)
            self.walk(fn.body, scope)
        self.walk(program.statements, TOP_LEVEL)

    def walk(self, roots: tuple[ast.Node, ...], scope: str) -> None:
        """Every node under ``roots`` in source order (explicit stack: no recursion limit)."""
        stack: list[object] = list(reversed(roots))
        while stack:
            node = stack.pop()
            if isinstance(node, (tuple, list)):
                stack.extend(reversed(node))
                continue
            if not isinstance(node, ast.Node):
                continue
            self.visit(node, scope)
            children = [getattr(node, f.name) for f in fields(node) if f.name != "span"]
            stack.extend(reversed([child for child in children if isinstance(child, (ast.Node, tuple, list))]))

    def visit(self, node: ast.Node, scope: str) -> None:
        if isinstance(node, ast.Assign):
            key = (scope, node.target.name.lower())
            tag = self.type_of(node.value, scope)
            if tag:
                self.index.types[key] = tag
            element = self.element_of(node.value, scope)
            if element:
                self.elements[key] = element
            self.add(node.target.name, "variable", node.target.span, scope, True)
        elif isinstance(node, ast.ForEach):
            element = "number" if node.by_index else self.element_of(node.iterable, scope)
            if element:
                self.index.types[(scope, node.var.name.lower())] = element
            self.add(node.var.name, "variable", node.var.span, scope, True)
        elif isinstance(node, ast.Try):
            self.add(node.error_var.name, "variable", node.error_var.span, scope, True)
        elif isinstance(node, ast.Name):
            if (scope, node.span) not in self.defined:
                self.add(node.name, "variable", node.span, scope, False)
        elif isinstance(node, ast.FunctionCall):
            span = self._bare_name_span(node.span, node.name) if not node.category else \
                self._name_span(node.span, node.name)
            if span is not None:
                self.add(node.name, "function", span, TOP_LEVEL, False)

    def _bare_name_span(self, call: Span, name: str) -> Span | None:
        """The span of ``name`` in a bare call ``name(`` starting at ``call``."""
        if call.line < 1 or call.line > len(self.lines):
            return None
        written = self.lines[call.line - 1][call.col - 1:call.col - 1 + len(name)]
        return Span(call.line, call.col, call.line, call.col + len(name)) if written.lower() == name.lower() else None

    def _name_span(self, call: Span, name: str) -> Span | None:
        """The span of ``name`` in ``category.name(`` starting at ``call``."""
        if call.line < 1 or call.line > len(self.lines):
            return None
        line = self.lines[call.line - 1]
        match = re.compile(r"\s*\.\s*(" + re.escape(name) + r")\b", re.IGNORECASE).search(line, call.col - 1)
        if match is None or "(" in line[call.col - 1:match.start()]:
            return None
        start = match.start(1) + 1
        return Span(call.line, start, call.line, start + len(name))


_ASSIGNMENT = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*(\S?)(\w*)", re.MULTILINE)
_GUESSED_TYPES = {'"': "text", "{": "map", "[": "list"}


def _guessed(index: Index) -> Index:
    """For text that does not parse: top-level assignments as variables, typed by what they
    start with (a quote, ``{``, ``Map(``, a digit...). Good enough to complete while typing."""
    text = index.source.text
    if len(text) > 200_000:
        return index
    for match in _ASSIGNMENT.finditer(text):
        name, first, word = match.groups()
        line, col = index.source.position(match.start(1))
        index.occurrences.append(Occurrence(name, name.lower(), "variable", Span(line, col, line, col + len(name)),
                                            TOP_LEVEL, True))
        tag = _GUESSED_TYPES.get(first) or _CONSTRUCTOR_TYPES.get((first + word).lower())
        if tag is None and first.isdigit():
            tag = "number"
        if tag:
            index.types[(TOP_LEVEL, name.lower())] = tag
    return index


# what a task's result kind (stdlib/tasks.toml) gives the script
_TASK_RESULTS = {"list": "list", "record": "map", "write": "map", "raw": "map"}
# a built-in's Python return annotation -> the Deluge type tag
_RETURN_TAGS = {"str": "text", "int": "number", "float": "decimal", "bool": "boolean", "dict": "map",
                "list": "list", "_dt.date": "date", "_dt.datetime": "datetime", "date": "date",
                "datetime": "datetime", "File": "file"}


def _returns(entry: catalog.Entry | None) -> str | None:
    if entry is None or not entry.returns:
        return None
    return _RETURN_TAGS.get(entry.returns.split("[")[0].strip())


def _value_type(value: ast.Node) -> str | None:
    if isinstance(value, ast.Literal):
        return _LITERAL_TYPES.get(type(value.value))
    if isinstance(value, ast.MapLiteral):
        return "map"
    if isinstance(value, ast.ListLiteral):
        return "list"
    if isinstance(value, ast.Call):
        return _CONSTRUCTOR_TYPES.get(value.name.lower())
    if isinstance(value, ast.QuotedLiteral):
        return "text"
    return None


def _declared_type(type_name: str) -> str:
    word = type_name.lower()
    return {"string": "text", "int": "number", "bigint": "number", "float": "decimal", "bool": "boolean",
            "date": "date", "datetime": "datetime", "map": "map", "list": "list", "void": "null"}.get(word, word)
