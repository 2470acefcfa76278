"""Running a piped script (``echo 'x = 1; info x;' | deluge-lite repl``): no prompts at all.

`run_piped(shell, text)` splits the text at meta-command lines (``:load other.dg``) and
runs each stretch of Deluge as one session entry, in order, stopping at the first error.
The exit status is the script's: 0 when everything ran, 1 after an error (already shown
with its caret on stderr). No prompt_toolkit here: stdin is not a terminal.
"""

from __future__ import annotations

import re

from .entry import classify
from .meta import run_meta
from .shell import Shell

__all__ = ["run_piped"]

_META_LINE = re.compile(r"^\s*:[A-Za-z?]")
NAME = "<stdin>"


def run_piped(shell: Shell, text: str) -> int:
    """Run a whole piped script; returns the exit status."""
    text = text.removeprefix("\ufeff")
    pending: list[str] = []
    first_line = 0  # 0-based line where the pending stretch starts

    def flush() -> bool:
        code = "".join(pending)
        pending.clear()
        # blank lines in front keep error positions at the script's own line numbers
        return shell.run("\n" * first_line + code, NAME) if code.strip() else True

    for number, line in enumerate(text.splitlines(keepends=True)):
        if _META_LINE.match(line) and (not pending or classify("".join(pending)).kind != "incomplete"):
            if not flush() or not run_meta(shell, line.strip()):
                return 1
            if shell.done:
                return 0
            first_line = number + 1
            continue
        pending.append(line)
    return 0 if flush() else 1
