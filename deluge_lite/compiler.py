"""Compiles a Deluge `ast.Program` into a Python code object, keeping Deluge positions.

Every Python node the compiler makes carries the line and column of the Deluge node it
came from, so ``co_positions()`` of the running code points back into the script: the
runtime uses that to put a span on any error (see ``executor.py``). Deluge semantics
live in small helpers (``values.add``, a method caller per name) that the executor
binds into the module's globals under ``__``-prefixed names; scripts cannot name them,
because every Deluge variable becomes ``v_<lowercase name>`` and every function
``f_<lowercase name>``. Nothing here executes code.

Shape of the output::

    def f_greet(__d, v_name):          # one per Deluge function; __d is the call depth
        if __d > __max_depth: __depth_error()
        __tick(); return __add("Hello ", v_name)

    def __main__():                    # the top-level statements, in order
        __d = 0
        __tick(); __info(f_greet(__d + 1, "World"))
"""

from __future__ import annotations

import ast as py
from collections.abc import Iterable

from . import ast
from .check import assigned_anywhere, reads_name
from .compiled import CODE_FILENAME_PREFIX as CODE_FILENAME_PREFIX
from .compiled import MAIN_NAME as MAIN_NAME
from .compiled import CompiledProgram as CompiledProgram
from .compiled import code_filename as code_filename
from .compiled import function_caller_name as function_caller_name
from .compiled import function_name as function_name
from .compiled import input_name as input_name
from .compiled import is_deluge_code as is_deluge_code
from .compiled import method_caller_name as method_caller_name
from .compiled import qualified_function_name as qualified_function_name
from .compiled import task_caller_name as task_caller_name
from .compiled import variable_name as variable_name
from .compiler_methods import MethodCompiler
from .compiler_operators import COMPARISONS as _COMPARISONS
from .compiler_operators import OperatorCompiler, left_spine
from .compiler_ticks import LEFT, STEPS, TickCompiler
from .compiler_types import Types
from .errors import DelugeCheckError
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NESTED_ELSE_IF = 24  # a longer else-if chain compiles flat (Python's compiler overflows on deep nesting)

# Bare words real scripts use for the current date and time (when never assigned).
_DATE_WORDS = {"today": "zoho.currentdate", "now": "zoho.currenttime"}


def _helpers_read(body: list[py.stmt], parameters: set[str]) -> set[str]:
    """The ``__`` globals a function body reads (helpers, method tables, constants, inputs)."""
    read: set[str] = set()
    written: set[str] = set(parameters)
    pending: list[py.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, py.Name) and node.id.startswith("__"):
            (read if isinstance(node.ctx, py.Load) else written).add(node.id)
        elif isinstance(node, py.ExceptHandler) and node.name:
            written.add(node.name)
        elif isinstance(node, py.Global):
            written.update(node.names)
        pending.extend(py.iter_child_nodes(node))
    return read - written


