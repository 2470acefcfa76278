"""The static pass: what Zoho reports when a script is saved, before anything runs.

Each finding is a `diagnostics.Diagnostic` with a code and a severity. Errors are what
Zoho's save or run would refuse:
- a variable read before any assignment to it earlier in the same function (textual
  order, like Zoho's editor: an assignment inside an earlier ``if`` counts);
- a call of an unknown built-in function, method, system variable or a task of no Zoho
  service; a script function the project does not define; a wrong number of arguments
  to a built-in, a task or a script function;
- ``break`` / ``continue`` outside a loop; a function defined twice.
Warnings are what Zoho runs but is probably wrong (a real Zoho task deluge-lite cannot
simulate yet, ``=`` used as a comparison, an argument spelled like an assigned variable);
notes are information (the arguments of a header-less script, the platform names it reads).

A script without a function header is a function body: with ``arguments`` on (files, not
REPL entries), a variable it reads but never assigns anywhere is one of the arguments
Zoho's editor defines for it, reported as a note and listed in `Analysis.arguments`.

`analyze()` returns every finding; `check()` only the errors. What exists besides the
script is passed in (`Known`), so this module does not depend on the library.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import ast
from .diagnostics import Diagnostic
from .fieldclass import field, fieldclass
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The keys each bracketed task accepts (Zoho's invokeurl and send mail pages).
INVOKEURL_KEYS = ("url", "type", "parameters", "body", "headers", "content-type", "connection", "files",
                  "detailed", "response-format", "response-decoding")
SENDMAIL_KEYS = ("from", "to", "cc", "bcc", "reply-to", "subject", "message", "content-type", "attachments")

# Names every function may read: Creator's thisapp, and the bare date words (unless assigned);
# inside a function with a header also ``input`` (Creator functions read their parameters as input.NAME).
ALWAYS_DEFINED = frozenset({"thisapp"})
IN_FUNCTIONS = frozenset({"input"})
DATE_WORDS = frozenset({"today", "now"})


@fieldclass(frozen=True)
class Known:
    """What exists besides the script: built-ins, tasks, system variables and their arities.

    ``arities`` maps a built-in function or task (lower case) to (fewest, most) arguments,
    most None for any number; ``method_arities`` the same for methods (the receiver not
    counted). ``services`` are the Zoho services whose tasks are real even when deluge-lite
    cannot simulate them (``zoho.SERVICE.task``).
    """

    functions: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    system_variables: frozenset[str] = frozenset()
    spellings: tuple[str, ...] = ()
    arities: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    method_arities: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    services: frozenset[str] = frozenset()
    task_names: tuple[str, ...] = ()  # every task as Zoho spells it (for did-you-mean)
    unsimulated: dict[str, str] = field(default_factory=dict)  # lower name -> Zoho's spelling (DL210)


@fieldclass
class Analysis:
    """Every finding, and the arguments inferred for the script's header-less body (in first-read order)."""

    diagnostics: list[Diagnostic]
    arguments: list[tuple[str, Span]] = field(default_factory=list)
    platform_names: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [item for item in self.diagnostics if item.severity == "error"]


@fieldclass
class _Scope:
    defined: set[str] = field(default_factory=set)
    loop_depth: int = 0
    # a header-less body: names it never assigns are its arguments (None: no inference)
    never_assigned_ok: set[str] | None = None


def _closest(name: str, candidates: Iterable[str], cutoff: float = 0.75) -> str | None:
    import difflib  # (only a name to correct needs it)

    pool = {candidate.lower(): candidate for candidate in candidates}
    match = difflib.get_close_matches(name.lower(), list(pool), n=1, cutoff=cutoff)
    return pool[match[0]] if match else None


def _suggest(name: str, candidates: Iterable[str]) -> str:
    match = _closest(name, candidates)
    return f"; did you mean '{match}'?" if match else ""


def _arity_text(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low} to {high}"


