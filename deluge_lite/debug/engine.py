"""The debugger engine: runs one program under a tracer and stops where it is asked to.

`Engine(target, frontend)` runs the target's script the ordinary way
(`Interpreter.execute`), with a tracer (`tracing.py`) watching only the code objects
compiled from the target's files. It stops at breakpoints (with conditions and hit
counts), after ``step`` / ``next`` / ``finish``, on a pause request, before each HTTP
call (``break_on_http``), on every runtime error as it is raised (``break_on_raised``),
and after the run, on the failing statement of an error nothing caught
(``break_on_uncaught``, post-mortem). At each stop it hands a `Stop` (the Deluge call
stack, innermost first) to the frontend, whose ``paused(stop)`` returns what to do next:
one of ``ACTIONS``. The frontend (the terminal debugger, the DAP server) reads variables
and evaluates expressions through the engine while it is paused.

Time spent paused does not count against the run's time limit. Without an engine the
run is untouched: nothing here is imported or installed.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import sys
import time
from collections.abc import Iterable
from types import CodeType, FrameType, TracebackType
from typing import Any, Protocol

from .. import ast
from ..compiler import MAIN_NAME, CompiledProgram, variable_name
from ..errors import DelugeError, DelugeRuntimeError
from ..fieldclass import field, fieldclass
from ..interpreter import Interpreter, RunResult, Script
from ..source import Source
from .breakpoints import Breakpoint, StopLines, prepare
from .evaluate import Evaluator, frame_variables
from .tracing import make_tracer

ACTIONS = ("continue", "step", "next", "finish", "terminate")
SCRIPT_LABEL = "the script"


class DebugTerminated(BaseException):
    """Raised into the run to stop it (quit, a DAP disconnect); Deluge's try/catch cannot catch it."""


class Frontend(Protocol):
    def paused(self, stop: Stop) -> str:
        """Called in the run's thread at each stop; returns one of ACTIONS."""


@fieldclass
class Target:
    """What to run: an interpreter and the loaded script(s), with --arg values or a --call."""

    interpreter: Interpreter
    script: Script
    args: dict[str, Any] = field(default_factory=dict)
    call: str | None = None
    call_args: list[Any] | None = None
    paths: dict[str, str] = field(default_factory=dict)  # source name -> file path on disk
    more_scripts: list[Script] = field(default_factory=list)  # other files of a project
    context_names: tuple[str, ...] = ()  # what the platform context injects (input, crmAPIRequest...)

    def compiled_files(self) -> list[CompiledProgram]:
        """Every compiled file of the run: the script, the project files it calls into, any others."""
        scripts = [self.script, *self.more_scripts]
        return [compiled for script in scripts
                for compiled in (script.compiled, *getattr(script, "libraries", ()))]


@fieldclass
class DebugFrame:
    """One Deluge frame of a stop: the function, where it is, and the Python frame behind it."""

    name: str
    file: str
    path: str | None
    line: int
    column: int
    frame: FrameType
    live: bool  # false after the run ended (post-mortem): variables read-only

    def location(self) -> str:
        return f"{self.file}:{self.line}"


@fieldclass
class Stop:
    """Why and where the run stopped."""

    reason: str  # entry | breakpoint | function breakpoint | step | pause | exception | http
    frames: list[DebugFrame]
    description: str = ""
    error: DelugeError | None = None
    breakpoint_ids: list[int] = field(default_factory=list)
    post_mortem: bool = False


@fieldclass
class _File:
    source: Source
    program: ast.Program
    key: str  # how breakpoints name the file: its resolved path, or the source name
    path: str | None
    stops: StopLines
    labels: dict[str, str]  # python function name -> Deluge name
    spelled: dict[str, str] | None = None  # lower-case variable name -> as the script spells it


def file_key(name: str) -> str:
    """The key a file's breakpoints are stored under: its resolved path when it exists."""
    return os.path.realpath(name) if os.path.exists(name) else name


