"""Both tracers (sys.settrace, and sys.monitoring where Python has it) stop at the same places."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from deluge_lite.debug.engine import Engine, Stop

from .conftest import target_for

KINDS = [pytest.param("settrace"),
         pytest.param("monitoring", marks=pytest.mark.skipif(not hasattr(sys, "monitoring"),
                                                             reason="sys.monitoring is Python 3.12+"))]


class _Recorder:
    def __init__(self, actions: list[str]) -> None:
        self.actions = actions
        self.stops: list[tuple[str, str, int]] = []

    def paused(self, stop: Stop) -> str:
        self.stops.append((stop.reason, stop.frames[0].name, stop.frames[0].line))
        return self.actions.pop(0) if self.actions else "continue"


@pytest.mark.parametrize("kind", KINDS)
def test_entry_with_inputs_steps_and_breakpoints(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "t.dg"
    path.write_text("int twice(int n)\n{\n    return n * 2;\n}\ninfo name;\nv = thisapp.twice(count);\n"
                    "for each i in {1, 2}\n{\n    v = v + i;\n}\ninfo v;\n", encoding="utf-8")
    frontend = _Recorder(["next", "step", "finish", "continue"])
    engine = Engine(target_for(path, {"name": "Ann", "count": 3}), frontend)
    engine.tracer_kind = kind
    engine.stop_on_entry = True
    engine.add_breakpoint(None, 9)
    engine.run()
    assert frontend.stops == [("entry", "the script", 5), ("step", "the script", 6), ("step", "twice", 3),
                              ("step", "the script", 7), ("breakpoint", "the script", 9),
                              ("breakpoint", "the script", 9)]


@pytest.mark.parametrize("kind", KINDS)
def test_errors_raised_inside_try_stop_when_asked(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "e.dg"
    path.write_text("try\n{\n    x = 1 / 0;\n}\ncatch (e)\n{\n    info e;\n}\ninfo \"after\";\n", encoding="utf-8")
    frontend = _Recorder([])
    engine = Engine(target_for(path), frontend)
    engine.tracer_kind = kind
    engine.break_on_raised = True
    engine.run()
    assert frontend.stops == [("exception", "the script", 3)]
    assert sys.gettrace() is None or kind == "monitoring"
