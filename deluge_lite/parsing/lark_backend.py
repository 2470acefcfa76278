"""The same parse done by lark: the reference the table-driven parser is tested against, and the
parser used when the grammar changed and the tables were not made again (see ``tables.current``).

Builds lark's LALR parser once (from the user's private cache when a safe copy is there, see
private_cache), lets every parser state lex with one scanner (``_StateScanner``), and hands back
our own objects: the Tree/Token of ``tree``, and lark's errors as ``BadCharacter`` / ``BadToken``.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Iterator

from .. import private_cache
from .failure import BadCharacter, BadToken
from .tables import LARK_OPTIONS, grammar_path
from .tree import Meta, Token, Tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# lark imports the `regex` package, if installed, only to measure terminals that use Unicode
# categories while it builds a grammar; ours has none and is loaded pre-built, so lark is
# imported without it (about a fifth of a cached run's start-up); `regex` stays importable.
_REGEX_WAS_LOADED = "regex" in sys.modules
if not _REGEX_WAS_LOADED:
    sys.modules["regex"] = None  # type: ignore[assignment]  (None here makes `import regex` fail)
try:
    import lark
    from lark import Lark
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
finally:
    if not _REGEX_WAS_LOADED and sys.modules.get("regex", 0) is None:
        del sys.modules["regex"]

try:
    from lark.lexer import _create_unless
except ImportError:  # another lark: its own scanners are used
    _create_unless = None

_META_FIELDS = ("line", "column", "start_pos", "end_line", "end_column", "end_pos")


def lark_parser(keep_all_tokens: bool = False) -> Lark:
    """The parser, from the user's private cache when a safe copy is there (see private_cache).

    ``keep_all_tokens`` builds the same grammar keeping punctuation in the tree, for the
    concrete view (``parser.parse_concrete``)."""
    return _built(bool(keep_all_tokens))


@functools.lru_cache(maxsize=2)
def _built(keep_all_tokens: bool) -> Lark:
    options = {**LARK_OPTIONS, "keep_all_tokens": True} if keep_all_tokens else LARK_OPTIONS
    grammar = grammar_path().read_text(encoding="utf-8")
    key = "\0".join([grammar, lark.__version__, repr(sorted(options.items())), sys.version])
    name = "grammar-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".lark"
    cached = private_cache.load(name, Lark.load)
    if isinstance(cached, Lark):
        return _share_scanners(cached)
    parser = Lark(grammar, **options)
    private_cache.store(name, parser.save)
    return _share_scanners(parser)


def parse(text: str, keep_all_tokens: bool = False) -> Tree:
    """The text's tree (our objects), or BadCharacter / BadToken."""
    try:
        return converted(lark_parser(keep_all_tokens).parse(text))
    except UnexpectedInput as error:
        raise _failure(error) from None


def tokens(text: str, kinds: frozenset[str] | None = None) -> Iterator[Token]:
    """The text's tokens by lark's lexer of all terminals, up to a bad character; only those of
    ``kinds`` when given."""
    try:
        for token in lark_parser().lex(text, dont_ignore=False):
            if kinds is None or token.type in kinds:
                yield _token(token)
    except UnexpectedInput:
        return


def converted(root: lark.Tree) -> Tree:
    """Lark's tree -> ours, bottom-up with an explicit stack (no recursion limit)."""
    done: dict[int, Tree] = {}
    stack: list[tuple[lark.Tree, bool]] = [(root, False)]
    while stack:
        tree, expanded = stack.pop()
        if not expanded:
            stack.append((tree, True))
            stack.extend((child, False) for child in tree.children if isinstance(child, lark.Tree))
            continue
        meta = Meta()
        if not tree.meta.empty:
            meta.empty = False
            for field in _META_FIELDS:
                setattr(meta, field, getattr(tree.meta, field))
        children = [done.pop(id(child)) if isinstance(child, lark.Tree) else _token(child) for child in tree.children]
        done[id(tree)] = Tree(str(tree.data), children, meta)
    return done[id(root)]


def _token(token: lark.Token) -> Token:
    return Token(token.type, str(token), token.start_pos, token.line, token.column,
                 token.end_line, token.end_column, token.end_pos)


def _failure(error: UnexpectedInput) -> BadCharacter | BadToken:
    if isinstance(error, UnexpectedCharacters):
        return BadCharacter(error.pos_in_stream, error.line, error.column, set(error.allowed or ()))
    if isinstance(error, UnexpectedToken):
        return BadToken(_token(error.token), set(error.expected))
    assert isinstance(error, UnexpectedEOF)  # lark's LALR reports the end as an UnexpectedToken; kept for others
    return BadToken(Token("$END", "", -1, error.line, error.column), set(error.expected))


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
