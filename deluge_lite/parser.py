"""Owns Lark: builds the LALR parser once (cached) and turns its errors into user words.

`parse(source)` returns the `ast.Program` (through the builder) or raises a
`DelugeSyntaxError` that names the position and says what was expected, e.g.
"expected ';' after the statement" or "'{' opened at line 3 is never closed".
An error at the end of the input is marked ``incomplete`` so the REPL can ask for
more lines. Input that is too large or nested too deeply is refused up front.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from typing import Any

from . import ast, concrete, private_cache
from .data import data_path
from .errors import DelugeSyntaxError
from .source import Source, Span

# lark imports the `regex` package, if installed, only to measure terminals that use Unicode
# categories while it builds a grammar; ours has none and is loaded pre-built, so lark is
# imported without it (about a fifth of a cached run's start-up); `regex` stays importable.
_REGEX_WAS_LOADED = "regex" in sys.modules
if not _REGEX_WAS_LOADED:
    sys.modules["regex"] = None  # type: ignore[assignment]  (None here makes `import regex` fail)
try:
    import lark
    from lark import Lark, Token
    from lark.exceptions import (
        UnexpectedCharacters,
        UnexpectedEOF,
        UnexpectedInput,
        UnexpectedToken,
        VisitError,
    )
finally:
    if not _REGEX_WAS_LOADED and sys.modules.get("regex", 0) is None:
        del sys.modules["regex"]


MAX_SOURCE_CHARS = 1_000_000
MAX_NESTING = 200

_OPENERS = {"LPAR": "(", "LBRACE": "{", "LSQB": "["}
_CLOSERS = {"RPAR": "LPAR", "RBRACE": "LBRACE", "RSQB": "LSQB"}
_PAIRS = {"RPAR": "(", "RBRACE": "{", "RSQB": "["}

# What each terminal is called in a message.
_TERMINAL_WORDS = {
    "SEMICOLON": "';'", "RPAR": "')'", "LPAR": "'('", "RBRACE": "'}'", "LBRACE": "'{'",
    "RSQB": "']'", "LSQB": "'['", "COMMA": "','", "COLON": "':'", "DOT": "'.'", "EQUAL": "'='",
    "NAME": "a name", "IN": "'in'", "CATCH": "'catch'", "COMP_OP": "a comparison",
    "DQ_STRING": "a text value", "SQ_STRING": "a quoted value", "INT": "a number", "DECIMAL": "a number",
    "CANCEL_SUBMIT": "'cancel submit'", "DELETE_FROM": "'delete from'", "INSERT_INTO": "'insert into'",
    "SORT_BY": "'sort by'", "AS": "'as'", "TYPED_NEW": "a typed constructor", "INVOKEAPI": "'invokeapi'",
}
_EXPRESSION_STARTS = {"NAME", "INT", "DECIMAL", "DQ_STRING", "SQ_STRING", "TRUE", "FALSE", "NULL",
                      "LPAR", "LBRACE", "LSQB", "UNARY_OP", "ADD_OP", "IF", "INVOKEURL", "INVOKEAPI",
                      "INSERT_INTO", "TYPED_NEW"}
_CURLY_QUOTES = "\u201c\u201d\u2018\u2019"
# A curly quote where a straight one would open or close a text: after `=`, `(`, `,`, `+`, `:`, `[`, `{`
# or a line start, or before `;`, `)`, `,`, `+`, `]`, `}`, `:` or a line end.
_CURLY_AT_EDGE = re.compile(r"(?:(?<=[=(,+:\[{])|^)[ \t]*([\u201c\u201d\u2018\u2019])|"
                            r"([\u201c\u201d\u2018\u2019])[ \t]*(?=[;),+\]}:]|$)", re.M)
# Creator page templates: HTML with Deluge inside <%{ ... }%> (and <%= value %>).
_TEMPLATE_MARK = re.compile(r"<%\s*[{=]")


_LARK_OPTIONS = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": False}


@functools.lru_cache(maxsize=2)
def _lark(keep_all_tokens: bool = False) -> Lark:
    """The parser, from the user's private cache when a safe copy is there (see private_cache).

    ``keep_all_tokens`` builds the same grammar keeping punctuation in the tree, for the
    concrete view (``parse_concrete``)."""
    options = {**_LARK_OPTIONS, "keep_all_tokens": True} if keep_all_tokens else _LARK_OPTIONS
    grammar = data_path("grammar", "deluge.lark").read_text(encoding="utf-8")
    key = "\0".join([grammar, lark.__version__, repr(sorted(options.items())), sys.version])
    name = "grammar-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".lark"
    cached = private_cache.load(name, Lark.load)
    if isinstance(cached, Lark):
        return _share_scanners(cached)
    parser = Lark(grammar, **options)
    private_cache.store(name, parser.save)
    return _share_scanners(parser)


def _share_scanners(parser: Lark) -> Lark:
    """Let every parser state lex with one regular expression of all terminals (see `_StateScanner`).

    Lark's contextual lexer compiles one alternation of terminals per parser state, the first
    time the state is reached: 20 to 80 compilations of large patterns, most of a short
    script's parse. Left as it is when lark's lexer does not have the shape this relies on."""
    lexer = getattr(parser.parser, "lexer", None)
    states, root = getattr(lexer, "lexers", None), getattr(lexer, "root_lexer", None)
    if not isinstance(states, dict) or root is None or _create_unless is None:
        return parser
    for state_lexer in {id(each): each for each in states.values()}.values():
        if getattr(state_lexer, "_scanner", 0) is None:  # not built yet: lark builds it on first use
            state_lexer._scanner = _StateScanner(state_lexer, root)
    return parser


try:
    from lark.lexer import _create_unless
except ImportError:  # another lark: its own scanners are used
    _create_unless = None


class _StateScanner:
    """One parser state's scanner, answering as lark's would, from a scanner of all terminals.

    Lark's scanner for a state tries the state's terminals in a fixed order (priority, then
    length) and takes the first that matches. The root scanner tries every terminal in the
    same order, so when the terminal it finds is one the state accepts, it is the state's
    answer; when it finds none, the state (whose terminals are all among the root's) has
    none either. Otherwise, and for a state with a terminal the root scanner folds into
    another (a keyword where no name may stand), the state's terminals are tried one by one,
    in lark's order. Keyword callbacks are lark's own, made for the state as lark makes them.
    A test parses every golden, example and corpus script (and broken variants) both ways and
    compares trees and errors."""

    def __init__(self, state_lexer: Any, root_lexer: Any) -> None:
        self._lexer = state_lexer
        self._root = root_lexer
        self._terminals: list[Any] | None = None
        self._allowed: frozenset[str] = frozenset()
        self._covered = False  # every terminal of the state is one the root scanner tries
        self._patterns: list[tuple[str, Any]] | None = None

    def _prepare(self) -> None:
        lexer = self._lexer
        terminals, callback = _create_unless(lexer.terminals, lexer.g_regex_flags, lexer.re, lexer.use_bytes)
        if lexer.user_callbacks:  # deluge-lite sets none; lark's scanner would chain them
            raise RuntimeError("lexer callbacks are not supported by the shared scanner")
        lexer.callback = callback
        self._terminals = terminals
        self._allowed = frozenset(terminal.name for terminal in terminals)
        self._covered = self._allowed <= self._root.scanner.allowed_types

    @property
    def allowed_types(self) -> set[str]:
        if self._terminals is None:
            self._prepare()
        return set(self._allowed)

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        if self._terminals is None:
            self._prepare()
        if self._covered:
            found = self._root.scanner.match(text, pos)
            if found is None or found[1] in self._allowed:
                return found
        if self._patterns is None:
            compile_ = self._lexer.re.compile
            flags = self._lexer.g_regex_flags
            self._patterns = [(terminal.name, compile_(terminal.pattern.to_regexp(), flags))
                              for terminal in self._terminals or ()]
        for name, pattern in self._patterns:
            found_match = pattern.match(text.text, pos, text.end)
            if found_match:
                return found_match.group(0), name
        return None


def parse(source: Source | str, name: str = "<script>") -> ast.Program:
    """Parse Deluge text into a Program, or raise DelugeSyntaxError."""
    from .builder import build

    if isinstance(source, str):
        source = Source(source, name)
    _refuse_oversized(source)
    try:
        tree = _lark().parse(source.text)
    except UnexpectedInput as error:
        raise _translate(error, source) from None
    try:
        return build(tree, source)
    except VisitError as error:  # the builder's own syntax errors arrive wrapped by Lark
        if isinstance(error.orig_exc, DelugeSyntaxError):
            raise error.orig_exc from None
        raise


def parse_concrete(source: Source | str, name: str = "<script>") -> tuple[ast.Program, concrete.ConcreteView]:
    """Parse into the AST and the concrete view (every token, comment and line break).

    Errors are those of ``parse``: the text is parsed for the AST first."""
    if isinstance(source, str):
        source = Source(source, name)
    program = parse(source)
    tree = _lark(keep_all_tokens=True).parse(source.text)
    return program, concrete.place(_concrete_tree(tree), source)


def _concrete_tree(root: lark.Tree) -> concrete.Node:
    """Lark's tree -> concrete.Node, bottom-up with an explicit stack (no recursion limit)."""
    done: dict[int, concrete.Node] = {}
    stack: list[tuple[lark.Tree, bool]] = [(root, False)]
    while stack:
        tree, expanded = stack.pop()
        if not expanded:
            stack.append((tree, True))
            stack.extend((child, False) for child in tree.children if isinstance(child, lark.Tree))
            continue
        children: list[concrete.Node | concrete.Token] = []
        for child in tree.children:
            if isinstance(child, lark.Tree):
                children.append(done.pop(id(child)))
            else:
                children.append(concrete.Token(child.type, str(child), child.start_pos, child.end_pos,
                                               child.line, child.column))
        done[id(tree)] = concrete.Node(str(tree.data), tuple(children))
    return done[id(root)]


def _refuse_oversized(source: Source) -> None:
    size = len(source.text)
    if size > MAX_SOURCE_CHARS:
        raise DelugeSyntaxError(
            f"the script is {size:,} characters long; deluge-lite reads scripts up to {MAX_SOURCE_CHARS:,}",
            Span.point(1, 1), source)
    if sum(source.text.count(c) for c in "({[") > MAX_NESTING:
        _check_nesting(source)


def _check_nesting(source: Source) -> None:
    depth = 0
    try:
        for token in _lark().lex(source.text, dont_ignore=False):
            if token.type in _OPENERS:
                depth += 1
                if depth > MAX_NESTING:
                    raise DelugeSyntaxError(
                        f"brackets and blocks nest more than {MAX_NESTING} levels deep here",
                        _token_span(token), source)
            elif token.type in _CLOSERS:
                depth -= 1
    except UnexpectedInput:
        return  # the parse itself reports the bad character


# ---------------------------------------------------------------- error translation

def _token_span(token: Token) -> Span:
    end_line = token.end_line or token.line
    end_col = token.end_column or token.column + max(len(token), 1)
    if end_line != token.line:
        end_line, end_col = token.line, token.column + 1
    return Span(token.line, token.column, end_line, max(end_col, token.column + 1))


def _translate(error: UnexpectedInput, source: Source) -> DelugeSyntaxError:
    template = _page_template(source)
    if template is not None:
        return template
    unclosed = _unclosed_comment(source)
    if unclosed is not None:
        return unclosed
    curly = _curly_quote(source, error)
    if curly is not None:
        return curly
    if isinstance(error, UnexpectedCharacters):
        return _bad_character(error, source)
    if isinstance(error, UnexpectedEOF) or (
            isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        return _unexpected_end(source, getattr(error, "expected", set()))
    assert isinstance(error, UnexpectedToken)
    return _unexpected_token(error, source)


def _bad_character(error: UnexpectedCharacters, source: Source) -> DelugeSyntaxError:
    offset = error.pos_in_stream
    rest = source.text[offset:offset + 2]
    span = Span.point(error.line, error.column)
    char = source.text[offset] if offset < len(source.text) else ""
    if rest.startswith("/*"):
        return DelugeSyntaxError("comment opened here is never closed ('*/' missing)", span, source,
                                 incomplete=True)
    if char in "\"'":
        kind = "text" if char == '"' else "quoted value"
        return DelugeSyntaxError(f"{kind} opened here is never closed ({char} missing)", span, source,
                                 incomplete=True)
    if char in _CURLY_QUOTES:
        return _curly_error(char, span, source)
    shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}" if char else "end of input"
    return DelugeSyntaxError(f"unexpected character {shown}", span, source)


def _curly_error(char: str, span: Span, source: Source) -> DelugeSyntaxError:
    straight = '"' if char in "\u201c\u201d" else "'"
    return DelugeSyntaxError(f"curly quote {char!r} is not a Deluge quote (text copied from a web page or a "
                             f"word processor?); type a straight quote {straight} instead", span, source)


def _curly_quote(source: Source, error: UnexpectedInput) -> DelugeSyntaxError | None:
    """A curly quote standing where a straight quote opens or closes text, at or before the error.

    Inside text a curly quote is just a character (`"It’s"`); at the edge of a value
    (`info “hi”;`, `x = "hi”;`) it is a quote typed by a word processor, and whatever
    error the parser met after it comes from there.
    """
    text = source.text
    if not any(char in text for char in _CURLY_QUOTES):
        return None
    limit = getattr(error, "pos_in_stream", None)
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "start_pos", None) is not None:
        limit = token.start_pos
    if limit is None or limit < 0 or (isinstance(error, UnexpectedCharacters) and text[limit:limit + 1] in "\"'"):
        limit = len(text)  # a text that never closes: a curly quote may be what should have closed it
    for match in _CURLY_AT_EDGE.finditer(text, 0, min(len(text), limit + 1)):
        index = match.start(1) if match.group(1) else match.start(2)
        if _in_comment(text, index):
            continue
        line, col = source.position(index)
        return _curly_error(text[index], Span(line, col, line, col + 1), source)
    return None


