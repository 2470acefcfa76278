"""deluge-lite: run, explore and test Zoho Deluge scripts locally.

The public API: `run` and `parse` for one-off use; `Deluge` (the embedding facade: run a
script or call one of its functions, get info lines, return value, outbox and HTTP calls),
`Interpreter` and `Runtime` for finer control; and the error classes.
"""

from __future__ import annotations

from typing import Any

from .embed import Deluge, Result
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
    "Deluge", "DelugeCheckError", "DelugeError", "DelugeRuntimeError", "DelugeSyntaxError", "InternalError",
    "Interpreter", "LimitExceeded", "Limits", "Result", "RunResult", "Runtime", "Script", "ThrownError",
    "UsageError", "__version__", "parse", "run",
]
