"""The interactive front end: everything that needs prompt_toolkit and a terminal.

`app` builds the prompt_toolkit `PromptSession` and runs the read-run loop; `history`
opens the history file under ``DELUGE_LITE_HOME`` (setting a broken one aside);
`completer` adapts the pure completion functions to prompt_toolkit. The REPL's logic
(entries, meta-commands, completion) lives one level up and needs no terminal.
"""

from __future__ import annotations

from .app import run_interactive

__all__ = ["run_interactive"]