def _in_comment(text: str, index: int) -> bool:
    line_start = text.rfind("\n", 0, index) + 1
    if "//" in text[line_start:index] and '"' not in text[line_start:text.find("//", line_start)]:
        return True
    opened = text.rfind("/*", 0, index)
    return opened >= 0 and text.rfind("*/", opened, index) < 0


def _page_template(source: Source) -> DelugeSyntaxError | None:
    """A Creator page template (``<%{ ... }%>`` with HTML around): not a Deluge script."""
    match = _TEMPLATE_MARK.search(source.text)
    if match is None or _in_comment(source.text, match.start()) or _inside_text(source.text, match.start()):
        return None
    line, col = source.position(match.start())
    return DelugeSyntaxError(
        "this is a Zoho Creator page template (HTML with Deluge inside <%{ ... }%>), not a Deluge script; "
        "deluge-lite runs scripts: copy the Deluge between <%{ and }%> into a .dg file",
        Span(line, col, line, col + 3), source)


def _inside_text(text: str, index: int) -> bool:
    """Whether ``index`` falls inside a double-quoted text, counting quotes from the start."""
    before = text[:index]
    if before.lstrip().startswith("<"):
        return False  # the page starts with HTML or the template itself
    quotes = len(re.findall(r'(?<!\\)"', before))
    return quotes % 2 == 1


