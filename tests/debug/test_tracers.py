"""The tracer of this Python (sys.monitoring on 3.12+, sys.settrace on 3.11) stops once per statement.

The suite runs on both kinds of Python; these tests pin the exact stops, so both tracers are
held to the same list.
"""

from __future__ import annotations

import sys
from pathlib import Path

from deluge_lite.debug.engine import Engine, Stop
from deluge_lite.debug.tracing import MonitoringTracer, SettraceTracer, make_tracer

from .conftest import target_for


class _Recorder:
    def __init__(self, actions: list[str]) -> None:
        self.actions = actions
        self.stops: list[tuple[str, str, int]] = []

    def paused(self, stop: Stop) -> str:
        self.stops.append((stop.reason, stop.frames[0].name, stop.frames[0].line))
        return self.actions.pop(0) if self.actions else "continue"


def test_the_tracer_fits_the_python() -> None:
    tracer = make_tracer(_Recorder([]), {}, {}, {})  # type: ignore[arg-type]
    assert isinstance(tracer, MonitoringTracer if sys.version_info >= (3, 12) else SettraceTracer)


def test_entry_with_inputs_steps_and_breakpoints(tmp_path: Path) -> None:
    path = tmp_path / "t.dg"
    path.write_text("int twice(int n)\n{\n    return n * 2;\n}\ninfo name;\nv = thisapp.twice(count);\n"
                    "for each i in {1, 2}\n{\n    v = v + i;\n}\ninfo v;\n", encoding="utf-8")
    frontend = _Recorder(["next", "step", "finish", "continue"])
    engine = Engine(target_for(path, {"name": "Ann", "count": 3}), frontend)
    engine.stop_on_entry = True
    engine.add_breakpoint(None, 9)
    engine.run()
    assert frontend.stops == [("entry", "the script", 5), ("step", "the script", 6), ("step", "twice", 3),
                              ("step", "the script", 7), ("breakpoint", "the script", 9),
                              ("breakpoint", "the script", 9)]


def test_errors_raised_inside_try_stop_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "e.dg"
    path.write_text("try\n{\n    x = 1 / 0;\n}\ncatch (e)\n{\n    info e;\n}\ninfo \"after\";\n", encoding="utf-8")
    frontend = _Recorder([])
    engine = Engine(target_for(path), frontend)
    engine.break_on_raised = True
    engine.run()
    assert frontend.stops == [("exception", "the script", 3)]
    assert sys.gettrace() is None
