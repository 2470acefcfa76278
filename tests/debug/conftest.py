"""Fixtures of the debugger tests: scripts on disk, the CLI in a subprocess, an in-process target."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deluge_lite.debug.engine import Target
from deluge_lite.interpreter import Interpreter, read_script
from deluge_lite.runtime import Runtime

SCRIPT = """\
int add(int a, int b)
{
    total = a + b;
    return total;
}
x = 1;
m = {"k": 1, "l": [1, 2]};
// a comment

y = thisapp.add(x, 2);
info y;
for each n in {1, 2, 3, 4}
{
    x = x + n;
}
info x;
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "main.dg"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def debug_cli(*args: str, stdin: str, home: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``deluge-lite ARGS`` with ``stdin`` piped in (commands one per line)."""
    env = dict(os.environ)
    env.pop("DELUGE_LITE_CONFIG", None)
    if home is not None:
        env["DELUGE_LITE_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "deluge_lite", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=env)


def target_for(path: Path, args: dict[str, object] | None = None, runtime: Runtime | None = None) -> Target:
    interpreter = Interpreter(runtime or Runtime(info=lambda line: None))
    interpreter.infer_types = False  # as the CLI's debugger compiles: a paused frame's variables can be set
    values = dict(args or {})
    script = interpreter.load(read_script(path), str(path), tuple(values))
    return Target(interpreter, script, values)
