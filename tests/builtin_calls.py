"""Calling built-ins straight from the registry, as compiled code does (shared by the built-in tests)."""

from __future__ import annotations

from typing import Any

from deluge_lite.builtins import REGISTRY
from deluge_lite.runtime import Runtime

RT = Runtime()


def method(name: str, receiver: Any, *args: Any) -> Any:
    """``receiver.name(args)``."""
    return REGISTRY.method_caller(name, len(args), RT)(receiver, *args)


def function(name: str, *args: Any) -> Any:
    """``name(args)``."""
    caller = REGISTRY.function_caller(name, len(args), RT)
    assert caller is not None, name
    return caller(*args)