class Engine:
    """Breakpoints, stepping and stops over one run of a target."""

    def __init__(self, target: Target, frontend: Frontend) -> None:
        self.target = target
        self.frontend = frontend
        self.runtime = target.interpreter.runtime
        self.files: dict[str, _File] = {}
        for compiled in target.compiled_files():
            code = compiled.code
            path = target.paths.get(compiled.source.name, compiled.source.name)
            self.files[code.co_filename] = _File(compiled.source, compiled.program, file_key(path),
                                                 path if os.path.exists(path) else None,
                                                 StopLines(code), dict(compiled.function_names))
        self.main_key = self.files[target.script.compiled.code.co_filename].key
        self.evaluator = Evaluator(target.interpreter, {name: f.program for name, f in self.files.items()},
                                   {name: f.source for name, f in self.files.items()})
        self.breakpoints: dict[str, dict[int, list[Breakpoint]]] = {}  # file key -> line -> breakpoints
        self.function_breakpoints: dict[int, list[Breakpoint]] = {}  # id(code) -> breakpoints
        # hot-path tables by id(code): hashing a code object reads all of it
        self._line_of = {id(code): lines for info in self.files.values() for code, lines in info.stops.line_of.items()}
        self._first = {id(code): first for info in self.files.values() for code, first in info.stops.first.items()}
        self._all: dict[int, Breakpoint] = {}
        self._ids = itertools.count(1)
        self.stop_on_entry = False
        self.break_on_raised = False
        self.break_on_uncaught = True
        self.break_on_http = False
        self.stop: Stop | None = None
        self._mode = "continue"
        self._mode_depth = 0
        self._pause_requested = False
        self._terminate_requested = False
        self._paused = False
        self._stopped_error: BaseException | None = None
        self.paused_seconds = 0.0

    # ---- breakpoints
    def file_for(self, name: str | None) -> _File | None:
        """The loaded file a user names (a path, a source name, or None for the main script)."""
        if name is None:
            key = self.main_key
        else:
            key = file_key(name)
        for info in self.files.values():
            if info.key == key or info.source.name == name or (name and os.path.basename(info.source.name) == name):
                return info
        return None

    def set_breakpoints(self, file: str | None, specs: Iterable[tuple[int, str | None, str | None]]) -> list[Breakpoint]:
        """Replace the breakpoints of one file with ``(line, condition, hit_condition)`` specs."""
        info = self.file_for(file)
        key = info.key if info is not None else file_key(file or "")
        for old in [bp for line in self.breakpoints.get(key, {}).values() for bp in line]:
            self._all.pop(old.id, None)
        table: dict[int, list[Breakpoint]] = {}
        made = []
        for line, condition, hit in specs:
            bp = self._line_breakpoint(info, key, line, condition, hit)
            made.append(bp)
            if bp.verified and bp.line is not None:
                table.setdefault(bp.line, []).append(bp)
        self.breakpoints[key] = table
        return made

    def add_breakpoint(self, file: str | None, line: int, condition: str | None = None,
                       hit_condition: str | None = None) -> Breakpoint:
        info = self.file_for(file)
        key = info.key if info is not None else file_key(file or "")
        bp = self._line_breakpoint(info, key, line, condition, hit_condition)
        if bp.verified and bp.line is not None:
            self.breakpoints.setdefault(key, {}).setdefault(bp.line, []).append(bp)
        return bp

    def _line_breakpoint(self, info: _File | None, key: str, line: int, condition: str | None,
                         hit: str | None) -> Breakpoint:
        bp = Breakpoint(next(self._ids), key, line, line, condition=condition or None, hit_condition=hit or None)
        self._all[bp.id] = bp
        if info is None:
            bp.verified, bp.message = False, f"{key} is not part of this program"
            return bp
        moved = info.stops.resolve(line)
        if moved is None:
            bp.verified, bp.message = False, f"line {line} of {info.source.name} has no statement after it"
            return bp
        if moved != line:
            bp.line = moved
            bp.message = f"line {line} has no statement; the breakpoint moved to line {moved}"
        return prepare(bp, self.evaluator)

    def set_function_breakpoints(self, specs: Iterable[tuple[str, str | None, str | None]]) -> list[Breakpoint]:
        for bps in self.function_breakpoints.values():
            for bp in bps:
                self._all.pop(bp.id, None)
        self.function_breakpoints = {}
        return [self.add_function_breakpoint(name, condition, hit) for name, condition, hit in specs]

    def add_function_breakpoint(self, name: str, condition: str | None = None,
                                hit_condition: str | None = None) -> Breakpoint:
        bp = Breakpoint(next(self._ids), None, None, function=name, condition=condition or None,
                        hit_condition=hit_condition or None)
        self._all[bp.id] = bp
        wanted = name.lower()
        for info in self.files.values():
            for code, (_offset, line) in info.stops.first.items():
                label = info.labels.get(code.co_name, "")
                if label and (label.lower() == wanted or label.lower().split(".")[-1] == wanted):
                    bp.function, bp.line, bp.path = label, line, info.key
                    self.function_breakpoints.setdefault(id(code), []).append(bp)
                    return prepare(bp, self.evaluator)
        known = sorted({label for info in self.files.values() for label in info.labels.values()})
        bp.verified = False
        bp.message = f"no function named '{name}' (defined: {', '.join(known) or 'none'})"
        return bp

    def remove_breakpoint(self, number: int) -> bool:
        bp = self._all.pop(number, None)
        if bp is None:
            return False
        for table in self.breakpoints.values():
            for line, bps in list(table.items()):
                table[line] = [other for other in bps if other.id != number]
        for code, bps in list(self.function_breakpoints.items()):
            self.function_breakpoints[code] = [other for other in bps if other.id != number]
        return True

    def all_breakpoints(self) -> list[Breakpoint]:
        return sorted(self._all.values(), key=lambda bp: bp.id)

    # ---- control from the frontend (any thread)
    def request_pause(self) -> None:
        self._pause_requested = True

    def request_terminate(self) -> None:
        self._terminate_requested = True

    # ---- running
    def run(self) -> RunResult:
        """Run the target under the tracer; a script error propagates after any post-mortem stop."""
        target = self.target
        if self.stop_on_entry:
            self._mode, self._mode_depth = "entry", 0
        hook, self.runtime.on_effect = self.runtime.on_effect, self._on_effect
        tracer = make_tracer(self, {code: offsets for info in self.files.values()
                                    for code, offsets in info.stops.offsets.items()},
                             {code: starts for info in self.files.values()
                              for code, starts in info.stops.approaches.items()},
                             {code: anchors for info in self.files.values()
                              for code, anchors in info.stops.anchors.items()})
        tracer.start()
        try:
            return target.interpreter.execute(target.script, target.args, target.call, target.call_args)
        except DelugeError as error:
            tracer.stop()
            seen = self._stopped_error is not None and self._stopped_error in (error, error.__context__)
            if self.break_on_uncaught and not seen and not self._terminate_requested:
                frames = self._dead_frames(error.__traceback__)
                if frames:
                    self._pause(Stop("exception", frames, error.message, error, post_mortem=True))
            raise
        finally:
            tracer.stop()
            self.runtime.on_effect = hook

    # ---- called by the tracer (the run's thread)
    def on_line(self, frame: FrameType, offsets: frozenset[int]) -> None:
        if self._paused:
            return
        if self._terminate_requested:
            raise DebugTerminated()
        if frame.f_lasti not in offsets:
            return
        reason, hit = self._should_stop(frame)
        if reason is not None:
            self._pause(Stop(reason, self._live_frames(frame), breakpoint_ids=[bp.id for bp in hit]))

    def on_raise(self, frame: FrameType, error: BaseException) -> None:
        if self._paused or not self.break_on_raised or error is self._stopped_error:
            return
        if not isinstance(error, DelugeError | NameError | RecursionError):
            return
        self._stopped_error = error
        self._pause(Stop("exception", self._live_frames(frame), self._raised_message(error, frame)))

    def _on_effect(self, kind: str, detail: dict[str, Any]) -> None:
        if self._paused:
            return
        if self._terminate_requested:
            raise DebugTerminated()
        if kind == "http" and self.break_on_http:
            frames = self._live_frames(sys._getframe(1))
            shown = f"{detail['method']} {detail['url']} (connection: {detail.get('connection') or 'none'})"
            self._pause(Stop("http", frames, self.runtime.redact(shown)))

    def _should_stop(self, frame: FrameType) -> tuple[str | None, list[Breakpoint]]:
        reason = None
        if self._pause_requested:
            self._pause_requested = False
            reason = "pause"
        elif self._mode == "entry":
            reason = "entry"
        elif self._mode == "step":
            reason = "step"
        elif self._mode in ("next", "finish"):
            depth = self._depth(frame)
            if depth < self._mode_depth or (self._mode == "next" and depth == self._mode_depth):
                reason = "step"
        code = frame.f_code
        info = self.files.get(code.co_filename)
        candidates: list[Breakpoint] = []
        if info is not None:
            line = self._line_of[id(code)].get(frame.f_lasti, -1)
            candidates.extend(self.breakpoints.get(info.key, {}).get(line, ()))
        bps = self.function_breakpoints.get(id(code))
        if bps and frame.f_lasti in self._first[id(code)][0]:
            candidates.extend(bps)
        hit = [bp for bp in candidates if self._breakpoint_hits(bp, frame)]
        if hit:
            reason = "function breakpoint" if hit[0].function else "breakpoint"
        return reason, hit

    def _breakpoint_hits(self, bp: Breakpoint, frame: FrameType) -> bool:
        if not bp.verified:
            return False
        if bp.parsed_condition is not None:
            try:
                from ..values import truth

                if not truth(self.evaluator.evaluate(bp.parsed_condition, frame)):
                    return False
            except DelugeError as error:
                bp.message = f"the condition failed: {error.message}"  # a failing condition stops, and says so
        bp.hits += 1
        return bp.hit_test is None or bp.hit_test(bp.hits)

    def _pause(self, stop: Stop) -> None:
        self.stop = stop
        self._paused = True
        started = time.monotonic()
        try:
            action = self.frontend.paused(stop)
        finally:
            paused = time.monotonic() - started
            self.paused_seconds += paused
            self.runtime.extend_deadline(paused)
            self._paused = False
            self.stop = None
        if action not in ACTIONS:
            action = "continue"
        if action == "terminate" or self._terminate_requested:
            self._terminate_requested = True
            if not stop.post_mortem:
                raise DebugTerminated()
            return
        self._mode = action
        self._mode_depth = len(stop.frames)

    # ---- frames
    def _depth(self, frame: FrameType | None) -> int:
        depth = 0
        while frame is not None:
            if frame.f_code.co_filename in self.files and frame.f_code.co_name != "<module>":
                depth += 1
            frame = frame.f_back
        return depth

    def _frame(self, frame: FrameType, lasti: int, live: bool) -> DebugFrame | None:
        code = frame.f_code
        info = self.files.get(code.co_filename)
        if info is None or code.co_name == "<module>":
            return None
        line, column = _position(code, lasti)
        if line is None:
            line = frame.f_lineno
        name = info.labels.get(code.co_name, SCRIPT_LABEL if code.co_name == MAIN_NAME else code.co_name)
        return DebugFrame(name, info.source.name, info.path, line, column, frame, live)

    def _live_frames(self, frame: FrameType | None) -> list[DebugFrame]:
        frames = []
        while frame is not None:
            found = self._frame(frame, frame.f_lasti, True)
            if found is not None:
                if not frames:  # the innermost frame: the line the tracer reports
                    found.line = frame.f_lineno or found.line
                frames.append(found)
            frame = frame.f_back
        return frames

    def _dead_frames(self, traceback: TracebackType | None) -> list[DebugFrame]:
        seen: dict[int, int] = {}
        frames: list[DebugFrame] = []
        while traceback is not None:
            found = self._frame(traceback.tb_frame, traceback.tb_lasti, False)
            if found is not None:
                if id(traceback.tb_frame) in seen:  # re-raised from a handler: keep the innermost position
                    frames = frames[:seen[id(traceback.tb_frame)]]
                seen[id(traceback.tb_frame)] = len(frames)
                frames.append(found)
            traceback = traceback.tb_next
        return list(reversed(frames))

    def _raised_message(self, error: BaseException, frame: FrameType) -> str:
        if isinstance(error, DelugeError):
            return error.message
        if isinstance(error, NameError):
            name = str(getattr(error, "name", "") or "").removeprefix("v_")
            return f"Variable '{name}' is not defined"
        return "the script nests calls or values too deeply"

    # ---- inspecting (the frontend, while paused)
    def frame_at(self, index: int) -> DebugFrame:
        if self.stop is None:
            raise DelugeRuntimeError("the program is running; pause it first")
        if not 0 <= index < len(self.stop.frames):
            raise DelugeRuntimeError(f"there is no frame {index} (the stack has {len(self.stop.frames)})")
        return self.stop.frames[index]

    def variables(self, index: int = 0) -> dict[str, Any]:
        """The frame's variables by their spelling in the script, in the order they appear."""
        frame = self.frame_at(index)
        values = frame_variables(frame.frame)
        spelled = self._spellings(frame)
        return {spelled.get(name, name): value for name, value in values.items()}

    def arguments(self, index: int = 0) -> list[str]:
        """Lower-case names of a frame's arguments (a function's parameters, or the script's --arg inputs)."""
        frame = self.frame_at(index).frame
        code = frame.f_code
        if code.co_name == MAIN_NAME:
            injected = {name.lower() for name in self.target.context_names}
            return sorted(name for key in frame.f_globals if key.startswith("__input_")
                          and (name := key.removeprefix("__input_")) not in injected)
        return [name[2:] for name in code.co_varnames[:code.co_argcount] if name.startswith("v_")]

    def context_variables(self, index: int = 0) -> dict[str, Any]:
        """The names the platform context injected, in the script's own frame (empty in a function)."""
        if self.frame_at(index).frame.f_code.co_name != MAIN_NAME:
            return {}
        injected = {name.lower() for name in self.target.context_names}
        return {name: value for name, value in self.variables(index).items() if name.lower() in injected}

    def evaluate(self, text: str, index: int = 0) -> Any:
        frame = self.frame_at(index)
        return self.evaluator.evaluate(self.evaluator.parse(text), frame.frame)

    def assign(self, name: str, text: str, index: int = 0) -> Any:
        """``name = <expression>`` in a paused frame; returns the new value."""
        frame = self.frame_at(index)
        key = variable_name(name)
        if not frame.live:
            raise DelugeRuntimeError("the run has ended; variables can be read but not changed")
        if key not in frame.frame.f_code.co_varnames:
            raise DelugeRuntimeError(f"'{name}' is not a variable of {frame.name}; only existing variables "
                                     "can be assigned while debugging")
        value = self.evaluate(text, index)
        write_local(frame.frame, key, value)
        return value

    def _spellings(self, frame: DebugFrame) -> dict[str, str]:
        info = self.files.get(frame.frame.f_code.co_filename)
        if info is None:
            return {}
        if info.spelled is None:
            info.spelled = spellings(info.program)
        return info.spelled

    def source_of(self, frame: DebugFrame) -> Source:
        info = self.files[frame.frame.f_code.co_filename]
        return info.source

    def breakpoint_lines(self, frame: DebugFrame) -> set[int]:
        info = self.files[frame.frame.f_code.co_filename]
        return set(self.breakpoints.get(info.key, {}))


def write_local(frame: FrameType, key: str, value: Any) -> None:
    """Set a fast local of a paused frame (write-through on 3.13+, PyFrame_LocalsToFast before)."""
    if sys.version_info >= (3, 13):
        frame.f_locals[key] = value
        return
    frame.f_locals[key] = value
    ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))


def spellings(program: ast.Program) -> dict[str, str]:
    """Lower-case variable name -> how the script first spells it (names are case-insensitive)."""
    found: dict[str, str] = {}
    pending: list[Any] = [program]
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Name):
            found.setdefault(node.name.lower(), node.name)
        if isinstance(node, ast.Node):
            pending.extend(getattr(node, name) for name in node.__fieldclass_fields__ if name != "span")
        elif isinstance(node, tuple):
            pending.extend(node)
    return found


def _position(code: CodeType, lasti: int) -> tuple[int | None, int]:
    positions = list(code.co_positions())
    index = lasti // 2
    if 0 <= index < len(positions):
        line, _end, col, _end_col = positions[index]
        return line, (col or 0) + 1
    return None, 1


__all__ = ["ACTIONS", "DebugFrame", "DebugTerminated", "Engine", "Frontend", "Stop", "Target"]
