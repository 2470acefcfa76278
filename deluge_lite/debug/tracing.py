"""How the engine hears about a run: ``sys.monitoring`` on Python 3.12+, ``sys.settrace`` before.

Both tracers watch only the code objects compiled from the program's files and report
two things to the engine: a new line (``engine.on_line(frame, offsets)``, where
``offsets`` are the statement starts of that code object) and an exception raised in a
Deluge frame (``engine.on_raise(frame, error)``). Everything else (the built-ins, the
HTTP layer, Python's own code) runs untraced. ``stop()`` removes the tracer; it is safe
to call twice. The engine decides what a line or an exception means.
"""

from __future__ import annotations

import os
import sys
import threading
from types import CodeType, FrameType
from typing import Any, Protocol


class _Listener(Protocol):
    def on_line(self, frame: FrameType, offsets: frozenset[int]) -> None: ...

    def on_raise(self, frame: FrameType, error: BaseException) -> None: ...


Stops = dict[CodeType, frozenset[int]]
Approaches = dict[CodeType, dict[int, int]]  # code -> line -> the offset of the statement start inside it


class SettraceTracer:
    """``sys.settrace`` in the run's thread: a call event hands back a local tracer for Deluge code only."""

    def __init__(self, listener: _Listener, offsets: Stops, approaches: Approaches) -> None:
        self.listener = listener
        self.offsets = offsets
        self.approaches = approaches
        self.thread: int | None = None
        self.previous: Any = None
        self.reported: tuple[FrameType, int] | None = None

    def start(self) -> None:
        self.thread = threading.get_ident()
        self.previous = sys.gettrace()
        sys.settrace(self._call)

    def stop(self) -> None:
        if self.thread == threading.get_ident():
            sys.settrace(self.previous)
            self.thread = None

    def _call(self, frame: FrameType, event: str, _arg: Any) -> Any:
        if event == "call" and frame.f_code in self.offsets:
            return self._local
        return None

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            offsets = self.offsets[frame.f_code]
            if frame.f_lasti in offsets:
                frame.f_trace_opcodes = False
                self.reported = (frame, frame.f_lasti)  # Python follows with an opcode event for it
                self.listener.on_line(frame, offsets)
            elif frame.f_lasti < self.approaches[frame.f_code].get(frame.f_lineno, -1):
                frame.f_trace_opcodes = True  # the statement starts further on this line
        elif event == "opcode":
            offsets = self.offsets[frame.f_code]
            if frame.f_lasti in offsets and self.reported != (frame, frame.f_lasti):
                frame.f_trace_opcodes = False
                self.listener.on_line(frame, offsets)
            self.reported = None
        elif event == "exception":
            self.listener.on_raise(frame, arg[1])
        return self._local


class MonitoringTracer:
    """``sys.monitoring`` (PEP 669): LINE and RAISE events enabled on the Deluge code objects alone
    (INSTRUCTION too, for the rest of a line whose statement starts after the line does)."""

    def __init__(self, listener: _Listener, offsets: Stops, approaches: Approaches) -> None:
        self.listener = listener
        self.offsets = offsets
        self.approaches = approaches
        self.tool: int | None = None

    def start(self) -> None:
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        for tool in (monitoring.DEBUGGER_ID, 1, 2, 3, 4):
            if monitoring.get_tool(tool) is None:
                monitoring.use_tool_id(tool, "deluge-lite debugger")
                self.tool = tool
                break
        else:
            raise RuntimeError("no free sys.monitoring tool id for the debugger")
        events = monitoring.events
        monitoring.register_callback(self.tool, events.LINE, self._line)
        monitoring.register_callback(self.tool, events.RAISE, self._raise)
        monitoring.register_callback(self.tool, events.INSTRUCTION, self._instruction)
        monitoring.restart_events()  # lines an earlier session disabled (not statement starts) report again
        monitoring.set_events(self.tool, events.RAISE)  # RAISE is global only; _raise keeps Deluge code's
        for code in self.offsets:
            monitoring.set_local_events(self.tool, code, events.LINE)

    def stop(self) -> None:
        if self.tool is None:
            return
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        monitoring.set_events(self.tool, 0)
        for code in self.offsets:
            monitoring.set_local_events(self.tool, code, 0)
        monitoring.register_callback(self.tool, monitoring.events.LINE, None)
        monitoring.register_callback(self.tool, monitoring.events.RAISE, None)
        monitoring.register_callback(self.tool, monitoring.events.INSTRUCTION, None)
        monitoring.free_tool_id(self.tool)
        self.tool = None

    def _line(self, code: CodeType, _line: int) -> Any:
        frame = sys._getframe(1)
        if frame.f_code is not code:
            return None
        if frame.f_lasti in self.offsets[code]:
            self.listener.on_line(frame, self.offsets[code])
        elif frame.f_lasti < self.approaches[code].get(frame.f_lineno, -1):  # the statement starts further on
            self._instructions(code, True)
        else:
            return sys.monitoring.DISABLE  # type: ignore[attr-defined]  # never a stop: not reported again
        return None

    def _instruction(self, code: CodeType, offset: int) -> Any:
        if offset not in self.offsets[code]:
            return None
        self._instructions(code, False)
        frame = sys._getframe(1)
        if frame.f_code is code:
            self.listener.on_line(frame, self.offsets[code])
        return None

    def _instructions(self, code: CodeType, on: bool) -> None:
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        events = monitoring.events
        monitoring.set_local_events(self.tool, code, events.LINE | (events.INSTRUCTION if on else 0))

    def _raise(self, code: CodeType, _offset: int, error: BaseException) -> Any:
        frame = sys._getframe(1)
        if frame.f_code is code:
            self.listener.on_raise(frame, error)
        return None


def make_tracer(listener: _Listener, offsets: Stops, approaches: Approaches, *,
                prefer: str | None = None) -> SettraceTracer | MonitoringTracer:
    """The tracer for this Python over the code objects in ``offsets`` (each with its statement starts;
    ``approaches`` are the line starts from which to walk by instruction to a statement start).

    ``prefer`` ("settrace" or "monitoring") forces one, for tests; ``DELUGE_LITE_TRACER`` does too.
    """
    kind = prefer or os.environ.get("DELUGE_LITE_TRACER") or \
        ("monitoring" if hasattr(sys, "monitoring") else "settrace")
    return (MonitoringTracer if kind == "monitoring" else SettraceTracer)(listener, offsets, approaches)


__all__ = ["MonitoringTracer", "SettraceTracer", "make_tracer"]
