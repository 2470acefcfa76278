"""The table-driven parser (deluge_lite.parsing) against lark, its reference.

- The committed tables are exactly what the generator makes from today's grammar with the installed
  lark (so they cannot drift), and they are complete (every target a state, every name a terminal).
- Trees (rule names, children, token types, texts and positions, meta) and failures are lark's, on
  every golden, example and conformance script (/work/shared/conformance, read where it is), on broken
  variants of them (truncated, a token deleted, a token doubled) and on generated token soups; the
  syntax errors users see (message, position, incomplete) are the same through either parser.
- A parse never imports lark; an edited grammar without new tables falls back to lark.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deluge_lite import parser
from deluge_lite.errors import DelugeSyntaxError
from deluge_lite.parsing import generate, lark_backend, tables
from deluge_lite.parsing.failure import ParseFailure
from deluge_lite.parsing.lalr import TableParser
from deluge_lite.parsing.tree import Tree
from tests.test_properties import TOKENS

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = Path("/work/shared/conformance")
SCRIPTS = sorted([*ROOT.glob("tests/**/*.dg"), *ROOT.glob("examples/*.dg"), *CONFORMANCE.glob("**/*.dg")])
META_FIELDS = ("empty", "line", "column", "start_pos", "end_line", "end_column", "end_pos")


@pytest.fixture(scope="module")
def ours() -> TableParser:
    committed = tables.current()
    assert committed is not None, "the committed tables are not those of grammar/deluge.lark"
    return TableParser(committed)


def _shape(root: Any) -> Any:
    """A tree as nested tuples of everything it carries (iterative: deep trees are fine)."""
    def one(node: Any) -> list[Any]:
        if isinstance(node, Tree):
            return ["tree", node.data, tuple(getattr(node.meta, name, None) for name in META_FIELDS), []]
        return ["token", node.type, str(node), node.start_pos, node.line, node.column, node.end_line,
                node.end_column, node.end_pos]

    top = one(root)
    pending = [(root, top)]
    while pending:
        node, shaped = pending.pop()
        for child in node.children:
            shaped_child = one(child)
            shaped[3].append(shaped_child)
            if isinstance(child, Tree):
                pending.append((child, shaped_child))
    return repr(top)


def _outcome(parse: Any, text: str, keep_all_tokens: bool = False) -> Any:
    try:
        return _shape(parse(text, keep_all_tokens))
    except ParseFailure as failure:
        token = getattr(failure, "token", None)
        return (type(failure).__name__, failure.pos_in_stream, failure.line, failure.column,
                sorted(failure.expected), token and (token.type, str(token), token.start_pos, token.line,
                                                     token.column, token.end_line, token.end_column, token.end_pos))


def _tokens(tokens: Any) -> list[tuple[Any, ...]]:
    return [(token.type, str(token), token.start_pos, token.line, token.column, token.end_line, token.end_column,
             token.end_pos) for token in tokens]


def _user_error(text: str, backend: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What parser.parse says of the text with the given parser behind it."""
    with monkeypatch.context() as patch:
        patch.setattr(parser, "_backend", lambda: backend)
        try:
            parser.parse(text)
        except DelugeSyntaxError as error:
            return error.message, error.span, error.incomplete
    return "parsed"


