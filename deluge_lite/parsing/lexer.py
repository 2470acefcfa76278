"""The contextual lexer: each parser state lexes with the terminals it accepts, in lark's order.

A scanner tries its terminals in the order of the tables (``generate``) and takes the first that
matches, as one regular expression of named alternatives. Most states' terminals are all among
those of the root scanner (every terminal): the root's answer is then the state's whenever it is a
terminal the state accepts, because both try terminals in the same order; only otherwise is the
state's own expression compiled and tried. A terminal that absorbs literals ("unless") renames a
token whose whole text is one of them. Ignored terminals (spaces, comments) are skipped; lines
are counted only in terminals that may span lines, as lark counts them.

When nothing the state accepts matches, the root scanner is asked: a token it finds is a token out
of place (``BadToken``), else the character is bad (``BadCharacter``), as lark reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .failure import BadCharacter, BadToken
from .tree import Token

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Scanner:
    """One parser state's scanner (or the root's): the terminals it tries, in order."""

    def __init__(self, spec: dict[str, Any], regex_of: dict[str, str], flags: int, root: Scanner | None) -> None:
        self.names = frozenset(spec["terminals"])
        self.error_allowed = frozenset(spec["allowed"])
        self._order: list[str] = spec["terminals"]
        self._regex_of, self._flags = regex_of, flags
        self._unless_spec: dict[str, list[str]] = spec["unless"]
        self._unless: dict[str, re.Pattern[str]] = {}
        self.renames = frozenset(self._unless_spec)
        self._root = root
        self._covered = root is not None and self.names <= root.names
        self._own: re.Pattern[str] | None = None
        if root is None:
            self._own = self._alternation(self._order)

    @property
    def pattern(self) -> re.Pattern[str]:
        """This scanner's terminals as one expression of named alternatives, in order."""
        if self._own is None:
            self._own = self._alternation(self._order)
        return self._own

    def _alternation(self, names: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?P<{name}>{self._regex_of[name]})" for name in names), self._flags)

    def match(self, text: str, pos: int) -> tuple[str, str] | None:
        """(text, terminal) of the first of this scanner's terminals matching at ``pos``, or None."""
        if self._covered:
            found = self._root._own.match(text, pos)  # type: ignore[union-attr]
            if found is None:
                return None
            if found.lastgroup in self.names:
                return found.group(), found.lastgroup  # type: ignore[return-value]
        own = self._own
        if own is None:
            own = self._own = self._alternation(self._order)
        found = own.match(text, pos)
        return None if found is None else (found.group(), found.lastgroup)  # type: ignore[return-value]

    def renamed(self, kind: str, value: str) -> str:
        """The literal terminal whose whole text ``value`` is, when ``kind`` absorbs it; else ``kind``."""
        pattern = self._unless.get(kind)
        if pattern is None:
            pattern = self._unless[kind] = re.compile(
                "|".join(f"(?P<{name}>{self._regex_of[name]})" for name in self._unless_spec[kind]), self._flags)
        found = pattern.fullmatch(value)
        return kind if found is None else found.lastgroup  # type: ignore[return-value]


class LexTables:
    """The scanners of the tables, built once: the root and one per set of accepted terminals."""

    def __init__(self, tables: dict[str, Any]) -> None:
        regex_of = {terminal["name"]: terminal["regex"] for terminal in tables["terminals"]}
        flags = tables["regex_flags"]
        self.root = Scanner(tables["root_scanner"], regex_of, flags, None)
        self.scanners = [Scanner(spec, regex_of, flags, self.root) for spec in tables["scanners"]]
        self.ignore = frozenset(tables["ignore"])
        self.newline = frozenset(terminal["name"] for terminal in tables["terminals"] if terminal["newline"])


class Lexer:
    """Lexes one text, a token at a time, with the scanner the parser's state asks for."""

    __slots__ = ("text", "pos", "line", "line_start", "_tables")

    def __init__(self, tables: LexTables, text: str) -> None:
        self.text, self.pos, self.line, self.line_start = text, 0, 1, 0
        self._tables = tables

    def next(self, scanner: Scanner) -> Token | None:
        """The next token that is not ignored, or None at the end of the text."""
        text, pos, line, line_start = self.text, self.pos, self.line, self.line_start
        end = len(text)
        ignore, newline = self._tables.ignore, self._tables.newline
        while pos < end:
            found = scanner.match(text, pos)
            if found is None:
                self.pos, self.line, self.line_start = pos, line, line_start
                self._fail(scanner)
            value, kind = found  # type: ignore[misc]
            start, start_line, start_column = pos, line, pos - line_start + 1
            if kind in newline:
                breaks = value.count("\n")
                if breaks:
                    line += breaks
                    line_start = pos + value.rindex("\n") + 1
            pos += len(value)
            if kind in ignore:
                continue
            token = Token(kind, value, start, start_line, start_column, line, pos - line_start + 1, pos)
            if kind in scanner.renames:
                token.type = scanner.renamed(kind, value)
            self.pos, self.line, self.line_start = pos, line, line_start
            return token
        self.pos, self.line, self.line_start = pos, line, line_start
        return None

    def _fail(self, scanner: Scanner) -> None:
        failure = BadCharacter(self.pos, self.line, self.pos - self.line_start + 1, set(scanner.error_allowed))
        root = self._tables.root
        if scanner is root:
            raise failure
        try:
            token = self.next(root)
        except BadCharacter:
            raise failure from None
        if token is None:  # cannot happen: the state's ignored terminals are the root's
            raise failure
        raise BadToken(token, failure.expected)


def root_tokens(tables: LexTables, text: str, kinds: frozenset[str] | None = None) -> Iterator[Token]:
    """Every token of the text lexed with all terminals (no parser state), up to a bad character.

    ``kinds``: only the tokens of these terminals are made (the others are still lexed). One
    ``finditer`` walks the text: a match that does not start where the last one ended means a
    character no terminal matches there, where lexing stops."""
    root, ignore, newline = tables.root, tables.ignore, tables.newline
    pos, line, line_start = 0, 1, 0
    for found in root.pattern.finditer(text):
        start = found.start()
        if start != pos:
            return
        kind, value, pos = found.lastgroup, found.group(), found.end()
        start_line, start_column = line, start - line_start + 1
        if kind in newline:
            breaks = value.count("\n")
            if breaks:
                line += breaks
                line_start = start + value.rindex("\n") + 1
        if kind in ignore:
            continue
        if kind in root.renames:
            kind = root.renamed(kind, value)  # type: ignore[arg-type]
        if kinds is None or kind in kinds:
            yield Token(kind, value, start, start_line, start_column, line, pos - line_start + 1, pos)  # type: ignore[arg-type]