def _unclosed_comment(source: Source) -> DelugeSyntaxError | None:
    """A ``/*`` outside text with no ``*/`` after it (the lexer reads it as a division)."""
    text = source.text
    index, quote = 0, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif text.startswith("//", index):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            if end < 0:
                line, col = source.position(index)
                return DelugeSyntaxError("comment opened here is never closed ('*/' missing)",
                                         Span(line, col, line, col + 2), source, incomplete=True)
            index = end + 1
        index += 1
    return None


def _unclosed_bracket(source: Source, until: int | None = None) -> Token | None:
    """The innermost bracket still open at ``until`` (an offset), or at the end of the text."""
    stack: list[Token] = []
    try:
        for token in _lark().lex(source.text, dont_ignore=False):
            if until is not None and token.start_pos >= until:
                break
            if token.type in _OPENERS:
                stack.append(token)
            elif token.type in _CLOSERS and stack and stack[-1].type == _CLOSERS[token.type]:
                stack.pop()
    except UnexpectedInput:
        pass
    return stack[-1] if stack else None


def _unexpected_end(source: Source, expected: set[str]) -> DelugeSyntaxError:
    span = source.end_span()
    opener = _unclosed_bracket(source)
    if opener is not None:
        message = f"'{opener.value}' opened at line {opener.line} is never closed"
        return DelugeSyntaxError(message, _token_span(opener), source, incomplete=True)
    if "SEMICOLON" in expected:
        last = _previous_token(source, len(source.text) + 1)
        at = Span.point(_token_span(last).end_line, _token_span(last).end_col) if last else span
        return DelugeSyntaxError("expected ';' after the statement", at, source, incomplete=True)
    return DelugeSyntaxError(f"the script ends too early; expected {_describe(expected)}", span, source,
                             incomplete=True)


