"""``deluge-lite debug FILE``: a pdb-style debugger in the terminal, on prompt_toolkit.

The run stops before its first statement; commands (the `COMMANDS` table, ``help`` lists
them) set breakpoints, step, show the stack, the source and variables, evaluate and
assign. A line that is ``name = expression`` assigns. An empty line repeats the last
command. Ctrl-D or ``quit`` stops the run. Values are shown in ``info`` format with
secrets masked. When stdin is not a terminal (and no prompt_toolkit input is given)
commands are read line by line without a prompt, so a file of commands can be piped in.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from ..errors import DelugeError
from ..fieldclass import fieldclass
from .engine import DebugTerminated, Engine, Stop, Target
from .values_view import secret_aware, shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PROMPT = "(deluge) "
LIST_CONTEXT = 5
_ASSIGNMENT = re.compile(r"^\s*(?:set\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*?);?\s*$", re.S)
_BREAK = re.compile(r"^(?:(?P<file>[^\s:]+\.dg):)?(?P<where>[A-Za-z_][\w.]*|\d+)(?:\s+if\s+(?P<cond>.+))?$", re.S)

_REASONS = {
    "entry": "at the first statement",
    "breakpoint": "at a breakpoint",
    "function breakpoint": "at a breakpoint",
    "step": "",
    "pause": "on a pause",
    "exception": "on a runtime error",
    "http": "before an HTTP call",
}


@fieldclass(frozen=True)
class Command:
    method: str
    usage: str
    help: str
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {
    "break": Command("_break", "break [FILE:]LINE|FUNCTION [if CONDITION]",
                     "set a breakpoint (the condition is Deluge); with nothing after it, list them", ("b",)),
    "delete": Command("_delete", "delete [N]", "remove breakpoint N (all without N)", ("clear", "d")),
    "continue": Command("_continue", "continue", "run to the next breakpoint", ("c", "cont")),
    "step": Command("_step", "step", "run to the next statement, into functions", ("s",)),
    "next": Command("_next", "next", "run to the next statement in this function or its caller", ("n",)),
    "finish": Command("_finish", "finish", "run until the current function returns", ("f", "out")),
    "where": Command("_where", "where", "the Deluge call stack, innermost first", ("w", "bt")),
    "frame": Command("_frame", "frame N", "select frame N of the stack (for print, vars, list)", ()),
    "print": Command("_print", "print EXPRESSION", "the value of a Deluge expression, in info format", ("p",)),
    "vars": Command("_vars", "vars", "the variables of the selected frame", ("v", "locals")),
    "list": Command("_list", "list [LINE]", "the source around the current line (or LINE)", ("l",)),
    "catch": Command("_catch", "catch [on|off]", "stop at every runtime error, even one a try/catch handles", ()),
    "http": Command("_http", "http [on|off]", "stop before each HTTP call (as --break-on-http)", ()),
    "help": Command("_help", "help", "this list; NAME = EXPRESSION assigns a variable", ("h", "?")),
    "quit": Command("_quit", "quit", "stop the run and leave", ("q", "exit")),
}
_BY_NAME = {alias: name for name, command in COMMANDS.items() for alias in (name, *command.aliases)}


class TerminalDebugger:
    """One debugging session of one target in the terminal."""

    def __init__(self, target: Target, *, input: Any = None, output: Any = None,
                 write: Callable[[str], None] | None = None, warn: Callable[[str], None] | None = None) -> None:
        self.engine = Engine(target, self)
        self.engine.stop_on_entry = True
        self.write = write or _stdout
        self.warn = warn or _stderr
        self.redact = secret_aware(target.interpreter.runtime)
        self.selected = 0
        self.last = ""
        self.stop: Stop | None = None
        self.shown_post_mortem = False
        self._read = self._reader(input, output)

    # ---- the session
    def run(self) -> int:
        """Run to the end; 0 when the script finished or the user quit, 1 after a script error."""
        try:
            self.engine.run()
        except DebugTerminated:
            self.write("the run was stopped")
            return 0
        except DelugeError as error:
            if not self.shown_post_mortem:
                self.warn(self.redact(error.render()))
            return 1
        self.write("the script finished")
        return 0

    def paused(self, stop: Stop) -> str:
        self.stop, self.selected = stop, 0
        self._show_stop(stop)
        while True:
            try:
                line = self._read(PROMPT)
            except EOFError:
                return "terminate"
            except KeyboardInterrupt:
                continue
            line = line.strip() or self.last
            if not line:
                continue
            self.last = line
            action = self.execute(line)
            if action is not None:
                if stop.post_mortem and action != "terminate":
                    return "continue"
                return action

    def execute(self, line: str) -> str | None:
        """Run one command line; returns an action that resumes the run, or None to stay paused."""
        word, _, rest = line.partition(" ")
        name = _BY_NAME.get(word.lower())
        if name is None:
            assignment = _ASSIGNMENT.match(line)
            if assignment:
                return self._assign(assignment.group(1), assignment.group(2))
            self.warn(f"unknown command '{word}'; type help for the list")
            return None
        try:
            return getattr(self, COMMANDS[name].method)(rest.strip())  # type: ignore[no-any-return]
        except DelugeError as error:
            self.warn(self.redact(error.render()))
            return None

    # ---- commands
    def _break(self, rest: str) -> None:
        if not rest:
            for bp in self.engine.all_breakpoints():
                self.write(bp.describe())
            if not self.engine.all_breakpoints():
                self.write("no breakpoints")
            return
        match = _BREAK.match(rest)
        if match is None:
            self.warn(f"usage: {COMMANDS['break'].usage}")
            return
        where, condition = match.group("where"), match.group("cond")
        if where.isdigit():
            bp = self.engine.add_breakpoint(match.group("file"), int(where), condition)
        else:
            bp = self.engine.add_function_breakpoint(where, condition)
        if bp.verified:
            place = f"{bp.function} (line {bp.line})" if bp.function else f"line {bp.line}"
            self.write(f"breakpoint {bp.id} at {place}" + (f" if {condition}" if condition else ""))
            if bp.message:
                self.write(f"  note: {bp.message}")
        else:
            self.warn(f"breakpoint {bp.id} is disabled: {bp.message}")

    def _delete(self, rest: str) -> None:
        numbers = [bp.id for bp in self.engine.all_breakpoints()] if not rest else None
        if numbers is None:
            if not rest.isdigit():
                self.warn(f"usage: {COMMANDS['delete'].usage}")
                return
            numbers = [int(rest)]
        for number in numbers:
            if self.engine.remove_breakpoint(number):
                self.write(f"deleted breakpoint {number}")
            else:
                self.warn(f"there is no breakpoint {number}")

    def _continue(self, _rest: str) -> str:
        return "continue"

    def _step(self, _rest: str) -> str:
        return "step"

    def _next(self, _rest: str) -> str:
        return "next"

    def _finish(self, _rest: str) -> str:
        return "finish"

    def _quit(self, _rest: str) -> str:
        return "terminate"

    def _where(self, _rest: str) -> None:
        for index, frame in enumerate(self._frames()):
            marker = "->" if index == self.selected else "  "
            self.write(f"{marker} {index} {frame.name} ({frame.file}:{frame.line}:{frame.column})")

    def _frame(self, rest: str) -> None:
        frames = self._frames()
        if not rest.isdigit() or int(rest) >= len(frames):
            self.warn(f"usage: frame N, with N from 0 to {len(frames) - 1}")
            return
        self.selected = int(rest)
        frame = frames[self.selected]
        self.write(f"frame {self.selected}: {frame.name} ({frame.location()})")

    def _print(self, rest: str) -> None:
        if not rest:
            self.warn(f"usage: {COMMANDS['print'].usage}")
            return
        self.write(shown(self.engine.evaluate(rest.removesuffix(";"), self.selected), self.redact))

    def _vars(self, _rest: str) -> None:
        variables = self.engine.variables(self.selected)
        if not variables:
            self.write("no variables yet")
        for name, value in variables.items():
            self.write(f"{name} = {shown(value, self.redact)}")

    def _list(self, rest: str) -> None:
        frame = self._frames()[self.selected]
        source = self.engine.source_of(frame)
        center = int(rest) if rest.isdigit() else frame.line
        marked = self.engine.breakpoint_lines(frame)
        for number in range(max(center - LIST_CONTEXT, 1), min(center + LIST_CONTEXT, source.line_count) + 1):
            marker = "->" if number == frame.line else " B" if number in marked else "  "
            self.write(f"{marker} {number:4d}  {self.redact(source.line_text(number))}")

    def _catch(self, rest: str) -> None:
        self.engine.break_on_raised = rest.lower() != "off"
        self.write("stopping at every runtime error" if self.engine.break_on_raised
                   else "stopping only at errors nothing catches")

    def _http(self, rest: str) -> None:
        self.engine.break_on_http = rest.lower() != "off"
        self.write("stopping before each HTTP call" if self.engine.break_on_http else "not stopping at HTTP calls")

    def _help(self, _rest: str) -> None:
        for command in COMMANDS.values():
            aliases = f" ({', '.join(command.aliases)})" if command.aliases else ""
            self.write(f"{command.usage:<45} {command.help}{aliases}")
        self.write(f"{'NAME = EXPRESSION':<45} assign a variable of the selected frame")

    def _assign(self, name: str, expression: str) -> None:
        try:
            value = self.engine.assign(name, expression, self.selected)
        except DelugeError as error:
            self.warn(self.redact(error.render()))
            return
        self.write(f"{name} = {shown(value, self.redact)}")

    # ---- display
    def _frames(self) -> list[Any]:
        return self.stop.frames if self.stop is not None else []

    def _show_stop(self, stop: Stop) -> None:
        top = stop.frames[0]
        if stop.post_mortem and stop.error is not None:
            self.warn(self.redact(stop.error.render()))
            self.shown_post_mortem = True
            self.write(f"post-mortem in {top.name} ({top.location()}): the run has ended; inspect it with "
                       "where, print and vars, then continue or quit")
        else:
            why = _REASONS.get(stop.reason, "")
            if stop.breakpoint_ids:
                plural = "s" if len(stop.breakpoint_ids) > 1 else ""
                why = f"at breakpoint{plural} {', '.join(str(n) for n in stop.breakpoint_ids)}"
            detail = f": {stop.description}" if stop.description else ""
            self.write(" ".join(part for part in ("stopped", why + detail, "in", top.name) if part)
                       + f" ({top.location()})")
        source = self.engine.source_of(top)
        self.write(f"-> {top.line:4d}  {self.redact(source.line_text(top.line))}")

    # ---- input
    def _reader(self, input: Any, output: Any) -> Callable[[str], str]:
        if input is None and not _is_terminal():
            def read_plain(_prompt: str) -> str:
                line = sys.stdin.readline() if sys.stdin is not None else ""
                if not line:
                    raise EOFError
                return line.rstrip("\n")

            return read_plain
        from ..repl.session.lines import line_reader

        return line_reader(input, output)


def _is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _stderr(line: str) -> None:
    sys.stdout.flush()
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def debug_in_terminal(target: Target, *, break_on_http: bool = False, input: Any = None,
                      output: Any = None) -> int:
    """``deluge-lite debug``: returns the exit code."""
    debugger = TerminalDebugger(target, input=input, output=output)
    debugger.engine.break_on_http = break_on_http
    return debugger.run()


__all__ = ["COMMANDS", "TerminalDebugger", "debug_in_terminal"]
