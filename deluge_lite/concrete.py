"""The concrete syntax view: every token of a script in order, with the comments and blank
lines between them, and for each token the grammar rule it belongs to.

The AST (``ast.py``) drops punctuation, comments and layout; the formatter and the editor
server need them. This view comes from the same grammar and the same Lark parser as the
AST (``parser.parse_concrete`` builds it with Lark's keep-all-tokens option), so there is no
second parser. It owns no behaviour besides indexing: which rule each token sits in, which
rules start or end at it, and the trivia (whitespace and comments) in each gap.
"""

from __future__ import annotations

import re

from .fieldclass import field, fieldclass
from .source import Source

# What may stand between two tokens: the grammar's ignored terminals (WS, comments, BOM).
_TRIVIA = re.compile(r"(?P<line>//[^\n]*)|(?P<block>/\*[\s\S]*?\*/)|(?P<space>[\s\u200b\u2060\ufeff]+)")


@fieldclass(frozen=True, slots=True)
class Token:
    """One token as the parser saw it: its terminal name and exact text."""

    kind: str
    text: str
    start: int
    end: int
    line: int
    col: int


@fieldclass(frozen=True, slots=True)
class Node:
    """One grammar rule match; children are nodes and tokens in source order."""

    rule: str
    children: tuple[Node | Token, ...]


@fieldclass(frozen=True, slots=True)
class Comment:
    """A ``//`` or ``/* */`` comment and where it sits relative to the code around it."""

    text: str
    start: int
    block: bool
    newlines_before: int  # line breaks between the previous token/comment and this comment
    newlines_after: int  # line breaks between this comment and the next token/comment


@fieldclass(frozen=True, slots=True)
class Gap:
    """The trivia before a token: its comments and the line breaks around them."""

    comments: tuple[Comment, ...]
    newlines: int  # line breaks in the whole gap (between the two tokens)
    newlines_before_token: int  # line breaks between the last comment (or token) and the next token


@fieldclass
class Placed:
    """A token with its place in the tree: the rule it belongs to, the rules it opens/closes."""

    token: Token
    parent: str
    first_of: tuple[str, ...] = ()  # rules whose first token this is (outermost first)
    last_of: tuple[str, ...] = ()  # rules whose last token this is (innermost first)
    statement_start: bool = False  # the first token of a statement (a child of a block or the file)
    gap: Gap = field(default_factory=lambda: Gap((), 0, 0))


@fieldclass
class ConcreteView:
    """A parsed script with its layout: the placed tokens and the trivia after the last one."""

    source: Source
    tokens: list[Placed]
    trailing: Gap

    def comments(self) -> list[str]:
        """Every comment's text, in order (trailing spaces and ``\\r`` dropped)."""
        found = [comment.text for placed in self.tokens for comment in placed.gap.comments]
        found += [comment.text for comment in self.trailing.comments]
        return found


STATEMENT_PARENTS = frozenset({"start", "block"})


def scan_gap(text: str) -> Gap:
    """Split the text between two tokens into comments and line breaks."""
    comments: list[Comment] = []
    newlines = 0
    since_last = 0
    pending: dict[str, object] | None = None
    for match in _TRIVIA.finditer(text):
        if match.lastgroup == "space":
            count = match.group().count("\n")
            newlines += count
            since_last += count
            continue
        if pending is not None:
            comments.append(Comment(**pending, newlines_after=since_last))  # type: ignore[arg-type]
        body = match.group()
        count = body.count("\n")
        newlines += count
        pending = {"text": body.rstrip() if match.lastgroup == "line" else body, "start": match.start(),
                   "block": match.lastgroup == "block", "newlines_before": since_last}
        since_last = 0
    if pending is not None:
        comments.append(Comment(**pending, newlines_after=since_last))  # type: ignore[arg-type]
    return Gap(tuple(comments), newlines, since_last)


def place(root: Node, source: Source) -> ConcreteView:
    """Index a concrete tree: each token with its parent rule, the rules it opens and closes,
    and the trivia before it. Iterative, so deeply nested scripts do not exhaust the stack."""
    placed: list[Placed] = []
    pending_first: list[str] = []
    pending_statement = False
    # (node-or-token, parent rule, grandparent rule, closing marker)
    stack: list[tuple[Node | Token | None, str, str, str | None]] = [(root, "", "", None)]
    while stack:
        item, parent, grandparent, closing = stack.pop()
        if item is None:  # a rule's end: its last token is the one placed last
            if placed and closing is not None:
                placed[-1].last_of = placed[-1].last_of + (closing,)
            continue
        if isinstance(item, Token):
            placed.append(Placed(item, parent, tuple(pending_first), (), pending_statement))
            pending_first, pending_statement = [], False
            continue
        if parent in STATEMENT_PARENTS and item.rule not in STATEMENT_PARENTS:
            pending_statement = True
        pending_first.append(item.rule)
        stack.append((None, parent, grandparent, item.rule))
        stack.extend((child, item.rule, parent, None) for child in reversed(item.children))
    text = source.text
    previous_end = 0
    for entry in placed:
        entry.gap = scan_gap(text[previous_end:entry.token.start])
        previous_end = entry.token.end
    return ConcreteView(source, placed, scan_gap(text[previous_end:]))
