"""The front door of parsing: picks the parser and turns its failures into user words.

The parser is the table-driven one of ``parsing/`` (no lark at run time) when the committed tables
were made from today's grammar, else lark's own (``parsing/lark_backend``); both give the same trees
and failures. `parse(source)` returns the `ast.Program` (through the builder) or raises a
`DelugeSyntaxError` that names the position and says what was expected, e.g.
"expected ';' after the statement" or "'{' opened at line 3 is never closed".
An error at the end of the input is marked ``incomplete`` so the REPL can ask for
more lines. Input that is too large or nested too deeply is refused up front.
"""

from __future__ import annotations

import functools
import re

from . import ast
from .errors import DelugeSyntaxError
from .parsing import tables as parse_tables
from .parsing.failure import BadCharacter, BadToken, ParseFailure
from .parsing.tree import Token, Tree
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from . import concrete  # imported by parse_concrete: a run never needs it (its classes cost start-up)

MAX_SOURCE_CHARS = 1_000_000
MAX_NESTING = 200

_OPENERS = {"LPAR": "(", "LBRACE": "{", "LSQB": "["}
_CLOSERS = {"RPAR": "LPAR", "RBRACE": "LBRACE", "RSQB": "LSQB"}
_PAIRS = {"RPAR": "(", "RBRACE": "{", "RSQB": "["}
_BRACKETS = frozenset(_OPENERS) | frozenset(_CLOSERS)

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




@functools.lru_cache(maxsize=1)
def _backend() -> Any:
    """What parses: the committed tables when they were made from today's grammar, else lark.

    Both answer ``parse(text, keep_all_tokens)`` (a ``parsing.tree.Tree``, or a ParseFailure) and
    ``tokens(text)`` (the tokens of all terminals, up to a bad character)."""
    tables = parse_tables.current()
    if tables is not None:
        from .parsing.lalr import TableParser

        return TableParser(tables)
    from .parsing import lark_backend  # a grammar edited without `python -m deluge_lite.parsing.generate`

    return lark_backend


def parse(source: Source | str, name: str = "<script>") -> ast.Program:
    """Parse Deluge text into a Program, or raise DelugeSyntaxError."""
    from .builder import build

    if isinstance(source, str):
        source = Source(source, name)
    _refuse_oversized(source)
    try:
        tree = _backend().parse(source.text)
    except ParseFailure as error:
        raise _translate(error, source) from None
    return build(tree, source)


def parse_concrete(source: Source | str, name: str = "<script>") -> tuple[ast.Program, concrete.ConcreteView]:
    """Parse into the AST and the concrete view (every token, comment and line break).

    Errors are those of ``parse``: the text is parsed for the AST first."""
    from . import concrete

    if isinstance(source, str):
        source = Source(source, name)
    program = parse(source)
    tree = _backend().parse(source.text, keep_all_tokens=True)
    return program, concrete.place(_concrete_tree(tree), source)


def _concrete_tree(root: Tree) -> concrete.Node:
    """The parse tree -> concrete.Node, bottom-up with an explicit stack (no recursion limit)."""
    from . import concrete

    done: dict[int, concrete.Node] = {}
    stack: list[tuple[Tree, bool]] = [(root, False)]
    while stack:
        tree, expanded = stack.pop()
        if not expanded:
            stack.append((tree, True))
            stack.extend((child, False) for child in tree.children if isinstance(child, Tree))
            continue
        children: list[concrete.Node | concrete.Token] = []
        for child in tree.children:
            if isinstance(child, Tree):
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
    for token in _backend().tokens(source.text, _BRACKETS):  # up to a bad character: the parse reports it
        if token.type in _OPENERS:
            depth += 1
            if depth > MAX_NESTING:
                raise DelugeSyntaxError(
                    f"brackets and blocks nest more than {MAX_NESTING} levels deep here",
                    _token_span(token), source)
        elif token.type in _CLOSERS:
            depth -= 1


# ---------------------------------------------------------------- error translation

def _token_span(token: Token) -> Span:
    end_line = token.end_line or token.line
    end_col = token.end_column or token.column + max(len(token), 1)
    if end_line != token.line:
        end_line, end_col = token.line, token.column + 1
    return Span(token.line, token.column, end_line, max(end_col, token.column + 1))


def _translate(error: ParseFailure, source: Source) -> DelugeSyntaxError:
    template = _page_template(source)
    if template is not None:
        return template
    unclosed = _unclosed_comment(source)
    if unclosed is not None:
        return unclosed
    curly = _curly_quote(source, error)
    if curly is not None:
        return curly
    if isinstance(error, BadCharacter):
        return _bad_character(error, source)
    assert isinstance(error, BadToken)
    if error.token.type == "$END":
        return _unexpected_end(source, error.expected)
    return _unexpected_token(error, source)


def _bad_character(error: BadCharacter, source: Source) -> DelugeSyntaxError:
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


def _curly_quote(source: Source, error: ParseFailure) -> DelugeSyntaxError | None:
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
    if limit is None or limit < 0 or (isinstance(error, BadCharacter) and text[limit:limit + 1] in "\"'"):
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
    for token in _backend().tokens(source.text, _BRACKETS):  # the others cannot change the stack
        if until is not None and token.start_pos >= until:
            break
        if token.type in _OPENERS:
            stack.append(token)
        elif token.type in _CLOSERS and stack and stack[-1].type == _CLOSERS[token.type]:
            stack.pop()
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


def _unexpected_token(error: BadToken, source: Source) -> DelugeSyntaxError:
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
    for token in _backend().tokens(source.text):
        if token.start_pos >= before:
            break
        last = token
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
