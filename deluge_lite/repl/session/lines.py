"""A plain one-line prompt for other front ends (the terminal debugger): prompt_toolkit stays in repl/.

`line_reader(input=None, output=None)` returns a function that shows a prompt and
returns one line as typed: single-line editing, in-memory history (the arrow keys recall
earlier commands), no completion. Ctrl-D raises ``EOFError`` and Ctrl-C
``KeyboardInterrupt``, as prompt_toolkit does. ``input``/``output`` are prompt_toolkit
objects (tests pass a pipe input and `DummyOutput`).
"""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["line_reader"]


def line_reader(input: Any = None, output: Any = None) -> Callable[[str], str]:
    """A reader of single lines from a prompt_toolkit session."""
    session: PromptSession[str] = PromptSession(history=InMemoryHistory(), input=input, output=output)

    def read(prompt: str) -> str:
        return session.prompt(prompt)

    return read
