"""Without a debugger nothing of it runs; after a debug session nothing of it stays behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from deluge_lite.debug.engine import Engine, Stop

from .conftest import target_for

PROBE = """\
import sys
from deluge_lite.cli import main
code = main(["run", sys.argv[1]])
print("debug imported:", any(name.startswith("deluge_lite.debug") for name in sys.modules))
print("tracer:", sys.gettrace())
"""


def test_a_plain_run_never_imports_the_debugger(script: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, str(script)], capture_output=True, text=True, timeout=60)
    assert "3\n11\n" in result.stdout
    assert "debug imported: False" in result.stdout and "tracer: None" in result.stdout


class _Counting:
    def __init__(self) -> None:
        self.stops: list[Stop] = []

    def paused(self, stop: Stop) -> str:
        self.stops.append(stop)
        return "continue"


def test_the_tracer_is_removed_after_a_session(script: Path) -> None:
    frontend = _Counting()
    target = target_for(script)
    engine = Engine(target, frontend)
    engine.add_breakpoint(None, 14)
    before = sys.gettrace()
    engine.run()
    assert len(frontend.stops) == 4
    assert sys.gettrace() is before
    assert target.interpreter.runtime.on_effect is None
    target.interpreter.execute(target.script)  # the same code objects run again, untraced
    assert len(frontend.stops) == 4
