"""Every example script runs through the real CLI and exits 0 (examples/ must stay true)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.dg"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_runs(script: Path) -> None:
    """Examples that call Zoho CRM run against the sandbox (a local fake CRM), as their header says."""
    text = script.read_text()
    sandbox = ["--sandbox"] if "zoho.crm." in text or "run --sandbox" in text else []
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", *sandbox, str(script)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), "an example should print something"
    assert "Traceback" not in proc.stderr


def test_hello_output() -> None:
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", str(EXAMPLES[0].parent / "hello.dg")],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines()[0] == "Hello, Deluge!"
    assert proc.stdout.splitlines()[-2:] == ["Total: 32", "Average: 10.67"]
