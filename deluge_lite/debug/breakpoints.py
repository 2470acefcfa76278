"""Breakpoints: where a run stops, under which condition, after how many hits.

A `Breakpoint` sits on a line that has a statement (a line without one moves the
breakpoint to the next line that has one, and its ``message`` says so) or on a function
(it stops at the function's first statement). Its condition is Deluge, parsed when the
breakpoint is set: a condition that does not parse leaves the breakpoint disabled with
the error as its message. A hit condition (``HIT_TESTS``) says on which hits to stop.

`StopLines` knows, for one compiled file, which lines hold statements and at which
bytecode offsets a statement starts (the load of the statement ticker the compiler puts
before every statement, and the head of each ``for each`` loop); the engine stops only
there, so a statement written over several lines stops once.
"""

from __future__ import annotations

import bisect
import dis
import operator
import re
from collections.abc import Callable, Iterator
from types import CodeType

from ..errors import DelugeError
from ..fieldclass import field, fieldclass
from .evaluate import Evaluator, Parsed

TICK = "__tick"
_PREFIX_OPS = frozenset({"PUSH_NULL", "NOP", "EXTENDED_ARG"})  # what may come first on the line

# Hit conditions, as VS Code sends them: "5" (the fifth hit), "==5", ">5", ">=5", "<5", "<=5", "%5".
HIT_TESTS: dict[str, Callable[[int, int], bool]] = {
    "": operator.eq,
    "==": operator.eq,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "%": lambda hits, every: hits % every == 0,
}
_HIT_SYNTAX = re.compile(r"^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$")


def parse_hit_condition(text: str) -> Callable[[int], bool]:
    """A hit count test; a malformed one raises ValueError with the reason."""
    match = _HIT_SYNTAX.match(text)
    if not match or (match.group(1) == "%" and int(match.group(2)) == 0):
        raise ValueError(f"hit condition '{text}' is not understood: use N, ==N, >N, >=N, <N, <=N or %N "
                         "with N a whole number (%N above 0)")
    test, count = HIT_TESTS[match.group(1) or ""], int(match.group(2))
    return lambda hits: test(hits, count)


@fieldclass
class Breakpoint:
    """One breakpoint; ``verified`` is false when it cannot stop (its ``message`` says why)."""

    id: int
    path: str | None  # the file key (a resolved path or the source name); None for a function breakpoint
    line: int | None  # where it stops
    requested_line: int | None = None
    function: str | None = None
    condition: str | None = None
    hit_condition: str | None = None
    verified: bool = True
    message: str | None = None
    hits: int = 0
    parsed_condition: Parsed | None = field(default=None, repr=False)
    hit_test: Callable[[int], bool] | None = field(default=None, repr=False)

    def describe(self) -> str:
        where = self.function or f"line {self.line}"
        extra = f" if {self.condition}" if self.condition else ""
        extra += f" (hit {self.hit_condition})" if self.hit_condition else ""
        state = "" if self.verified else f"  [disabled: {self.message}]"
        return f"{self.id}: {where}{extra}, hit {self.hits} time{'s' if self.hits != 1 else ''}{state}"


def prepare(breakpoint: Breakpoint, evaluator: Evaluator) -> Breakpoint:
    """Parse the condition and hit condition; a bad one disables the breakpoint with the reason."""
    try:
        if breakpoint.condition:
            breakpoint.parsed_condition = evaluator.parse(breakpoint.condition, "<condition>")
        if breakpoint.hit_condition:
            breakpoint.hit_test = parse_hit_condition(breakpoint.hit_condition)
    except DelugeError as error:
        breakpoint.verified = False
        breakpoint.message = "the condition does not parse: " + error.render().replace("\n", "\n  ")
    except ValueError as error:
        breakpoint.verified = False
        breakpoint.message = str(error)
    return breakpoint


def code_objects(code: CodeType) -> Iterator[CodeType]:
    """A compiled module's code object and every code object nested in it."""
    pending = [code]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(const for const in current.co_consts if isinstance(const, CodeType))


class StopLines:
    """Statement starts of one compiled file: valid breakpoint lines and the offsets to stop at."""

    def __init__(self, module: CodeType) -> None:
        self.offsets: dict[CodeType, frozenset[int]] = {}
        self.first: dict[CodeType, tuple[frozenset[int], int]] = {}  # code -> offsets and line of its first statement
        # line starts whose line holds a statement start further on (a script's first line copies
        # its --arg inputs before the first statement): the tracer walks those lines by instruction
        self.approaches: dict[CodeType, dict[int, int]] = {}
        # the instruction itself (the ticker's load, FOR_ITER) without what may come first on its
        # line: a tracer that sees every instruction (sys.monitoring) stops once per statement here
        self.anchors: dict[CodeType, frozenset[int]] = {}
        # code -> stop offset -> its statement's line (frame.f_lineno scans the line table each time)
        self.line_of: dict[CodeType, dict[int, int]] = {}
        lines: set[int] = set()
        for code in code_objects(module):
            if code is module:
                continue  # the module only defines the functions and binds the helpers
            found: set[int] = set()
            anchors: set[int] = set()
            line_of: dict[int, int] = {}
            instructions = list(dis.get_instructions(code))
            for index, instruction in enumerate(instructions):
                if instruction.opname == "FOR_ITER" or (instruction.argval == TICK
                                                        and instruction.opname.startswith("LOAD_")):
                    line = instruction.positions.lineno if instruction.positions else None
                    if line is None:
                        continue
                    group = {instruction.offset}
                    back = index - 1
                    while back >= 0 and instructions[back].opname in _PREFIX_OPS:
                        group.add(instructions[back].offset)
                        back -= 1
                    found |= group
                    line_of.update(dict.fromkeys(group, line))
                    anchors.add(instruction.offset)
                    lines.add(line)
                    if instruction.argval == TICK and code not in self.first:
                        self.first[code] = (frozenset(group), line)
            self.offsets[code] = frozenset(found)
            self.anchors[code] = frozenset(anchors)
            self.line_of[code] = line_of
            self.approaches[code] = _approaches(code, found)
        self.lines = sorted(lines)

    def resolve(self, line: int) -> int | None:
        """The first line at or after ``line`` that holds a statement."""
        index = bisect.bisect_left(self.lines, line)
        return self.lines[index] if index < len(self.lines) else None


def _approaches(code: CodeType, starts: set[int]) -> dict[int, int]:
    """Line -> its first statement start, for the lines of ``code`` where that is not the line's first instruction."""
    line_starts = sorted(offset for offset, _line in dis.findlinestarts(code))
    lines = {offset: line for offset, line in dis.findlinestarts(code)}
    found: dict[int, int] = {}
    for start in sorted(starts):
        index = bisect.bisect_right(line_starts, start) - 1
        if index >= 0 and line_starts[index] != start:
            found.setdefault(lines[line_starts[index]], start)
    return found


__all__ = ["Breakpoint", "HIT_TESTS", "StopLines", "code_objects", "parse_hit_condition", "prepare"]
