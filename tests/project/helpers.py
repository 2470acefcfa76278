"""Running the CLI in a subprocess for the project tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def deluge(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DELUGE_LITE_HOME": str((cwd or Path.cwd()) / ".home")}
    env.pop("DELUGE_LITE_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "deluge_lite", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
