"""deluge-lite: run, explore and test Zoho Deluge scripts locally.

The public API: `run` and `parse` for one-off use; `Deluge` (the embedding facade: run a
script or call one of its functions, get info lines, return value, outbox and HTTP calls),
`Interpreter` and `Runtime` for finer control; and the error classes.

Only the error classes load with the package: every other name is imported the first
time it is used (PEP 562 ``__getattr__`` over `_LAZY`), so a command that never parses
never loads lark, and a script that never calls out never loads httpx.
"""

from __future__ import annotations

import importlib

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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .embed import Deluge, Result
    from .interpreter import Interpreter, RunResult, Script
    from .parser import parse
    from .runtime import Limits, Runtime

__version__ = "0.1.0"

# public name -> the module that defines it (imported on first use)
_LAZY = {
    "Deluge": ".embed", "Result": ".embed",
    "Interpreter": ".interpreter", "RunResult": ".interpreter", "Script": ".interpreter",
    "parse": ".parser",
    "Limits": ".runtime", "Runtime": ".runtime",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'deluge_lite' has no attribute '{name}'")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def run(text: str, name: str = "<script>", args: dict[str, Any] | None = None,
        runtime: Runtime | None = None) -> RunResult:
    """Run Deluge source text and return its info lines, value and outbox."""
    from .interpreter import Interpreter
    from .runtime import Runtime

    return Interpreter(runtime or Runtime(info=lambda _line: None)).run(text, name, args)


__all__ = [
    "Deluge", "DelugeCheckError", "DelugeError", "DelugeRuntimeError", "DelugeSyntaxError", "InternalError",
    "Interpreter", "LimitExceeded", "Limits", "Result", "RunResult", "Runtime", "Script", "ThrownError",
    "UsageError", "__version__", "parse", "run",
]
