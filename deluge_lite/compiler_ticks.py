"""How compiled code counts statements toward the limit: one tick per statement, or in bulk.

Per statement (the REPL, whose functions outlive an entry): ``__tick()`` before every
statement, a C-speed counter of the runtime (``Runtime.tick``).

In bulk (every other compile with ``optimize``): consecutive statements form a *run*, ended
by any statement that calls a script function, transfers control (``return``, ``break``,
``continue``, ``throw``) or opens a block (``if``, ``for each``, ``try``: its header is
the last of the run, its body has runs of its own); a loop's per-iteration count opens
the first run of its body. A run of K statements charges K at once when the budget in
hand (the module global ``__steps``) allows, and otherwise runs an exactly-counting copy,
so the limit error lands on the same statement as with per-statement ticks::

    if __steps >= 3:
        __steps -= 3
        __left = 2; __tick; s1          # a bare __tick marks a statement start for the debugger
        __left = 1; __tick; s2
    else:
        __tick(); s1; __tick(); s2; __tick_last()
    __left = 0; __tick; s3              # the last statement (or block) is compiled once

``__left`` says how many statements of the run were charged but not yet started: when a
statement fails and ``catch`` takes the error, the executor gives those back (the innermost
frame's ``__left``), so the count after a caught error is exact too. `TickCompiler` is a
mixin of the compiler's `_Compiler`.
"""

from __future__ import annotations

import ast as py
from collections.abc import Iterable
from typing import Any

from . import ast
from .errors import DelugeCheckError
from .source import Span

STEPS = "__steps"
LEFT = "__left"
TICK = "__tick"
TICK_LAST = "__tick_last"  # the same ticker under a name the debugger does not take for a statement start
_ENDS_RUN = (ast.Return, ast.Break, ast.Continue, ast.Throw, ast.If, ast.ForEach, ast.Try)


def calls_a_function(node: ast.Node) -> bool:
    """Whether a statement calls a script function anywhere in it (its nested blocks excluded)."""
    pending: list[Any] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.FunctionCall):
            return True
        if isinstance(current, tuple):
            pending.extend(current)
        elif isinstance(current, ast.Node) and not isinstance(current, ast.If | ast.ForEach | ast.Try):
            pending.extend(getattr(current, key) for key in current.__dataclass_fields__ if key != "span")
        elif isinstance(current, ast.If):
            pending.extend(condition for condition, _ in current.branches[:1])
        elif isinstance(current, ast.ForEach):
            pending.append(current.iterable)
    return False


class TickCompiler:
    """Statement blocks with their statement counting (mixed into `compiler._Compiler`)."""

    bulk: bool
    source: Any
    _fill: Any
    _statement: Any

    def _block(self, statements: Iterable[ast.Node], in_loop: bool, loop_span: Span | None = None) -> list[py.stmt]:
        """A block's Python statements; ``loop_span``: the block is a loop body (one more count per iteration)."""
        compiled: list[tuple[Span, list[py.stmt], bool]] = []  # (span, code, ends the run)
        if loop_span is not None:
            compiled.append((loop_span, [], False))
        for statement in statements:
            try:
                code = self._statement(statement, in_loop)
            except RecursionError:
                raise DelugeCheckError("this statement nests expressions too deeply (more than a few hundred "
                                       "levels); split it into several statements", statement.span,
                                       self.source) from None
            compiled.append((statement.span, code, isinstance(statement, _ENDS_RUN) or calls_a_function(statement)))
        out: list[py.stmt] = []
        if not self.bulk:
            for span, code, _ in compiled:
                out.append(self._tick(span))
                out.extend(code)
        else:
            run: list[tuple[Span, list[py.stmt]]] = []
            for span, code, ends in compiled:
                run.append((span, code))
                if ends:
                    out.extend(self._run(run))
                    run = []
            if run:
                out.extend(self._run(run))
        return out or [py.Pass()]

    def _tick(self, span: Span, name: str = TICK) -> py.stmt:
        return self._fill(py.Expr(value=py.Call(func=py.Name(id=name, ctx=py.Load()), args=[], keywords=[])),
                          span)  # type: ignore[no-any-return]

    def _marker(self, span: Span) -> list[py.stmt]:
        return [self._fill(py.Expr(value=py.Name(id=TICK, ctx=py.Load())), span)]

    def _left(self, count: int, span: Span) -> py.stmt:
        return self._fill(py.Assign(targets=[py.Name(id=LEFT, ctx=py.Store())], value=py.Constant(value=count)),
                          span)  # type: ignore[no-any-return]

    def _run(self, run: list[tuple[Span, list[py.stmt]]]) -> list[py.stmt]:
        """One run of statements: charged at once when the budget allows, else counted one by one."""
        size = len(run)
        first_span = run[0][0]
        fast: list[py.stmt] = [self._fill(py.AugAssign(target=py.Name(id=STEPS, ctx=py.Store()), op=py.Sub(),
                                                       value=py.Constant(value=size)), first_span)]
        exact: list[py.stmt] = []
        for index, (span, code) in enumerate(run[:-1]):
            if code:  # (a loop's per-iteration count has no code: nothing can fail there)
                fast.append(self._left(size - index - 1, span))
                fast.extend(self._marker(span) + [_copy(statement) for statement in code])
            exact.append(self._tick(span))
            exact.extend(code)
        last_span, last_code = run[-1]
        exact.append(self._tick(last_span, TICK_LAST))
        check = py.Compare(left=py.Name(id=STEPS, ctx=py.Load()), ops=[py.GtE()], comparators=[py.Constant(value=size)])
        out: list[py.stmt] = [self._fill(py.If(test=check, body=fast, orelse=exact), first_span)]
        if size > 1:  # outside a fast run __left is always 0
            out.append(self._left(0, last_span))
        if last_code:
            out.extend(self._marker(last_span) + last_code)
        return out


def _copy(node: py.stmt) -> py.stmt:
    """A deep copy of compiled statements (the fast and the exact copy of a run must not share nodes)."""
    import copy

    return copy.deepcopy(node)
