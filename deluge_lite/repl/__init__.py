"""The interactive Deluge prompt: ``deluge-lite repl``.

`start_repl(runtime)` opens a prompt_toolkit session when stdin is a terminal (or when a
prompt_toolkit ``input`` is given, as tests do) and otherwise runs the piped script
without prompts, returning its exit status. The parts:

    lexer.py       Pygments lexer for Deluge (also a Pygments plugin for other tools)
    completion.py  pure completion and signature hints (no terminal)
    entry.py       what an entry is: meta-command, Deluge to run, bare expression, incomplete
    shell.py       the REPL's state (Session, :trace flag, connections) and running one entry
    meta.py        the meta-command table (:help, :vars, :reset, :load, :connections, :trace, :quit)
    piped.py       a non-terminal stdin: run the statements, exit with the script's status
    session/       prompt_toolkit: the PromptSession, key bindings, toolbar, history file

Only this package imports prompt_toolkit, and only inside ``session/``, imported lazily
so that the lexer works as a Pygments plugin without it.
"""

from __future__ import annotations

import sys

from ..runtime import Runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["start_repl"]


def start_repl(runtime: Runtime, *, input: Any = None, output: Any = None, context: Any = None) -> int:
    """Run the REPL until :quit or Ctrl-D; returns the exit code (a piped script: 0 ok, 1 error).

    With a platform ``context`` (deluge_lite.project.contexts) the session starts with the
    names that product injects, holding their sample values."""
    from .shell import Shell

    shell = Shell(runtime)
    if context is not None and context.names:
        for name, injected in context.names.items():
            shell.session.define(name, injected.default)
        shell.warn(f"{context.title} context: {', '.join(context.names)} hold sample values")
    if input is None and not _stdin_is_terminal():
        from .piped import run_piped

        return run_piped(shell, sys.stdin.read() if sys.stdin is not None else "")
    from .session.app import run_interactive

    return run_interactive(shell, input=input, output=output)


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or detached stdin
        return False
