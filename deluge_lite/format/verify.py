"""Meaning check for the formatter: two programs are equal when their syntax trees are equal
with every position (``Span``) left out.

The tree is flattened into one sequence (node types, values and end markers, in pre-order),
with an explicit stack: long operator chains and deep nesting neither exhaust Python's
recursion limit here nor in the comparison, which is of two flat tuples."""

from __future__ import annotations

from ..ast import Program
from ..fieldclass import fields, is_fieldclass
from ..source import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_END = ("end",)


def shape(node: Any) -> tuple[Any, ...]:
    """A position-free, comparable, flat description of an AST."""
    out: list[Any] = []
    stack: list[Any] = [node]
    while stack:
        value = stack.pop()
        if value is _END:
            out.append(_END)
        elif isinstance(value, Span):
            continue
        elif is_fieldclass(value) and not isinstance(value, type):
            out.append(("node", type(value).__name__))
            stack.append(_END)
            stack.extend(getattr(value, field.name) for field in reversed(fields(value)))
        elif isinstance(value, (tuple, list)):
            out.append(("seq", len(value)))
            stack.append(_END)
            stack.extend(reversed(value))
        else:
            out.append((type(value).__name__, value))
    return tuple(out)


def same_meaning(before: Program, after: Program) -> bool:
    """Whether two parses are the same program, positions aside."""
    return shape(before) == shape(after)
