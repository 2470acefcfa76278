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


class SettraceTracer:
    """``sys.settrace`` in the run's thread: a call event hands back a local tracer for Deluge code only."""

    def __init__(self, listener: _Listener, offsets: dict[CodeType, frozenset[int]]) -> None:
        self.listener = listener
        self.offsets = offsets
        self.thread: int | None = None
        self.previous: Any = None

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
            self.listener.on_line(frame, self.offsets[frame.f_code])
        elif event == "exception":
            self.listener.on_raise(frame, arg[1])
        return self._local


class MonitoringTracer:
    """``sys.monitoring`` (PEP 669): LINE and RAISE events enabled on the Deluge code objects alone."""

    def __init__(self, listener: _Listener, offsets: dict[CodeType, frozenset[int]]) -> None:
        self.listener = listener
        self.offsets = offsets
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
        for code in self.offsets:
            monitoring.set_local_events(self.tool, code, events.LINE | events.RAISE)

    def stop(self) -> None:
        if self.tool is None:
            return
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        for code in self.offsets:
            monitoring.set_local_events(self.tool, code, 0)
        monitoring.register_callback(self.tool, monitoring.events.LINE, None)
        monitoring.register_callback(self.tool, monitoring.events.RAISE, None)
        monitoring.free_tool_id(self.tool)
        self.tool = None

    def _line(self, code: CodeType, _line: int) -> Any:
        frame = sys._getframe(1)
        if frame.f_code is code:
            self.listener.on_line(frame, self.offsets[code])
        return None

    def _raise(self, code: CodeType, _offset: int, error: BaseException) -> Any:
        frame = sys._getframe(1)
        if frame.f_code is code:
            self.listener.on_raise(frame, error)
        return None


def make_tracer(listener: _Listener, offsets: dict[CodeType, frozenset[int]], *,
                prefer: str | None = None) -> SettraceTracer | MonitoringTracer:
    """The tracer for this Python over the code objects in ``offsets`` (each with its statement starts).

    ``prefer`` ("settrace" or "monitoring") forces one, for tests; ``DELUGE_LITE_TRACER`` does too.
    """
    kind = prefer or os.environ.get("DELUGE_LITE_TRACER") or \
        ("monitoring" if hasattr(sys, "monitoring") else "settrace")
    return (MonitoringTracer if kind == "monitoring" else SettraceTracer)(listener, offsets)


__all__ = ["MonitoringTracer", "SettraceTracer", "make_tracer"]