def _broken(text: str, number: int, ours: TableParser) -> str:
    """The script truncated, with one token deleted, or with one token doubled (by ``number``)."""
    tokens = list(ours.tokens(text))
    if number % 3 == 0 or not tokens:
        return text[: len(text) * 2 // 3]
    token = tokens[(number * 7) % len(tokens)]
    if number % 3 == 1:
        return text[: token.start_pos] + text[token.end_pos:]
    return text[: token.end_pos] + " " + text[token.start_pos:]


def test_committed_tables_are_what_the_grammar_gives() -> None:
    made = generate.render(generate.build_tables(tables.grammar_path().read_text(encoding="utf-8")))
    assert made == tables.TABLES_PATH.read_text(encoding="utf-8"), \
        "grammar/deluge.lark changed: run python -m deluge_lite.parsing.generate"


def test_tables_are_complete() -> None:
    committed = tables.current()
    assert committed is not None
    names = {terminal["name"] for terminal in committed["terminals"]}
    states, rules, scanners = committed["states"], committed["rules"], committed["scanners"]
    origins = {rule[0] for rule in rules}
    for state in states:
        assert 0 <= state["scanner"] < len(scanners)
        for symbol, action in state["actions"].items():
            assert symbol in names or symbol in origins or symbol == "$END", symbol
            assert action < len(states) and -1 - action < len(rules)
            if symbol in origins:
                assert action >= 0  # a goto
        terminals = {symbol for symbol in state["actions"] if symbol in names}
        accepted = set(scanners[state["scanner"]]["terminals"])
        absorbed = {literal for spec in scanners[state["scanner"]]["unless"].values() for literal in spec}
        assert terminals <= accepted | absorbed
    for scanner in [committed["root_scanner"], *scanners]:
        assert set(scanner["terminals"]) <= names and set(committed["ignore"]) <= set(scanner["terminals"])
    for origin, size, _name, _single, *shapes in rules:
        assert origin in origins
        for shape in shapes:
            assert shape is None or all(0 <= index < size for index, _ in shape)


def test_trees_and_failures_are_lark_s_on_every_script(ours: TableParser, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(SCRIPTS) > 300
    for number, path in enumerate(SCRIPTS):
        text = path.read_text(encoding="utf-8", errors="replace")
        broken = _broken(text, number, ours)
        assert _outcome(ours.parse, text) == _outcome(lark_backend.parse, text), path.name
        assert _outcome(ours.parse, broken) == _outcome(lark_backend.parse, broken), (path.name, broken[-80:])
        if number % 2 == 0:  # what users see, on half of them (the failures above are compared on all)
            assert _user_error(broken, ours, monkeypatch) == _user_error(broken, lark_backend, monkeypatch), path.name
        else:  # the tokens of all terminals (error messages and the nesting limit read them)
            assert _tokens(ours.tokens(broken)) == _tokens(lark_backend.tokens(broken)), path.name
        if number % 6 == 0:  # the concrete view's trees, on a sixth of them
            assert _outcome(ours.parse, text, True) == _outcome(lark_backend.parse, text, True), path.name


@pytest.mark.parametrize("text", [
    "", "x", "x = ", "info “hi”;", 'x = "hi”;', "/* never closed", 'x = "open', "x = 'open", "x = 1 $ 2;",
    "if (x { }", "x = {1, 2;", "x = (1;\n", "else { }", "x = a[0];", "for each x in y {", "a = b = c;",
    "x = 1\ny = 2;", "m = {\"a\": 1,}; info m", "x - y;", "task-key", "\ufeffx = 1;", "info 1 +",
])
def test_user_errors_are_the_same(text: str, ours: TableParser, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(ours.parse, text) == _outcome(lark_backend.parse, text)
    assert _user_error(text, ours, monkeypatch) == _user_error(text, lark_backend, monkeypatch)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join))
def test_token_soups_agree(ours: TableParser, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    assert _outcome(ours.parse, text) == _outcome(lark_backend.parse, text)
    assert _outcome(ours.parse, text, True) == _outcome(lark_backend.parse, text, True)
    assert _user_error(text, ours, monkeypatch) == _user_error(text, lark_backend, monkeypatch)


def test_only_the_tokens_asked_for_are_made(ours: TableParser) -> None:
    text = "x = {1, (2)};\nif(a - b) { info [x]; } $ y = (3);"
    brackets = frozenset({"LPAR", "RPAR", "LBRACE", "RBRACE", "LSQB", "RSQB"})
    every = _tokens(ours.tokens(text))
    assert _tokens(ours.tokens(text, brackets)) == [token for token in every if token[0] in brackets]
    assert every == _tokens(lark_backend.tokens(text)) and every[-1][1] == "}"  # stops at the '$'
    assert "MINUS" in {token[0] for token in every}  # '-' is ADD_OP's text, renamed as lark renames it


def test_deep_input_builds_without_recursion() -> None:
    program = parser.parse("x = " + " + ".join(["1"] * 5000) + ";\ny = " + "(" * 150 + "2" + ")" * 150 + ";")
    assert len(program.statements) == 2


def test_a_parse_never_imports_lark() -> None:
    code = ("import sys\nfrom deluge_lite.parser import parse, parse_concrete\n"
            "parse_concrete('x = {1, 2};\\ninfo x;')\n"
            "try:\n    parse('x = (1;')\nexcept Exception as error:\n    print(type(error).__name__)\n"
            "print('lark' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["DelugeSyntaxError", "False"], result.stderr


def test_an_edited_grammar_without_new_tables_parses_with_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "x = {1, 2};\nfor each y in x { info y; }"
    expected = parser.parse(text)
    monkeypatch.setattr(tables, "grammar_sha256", lambda: "0" * 64)
    tables.current.cache_clear()
    parser._backend.cache_clear()
    try:
        assert tables.current() is None
        assert parser._backend() is lark_backend
        assert parser.parse(text) == expected
    finally:
        monkeypatch.undo()
        tables.current.cache_clear()
        parser._backend.cache_clear()
    assert isinstance(parser._backend(), TableParser)
