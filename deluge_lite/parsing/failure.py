"""The two ways a parse fails, as the error translation (``parser``) reads them.

``BadCharacter``: no terminal the parser state accepts matches at ``pos_in_stream`` (nor any
terminal at all). ``BadToken``: a token the state cannot take (``expected``: the terminals it could);
at the end of the input the token is ``$END``, placed at the last token. Both parsers, ours and the
lark fallback, raise these; they never reach a user (``parser`` turns them into DelugeSyntaxError).
"""

from __future__ import annotations

from .tree import Token


class ParseFailure(Exception):
    """A parse that stopped: where, and what the state there would have taken."""

    pos_in_stream: int
    line: int
    column: int
    expected: set[str]


class BadCharacter(ParseFailure):
    def __init__(self, pos_in_stream: int, line: int, column: int, allowed: set[str]) -> None:
        super().__init__(f"no terminal matches at line {line}, column {column}")
        self.pos_in_stream, self.line, self.column = pos_in_stream, line, column
        self.expected = allowed


class BadToken(ParseFailure):
    def __init__(self, token: Token, expected: set[str]) -> None:
        super().__init__(f"unexpected {token.type} at line {token.line}, column {token.column}")
        self.token = token
        self.pos_in_stream, self.line, self.column = token.start_pos, token.line, token.column
        self.expected = expected
