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


@pytest.mark.parametrize("text", ["x = 1;", "l.sort();", "info 1;", "if (true) { x = 1; }",
                                  "void standalone.f() { return 1; }"])
def test_statements_run_as_typed(text):
    entry = classify(text)
    assert (entry.kind, entry.code, entry.shown) == ("run", text, False)


def test_meta_empty_and_invalid():
    assert classify("  :vars ").kind == "meta"
    assert classify("").kind == "empty"
    assert classify("// only a comment").kind == "empty"
    assert classify("x = = 1;").kind == "invalid"