def _unexpected_token(error: UnexpectedToken, source: Source) -> DelugeSyntaxError:
    token = error.token
    expected = set(error.expected)
    span = _token_span(token)
    found = _describe_token(token)
    previous = _previous_token(source, token.start_pos)
    if token.type == "ELSE" or (token.type == "NAME" and str(token).lower() == "else"):
        return DelugeSyntaxError("'else' without a matching 'if'", span, source)
    if previous is not None and previous.type in ("NAME", "ELSE") and str(previous).lower() == "else":
        return DelugeSyntaxError("'else' without a matching 'if'", _token_span(previous), source)
    if previous is not None and previous.type == "COLON" and expected & _EXPRESSION_STARTS:
        kind = _previous_token(source, previous.start_pos)
        inside = _unclosed_bracket(source, until=token.start_pos)
        if kind is not None and kind.type == "NAME" and str(kind).lower() in ("file", "template", "view") \
                and inside is not None and inside.type == "LSQB":
            return DelugeSyntaxError(f"'{kind}:' needs what to attach after it ({kind}: <value>), found {found}",
                                     span, source)
    if token.type == "EQUAL" and "EQUAL" not in expected:
        return DelugeSyntaxError("'=' assigns a value and cannot stand here; to compare, use '=='", span, source)
    opener = _unclosed_bracket(source, until=token.start_pos)
    if token.type in _CLOSERS:
        if opener is None:
            return DelugeSyntaxError(f"unexpected {found} with no matching '{_PAIRS[token.type]}'", span, source)
        if opener.type != _CLOSERS[token.type]:
            closer = {"LPAR": ")", "LBRACE": "}", "LSQB": "]"}[opener.type]
            return DelugeSyntaxError(
                f"expected '{closer}' to close the '{opener.value}' opened at line {opener.line}, found {found}",
                span, source)
    if token.type == "LSQB" and previous is not None and previous.type in (
            "RPAR", "RSQB", "RBRACE", "DQ_STRING", "SQ_STRING", "INT", "DECIMAL"):
        return DelugeSyntaxError("'[' cannot follow a value: Deluge has no [index] lookup; read an element "
                                 "with .get(index)", span, source)
    at_statement_start = previous is None or previous.type in ("SEMICOLON", "RBRACE", "LBRACE")
    if "SEMICOLON" in expected and not at_statement_start and not _continues_expression(token):
        end = _token_span(previous) if previous is not None else span
        at = Span.point(end.end_line, end.end_col) if previous is not None and previous.line < token.line else span
        return DelugeSyntaxError("expected ';' after the statement", at, source)
    # LALR merges states, so the expected set may name closers of brackets that are not open.
    open_closer = {"LPAR": "RPAR", "LBRACE": "RBRACE", "LSQB": "RSQB"}.get(opener.type) if opener else None
    expected = {name for name in expected if name not in _CLOSERS or name == open_closer}
    if at_statement_start:
        expected.discard("SEMICOLON")
    return DelugeSyntaxError(f"unexpected {found}; expected {_describe(expected)}", span, source)


