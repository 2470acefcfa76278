"""The concrete view (deluge_lite.concrete via parser.parse_concrete): every token in order, the
trivia between them accounted for exactly, comments and line breaks kept, statements marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deluge_lite.concrete import scan_gap
from deluge_lite.errors import DelugeSyntaxError
from deluge_lite.parser import parse, parse_concrete

from .scripts import parsing_scripts, script_id

_TRIVIA_ONLY = re.compile(r"(?://[^\n]*|/\*[\s\S]*?\*/|[\s\u200b\u2060\ufeff]+)*")


def _assert_exact(text: str) -> None:
    """Tokens cover the text in order; what lies between them is only whitespace and comments,
    and the comments found there are exactly the comments of each gap."""
    _, view = parse_concrete(text)
    previous = 0
    gaps = [*(placed.gap for placed in view.tokens), view.trailing]
    ends = [placed.token.start for placed in view.tokens] + [len(text)]
    newlines = 0
    for index, (gap, end) in enumerate(zip(gaps, ends, strict=True)):
        between = text[previous:end]
        assert _TRIVIA_ONLY.fullmatch(between), f"non-trivia between tokens: {between!r}"
        assert gap.newlines == between.count("\n")
        for comment in gap.comments:
            assert between[comment.start:].startswith(comment.text)
        newlines += gap.newlines
        if index < len(view.tokens):
            token = view.tokens[index].token
            assert text[token.start:token.end] == token.text
            newlines += token.text.count("\n")
            previous = token.end
    assert newlines == text.count("\n")


@pytest.mark.parametrize("path", parsing_scripts(), ids=script_id)
def test_view_accounts_for_every_character(path: Path) -> None:
    _assert_exact(path.read_text(encoding="utf-8"))


def test_comments_are_kept_in_order_with_their_placement() -> None:
    text = 'a = 1; // after a\n\n\n/* block\n  two */\nb = 2;\n// last\n'
    _, view = parse_concrete(text)
    assert view.comments() == ["// after a", "/* block\n  two */", "// last"]
    first, block = view.tokens[4].gap.comments  # the gap before `b`
    assert (first.newlines_before, first.block) == (0, False)
    assert (block.newlines_before, block.newlines_after, block.block) == (3, 1, True)
    assert view.trailing.comments[0].newlines_before == 1


def test_statement_starts_and_rules() -> None:
    text = 'x = {"k": 1};\nif (x.get("k") == 1)\n{\n\tinfo x;\n}\n'
    _, view = parse_concrete(text)
    starts = [placed.token.text for placed in view.tokens if placed.statement_start]
    assert starts == ["x", "if", "info"]
    colon = next(placed for placed in view.tokens if placed.token.text == ":")
    assert colon.parent == "map_item"
    braces = [placed.parent for placed in view.tokens if placed.token.text in "{}"]
    assert braces == ["map_literal", "map_literal", "block", "block"]
    assert view.tokens[-1].last_of == ("block", "if_stmt", "start")


def test_gap_scan_counts_breaks_around_comments() -> None:
    gap = scan_gap("  // one\n\n  /* two */  \n")
    assert [comment.text for comment in gap.comments] == ["// one", "/* two */"]
    assert gap.newlines == 3
    assert gap.comments[1].newlines_before == 2
    assert gap.newlines_before_token == 1


def test_crlf_and_bom_are_trivia() -> None:
    _assert_exact('\ufeffa = 1;\r\n// c\r\nb = a;\r\n')


def test_syntax_errors_are_those_of_parse() -> None:
    with pytest.raises(DelugeSyntaxError) as concrete_error:
        parse_concrete("a = ;\n", "bad.dg")
    with pytest.raises(DelugeSyntaxError) as plain_error:
        parse("a = ;\n", "bad.dg")
    assert str(concrete_error.value) == str(plain_error.value)


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 150
    text = "x = " + "(" * depth + "1" + ")" * depth + ";\n"
    _, view = parse_concrete(text)
    assert len(view.tokens) == 2 * depth + 4
