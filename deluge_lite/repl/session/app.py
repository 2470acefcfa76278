"""The prompt_toolkit session: read an entry, run it, repeat until :quit or Ctrl-D.

`run_interactive(shell, input=None, output=None)` builds one `PromptSession` with:
multi-line input where Enter runs the entry once it is complete and otherwise continues
on a ``...`` line (the decision is `entry.classify`, i.e. the parser's ``incomplete``
flag), Esc Enter for a line break anywhere, a pasted block that ends in a line break run
at once when complete, tabs shown as spaces (not ``^I``), Deluge highlighting through the Pygments
lexer, completion and a toolbar with signature hints, and history under
``DELUGE_LITE_HOME`` with auto-suggestion from it. Ctrl-C cancels the input being typed
(or, while an entry runs, the entry: the shell prints "interrupted" and keeps the
session); Ctrl-D on an empty line exits. ``input``/``output`` are prompt_toolkit objects
(tests pass a pipe input and `DummyOutput`).
"""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout.processors import TabsProcessor
from prompt_toolkit.lexers import PygmentsLexer

from ... import __version__
from ..completion import in_literal_or_comment
from ..entry import classify
from ..lexer import DelugeLexer
from ..shell import Shell
from .completer import DelugeCompleter, toolbar_text
from .history import open_history, repl_home

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["run_interactive", "PROMPT", "CONTINUATION"]

PROMPT = "dg> "
CONTINUATION = "... "
INDENT = "    "


def _continuation(width: int, _line_number: int, _is_soft_wrap: bool) -> str:
    return CONTINUATION.rjust(width)


def _indent_after(text: str, line: str) -> str:
    """Indentation for the next line: the current one's, one step more after an opener;
    none inside an open text literal or comment, whose content must stay as typed."""
    if in_literal_or_comment(text):
        return ""
    indent = line[:len(line) - len(line.lstrip())]
    return indent + INDENT if line.rstrip().endswith(("{", "(", "[")) else indent


def _key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter")
    @bindings.add("c-j")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.apply_completion(state.current_completion)
            return
        if buffer.document.text_after_cursor.strip():
            buffer.insert_text("\n")  # editing inside the entry: a line break, not a run
            return
        if classify(buffer.text).kind == "incomplete":
            buffer.insert_text("\n" + _indent_after(buffer.text, buffer.document.current_line_before_cursor))
            return
        buffer.validate_and_handle()

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        """A pasted block ending in a line break runs at once when it is a complete entry."""
        data = event.data.replace("\r\n", "\n").replace("\r", "\n")
        buffer = event.current_buffer
        body = data.rstrip("\n")
        buffer.insert_text(body)
        at_end = not buffer.document.text_after_cursor.strip()
        if body != data and at_end and classify(buffer.text).kind not in ("incomplete", "empty"):
            buffer.validate_and_handle()
            return
        buffer.insert_text(data[len(body):])

    @bindings.add("escape", "enter")
    def _newline(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text("\n")

    @bindings.add("}")
    def _close_block(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        line = buffer.document.current_line_before_cursor
        if line and not line.strip():
            buffer.delete_before_cursor(min(len(INDENT), len(line)))
        buffer.insert_text("}")

    return bindings


def build_session(shell: Shell, *, input: Any = None, output: Any = None) -> PromptSession[str]:
    history = open_history(repl_home(), shell.warn)

    def toolbar() -> str:
        try:
            before = get_app().current_buffer.document.text_before_cursor
        except Exception:
            return ""
        return toolbar_text(shell, before)

    return PromptSession(
        PROMPT,
        multiline=True,
        prompt_continuation=_continuation,
        lexer=PygmentsLexer(DelugeLexer),
        completer=DelugeCompleter(shell),
        complete_while_typing=True,
        auto_suggest=AutoSuggestFromHistory(),
        history=history,
        bottom_toolbar=toolbar,
        key_bindings=_key_bindings(),
        input_processors=[TabsProcessor(tabstop=len(INDENT), char1=" ", char2=" ")],  # not ^I
        enable_open_in_editor=False,
        input=input,
        output=output,
    )


def run_interactive(shell: Shell, *, input: Any = None, output: Any = None) -> int:
    """The read-run loop; returns 0 when the user leaves."""
    session = build_session(shell, input=input, output=output)
    shell.write(f"deluge-lite {__version__} · :help for commands · Ctrl-D to exit")
    while not shell.done:
        try:
            text = session.prompt()
        except KeyboardInterrupt:
            continue  # Ctrl-C while typing: drop the entry
        except EOFError:
            break
        try:
            shell.run(text)
        except KeyboardInterrupt:  # between the run's own handlers
            shell.warn("interrupted")
    return 0
