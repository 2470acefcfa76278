"""`copy_tree` copies Python syntax trees as `copy.deepcopy` does, sharing only immutable atoms."""

from __future__ import annotations

import ast as py
import copy

from deluge_lite.compiler_copy import copy_tree

CODE = """
def f(a, *rest, key=None, **extra):
    total = [a + b for b in rest if b > 0]
    with open(key) as handle:
        return {'x': (1, 2.5, 'text', None, ...), **extra}, total[1:-1], not a, lambda: a
for i in range(3):
    try:
        f(i)
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"bad {i!r:>4}") from error
"""


def nodes_and_lists(tree: object) -> list[object]:
    out: list[object] = []
    pending = [tree]
    while pending:
        value = pending.pop()
        if isinstance(value, py.AST):
            out.append(value)
            pending.extend(value.__dict__.values())
        elif isinstance(value, list):
            out.append(value)
            pending.extend(value)
    return out


def test_copy_is_equal_and_shares_no_node_or_list() -> None:
    tree = py.parse(CODE)
    tree.body[0].marker = True  # type: ignore[attr-defined]  (an attribute the compiler sets)
    copied = copy_tree(tree)
    assert py.dump(copied, include_attributes=True) == py.dump(tree, include_attributes=True)
    assert py.dump(copied, include_attributes=True) == py.dump(copy.deepcopy(tree), include_attributes=True)
    assert copied.body[0].marker is True  # type: ignore[attr-defined]
    assert not {id(item) for item in nodes_and_lists(tree)} & {id(item) for item in nodes_and_lists(copied)}
    compile(copied, "<copy>", "exec")
    copied.body[0].name = "g"  # type: ignore[attr-defined]
    assert tree.body[0].name == "f"  # type: ignore[attr-defined]


def test_a_node_reached_twice_is_copied_once_and_lists_copy_too() -> None:
    shared = py.Name(id="x", ctx=py.Load())
    statements = [py.Expr(value=py.BinOp(left=shared, op=py.Add(), right=shared))]
    copied = copy_tree(statements)
    assert isinstance(copied, list) and copied is not statements
    binop = copied[0].value  # type: ignore[attr-defined]
    assert binop.left is binop.right and binop.left is not shared
