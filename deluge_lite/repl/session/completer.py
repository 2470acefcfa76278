"""prompt_toolkit glue for the pure completion functions: a `Completer` and the toolbar text.

`DelugeCompleter` asks the `Shell` for a fresh `Scope` (variables as they are now) and
turns `completion.complete` suggestions into prompt_toolkit `Completion`s. `toolbar_text`
gives the bottom toolbar: the signature of the call under the cursor, else key hints.
Connection link names are looked up only when the cursor is after ``connection:``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from ..completion import complete, signature_hint
from ..shell import Shell

__all__ = ["DelugeCompleter", "toolbar_text"]

_NEEDS_LINKS = re.compile(r"connection\s*:\s*\"?\w*$", re.IGNORECASE)
DEFAULT_HINT = "Enter runs a complete entry · Esc Enter: new line · Tab completes · :help · Ctrl-D exits"


class DelugeCompleter(Completer):
    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        before = document.text_before_cursor
        if before.lstrip().startswith(":"):
            yield from _meta_completions(before)
            return
        scope = self.shell.scope(with_links=bool(_NEEDS_LINKS.search(before)))
        for suggestion in complete(before, scope):
            yield Completion(suggestion.text, -suggestion.replace, display=suggestion.label,
                             display_meta=suggestion.meta)


def _meta_completions(before: str) -> Iterable[Completion]:
    from ..meta import COMMANDS

    word = before.strip()
    if " " in word:
        return
    for name, command in COMMANDS.items():
        if (":" + name).startswith(word.lower()):
            yield Completion(":" + name, -len(word), display_meta=command.help)


def toolbar_text(shell: Shell, before: str) -> str:
    if before.lstrip().startswith(":"):
        return DEFAULT_HINT
    try:
        hint = signature_hint(before, shell.scope())
    except Exception:  # a hint must never break the prompt
        hint = None
    return hint or DEFAULT_HINT
