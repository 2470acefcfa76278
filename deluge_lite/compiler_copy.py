"""Owns copying the Python syntax trees the compiler builds (`copy_tree`).

The compiler emits some code twice (a run's charging and exactly-counting copies, the slow
path of a Text ``+``), and CPython's ``compile`` needs every place to hold nodes of its own.
`copy.deepcopy` did it, at about ten times the cost (its memo, reductions and dispatch per
object): here a node is rebuilt from its ``__dict__`` (fields, positions and any attribute
the compiler set), lists are copied, everything else is an immutable atom and is shared.
As with deepcopy, a node or list reached twice within one tree is copied once.
"""

from __future__ import annotations

import ast as py
from typing import Any, TypeVar

_Tree = TypeVar("_Tree")


def copy_tree(node: _Tree) -> _Tree:
    """A deep copy of a Python `ast` node (or a list of them)."""
    copies: dict[int, Any] = {}

    def copy(value: Any) -> Any:
        if isinstance(value, py.AST):
            made = copies.get(id(value))
            if made is None:
                made = copies[id(value)] = value.__class__.__new__(value.__class__)
                made.__dict__.update({name: copy(item) for name, item in value.__dict__.items()})
            return made
        if type(value) is list:
            made = copies.get(id(value))
            if made is None:
                made = copies[id(value)] = []
                made.extend([copy(item) for item in value])
            return made
        return value

    return copy(node)  # type: ignore[no-any-return]
