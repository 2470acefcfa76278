"""The objects a parse produces (Token, Tree, Meta) and the non-recursive transformer over them.

They carry what lark's carry and what the builder, the concrete view and the error messages read:
a Token is the matched text (a ``str``) with its terminal name and where it starts and ends; a Tree
is a rule's name, its children and a Meta with the positions of the text it covers (``empty`` when it
covers none). The ``container_*`` positions of a Meta also count tokens the tree dropped or children it
inlined; a parent takes its own positions from them (``lalr``). Both parsers, ours and the lark
fallback, hand these objects to the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Token(str):
    """A token: the text, its terminal (``type``) and its span (1-based lines and columns, 0-based offsets)."""

    type: str
    start_pos: int
    line: int
    column: int
    end_line: int | None
    end_column: int | None
    end_pos: int | None

    def __new__(cls, type_: str, value: str, start_pos: int, line: int, column: int,
                end_line: int | None = None, end_column: int | None = None, end_pos: int | None = None) -> Token:
        token = super().__new__(cls, value)
        token.type = type_
        token.start_pos, token.line, token.column = start_pos, line, column
        token.end_line, token.end_column, token.end_pos = end_line, end_column, end_pos
        return token

    @property
    def value(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"


class Meta:
    """The span of a tree; its attributes exist only once set (as lark's), ``empty`` says whether they are."""

    __slots__ = ("empty", "line", "column", "start_pos", "end_line", "end_column", "end_pos",
                 "container_line", "container_column", "container_start_pos",
                 "container_end_line", "container_end_column", "container_end_pos")

    def __init__(self) -> None:
        self.empty = True


class Tree:
    """One rule match: ``data`` (the rule's name or alias), ``children`` (trees and tokens), ``meta``."""

    __slots__ = ("data", "children", "meta")

    def __init__(self, data: str, children: list[Any], meta: Meta | None = None) -> None:
        self.data = data
        self.children = children
        self.meta = meta if meta is not None else Meta()

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


Handler = Callable[[Meta, list[Any]], Any]


class Transformer:
    """Rebuilds a tree bottom-up, left to right, with an explicit stack (deep input cannot exhaust Python's).

    A subclass names a method after each rule (or alias) it handles; the method takes the tree's
    meta and its already transformed children. A tree whose rule has no method stays a Tree with
    transformed children. Tokens are passed through as they are."""

    def transform(self, root: Any) -> Any:
        handlers: dict[str, Handler | None] = {}
        pending: list[Any] = [root]
        postorder_reversed: list[Any] = []
        while pending:  # root, then its children right to left, depth first
            node = pending.pop()
            postorder_reversed.append(node)
            if type(node) is Tree:
                pending.extend(node.children)
        results: list[Any] = []
        for node in reversed(postorder_reversed):
            if type(node) is not Tree:
                results.append(node)
                continue
            count = len(node.children)
            if count:
                children = results[-count:]
                del results[-count:]
            else:
                children = []
            data = node.data
            if data in handlers:
                handler = handlers[data]
            else:
                handler = handlers[data] = self._handler(data)
            results.append(handler(node.meta, children) if handler is not None else Tree(data, children, node.meta))
        (result,) = results
        return result

    def _handler(self, data: str) -> Handler | None:
        if data.startswith("_") or data in Transformer.__dict__:
            return None
        found = getattr(self, data, None)
        return found if callable(found) else None
