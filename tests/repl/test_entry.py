"""Entry classification: complete, incomplete, bare expressions, meta-commands."""

from __future__ import annotations

import pytest

from deluge_lite.repl.entry import classify


@pytest.mark.parametrize("text", [
    "x = 1", "if (x > 1) {", "m = {\"a\":", '"unterminated', "/* open comment", "void f() {\n  return 1;",
    "l = List(", "x = 1 +",
])
def test_incomplete(text):
    entry = classify(text)
    assert entry.kind == "incomplete"
    assert entry.reason


@pytest.mark.parametrize(("text", "code"), [
    ('m.get("a")', 'info m.get("a");'),
    ("1 + 2", "info 1 + 2;"),
    ("x;", "info x;"),
    ("x = 1; x", "x = 1; info x;"),
    ("void f() { return 1; }\nstandalone.f()", "void f() { return 1; }\ninfo standalone.f();"),
])
def test_bare_expression_prints(text, code):
    entry = classify(text)
    assert (entry.kind, entry.code, entry.shown) == ("run", code, True)


@pytest.mark.parametrize("text", ["x = 1;", "l.sort();", "info 1;", "if (true) { x = 1; }\n",
                                  "if (true) { x = 1; } else { x = 2; }",
                                  "void standalone.f() { return 1; }"])
def test_statements_run_as_typed(text):
    entry = classify(text)
    assert (entry.kind, entry.code, entry.shown) == ("run", text, False)


def test_meta_empty_and_invalid():
    assert classify("  :vars ").kind == "meta"
    assert classify("").kind == "empty"
    assert classify("// only a comment").kind == "empty"
    assert classify("x = = 1;").kind == "invalid"


@pytest.mark.parametrize("text", [
    "if (x > 1)\n{\n\tinfo 1;\n}",
    "if (x > 1) { info 1; }  ",
    "if (a) { info 1; }\nelse if (b) { info 2; }",
    "x = 1;\nif (x > 1) { info 1; }",
])
def test_waits_for_an_else_after_the_closing_brace(text):
    entry = classify(text)
    assert entry.kind == "incomplete" and "else" in entry.reason
    # the else arrives on the next line: the whole chain is one entry
    assert classify(text + "\nelse\n{\n\tinfo 3;\n}").kind == "run"
    # or Enter again on the empty line runs what was typed
    assert classify(text + "\n").kind == "run"


def test_no_wait_when_no_else_can_follow():
    assert classify("for each i in {1} { if (i > 0) { info i; } }").kind == "run"
    assert classify("if (a) { info 1; } else { info 2; }").kind == "run"