def _previous_token(source: Source, before: int) -> Token | None:
    last: Token | None = None
    try:
        for token in _lark().lex(source.text, dont_ignore=False):
            if token.start_pos >= before:
                break
            last = token
    except UnexpectedInput:
        pass
    return last


def _continues_expression(token: Token) -> bool:
    return token.type in {"COMP_OP", "ADD_OP", "MUL_OP", "AND_OP", "OR_OP", "DOT"}


def _describe_token(token: Token) -> str:
    if token.type == "$END":
        return "end of input"
    text = str(token)
    if token.type in ("DQ_STRING", "SQ_STRING"):
        return f"text {text[:30]}"
    if token.type == "NAME":
        return f"name '{text}'"
    if re.fullmatch(r"[A-Za-z]+", text):
        return f"'{text}'"
    return f"'{text}'"


def _describe(expected: set[str]) -> str:
    if {"INFO", "RETURN", "FOR"} <= expected:
        closing = " or '}'" if "RBRACE" in expected else ""
        return f"a statement (an assignment, a call, info, if, for each, return, ...){closing}"
    words: list[str] = []
    if expected & _EXPRESSION_STARTS and len(expected & _EXPRESSION_STARTS) > 2:
        words.append("a value or expression")
        expected = expected - _EXPRESSION_STARTS
    for name in sorted(expected):
        word = _TERMINAL_WORDS.get(name)
        if word is None:
            word = f"'{name.lower()}'" if name.isalpha() and name.isupper() else name
            if name.endswith("_OP"):
                word = "an operator"
        if word not in words:
            words.append(word)
    if not words:
        return "something else"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]
