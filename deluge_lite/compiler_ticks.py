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
frame's ``__left``), so the count after a caught error is exact too.

A loop body that *fits* (no inner loop, no try, no call of a script function: nothing in it
can take from the budget but its own runs) makes one test per iteration: when the budget
holds the most statements any path through the body can run, a copy of the body whose runs
charge without testing runs; otherwise the body as above::

    for v_x in ...:
        if __steps >= 4:                # 1 for the iteration + 1 for the if + the longest branch
            __steps -= 2; ...; if c: __steps -= 2; ...
        else:
            (the body with a test per run)

`TickCompiler` is a mixin of the compiler's `_Compiler`.
"""

from __future__ import annotations

import ast as py
from collections.abc import Iterable

from . import ast
from .compiler_copy import copy_tree
from .errors import DelugeCheckError
from .source import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STEPS = "__steps"
LEFT = "__left"
TICK = "__tick"
TICK_LAST = "__tick_last"  # the same ticker under a name the debugger does not take for a statement start
_ENDS_RUN = (ast.Return, ast.Break, ast.Continue, ast.Throw, ast.If, ast.ForEach, ast.Try)
_RUN_TEST = "_deluge_run_test"  # marks the `if __steps >= K` a run compiles to (compiler-internal attribute)


def most_statements(statements: Iterable[ast.Node]) -> int | None:
    """The most statements one pass through a block can count, or None when it does not fit.

    It fits when nothing in it can take from the budget besides its own statements: no
    ``for each`` or ``try`` inside, no call of a script function. An ``if`` counts once for
    its header plus its longest branch.
    """
    total = 0
    for statement in statements:
        if isinstance(statement, ast.ForEach | ast.Try) or calls_a_function(statement):
            return None
        total += 1
        if isinstance(statement, ast.If):
            longest = 0
            for block in [*(body for _, body in statement.branches), statement.orelse or ()]:
                count = most_statements(block)
                if count is None:
                    return None
                longest = max(longest, count)
            total += longest
    return total


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
            pending.extend(getattr(current, key) for key in current.__fieldclass_fields__ if key != "span")
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
            most = most_statements(statements) if loop_span is not None else None
            if most is not None:  # one test per iteration (see the module docstring)
                check = py.Compare(left=py.Name(id=STEPS, ctx=py.Load()), ops=[py.GtE()],
                                   comparators=[py.Constant(value=most + 1)])
                fast = _untested(copy_tree(out))
                out = [self._fill(py.If(test=check, body=fast, orelse=out), loop_span)]
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
                fast.extend(self._marker(span) + copy_tree(code))
            exact.append(self._tick(span))
            exact.extend(code)
        last_span, last_code = run[-1]
        exact.append(self._tick(last_span, TICK_LAST))
        check = py.Compare(left=py.Name(id=STEPS, ctx=py.Load()), ops=[py.GtE()], comparators=[py.Constant(value=size)])
        test = self._fill(py.If(test=check, body=fast, orelse=exact), first_span)
        setattr(test, _RUN_TEST, True)
        out: list[py.stmt] = [test]
        if size > 1:  # outside a fast run __left is always 0
            out.append(self._left(0, last_span))
        if last_code:
            out.extend(self._marker(last_span) + last_code)
        return out


def _untested(statements: list[py.stmt]) -> list[py.stmt]:
    """A block whose runs charge without testing the budget: each run's test replaced by its charging branch."""
    out: list[py.stmt] = []
    for statement in statements:
        if getattr(statement, _RUN_TEST, False):
            out.extend(_untested(statement.body))  # type: ignore[attr-defined]
            continue
        if isinstance(statement, py.If):  # the script's own if (runs inside its branches)
            statement.body = _untested(statement.body)
            statement.orelse = _untested(statement.orelse)
        out.append(statement)
    return out