class _Checker:
    def __init__(self, program: ast.Program, source: Source, known: Known, predefined: Iterable[str],
                 bodies: Iterable[ast.FunctionDef] | None, *, arguments: bool, platform: Iterable[str],
                 sources: dict[int, Source] | None) -> None:
        self.program = program
        self.bodies = list(program.functions if bodies is None else bodies)
        self.source = source
        self.known = known
        self.platform = {name.lower(): name for name in platform}
        self.sources = sources or {}
        self.current_source = source
        self.assigned_top: set[str] = set()
        self.assigned_spelled: dict[str, str] = {}
        self.predefined = {name.lower() for name in predefined} | set(self.platform) | ALWAYS_DEFINED
        self.infer_arguments = arguments
        self.found: list[Diagnostic] = []
        self.arguments: dict[str, Span] = {}
        self.spelled: dict[str, str] = {}
        self.platform_read: dict[str, None] = {}
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        for fn in program.functions:
            self.functions.setdefault(fn.name.lower(), []).append(fn)

    def report(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        self.found.append(Diagnostic(code, message, span, self.current_source, hint=hint))

    def run(self) -> Analysis:
        seen: dict[str, ast.FunctionDef] = {}
        sources = self.sources
        for fn in self.bodies:
            self.current_source = sources.get(id(fn), self.source)
            key = fn.full_name.lower()
            if key in seen:
                first = seen[key]
                where = sources.get(id(first), self.source)
                place = f"line {first.span.line}" if where is self.current_source else f"{where.name}:{first.span.line}"
                self.report("DL303", f"function {fn.full_name} is defined twice (first at {place})", fn.span)
            seen[key] = fn
            scope = _Scope({param.name.name.lower() for param in fn.params} | self.predefined | DATE_WORDS
                           | IN_FUNCTIONS)
            self.statements(fn.body, scope)
        self.current_source = self.source
        top = _Scope(set(self.predefined) | DATE_WORDS)
        if self.infer_arguments:
            top.never_assigned_ok = set()
            self.assigned_top = assigned_anywhere(self.program.statements)
        self.statements(self.program.statements, top)
        self._argument_findings()
        self.found.sort(key=lambda d: (d.source.name if d.source else "", d.span.line if d.span else 0,
                                       d.span.col if d.span else 0))
        arguments = sorted(self.arguments.items(), key=lambda item: (item[1].line, item[1].col))
        return Analysis(self.found, [(self.spelled[key], span) for key, span in arguments],
                        [self.platform[key] for key in self.platform_read])

    def _argument_findings(self) -> None:
        if not self.arguments:
            return
        ordered = sorted(self.arguments, key=lambda key: (self.arguments[key].line, self.arguments[key].col))
        names = [self.spelled[key] for key in ordered]
        first = self.arguments[ordered[0]]
        flags = " ".join(f"--arg {name}=VALUE" for name in names[:3]) + (" ..." if len(names) > 3 else "")
        self.report("DL102", f"arguments of this function: {', '.join(names)}; pass them with {flags}", first)
        for key, span in self.arguments.items():
            if key in self.assigned_top:
                continue  # an argument the body gives a new value further down
            match = _typo_of(key, self.assigned_top)
            if match is not None:
                self.report("DL103", f"'{self.spelled[key]}' is never assigned, so it is an argument of this "
                            f"function; did you mean the variable '{self.assigned_spelling(match)}'?", span)

    def assigned_spelling(self, key: str) -> str:
        return self.assigned_spelled.get(key, key)

    # ---- statements
    def statements(self, nodes: Iterable[ast.Node], scope: _Scope) -> None:
        for node in nodes:
            self.statement(node, scope)

    def statement(self, node: ast.Node, scope: _Scope) -> None:
        if isinstance(node, ast.Assign):
            self.expr(node.value, scope)
            scope.defined.add(node.target.name.lower())
            self.assigned_spelled.setdefault(node.target.name.lower(), node.target.name)
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
                self.report("DL302", f"'{word}' is only allowed inside a for each loop", node.span)
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
                self.read(node, scope)
                continue
            if isinstance(node, ast.Binary) and node.single_equals:
                self.report("DL301", "'=' compares here; prefer '=='", node.span,
                            hint="Zoho accepts '=' as a comparison inside a condition, but '==' says what is meant")
            if isinstance(node, ast.Call):
                self.check_call(node)
            elif isinstance(node, ast.MethodCall):
                self.check_method(node)
            elif isinstance(node, ast.FunctionCall):
                self.check_function_call(node)
            elif isinstance(node, ast.TaskCall):
                self.check_task(node)
            elif isinstance(node, ast.SystemVariable):
                if node.path.lower() not in self.known.system_variables:
                    self.report("DL205", f"unknown system variable '{node.path}'"
                                f"{_suggest(node.path, self.known.system_variables)}", node.span)
            elif isinstance(node, ast.InvokeUrl | ast.InvokeApi):
                if isinstance(node, ast.InvokeUrl):
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
            stack.extend(node_children(node))

    def read(self, node: ast.Name, scope: _Scope) -> None:
        key = node.name.lower()
        if key in scope.defined:
            if key in self.platform:
                self.platform_read.setdefault(key)
            return
        if scope.never_assigned_ok is not None:
            # a header-less body reads an argument (it may assign it a new value further down)
            self.arguments.setdefault(key, node.span)
            self.spelled.setdefault(key, node.name)
            return
        hint = _suggest(node.name, sorted(scope.defined - DATE_WORDS - ALWAYS_DEFINED - IN_FUNCTIONS))
        self.report("DL101", f"Variable '{node.name}' is not defined" + hint, node.span)

    def task_keys(self, task: str, params: tuple[ast.TaskParam, ...], known: tuple[str, ...]) -> None:
        for param in params:
            if param.key not in known:
                hint = _suggest(param.key, known) or f"; it takes {', '.join(known)}"
                self.report("DL207", f"{task} has no key '{param.key}'{hint}", param.key_span)

    def arity(self, what: str, limits: tuple[int, int | None] | None, got: int, span: Span) -> None:
        if limits is None:
            return
        low, high = limits
        if got < low or (high is not None and got > high):
            self.report("DL206", f"{what} takes {_arity_text(low, high)} argument"
                        f"{'' if (low, high) == (1, 1) else 's'}, got {got}", span)

    def check_call(self, node: ast.Call) -> None:
        key = node.name.lower()
        if key in self.known.functions:
            self.arity(f"{node.name}()", self.known.arities.get(key), len(node.args), node.span)
            return
        if key in self.known.methods:  # a method written as a function: length(x)
            limits = self.known.method_arities.get(key)
            if limits is not None:
                low, high = limits
                self.arity(f"{node.name}()", (low + 1, None if high is None else high + 1), len(node.args),
                           node.span)
            return
        if key in self.functions:
            return  # a bare call of the project's own function
        if key in self.known.unsimulated:
            self.not_simulated(self.known.unsimulated[key], node.span)
            return
        self.report("DL201", f"unknown function '{node.name}'{_suggest(node.name, self.known.spellings)}", node.span)

    def check_method(self, node: ast.MethodCall) -> None:
        key = node.name.lower()
        namespace = _namespace_path(node.receiver)
        if namespace is not None:  # thisapp.Namespace.fn(...): a Creator function in a namespace
            self.project_function(f"{namespace}.{node.name}", node.name, len(node.args), node.span)
            return
        if key not in self.known.methods and key in self.known.unsimulated:
            self.not_simulated(self.known.unsimulated[key], node.name_span)
            return
        if key not in self.known.methods:
            self.report("DL202", f"unknown function '{node.name}'{_suggest(node.name, self.known.spellings)}",
                        node.name_span)
            return
        self.arity(f"{node.name}()", self.known.method_arities.get(key), len(node.args), node.name_span)

    def check_task(self, node: ast.TaskCall) -> None:
        key = node.path.lower()
        if key in self.known.tasks or key in self.known.functions:
            self.arity(f"{node.path}()", self.known.arities.get(key), len(node.args), node.span)
            return
        parts = key.split(".")
        service = parts[1] if len(parts) > 2 and parts[0] == "zoho" else None
        same_service = [task for task in self.known.task_names
                        if service is not None and task.lower().split(".")[1:2] == [service]]
        if service in self.known.services:
            last: dict[str, str] = {}
            for task in sorted(same_service, key=len, reverse=True):  # the plain name over its versions
                last[task.split(".")[-1]] = task
            close = _closest(parts[-1], last, cutoff=0.88)
            hint = f"; did you mean '{last[close]}'?" if close else ""
            self.report("DL204", f"{node.path} is a Zoho task that deluge-lite cannot simulate yet{hint}",
                        node.span, hint="the run stops with an error if it reaches this call")
            return
        pool = same_service or list(self.known.task_names)
        self.report("DL203", f"unknown task '{node.path}'{_suggest(node.path, pool)}", node.span)

    def not_simulated(self, name: str, span: Span) -> None:
        self.report("DL210", f"{name}() is a Zoho function that deluge-lite cannot run yet", span,
                    hint="the run stops with an error if it reaches this call")

    def check_function_call(self, node: ast.FunctionCall) -> None:
        shown = f"{node.category}.{node.name}" if node.category else node.name
        self.project_function(shown, node.name, len(node.args), node.span)

    def project_function(self, shown: str, name: str, argc: int, span: Span) -> None:
        """A call of a script function by its full name (standalone.x, thisapp.ns.x)."""
        candidates = self.functions.get(name.lower(), [])
        exact = [fn for fn in candidates if fn.full_name.lower() == shown.lower()]
        fn = (exact or candidates or [None])[0]
        if fn is None:
            names = [f.full_name for fns in self.functions.values() for f in fns]
            if self.sources:
                self.report("DL208", f"function {shown} is not defined in this project" + _suggest(shown, names),
                            span)
            else:
                self.report("DL211", f"function {shown} is not defined in this file" + _suggest(shown, names),
                            span, hint="check the project's folder (deluge-lite check DIR) to resolve calls "
                            "between its files")
            return
        if argc != len(fn.params):
            self.report("DL206", f"No. of arguments mismatches for the function {fn.full_name}: it takes "
                        f"{len(fn.params)}, got {argc}", span)


def _typo_of(argument: str, assigned: Iterable[str]) -> str | None:
    """The assigned variable an inferred argument is probably a misspelling of, if any.

    Close means the variable plus a short suffix (``queryMap`` beside ``query``) or one edit per
    four letters apart, the variable no longer than the argument (a longer one,
    ``lead_query`` beside ``lead``, is another variable) and the argument not a record id
    (``leadid`` beside ``lead`` is the id Zoho passes)."""
    if argument.endswith("id"):
        return None
    best: tuple[int, str] | None = None
    for name in assigned:
        if len(name) < 4 or len(name) > len(argument) or name == argument:
            continue
        extended = argument.startswith(name) and len(argument) - len(name) <= 3  # queryMap beside query
        distance = 0 if extended else _edits(argument, name, max(1, len(argument) // 4))
        if distance <= max(1, len(argument) // 4) and (best is None or distance < best[0]):
            best = (distance, name)
    return best[1] if best else None


def _edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 once it is certainly larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _namespace_path(node: ast.Node) -> str | None:
    """``thisapp.Namespace`` (a Property chain rooted at the name thisapp) as text, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Property):
        parts.append(node.name)
        node = node.receiver
    if isinstance(node, ast.Name) and node.name.lower() == "thisapp" and parts:
        return ".".join(["thisapp", *reversed(parts)])
    return None


def assigned_anywhere(statements: Iterable[ast.Node]) -> set[str]:
    """Every variable a block assigns, at any depth and in any order (lower case)."""
    names: set[str] = set()
    stack = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Assign):
            names.add(node.target.name.lower())
        elif isinstance(node, ast.ForEach):
            names.add(node.var.name.lower())
            stack.extend(node.body)
        elif isinstance(node, ast.Try):
            names.add(node.error_var.name.lower())
            stack.extend(node.body)
            stack.extend(node.handler)
        elif isinstance(node, ast.If):
            for _, branch in node.branches:
                stack.extend(branch)
            stack.extend(node.orelse or ())
    return names


def reads_name(statements: Iterable[ast.Node], name: str) -> bool:
    """Whether a block mentions the variable ``name`` (any case) anywhere."""
    wanted = name.lower()
    stack: list[Any] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
        elif isinstance(node, ast.Name):
            if node.name.lower() == wanted:
                return True
        elif isinstance(node, ast.Node):
            stack.extend(getattr(node, key) for key in node.__fieldclass_fields__ if key != "span")
    return False


def node_children(node: ast.Node) -> list[ast.Node]:
    """A syntax node's direct child nodes in field order (also those inside tuples and tuples of pairs)."""
    out: list[ast.Node] = []
    for name in node.__fieldclass_fields__:
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


def analyze(program: ast.Program, source: Source, known: Known, predefined: Iterable[str] = (),
            bodies: Iterable[ast.FunctionDef] | None = None, *, arguments: bool = False,
            platform: Iterable[str] = (), sources: dict[int, Source] | None = None) -> Analysis:
    """Every finding in the program, in source order.

    ``predefined`` names variables the caller supplies (``--arg``); ``platform`` the names
    the platform context injects; ``arguments`` turns on argument inference for the
    header-less body. ``bodies`` limits which function bodies are checked (the REPL re-uses
    functions it checked in earlier entries); calls still resolve against all functions.
    For a program built from several files, ``sources`` maps id(FunctionDef) to its file's Source.
    """
    return _Checker(program, source, known, predefined, bodies, arguments=arguments, platform=platform,
                    sources=sources).run()


def check(program: ast.Program, source: Source, known: Known, predefined: Iterable[str] = (),
          bodies: Iterable[ast.FunctionDef] | None = None, platform: Iterable[str] = ()) -> list[Diagnostic]:
    """The errors of the program (no argument inference: every unassigned read is an error)."""
    return analyze(program, source, known, predefined, bodies, platform=platform).errors


def diagnose(text: str, path: str, *, context: str | None = None, project_files: Any = None) -> list[Diagnostic]:
    """Every finding for one file's text (editors): see `deluge_lite.project.diagnose`."""
    from .project import diagnose as diagnose_in_project  # the project layer knows contexts and settings

    return diagnose_in_project(text, path, context=context, project_files=project_files)
