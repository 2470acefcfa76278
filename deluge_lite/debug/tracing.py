"""How the engine hears about a run: ``sys.monitoring`` on Python 3.12+, ``sys.settrace`` before.

Both tracers watch only the code objects compiled from the program's files and report
two things to the engine: a statement start (``engine.on_line(frame, offsets)``, where
``offsets`` are the statement starts of that code object) and an exception raised in a
Deluge frame (``engine.on_raise(frame, error)``). Everything else (the built-ins, the
HTTP layer, Python's own code) runs untraced. ``stop()`` removes the tracer; it is safe
to call twice. The engine decides what a line or an exception means.
"""

from __future__ import annotations

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

    def __init__(self, listener: _Listener, offsets: Stops, approaches: Approaches, _anchors: Stops) -> None:
        self.listener = listener
        self.offsets = _by_id(offsets)
        self.approaches = _by_id(approaches)
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
        if event == "call" and id(frame.f_code) in self.offsets:
            return self._local
        return None

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            offsets = self.offsets[id(frame.f_code)]
            if frame.f_lasti in offsets:
                frame.f_trace_opcodes = False
                self.reported = (frame, frame.f_lasti)  # Python follows with an opcode event for it
                self.listener.on_line(frame, offsets)
            elif frame.f_lasti < self.approaches[id(frame.f_code)].get(frame.f_lineno, -1):
                frame.f_trace_opcodes = True  # the statement starts further on this line
        elif event == "opcode":
            offsets = self.offsets[id(frame.f_code)]
            if frame.f_lasti in offsets and self.reported != (frame, frame.f_lasti):
                frame.f_trace_opcodes = False
                self.listener.on_line(frame, offsets)
            self.reported = None
        elif event == "exception":
            self.listener.on_raise(frame, arg[1])
        return self._local


class MonitoringTracer:
    """``sys.monitoring`` (PEP 669): INSTRUCTION events on the Deluge code objects alone, each location
    that is not a statement start disabled the first time it reports (so a run soon pays only for
    statement starts), and RAISE, which Python only offers globally, filtered to Deluge code."""

    def __init__(self, listener: _Listener, offsets: Stops, _approaches: Approaches, anchors: Stops) -> None:
        self.listener = listener
        self.codes = list(offsets)
        self.offsets = _by_id(offsets)
        self.anchors = _by_id(anchors)
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
        monitoring.register_callback(self.tool, events.RAISE, self._raise)
        monitoring.register_callback(self.tool, events.INSTRUCTION, self._instruction)
        monitoring.restart_events()  # locations an earlier session disabled report again
        monitoring.set_events(self.tool, events.RAISE)
        for code in self.codes:
            monitoring.set_local_events(self.tool, code, events.INSTRUCTION)

    def stop(self) -> None:
        if self.tool is None:
            return
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        monitoring.set_events(self.tool, 0)
        for code in self.codes:
            monitoring.set_local_events(self.tool, code, 0)
        monitoring.register_callback(self.tool, monitoring.events.RAISE, None)
        monitoring.register_callback(self.tool, monitoring.events.INSTRUCTION, None)
        monitoring.free_tool_id(self.tool)
        self.tool = None

    def _instruction(self, code: CodeType, offset: int) -> Any:
        anchors = self.anchors.get(id(code))
        if anchors is None or offset not in anchors:
            return sys.monitoring.DISABLE  # type: ignore[attr-defined]  # never a stop: not reported again
        frame = sys._getframe(1)
        if frame.f_code is code:
            self.listener.on_line(frame, self.offsets[id(code)])
        return None

    def _raise(self, code: CodeType, _offset: int, error: BaseException) -> Any:
        if id(code) in self.offsets:
            frame = sys._getframe(1)
            if frame.f_code is code:
                self.listener.on_raise(frame, error)
        return None


def _by_id(table: dict[CodeType, Any]) -> dict[int, Any]:
    """A table keyed by the code objects' ids: hashing a code object reads all of it (slow on 3.12),
    and the code objects outlive the tracer (the program holds them)."""
    return {id(code): value for code, value in table.items()}


def make_tracer(listener: _Listener, offsets: Stops, approaches: Approaches,
                anchors: Stops) -> SettraceTracer | MonitoringTracer:
    """The tracer for this Python over the code objects in ``offsets`` (each with its statement starts,
    the instructions that may come first on their line included); ``approaches`` are the lines to walk
    by instruction to a statement start (settrace), ``anchors`` the statement instructions alone.

    ``sys.monitoring`` where Python has it (3.12+), else ``sys.settrace``. (On 3.12+ settrace is
    built on sys.monitoring, and turning on opcode events inside a line event does not take hold
    at once there, so it is not offered.)
    """
    kind = MonitoringTracer if hasattr(sys, "monitoring") else SettraceTracer
    return kind(listener, offsets, approaches, anchors)


__all__ = ["MonitoringTracer", "SettraceTracer", "make_tracer"]
