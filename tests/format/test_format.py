"""The formatter: its style on fixture pairs (cases/NAME.in.dg -> cases/NAME.out.dg), and its
promises as properties: idempotent, comments kept, the syntax tree unchanged, over every
golden script and over random re-spacings of them (hypothesis)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deluge_lite.format as formatter
from deluge_lite.errors import DelugeSyntaxError, InternalError
from deluge_lite.format import format_text
from deluge_lite.format.verify import same_meaning, shape
from deluge_lite.parser import parse, parse_concrete

from .scripts import parsing_scripts, script_id

CASES = Path(__file__).parent / "cases"
SCRIPTS = parsing_scripts()
TEXTS = [path.read_text(encoding="utf-8") for path in SCRIPTS]


@pytest.mark.parametrize("case", sorted(CASES.glob("*.in.dg")), ids=lambda path: path.name.split(".")[0])
def test_style_on_fixture_pairs(case: Path) -> None:
    expected = case.with_name(case.name.replace(".in.", ".out.")).read_text(encoding="utf-8")
    assert format_text(case.read_text(encoding="utf-8")) == expected
    assert format_text(expected) == expected


def _check_promises(text: str) -> str:
    formatted = format_text(text)
    assert format_text(formatted) == formatted, "formatting twice changed the text"
    assert same_meaning(parse(text), parse(formatted))
    assert parse_concrete(formatted)[1].comments() == parse_concrete(text)[1].comments()
    return formatted


@pytest.mark.parametrize("path", SCRIPTS, ids=script_id)
def test_every_golden_script_keeps_its_promises(path: Path) -> None:
    _check_promises(path.read_text(encoding="utf-8"))


_TRIVIA = ["", " ", "  ", "\t", "\n", "\n\n", "\n\n\n", " // note\n", " /* c */ ", "\n/* two\nlines */\n", "\r\n"]


def _respace(text: str, seed: int) -> str:
    """The same tokens with random whitespace and comments between them (meaning unchanged)."""
    _, view = parse_concrete(text)
    chooser = random.Random(seed)
    out: list[str] = []
    for placed in view.tokens:
        out.append(chooser.choice(_TRIVIA) or " ")
        out.append(placed.token.text)
    out.append(chooser.choice(_TRIVIA))
    return "".join(out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(TEXTS) - 1), seed=st.integers(0, 2**32))
def test_random_respacing_keeps_promises(index: int, seed: int) -> None:
    text = _respace(TEXTS[index], seed)
    formatted = _check_promises(text)
    assert same_meaning(parse(TEXTS[index]), parse(formatted))


@settings(max_examples=30, deadline=None)
@given(index=st.integers(0, len(TEXTS) - 1), first=st.integers(0, 2**32), second=st.integers(0, 2**32))
def test_layout_does_not_depend_on_the_input_spacing_within_lines(index: int, first: int, second: int) -> None:
    """Two re-spacings of the same tokens on one line (comments dropped) format to the same text."""
    flat = [" ", "  ", "\t", ""]

    def spaced(seed: int) -> str:
        _, view = parse_concrete(TEXTS[index])
        chooser = random.Random(seed)
        return "".join(f"{chooser.choice(flat) or ' '}{placed.token.text}" for placed in view.tokens) + "\n"

    assert format_text(spaced(first)) == format_text(spaced(second))


def test_crlf_and_bom_are_kept() -> None:
    assert format_text("\ufeffa=1;\r\n/* x\r\n y */\r\nb=a+1;\r\n") == "\ufeffa = 1;\r\n/* x\r\n y */\r\nb = a + 1;\r\n"


def test_a_text_with_a_line_break_inside_is_not_rewritten() -> None:
    text = 'a="one\ntwo";\r\nb=a;\r\n'  # a lone \n inside a text, CRLF elsewhere
    formatted = format_text(text)
    assert parse(formatted).statements[0].value.value == "one\ntwo"  # type: ignore[attr-defined]
    assert formatted.endswith("b = a;\n")  # CRLF would have changed the text: \n endings


def test_syntax_errors_are_raised_not_formatted() -> None:
    with pytest.raises(DelugeSyntaxError):
        format_text("if(a > 1 {\n", "bad.dg")


def test_a_layout_that_changes_meaning_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatter, "layout", lambda view: "a = 2;\n")
    with pytest.raises(InternalError, match="change what x.dg means"):
        format_text("a = 1;\n", "x.dg")
    monkeypatch.setattr(formatter, "layout", lambda view: "a = ;\n")
    with pytest.raises(InternalError):
        format_text("a = 1;\n", "x.dg")


def test_shape_ignores_positions_only() -> None:
    assert shape(parse("a = 1 + 2;")) == shape(parse("a =\n\t1 +    2 ;"))
    assert shape(parse("a = 1 + 2;")) != shape(parse("a = 2 + 1;"))
    assert shape(parse("a = (1 + 2) * 3;")) != shape(parse("a = 1 + 2 * 3;"))


def test_long_operator_chains_are_compared_without_recursion() -> None:
    text = "a = " + " + ".join(["1"] * 1500) + ";\n"
    assert same_meaning(parse(text), parse(format_text(text)))
