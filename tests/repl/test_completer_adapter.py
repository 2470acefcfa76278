"""The prompt_toolkit adapter over the pure completion: live session values, meta-commands, toolbar."""

from __future__ import annotations

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from deluge_lite.repl.session.completer import DEFAULT_HINT, DelugeCompleter, toolbar_text
from deluge_lite.repl.shell import Shell
from deluge_lite.runtime import Runtime


def completions(shell: Shell, text: str) -> list[str]:
    found = DelugeCompleter(shell).get_completions(Document(text), CompleteEvent(completion_requested=True))
    return [completion.text for completion in found]


def test_uses_the_values_the_session_holds_now():
    shell = Shell(Runtime(info=lambda _line: None))
    assert shell.run('thing = "text";')
    assert "subString" in completions(shell, "thing.")
    assert shell.run("thing = Map();")
    offered = completions(shell, "thing.")
    assert "keys" in offered and "subString" not in offered


def test_meta_command_names():
    shell = Shell(Runtime(info=lambda _line: None))
    assert completions(shell, ":v") == [":vars"]
    assert ":connections" in completions(shell, ":")


def test_toolbar_shows_the_signature_or_the_key_hints():
    shell = Shell(Runtime(info=lambda _line: None))
    shell.run('s = "abc";')
    assert toolbar_text(shell, "s.subString(").startswith("text.subString(")
    assert toolbar_text(shell, "x = 1") == DEFAULT_HINT
    assert toolbar_text(shell, ":lo") == DEFAULT_HINT


def test_user_functions_are_completed_with_their_signature():
    shell = Shell(Runtime(info=lambda _line: None))
    assert shell.run("int standalone.double(int n) { return n * 2; }")
    assert completions(shell, "standalone.do") == ["double"]
    assert "standalone.double" in completions(shell, "standa")
    assert "int n" in toolbar_text(shell, "standalone.double(")
