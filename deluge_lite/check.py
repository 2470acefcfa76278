"""The static pass: what Zoho reports when a script is saved, before anything runs.

Checks, each with the script position and, where it helps, a did-you-mean:
- a variable read before any assignment to it earlier in the same function (textual
  order, like Zoho's editor: an assignment inside an earlier ``if`` counts);
- a call of an unknown built-in function, method, task or system variable;
- a call of a function the file does not define, or with the wrong number of arguments;
- ``break`` / ``continue`` outside a loop; a function defined twice.

`check()` returns every problem found (it does not stop at the first). Which built-ins
exist is passed in (`Known`), so this module does not depend on the library.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import ast
from .errors import DelugeCheckError
from .source import Source

# The keys each bracketed task accepts (Zoho's invokeurl and send mail pages).
INVOKEURL_KEYS = ("url", "type", "parameters", "body", "headers", "content-type", "connection", "files",
                  "detailed", "response-format", "response-decoding")
SENDMAIL_KEYS = ("from", "to", "cc", "bcc", "reply-to", "subject", "message", "content-type", "attachments")

# Names Zoho injects into functions it runs (CRM, Creator).
PLATFORM_VARIABLES = frozenset({"input", "organization", "crmapirequest", "user", "thisapp"})
# Bare words for the current date and time, unless the script assigns them.
DATE_WORDS = frozenset({"today", "now"})


@dataclass(frozen=True)
class Known:
    """What exists besides the script: built-in functions, methods, tasks, system variables."""

    functions: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    system_variables: frozenset[str] = frozenset()
    spellings: tuple[str, ...] = ()


@dataclass
class _Scope:
    defined: set[str] = field(default_factory=set)
    loop_depth: int = 0


def _suggest(name: str, candidates: Iterable[str]) -> str:
    pool = {candidate.lower(): candidate for candidate in candidates}
    match = difflib.get_close_matches(name.lower(), list(pool), n=1, cutoff=0.75)
    return f"; did you mean '{pool[match[0]]}'?" if match else ""


class _Checker:
    def __init__(self, program: ast.Program, source: Source, known: Known, predefined: Iterable[str],
                 bodies: Iterable[ast.FunctionDef] | None) -> None:
        self.program = program
        self.bodies = list(program.functions if bodies is None else bodies)
        self.source = source
        self.known = known
        self.predefined = {name.lower() for name in predefined} | PLATFORM_VARIABLES
        self.errors: list[DelugeCheckError] = []
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        for fn in program.functions:
            self.functions.setdefault(fn.name.lower(), []).append(fn)

    def error(self, message: str, node: ast.Node) -> None:
        self.errors.append(DelugeCheckError(message, node.span, self.source))

    def run(self) -> list[DelugeCheckError]:
        seen: dict[str, ast.FunctionDef] = {}
        for fn in self.bodies:
            key = fn.full_name.lower()
            if key in seen:
                self.error(f"function {fn.full_name} is defined twice (first at line {seen[key].span.line})", fn)
            seen[key] = fn
            scope = _Scope({param.name.name.lower() for param in fn.params} | PLATFORM_VARIABLES | DATE_WORDS)
            self.statements(fn.body, scope)
        self.statements(self.program.statements, _Scope(set(self.predefined) | DATE_WORDS))
        self.errors.sort(key=lambda e: (e.span.line, e.span.col) if e.span else (0, 0))
        return self.errors

    # ---- statements
    def statements(self, nodes: Iterable[ast.Node], scope: _Scope) -> None:
        for node in nodes:
            self.statement(node, scope)

    def statement(self, node: ast.Node, scope: _Scope) -> None:
        if isinstance(node, ast.Assign):
            self.expr(node.value, scope)
            scope.defined.add(node.target.name.lower())
        elif isinstance(node, ast.FieldAssign):
            self.expr(node.receiver, scope)
            self.expr(node.value, scope)
        elif isinstance(node, ast.ExprStatement | ast.Info | ast.Throw):
            self.expr(node.expr if not isinstance(node, ast.Throw) else node.value, scope)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.expr(node.value, scope)
        elif isinstance(node, ast.Break | ast.Continue):
            if scope.loop_depth == 0:
                word = "break" if isinstance(node, ast.Break) else "continue"
                self.error(f"'{word}' is only allowed inside a for each loop", node)
        elif isinstance(node, ast.If):
            for condition, body in node.branches:
                self.expr(condition, scope)
                self.statements(body, scope)
            self.statements(node.orelse or (), scope)
        elif isinstance(node, ast.ForEach):
            self.expr(node.iterable, scope)
            scope.defined.add(node.var.name.lower())
            scope.loop_depth += 1
            self.statements(node.body, scope)
            scope.loop_depth -= 1
        elif isinstance(node, ast.Try):
            self.statements(node.body, scope)
            scope.defined.add(node.error_var.name.lower())
            self.statements(node.handler, scope)
        elif isinstance(node, ast.SendMail):
            self.task_keys("sendmail", node.params, SENDMAIL_KEYS)
            for param in node.params:
                self.expr(param.value, scope)

    # ---- expressions (explicit stack: deep expressions do not recurse)
    def expr(self, root: ast.Node, scope: _Scope) -> None:
        stack: list[ast.Node] = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                if node.name.lower() not in scope.defined:
                    self.error(f"Variable '{node.name}' is not defined", node)
                continue
            if isinstance(node, ast.Call):
                self.check_call(node)
            elif isinstance(node, ast.MethodCall):
                if node.name.lower() not in self.known.methods:
                    hint = _suggest(node.name, self.known.spellings)
                    self.errors.append(DelugeCheckError(f"unknown function '{node.name}'{hint}", node.name_span,
                                                        self.source))
            elif isinstance(node, ast.FunctionCall):
                self.check_function_call(node)
            elif isinstance(node, ast.TaskCall):
                if node.path.lower() not in self.known.tasks and node.path.lower() not in self.known.functions:
                    hint = _suggest(node.path, list(self.known.tasks) + [f for f in self.known.functions if "." in f])
                    self.error(f"unknown task '{node.path}'{hint}", node)
            elif isinstance(node, ast.SystemVariable):
                if node.path.lower() not in self.known.system_variables:
                    self.error(f"unknown system variable '{node.path}'{_suggest(node.path, self.known.system_variables)}",
                               node)
            elif isinstance(node, ast.InvokeUrl):
                self.task_keys("invokeurl", node.params, INVOKEURL_KEYS)
                stack.extend(param.value for param in node.params
                             if not (param.key == "type" and isinstance(param.value, ast.Name)))
                continue
            elif isinstance(node, ast.MapLiteral):
                for key, value in node.entries:
                    if not isinstance(key, ast.Name):
                        stack.append(key)
                    stack.append(value)
                continue
            stack.extend(_children(node))

    def task_keys(self, task: str, params: tuple[ast.TaskParam, ...], known: tuple[str, ...]) -> None:
        for param in params:
            if param.key not in known:
                hint = _suggest(param.key, known) or f"; it takes {', '.join(known)}"
                self.errors.append(DelugeCheckError(f"{task} has no key '{param.key}'{hint}", param.key_span,
                                                    self.source))

    def check_call(self, node: ast.Call) -> None:
        key = node.name.lower()
        if key in self.known.functions or key in self.known.methods:
            return
        if key in self.functions:
            return  # a bare call of the file's own function
        hint = _suggest(node.name, self.known.spellings)
        self.error(f"unknown function '{node.name}'{hint}", node)

    def check_function_call(self, node: ast.FunctionCall) -> None:
        candidates = self.functions.get(node.name.lower(), [])
        exact = [fn for fn in candidates if fn.full_name.lower() == f"{node.category}.{node.name}".lower()]
        fn = (exact or candidates or [None])[0]
        if fn is None:
            names = [f.full_name for fns in self.functions.values() for f in fns]
            shown = f"{node.category}.{node.name}" if node.category else node.name
            self.error(f"function {shown} is not defined in this file" + _suggest(shown, names), node)
            return
        if len(node.args) != len(fn.params):
            self.error(f"No. of arguments mismatches for the function {fn.full_name}: it takes "
                       f"{len(fn.params)}, got {len(node.args)}", node)


def _children(node: ast.Node) -> list[ast.Node]:
    out: list[ast.Node] = []
    for name in node.__dataclass_fields__:
        if name == "span":
            continue
        value = getattr(node, name)
        if isinstance(value, ast.Node):
            out.append(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, ast.Node):
                    out.append(item)
                elif isinstance(item, tuple):
                    out.extend(part for part in item if isinstance(part, ast.Node))
    return out


def check(program: ast.Program, source: Source, known: Known, predefined: Iterable[str] = (),
          bodies: Iterable[ast.FunctionDef] | None = None) -> list[DelugeCheckError]:
    """Every static problem in the program, in source order.

    ``bodies`` limits which function bodies are checked (the REPL re-uses functions it
    checked in earlier entries); calls still resolve against all of ``program.functions``.
    """
    return _Checker(program, source, known, predefined, bodies).run()
