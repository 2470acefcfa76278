"""deluge-lite: run, explore and test Zoho Deluge scripts locally.

The public API: `run` and `parse` for one-off use, `Interpreter` and `Runtime` for
embedding, and the error classes.
"""

from __future__ import annotations

from typing import Any

from .errors import (
    DelugeCheckError,
    DelugeError,
    DelugeRuntimeError,
    DelugeSyntaxError,
    InternalError,
    LimitExceeded,
    ThrownError,
    UsageError,
)
from .interpreter import Interpreter, RunResult, Script
from .parser import parse
from .runtime import Limits, Runtime

__version__ = "0.1.0"


def run(text: str, name: str = "<script>", args: dict[str, Any] | None = None,
        runtime: Runtime | None = None) -> RunResult:
    """Run Deluge source text and return its info lines, value and outbox."""
    return Interpreter(runtime or Runtime(info=lambda _line: None)).run(text, name, args)


__all__ = [
    "DelugeCheckError", "DelugeError", "DelugeRuntimeError", "DelugeSyntaxError", "InternalError",
    "Interpreter", "LimitExceeded", "Limits", "RunResult", "Runtime", "Script", "ThrownError",
    "UsageError", "__version__", "parse", "run",
]
