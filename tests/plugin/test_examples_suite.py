"""examples/tests is a user's suite: it must pass with the installed plugin, as CI would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tests"


def test_example_suite_passes() -> None:
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(EXAMPLES)],
                          capture_output=True, text=True, timeout=300, cwd=EXAMPLES)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "9 passed" in proc.stdout, proc.stdout