class _Compiler(TickCompiler, OperatorCompiler, MethodCompiler):
    def __init__(self, program: ast.Program, source: Source, quoted_literal: Any,
                 toplevel_globals: bool, inputs: Iterable[str], compiled_before: Iterable[ast.FunctionDef],
                 code_name: str | None, optimize: bool = True, infer_types: bool = True) -> None:
        self.program = program
        self.optimize = optimize
        self.infer_types = optimize and infer_types
        self.types: Types | None = None  # the kinds of the body being compiled (compiler_types)
        self.bulk = optimize  # statements counted in bulk (compiler_ticks); the reference counts one by one
        self._substitutes: dict[int, py.expr] = {}
        self._plain_chains: set[int] = set()
        self.compiled_before = {id(fn) for fn in compiled_before}
        self.code_name = code_name or source.name
        self.inputs = sorted({name.lower() for name in inputs})
        self._assigned_cache: set[str] | None = None
        self.source = source
        self.quoted_literal = quoted_literal
        self.toplevel_globals = toplevel_globals
        self.result = CompiledProgram(None, source, program)
        self.functions: dict[str, ast.FunctionDef] = {}
        self.by_full_name: dict[str, ast.FunctionDef] = {}
        self.temp_counter = 0
        self.current_params: set[str] = set()
        for fn in program.functions:
            self.by_full_name[fn.full_name.lower()] = fn
            key = fn.name.lower()
            if key in self.functions and self.functions[key].full_name.lower() != fn.full_name.lower():
                continue  # resolved by full name only
            self.functions[key] = fn

    # ---- positions
    @staticmethod
    def _at(node: py.AST, span: Span) -> py.AST:
        node.lineno = span.line
        node.col_offset = span.col - 1
        node.end_lineno = span.end_line
        node.end_col_offset = max(span.end_col - 1, 0)
        return node

    def _fill(self, node: py.AST, span: Span) -> py.AST:
        """Give a node and its children without a position the span (positioned subtrees are left alone)."""
        pending = [node]
        while pending:
            current = pending.pop()
            if "lineno" in current._attributes:
                if getattr(current, "lineno", None) is not None and current is not node:
                    continue
                if getattr(current, "lineno", None) is None:
                    self._at(current, span)
            pending.extend(py.iter_child_nodes(current))
        return node

    def _call(self, helper: str, args: list[py.expr], span: Span) -> py.Call:
        call = py.Call(func=py.Name(id=helper, ctx=py.Load()), args=args, keywords=[])
        return self._fill(call, span)  # type: ignore[return-value]

    def _constant(self, value: Any, span: Span) -> py.expr:
        if value is None or type(value) in (str, int, float, bool):
            return self._at(py.Constant(value=value), span)  # type: ignore[return-value]
        name = f"__const_{len(self.result.constants)}"
        self.result.constants[name] = value
        return self._at(py.Name(id=name, ctx=py.Load()), span)  # type: ignore[return-value]

    # ---- program
    def compile(self) -> CompiledProgram:
        body: list[py.stmt] = []
        for fn in self.program.functions:
            node = self._function(fn)
            if id(fn) not in self.compiled_before:  # the REPL keeps earlier entries' functions compiled
                body.append(node)
        depth = self._fill(py.Assign(targets=[py.Name(id="__d", ctx=py.Store())], value=py.Constant(value=0)),
                           self.program.span)
        main_body = [*self._steps_global(self.program.span), depth]
        for name in self.inputs:  # values the caller supplies (--arg name=value)
            main_body.append(self._fill(py.Assign(targets=[py.Name(id=variable_name(name), ctx=py.Store())],
                                                  value=py.Name(id=input_name(name), ctx=py.Load())),
                                        self.program.span))
        if self.infer_types and not self.toplevel_globals:  # REPL globals outlive the entry: no kinds
            self.types = Types(self.program.statements, self.inputs)
        main_body.extend(self._block(self.program.statements, in_loop=False))
        self.types = None
        main_body.append(self._fill(py.Return(value=py.Constant(value=None)), self.program.span))
        if self.toplevel_globals:
            main_def = self._main_def(main_body)
            declared = sorted(self._assigned_names(self.program.statements))
            if declared:
                main_def.body.insert(0, self._fill(py.Global(names=declared), self.program.span))
            body.append(main_def)
        else:
            body.append(self._main_def(main_body))
        module = py.Module(body=body, type_ignores=[])
        filename = code_filename(self.code_name)
        try:
            self.result.code = compile(module, filename, "exec")
            self.result.bulk = self.bulk
        except (SyntaxError, RecursionError, MemoryError) as error:
            raise self._too_deep(error) from None
        return self.result

    def _too_deep(self, error: BaseException) -> DelugeCheckError:
        """Python's compiler refused the shape (loops or try blocks nested past its limit of 20, or too deep)."""
        line = getattr(error, "lineno", None) or self.program.span.line
        column = getattr(error, "offset", None) or 1
        span = Span(line, column, line, column + 1)
        if isinstance(error, SyntaxError) and "nested blocks" in str(error):
            message = ("for each loops and try blocks nest more than 20 levels deep here; move the inner "
                       "part into a function")
        else:
            message = "this script nests blocks or expressions too deeply; split it into functions"
        return DelugeCheckError(message, span, self.source)

    def _main_def(self, body: list[py.stmt]) -> py.FunctionDef:
        node = py.FunctionDef(name=MAIN_NAME, args=self._arguments([], body), body=body, decorator_list=[],
                              returns=None, type_params=[])
        return self._fill(node, self.program.span)  # type: ignore[return-value]

    def _arguments(self, names: list[str], body: list[py.stmt] | None = None) -> py.arguments:
        """Positional parameters, plus every runtime helper the body reads as a keyword-only default.

        Defaults are bound when the ``def`` runs (after the executor has bound the helpers), so
        the body reads them as fast locals instead of globals: the hot paths run noticeably faster.
        In a REPL session a function outlives its entry, so it reads the statement ticker (new
        for every entry) as a global.
        """
        late = {"__tick", "__tick_last"} if self.toplevel_globals else set()
        helpers = sorted(_helpers_read(body, set(names)) - late) if body else []
        return py.arguments(posonlyargs=[], args=[py.arg(arg=name) for name in names], vararg=None,
                            kwonlyargs=[py.arg(arg=name) for name in helpers],
                            kw_defaults=[py.Name(id=name, ctx=py.Load()) for name in helpers], kwarg=None,
                            defaults=[])

    @staticmethod
    def _assigned_names(statements: Iterable[ast.Node]) -> set[str]:
        """The Python locals of every variable the block assigns, at any depth."""
        return {variable_name(name) for name in assigned_anywhere(statements)}

    def _function(self, fn: ast.FunctionDef) -> py.FunctionDef:
        py_name = self._python_name(fn)
        self.result.function_names[py_name] = fn.full_name
        self.result.function_params[fn.full_name.lower()] = list(fn.params)
        self.result.function_spans[py_name] = fn.name_span
        seen: set[str] = set()
        for param in fn.params:
            key = param.name.name.lower()
            if key in seen:
                raise DelugeCheckError(f"parameter '{param.name.name}' is declared twice", param.span,
                                       self.source)
            seen.add(key)
        guard = py.If(test=py.Compare(left=py.Name(id="__d", ctx=py.Load()), ops=[py.Gt()],
                                      comparators=[py.Name(id="__max_depth", ctx=py.Load())]),
                      body=[py.Expr(value=py.Call(func=py.Name(id="__depth_error", ctx=py.Load()),
                                                  args=[], keywords=[]))], orelse=[])
        body: list[py.stmt] = [*self._steps_global(fn.name_span), self._fill(guard, fn.name_span)]
        self.current_params = {param.name.name.lower() for param in fn.params}
        body.extend(self._input_map(fn))
        if self.infer_types:
            self.types = Types(fn.body, [*self.current_params, "input"])
        body.extend(self._block(fn.body, in_loop=False))
        self.types = None
        self.current_params = set()
        body.append(self._fill(py.Return(value=py.Constant(value=None)), fn.span))
        args = ["__d"] + [variable_name(param.name.name) for param in fn.params]
        node = py.FunctionDef(name=py_name, args=self._arguments(args, body), body=body, decorator_list=[],
                              returns=None, type_params=[])
        return self._fill(node, fn.span)  # type: ignore[return-value]

    def _input_map(self, fn: ast.FunctionDef) -> list[py.stmt]:
        """A Creator function reading ``input`` gets it as a Map of its parameters (``input.id``)."""
        if "input" in self.current_params or self._is_assigned_somewhere("input") or \
                not reads_name(fn.body, "input"):
            return []
        names = [param.name.name for param in fn.params]
        mapping = py.Dict(keys=[py.Constant(value=name) for name in names],
                          values=[py.Name(id=variable_name(name), ctx=py.Load()) for name in names])
        return [self._fill(py.Assign(targets=[py.Name(id=variable_name("input"), ctx=py.Store())], value=mapping),
                           fn.name_span)]  # type: ignore[list-item]

    def _python_name(self, fn: ast.FunctionDef) -> str:
        shadowed = self.functions.get(fn.name.lower()) is not fn
        return qualified_function_name(fn.full_name) if shadowed else function_name(fn.name)

    # ---- statements
    def _statement(self, node: ast.Node, in_loop: bool) -> list[py.stmt]:
        handler = getattr(self, "_stmt_" + type(node).__name__)
        result = handler(node, in_loop)
        statements = result if isinstance(result, list) else [result]
        for statement in statements:
            self._fill(statement, node.span)
        return statements

    def _stmt_Assign(self, node: ast.Assign, in_loop: bool) -> py.stmt:
        target = self._at(py.Name(id=variable_name(node.target.name), ctx=py.Store()), node.target.span)
        return py.Assign(targets=[target], value=self._expr(node.value))

    def _stmt_FieldAssign(self, node: ast.FieldAssign, in_loop: bool) -> py.stmt:
        value = self._call("__setprop", [self._expr(node.receiver), py.Constant(value=node.name),
                                         self._expr(node.value)], node.span)
        return py.Expr(value=value)

    def _stmt_ExprStatement(self, node: ast.ExprStatement, in_loop: bool) -> py.stmt:
        inline = self.add_statement(node.expr)
        if inline is not None:
            return inline
        return py.Expr(value=self._expr(node.expr, statement=True))

    def _stmt_Info(self, node: ast.Info, in_loop: bool) -> py.stmt:
        return py.Expr(value=self._call("__info", [self._expr(node.expr)], node.span))

    def _stmt_Return(self, node: ast.Return, in_loop: bool) -> py.stmt:
        value = self._expr(node.value) if node.value is not None else py.Constant(value=None)
        return py.Return(value=value)

    def _stmt_Break(self, node: ast.Break, in_loop: bool) -> py.stmt:
        if not in_loop:
            raise DelugeCheckError("'break' is only allowed inside a for each loop", node.span, self.source)
        return py.Break()

    def _stmt_Continue(self, node: ast.Continue, in_loop: bool) -> py.stmt:
        if not in_loop:
            raise DelugeCheckError("'continue' is only allowed inside a for each loop", node.span, self.source)
        return py.Continue()

    def _stmt_Throw(self, node: ast.Throw, in_loop: bool) -> py.stmt:
        return py.Expr(value=self._call("__throw", [self._expr(node.value)], node.span))

    def _stmt_SendMail(self, node: ast.SendMail, in_loop: bool) -> py.stmt:
        return py.Expr(value=self._call("__sendmail", [self._task_params(node.params, node.span)], node.span))

    def _stmt_If(self, node: ast.If, in_loop: bool) -> py.stmt | list[py.stmt]:
        if len(node.branches) > NESTED_ELSE_IF:
            return self._flat_if(node, in_loop)
        orelse = self._block(node.orelse, in_loop) if node.orelse is not None else []
        for condition, body in reversed(node.branches):
            branch = py.If(test=self._condition(condition), body=self._block(body, in_loop), orelse=orelse)
            self._fill(branch, condition.span)
            orelse = [branch]
        return orelse[0]

    def _flat_if(self, node: ast.If, in_loop: bool) -> list[py.stmt]:
        """A long else-if chain as a flat run of ifs behind a "nothing matched yet" flag.

        Nested ``orelse`` blocks a thousand deep overflow Python's compiler; this shape has
        the same meaning (each condition is evaluated only while no earlier one held) at
        any length::

            __open = True
            if c1: __open = False; body1
            if __open and c2: __open = False; body2
            if __open: else_body
        """
        flag = f"__open_{self._next_temp()}"

        def opened(value: bool) -> py.stmt:
            return py.Assign(targets=[py.Name(id=flag, ctx=py.Store())], value=py.Constant(value=value))

        out: list[py.stmt] = [self._fill(opened(True), node.span)]  # type: ignore[list-item]
        for index, (condition, body) in enumerate(node.branches):
            test = self._condition(condition)
            if index:
                test = py.BoolOp(op=py.And(), values=[py.Name(id=flag, ctx=py.Load()), test])
            branch = py.If(test=test, body=[opened(False), *self._block(body, in_loop)], orelse=[])
            out.append(self._fill(branch, condition.span))  # type: ignore[arg-type]
        if node.orelse is not None:
            rest = py.If(test=py.Name(id=flag, ctx=py.Load()), body=self._block(node.orelse, in_loop), orelse=[])
            out.append(self._fill(rest, node.span))  # type: ignore[arg-type]
        return out

    def _stmt_ForEach(self, node: ast.ForEach, in_loop: bool) -> py.stmt:
        helper = "__iter_index" if node.by_index else "__iter"
        target = self._at(py.Name(id=variable_name(node.var.name), ctx=py.Store()), node.var.span)
        body = self._block(node.body, in_loop=True, loop_span=node.span)
        if self.types is not None and self.types.iterates_in_place(node):  # a List nothing can change meanwhile
            return py.For(target=target, iter=self._expr(node.iterable), body=body, orelse=[])
        return py.For(target=target, iter=self._call(helper, [self._expr(node.iterable)], node.iterable.span),
                      body=body, orelse=[])

    def _stmt_Try(self, node: ast.Try, in_loop: bool) -> py.stmt:
        error_name = f"__err_{self._next_temp()}"
        bind = py.Assign(targets=[self._at(py.Name(id=variable_name(node.error_var.name), ctx=py.Store()),
                                           node.error_var.span)],
                         value=self._call("__caught", [py.Name(id=error_name, ctx=py.Load())], node.error_var.span))
        handler = py.ExceptHandler(type=py.Name(id="__Catchable", ctx=py.Load()), name=error_name,
                                   body=[self._fill(bind, node.error_var.span), *self._reset_left(node.error_var.span),
                                         *self._block(node.handler, in_loop)])
        return py.Try(body=self._block(node.body, in_loop), handlers=[handler], orelse=[], finalbody=[])

    def _reset_left(self, span: Span) -> list[py.stmt]:
        """After ``catch`` took an error (and the executor gave back the uncounted statements), no run is open."""
        if not self.bulk:
            return []
        return [self._fill(py.Assign(targets=[py.Name(id=LEFT, ctx=py.Store())], value=py.Constant(value=0)),
                           span)]  # type: ignore[list-item]

    def _steps_global(self, span: Span) -> list[py.stmt]:
        return [self._fill(py.Global(names=[STEPS]), span)] if self.bulk else []  # type: ignore[list-item]

    def _next_temp(self) -> int:
        self.temp_counter += 1
        return self.temp_counter

    # ---- expressions
    def _condition(self, node: ast.Node) -> py.expr:
        """A Python bool for a Deluge condition (null and false are false: legacy rule, Decision)."""
        compiled = self._expr(node)
        if self._is_boolean(node) or self._kind(node) is bool:
            return compiled
        return self._call("__truth", [compiled], node.span)

    def _is_boolean(self, node: ast.Node) -> bool:
        if isinstance(node, ast.Binary):
            return node.op in _COMPARISONS
        if isinstance(node, ast.Logical):
            return True
        if isinstance(node, ast.Unary):
            return node.op == "!"
        return isinstance(node, ast.Literal) and type(node.value) is bool

    def _expr(self, node: ast.Node, statement: bool = False) -> py.expr:
        if self._substitutes and id(node) in self._substitutes:  # a value already held in a temporary
            return self._fill(self._copy(self._substitutes[id(node)]), node.span)  # type: ignore[return-value]
        handler = getattr(self, "_expr_" + type(node).__name__)
        result = handler(node, statement) if handler.__code__.co_argcount == 3 else handler(node)
        return self._fill(result, node.span)  # type: ignore[return-value]

    def _kind(self, node: ast.Node) -> type | None:
        """The Python type every value of the expression has, when the body's analysis knows it."""
        return self.types.of(node) if self.types is not None else None

    def _expr_Literal(self, node: ast.Literal) -> py.expr:
        return self._constant(node.value, node.span)

    def _expr_QuotedLiteral(self, node: ast.QuotedLiteral) -> py.expr:
        return self._constant(self.quoted_literal(node.text), node.span)

    def _expr_Name(self, node: ast.Name) -> py.expr:
        key = node.name.lower()
        if key in _DATE_WORDS and not self._is_assigned_somewhere(node.name):
            return self._call("__sysvar", [py.Constant(value=_DATE_WORDS[key])], node.span)
        return py.Name(id=variable_name(node.name), ctx=py.Load())

    def _expr_ListLiteral(self, node: ast.ListLiteral) -> py.expr:
        return py.List(elts=[self._expr(item) for item in node.items], ctx=py.Load())

    def _expr_MapLiteral(self, node: ast.MapLiteral) -> py.expr:
        keys: list[py.expr | None] = []
        for key, _ in node.entries:
            if isinstance(key, ast.Name) and not self._is_assigned_somewhere(key.name):
                keys.append(self._constant(key.name, key.span))  # an unquoted key is its own text
            elif isinstance(key, ast.Literal) and type(key.value) in (str, int):
                keys.append(self._expr(key))
            else:
                keys.append(self._call("__key", [self._expr(key)], key.span))
        return py.Dict(keys=keys, values=[self._expr(value) for _, value in node.entries])

    def _is_assigned_somewhere(self, name: str) -> bool:
        if self._assigned_cache is None:
            assigned = self._assigned_names(self.program.statements) | {variable_name(n) for n in self.inputs}
            for fn in self.program.functions:
                assigned |= self._assigned_names(fn.body)
                assigned |= {variable_name(param.name.name) for param in fn.params}
            self._assigned_cache = assigned
        return variable_name(name) in self._assigned_cache

    def _expr_Logical(self, node: ast.Logical) -> py.expr:
        op = py.And() if node.op == "and" else py.Or()
        terms = left_spine(node, lambda n: isinstance(n, ast.Logical) and n.op == node.op)
        return py.BoolOp(op=op, values=[self._condition(term) for term in terms])

    def _expr_Unary(self, node: ast.Unary) -> py.expr:
        if node.op == "!":
            return py.UnaryOp(op=py.Not(), operand=self._condition(node.operand))
        return self._call("__neg", [self._expr(node.operand)], node.span)

    def _expr_IfExpr(self, node: ast.IfExpr) -> py.expr:
        return py.IfExp(test=self._condition(node.condition), body=self._expr(node.when_true),
                        orelse=self._expr(node.when_false))

    def _expr_Call(self, node: ast.Call, statement: bool) -> py.expr:
        argc = len(node.args)
        self.result.function_callers.add((node.name, argc, statement))
        return self._call(function_caller_name(node.name, argc, statement),
                          [self._expr(arg) for arg in node.args], node.span)

    def _operand(self, node: ast.Node) -> tuple[py.expr, py.expr]:
        """An operand used twice: a name or constant as itself, anything else through a temporary."""
        compiled = self._expr(node)
        if isinstance(node, ast.Name | ast.Literal) and isinstance(compiled, py.Name | py.Constant):
            again = py.Name(id=compiled.id, ctx=py.Load()) if isinstance(compiled, py.Name) else \
                py.Constant(value=compiled.value)
            return compiled, self._fill(again, node.span)  # type: ignore[return-value]
        temp = f"__t{self._next_temp()}"
        first = py.NamedExpr(target=py.Name(id=temp, ctx=py.Store()), value=compiled)
        return self._fill(first, node.span), self._fill(py.Name(id=temp, ctx=py.Load()), node.span)  # type: ignore[return-value]

    def _expr_FunctionCall(self, node: ast.FunctionCall) -> py.expr:
        fn = self.resolve_function(node)
        py_name = self._python_name(fn)
        if len(node.args) != len(fn.params):
            raise DelugeCheckError(
                f"No. of arguments mismatches for the function {fn.full_name}: it takes {len(fn.params)}, "
                f"got {len(node.args)}", node.span, self.source)
        depth = py.BinOp(left=py.Name(id="__d", ctx=py.Load()), op=py.Add(), right=py.Constant(value=1))
        return py.Call(func=py.Name(id=py_name, ctx=py.Load()),
                       args=[depth] + [self._expr(arg) for arg in node.args], keywords=[])

    def resolve_function(self, node: ast.FunctionCall) -> ast.FunctionDef:
        full = f"{node.category}.{node.name}".lower()
        fn = self.by_full_name.get(full) or self.functions.get(node.name.lower())
        if fn is None:
            shown = f"{node.category}.{node.name}" if node.category else node.name
            raise DelugeCheckError(f"function {shown} is not defined in this file", node.span, self.source)
        return fn

    def _expr_TaskCall(self, node: ast.TaskCall) -> py.expr:
        argc = len(node.args)
        self.result.task_callers.add((node.path, argc))
        return self._call(task_caller_name(node.path, argc), [self._expr(arg) for arg in node.args], node.span)

    def _expr_CreatorOnly(self, node: ast.CreatorOnly) -> py.expr:
        return self._call("__creator_only", [py.Constant(value=node.what)], node.span)

    # Creator's statements run against the run's record store (creator_records.py)
    def _expr_CreatorInsert(self, node: ast.CreatorInsert) -> py.expr:
        fields = py.Dict(keys=[py.Constant(value=name) for name, _ in node.fields],
                         values=[self._expr(value) for _, value in node.fields])
        return self._call("__creator_insert", [py.Constant(value=node.form), fields], node.span)

    def _expr_CreatorFetch(self, node: ast.CreatorFetch) -> py.expr:
        ranged = [self._expr(node.range_from), self._expr(node.range_to)] if node.range_from is not None else []
        return self._call("__creator_fetch", [py.Constant(value=node.form), self._criteria(node.criteria),
                                              py.Constant(value=node.sort_field),
                                              py.Constant(value=node.descending), *ranged], node.span)

    def _expr_CreatorDelete(self, node: ast.CreatorDelete) -> py.expr:
        return self._call("__creator_delete", [py.Constant(value=node.form), self._criteria(node.criteria)],
                          node.span)

    def _criteria(self, node: ast.CreatorCriteria) -> py.expr:
        pairs = [py.Tuple(elts=[py.Constant(value=False), py.Constant(value=part)], ctx=py.Load())
                 if isinstance(part, str) else
                 py.Tuple(elts=[py.Constant(value=True), self._expr(part)], ctx=py.Load()) for part in node.parts]
        return self._fill(py.Tuple(elts=pairs, ctx=py.Load()), node.span)  # type: ignore[return-value]

    def _expr_InTest(self, node: ast.InTest) -> py.expr:
        raise DelugeCheckError("'in' tests a field against a list only inside Creator criteria "
                               "(Form[Field in list]); use list.contains(value)", node.span, self.source)

    def _expr_SystemVariable(self, node: ast.SystemVariable) -> py.expr:
        return self._call("__sysvar", [py.Constant(value=node.path)], node.span)

    def _expr_Property(self, node: ast.Property) -> py.expr:
        if (isinstance(node.receiver, ast.Name) and node.receiver.name.lower() == "input"
                and node.name.lower() in self.current_params and not self._is_assigned_somewhere("input")):
            return py.Name(id=variable_name(node.name), ctx=py.Load())  # Creator: input.<param>
        return self._call("__prop", [self._expr(node.receiver), py.Constant(value=node.name)], node.span)

    def _expr_InvokeUrl(self, node: ast.InvokeUrl) -> py.expr:
        return self._call("__invokeurl", [self._task_params(node.params, node.span)], node.span)

    def _expr_InvokeApi(self, node: ast.InvokeApi) -> py.expr:
        """``invokeapi [...]`` runs as the task ``invokeapi`` (one Map argument, the keys): a clear
        'not available' error until the runtime's task table provides it."""
        self.result.task_callers.add(("invokeapi", 1))
        return self._call(task_caller_name("invokeapi", 1), [self._task_params(node.params, node.span)], node.span)

    def _task_params(self, params: tuple[ast.TaskParam, ...], span: Span) -> py.expr:
        """Task keys -> a dict of key to value; a bare name under ``type`` is the method (``type: GET``)."""
        keys: list[py.expr | None] = []
        values: list[py.expr] = []
        seen: set[str] = set()
        for param in params:
            if param.key in seen:
                raise DelugeCheckError(f"the key '{param.key}' is given twice", param.key_span, self.source)
            seen.add(param.key)
            keys.append(self._at(py.Constant(value=param.key), param.key_span))  # type: ignore[arg-type]
            if param.key == "type" and isinstance(param.value, ast.Name) and \
                    not self._is_assigned_somewhere(param.value.name):
                values.append(self._constant(param.value.name.upper(), param.value.span))
            else:
                values.append(self._expr(param.value))
        return self._fill(py.Dict(keys=keys, values=values), span)  # type: ignore[return-value]


def compile_program(program: ast.Program, source: Source, *, quoted_literal: Any,
                    toplevel_globals: bool = False, inputs: Iterable[str] = (),
                    compiled_before: Iterable[ast.FunctionDef] = (), code_name: str | None = None,
                    optimize: bool = True, infer_types: bool = True) -> CompiledProgram:
    """Compile a Program. ``quoted_literal(text)`` turns a single-quoted literal into a value.

    With ``toplevel_globals`` the top-level variables live in the module globals (the REPL
    keeps them between entries); otherwise they are fast locals of ``__main__``. ``inputs``
    names variables the caller supplies; the executor binds their values. Functions in
    ``compiled_before`` are resolved but not compiled again (they already live in the
    namespace, compiled with the source they came from). ``code_name`` names the code
    object's file (default: the source name), so that each REPL entry is told apart.
    ``optimize=False`` compiles every operator to its helper call, without fast paths: the
    reference the differential benchmark compares the optimised code against. ``infer_types=False``
    keeps every run-time type test (compiler_types): for the debugger, which can set a paused
    frame's variables to anything.
    """
    return _Compiler(program, source, quoted_literal, toplevel_globals, inputs, compiled_before,
                     code_name, optimize, infer_types).compile()
