"""How Deluge's binary operators compile: helper calls behind inline fast paths.

Deluge's ``+ - * % == < ...`` differ from Python's (Text + Number joins, ``true != 1``,
``-7 % 3`` is -1, ``7/2`` is 3.5), so each operator compiles to a call of its helper in
``values``; where Python's operator gives exactly Deluge's answer (both sides Numbers,
both Text, a comparison with a literal), a type test guards the plain Python operator:

    a + b          ->  (a + b) if type(a) is int and type(b) is int ... else __add(a, b)
    i * 1000 + j   ->  one test of every leaf (i, j) for the whole arithmetic region

`OperatorCompiler` is a mixin of the compiler's `_Compiler`: it relies on its ``_expr``,
``_operand``, ``_call`` and ``_next_temp``.
"""

from __future__ import annotations

import ast as py
from collections.abc import Callable

from . import ast
from .compiler_copy import copy_tree
from .values import MAX_NUMBER, MAX_TEXT, MIN_NUMBER, to_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

BINARY_HELPERS = {
    "+": "__add", "-": "__sub", "*": "__mul", "/": "__div", "%": "__mod",
    "==": "__eq", "!=": "__ne", "<": "__lt", "<=": "__le", ">": "__gt", ">=": "__ge",
}
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
LITERAL_TYPE_NAMES = {int: "__int", str: "__str", float: "__float"}
CHAIN_FLATTEN = 16  # a longer a + b + c + ... compiles to one call
_REGION_OPS = frozenset({"+", "-", "*"})
_NAN = float("nan")
_PY_OPS: dict[str, Any] = {"+": py.Add, "-": py.Sub, "*": py.Mult, "%": py.Mod}
_PY_COMPARE: dict[str, Any] = {"==": py.Eq, "!=": py.NotEq, "<": py.Lt, "<=": py.LtE, ">": py.Gt, ">=": py.GtE}


def left_spine(node: ast.Node, same: Callable[[ast.Node], bool]) -> list[ast.Node]:
    """The operands of a left-leaning chain of one operator, in order: ((a + b) + c) -> [a, b, c]."""
    rights: list[ast.Node] = []
    while same(node):
        rights.append(node.right)  # type: ignore[attr-defined]
        node = node.left  # type: ignore[attr-defined]
    return [node, *reversed(rights)]


def _is_plus(node: ast.Node) -> bool:
    return isinstance(node, ast.Binary) and node.op == "+"


def _is_type(expr: py.expr, kind: str) -> py.expr:
    return py.Compare(left=py.Call(func=py.Name(id="__type", ctx=py.Load()), args=[expr], keywords=[]),
                      ops=[py.Is()], comparators=[py.Name(id=kind, ctx=py.Load())])


def _length(expr: py.expr) -> py.expr:
    return py.Call(func=py.Name(id="__len", ctx=py.Load()), args=[expr], keywords=[])


def _checked_int(expr: py.expr) -> py.expr:
    """``r if MIN <= (r := expr) <= MAX else __overflow(r)``: Numbers stay 64-bit (values.checked)."""
    assign = py.NamedExpr(target=py.Name(id="__r", ctx=py.Store()), value=expr)
    in_range = py.Compare(left=py.Constant(value=MIN_NUMBER), ops=[py.LtE(), py.LtE()],
                          comparators=[assign, py.Constant(value=MAX_NUMBER)])
    overflow = py.Call(func=py.Name(id="__overflow", ctx=py.Load()), args=[py.Name(id="__r", ctx=py.Load())],
                       keywords=[])
    return py.IfExp(test=in_range, body=py.Name(id="__r", ctx=py.Load()), orelse=overflow)


def _in_range(expr: py.expr, name: str = "__r") -> py.expr:
    """``MIN <= (name := expr) <= MAX``: the test, with the value kept in ``name``."""
    assign = py.NamedExpr(target=py.Name(id=name, ctx=py.Store()), value=expr)
    return py.Compare(left=py.Constant(value=MIN_NUMBER), ops=[py.LtE(), py.LtE()],
                      comparators=[assign, py.Constant(value=MAX_NUMBER)])


def _poisoned(expr: py.expr) -> py.expr:
    """An intermediate result of a region: itself when 64-bit, else NaN.

    NaN goes through every later ``+ - * %`` and fails every range test, so one test of the
    region's result (or of each side of its comparison) tells whether any step overflowed;
    the region then runs through its helpers, which report the overflow at the very step."""
    return py.IfExp(test=_in_range(expr), body=py.Name(id="__r", ctx=py.Load()), orelse=py.Constant(value=_NAN))


def _region_root(node: ast.Binary, build: Callable[..., py.expr]) -> py.expr:
    """A region's fast form from its step builder: the tree, or the comparison of its two sides."""
    if node.op in COMPARISONS:
        left = build(node.left, root=True)
        return py.Compare(left=left, ops=[_PY_COMPARE[node.op]()], comparators=[build(node.right, root=True)])
    return build(node, root=True)


class OperatorCompiler:
    """The compiler's handling of ``ast.Binary`` (mixed into `compiler._Compiler`)."""

    _expr: Any
    _operand: Any
    _call: Any
    _next_temp: Any
    _constant: Any
    _kind: Any  # the node's kind when compiler_types knows it (int, str, ...), else None
    optimize: bool  # False: every operator through its helper (the reference for the differential test)
    _substitutes: dict[int, py.expr]  # AST node id -> an expression already holding its value
    _plain_chains: set[int]  # + chains compiled step by step (the other side of a Text-chain test)

    def _expr_Binary(self, node: ast.Binary) -> py.expr:
        """A helper call, behind an inline fast path where Python's operator is exactly Deluge's."""
        op = node.op
        if op == "+":
            terms = left_spine(node, _is_plus)
            if self.optimize and len(terms) >= 3 and id(node) not in self._plain_chains:
                chain = self._text_chain(node, terms)
                if chain is not None:
                    return chain
            if len(terms) > CHAIN_FLATTEN:  # a long a + b + c + ...: one call, no deep Python tree
                return self._call("__add_chain", [self._expr(term) for term in terms], node.span)
        helper = BINARY_HELPERS[op]
        if not self.optimize:  # the reference compilation: every operator through its helper
            return self._call(helper, [self._expr(node.left), self._expr(node.right)], node.span)
        bool_side = self._bool_comparison(node)
        if bool_side is not None:  # x == true: only the Boolean true equals true
            side, literal = bool_side
            test = py.Is() if op == "==" else py.IsNot()
            return py.Compare(left=self._expr(side), ops=[test], comparators=[py.Constant(value=literal)])
        null_side = self._null_comparison(node)
        if null_side is not None:
            if isinstance(null_side, ast.Literal):  # both sides known now: no runtime test
                return py.Constant(value=(null_side.value is None) == (op == "=="))
            test = py.Is() if op == "==" else py.IsNot()
            return py.Compare(left=self._expr(null_side), ops=[test], comparators=[py.Constant(value=None)])
        region = self._int_region(node)
        if region is not None:
            return region
        if op == "/" and self._positive_int_literal(node.right):
            return self._divide_by_literal(node)
        if op == "/" or (op == "%" and not self._positive_int_literal(node.right)):
            return self._call(helper, [self._expr(node.left), self._expr(node.right)], node.span)
        left, left_again = self._operand(node.left)
        right, right_again = self._operand(node.right)
        if op == "+" and (self._is_text_literal(node.left) or self._is_text_literal(node.right)):
            return self._text_plus(node, left, left_again, right, right_again)
        slow = self._call(helper, [self._copy(left_again), self._copy(right_again)], node.span)
        if op == "+" and not (isinstance(node.left, ast.Literal) or isinstance(node.right, ast.Literal)):
            known = self._known_plus(node, left, left_again, right, right_again, slow)
            if known is not None:
                return known
            return self._plus(left, left_again, right, right_again, slow)
        test = self._fast_test(op, node, left, right)
        if test is None:  # both kinds known: the plain operator, on the operands evaluated once, in order
            fast = self._fast_operation(op, left, right)
            return _checked_int(fast) if op in _REGION_OPS else fast
        fast = self._fast_operation(op, left_again, right_again)
        if op in _REGION_OPS:
            fast = _checked_int(fast)
        return py.IfExp(test=test, body=fast, orelse=slow)

    def _known_plus(self, node: ast.Binary, left: py.expr, left_again: py.expr, right: py.expr,
                    right_again: py.expr, slow: py.expr) -> py.expr | None:
        """``a + b`` with both kinds known Number (range-checked) or both Text (length-checked), else None."""
        kinds = (self._kind(node.left), self._kind(node.right))
        if kinds == (int, int):
            return _checked_int(py.BinOp(left=left, op=py.Add(), right=right))
        if kinds == (str, str):
            short = py.Compare(left=py.BinOp(left=_length(left), op=py.Add(), right=_length(right)),
                               ops=[py.LtE()], comparators=[py.Name(id="__max_text", ctx=py.Load())])
            join = py.BinOp(left=self._copy(left_again), op=py.Add(), right=self._copy(right_again))
            return py.IfExp(test=short, body=join, orelse=slow)
        return None

    # ---- Text chains: "a" + x + ", " + y joins once
    def _text_chain(self, node: ast.Binary, terms: list[ast.Node]) -> py.expr | None:
        """``t0 + t1 + ... + tn`` when t0 is Text: every later term converted inline, one join, one length check.

        Once the running value is Text, each ``+`` appends the text of the next term (values.add),
        so the chain is ``"".join`` of t0 and the terms' texts. Each conversion carries the
        position of the ``+`` it replaces; a result over the Text cap re-adds the pieces one
        by one (``__add_chain``) to raise exactly the error the step-by-step adds give. When
        t0 is not a literal, a type test picks this path or the usual step-by-step one
        (compiled with t0 read from its temporary). Applies when t0 is a Text literal, or
        when t0 is not a literal and a later term is a Text literal.
        """
        first = terms[0]
        first_is_text = (isinstance(first, ast.Literal) and type(first.value) is str) or self._kind(first) is str
        if not first_is_text and (isinstance(first, ast.Literal)
                                  or not any(isinstance(t, ast.Literal) and type(t.value) is str for t in terms)):
            return None
        joins: list[ast.Binary] = []  # joins[k] is the + whose right side is terms[k + 1]
        current: ast.Node = node
        while _is_plus(current):
            joins.append(current)  # type: ignore[arg-type]
            current = current.left  # type: ignore[attr-defined]
        joins.reverse()
        head, head_again = self._operand(first)
        pieces: list[py.expr] = [head if first_is_text else self._copy(head_again)]
        pieces_again: list[py.expr] = [head_again]
        for term, join in zip(terms[1:], joins, strict=True):
            piece = self._text_piece(term, join)
            if isinstance(piece, py.Constant):
                pieces.append(piece)
                pieces_again.append(self._copy(piece))
            else:
                temp = f"__p{self._next_temp()}"
                pieces.append(py.NamedExpr(target=py.Name(id=temp, ctx=py.Store()), value=piece))
                pieces_again.append(py.Name(id=temp, ctx=py.Load()))
        joined = py.Call(func=py.Name(id="__join", ctx=py.Load()), args=[py.Tuple(elts=pieces, ctx=py.Load())],
                         keywords=[])
        result = py.NamedExpr(target=py.Name(id="__rt", ctx=py.Store()), value=joined)
        fits = py.Compare(left=_length(result), ops=[py.LtE()], comparators=[py.Name(id="__max_text", ctx=py.Load())])
        too_long = self._call("__add_chain", pieces_again, node.span)
        fast = py.IfExp(test=fits, body=py.Name(id="__rt", ctx=py.Load()), orelse=too_long)
        if first_is_text:
            return fast
        spine = {id(join) for join in joins}
        self._substitutes[id(first)] = head_again
        self._plain_chains |= spine
        try:
            slow = self._expr(node)
        finally:
            self._substitutes.pop(id(first), None)
            self._plain_chains -= spine
        return py.IfExp(test=_is_type(head, "__str"), body=fast, orelse=slow)

    def _text_piece(self, term: ast.Node, join: ast.Binary) -> py.expr:
        """The text ``Text + term`` appends: a constant for a literal, else an inline conversion."""
        if isinstance(term, ast.Literal) and (term.value is None or type(term.value) in (str, int, float, bool)):
            return py.Constant(value=to_text(term.value))
        kind = self._kind(term)
        if kind is str:
            return self._expr(term)
        if kind is int:
            return py.Call(func=py.Name(id="__str", ctx=py.Load()), args=[self._expr(term)], keywords=[])
        value, again = self._operand(term)
        number = py.IfExp(test=_is_type(self._copy(again), "__int"),
                          body=py.Call(func=py.Name(id="__str", ctx=py.Load()), args=[self._copy(again)], keywords=[]),
                          orelse=self._call("__text", [self._copy(again)], join.span))
        return py.IfExp(test=_is_type(value, "__str"), body=self._copy(again), orelse=number)

    def _divide_by_literal(self, node: ast.Binary) -> py.expr:
        """``x / c`` (c a positive Number literal): exact division stays a Number, else a Decimal (values.divide).

        For a Number x, ``x % c == 0`` exactly when c divides x, and then ``x // c`` is the exact
        quotient (never larger than x, so in range); otherwise Python's ``x / c`` is the correctly
        rounded Decimal Deluge gives. Any other x goes through the helper.
        """
        divisor = node.right.value  # type: ignore[attr-defined]
        left, left_again = self._operand(node.left)
        known = self._kind(node.left) is int and isinstance(left, py.Name)
        exact = py.Compare(left=py.BinOp(left=self._copy(left_again), op=py.Mod(), right=py.Constant(value=divisor)),
                           ops=[py.Eq()], comparators=[py.Constant(value=0)])
        quotient = py.IfExp(test=exact,
                            body=py.BinOp(left=self._copy(left_again), op=py.FloorDiv(), right=py.Constant(value=divisor)),
                            orelse=py.BinOp(left=self._copy(left_again), op=py.Div(), right=py.Constant(value=divisor)))
        if known:  # a Number variable: no test
            return quotient
        slow = self._call("__div", [self._copy(left_again), py.Constant(value=divisor)], node.span)
        return py.IfExp(test=_is_type(left, "__int"), body=quotient, orelse=slow)

    def _plus(self, left: py.expr, left_again: py.expr, right: py.expr, right_again: py.expr,
              slow: py.expr) -> py.expr:
        """``a + b``: Numbers add (range-checked), Texts join (length-checked), anything else: the helper."""
        both_int = py.BinOp(left=_is_type(left, "__int"), op=py.BitAnd(), right=_is_type(right, "__int"))
        both_text = py.BinOp(left=_is_type(self._copy_or(left), "__str"), op=py.BitAnd(),
                             right=_is_type(self._copy_or(right), "__str"))
        short = py.Compare(
            left=py.BinOp(left=_length(self._copy(left_again)), op=py.Add(), right=_length(self._copy(right_again))),
            ops=[py.LtE()], comparators=[py.Name(id="__max_text", ctx=py.Load())])
        join = py.BinOp(left=self._copy(left_again), op=py.Add(), right=self._copy(right_again))
        text_case = py.IfExp(test=py.BoolOp(op=py.And(), values=[both_text, short]), body=join, orelse=slow)
        number = _checked_int(py.BinOp(left=self._copy(left_again), op=py.Add(), right=self._copy(right_again)))
        return py.IfExp(test=both_int, body=number, orelse=text_case)

    @staticmethod
    def _copy_slow(node: py.expr) -> py.expr:
        return copy_tree(node)

    @staticmethod
    def _copy(node: py.expr) -> py.expr:
        return py.Name(id=node.id, ctx=py.Load()) if isinstance(node, py.Name) else py.Constant(value=node.value)

    @staticmethod
    def _is_text_literal(node: ast.Node) -> bool:
        return isinstance(node, ast.Literal) and type(node.value) is str

    def _text_plus(self, node: ast.Binary, left: py.expr, left_again: py.expr, right: py.expr,
                   right_again: py.expr) -> py.expr:
        """``"k" + x``: joined directly when x is Text, through str() when x is a Number (same text)."""
        text_on_left = self._is_text_literal(node.left)
        other, other_again = (right, right_again) if text_on_left else (left, left_again)
        literal = left_again if text_on_left else right_again


        def joined(other_text: py.expr) -> py.expr:
            pair = (self._copy(literal), other_text) if text_on_left else (other_text, self._copy(literal))
            return py.BinOp(left=pair[0], op=py.Add(), right=pair[1])

        slow = self._call("__add", [self._copy(left_again), self._copy(right_again)], node.span)
        room = MAX_TEXT - len(literal.value)  # type: ignore[attr-defined]

        def fits(other_text: py.expr) -> py.expr:  # the joined Text within the cap (else the helper's error)
            return py.Compare(left=_length(other_text), ops=[py.LtE()], comparators=[py.Constant(value=room)])

        kind = self._kind(node.right if text_on_left else node.left)
        if kind is int and room >= 20:  # a Number's text is at most 20 characters: no length check
            return joined(py.Call(func=py.Name(id="__str", ctx=py.Load()), args=[other], keywords=[]))
        if kind is str:
            return py.IfExp(test=fits(other), body=joined(self._copy_or(other_again)), orelse=slow)
        as_text = py.Call(func=py.Name(id="__str", ctx=py.Load()), args=[self._copy_or(other_again)], keywords=[])
        number_case = py.IfExp(test=_is_type(self._copy_or(other_again), "__int"), body=joined(as_text), orelse=slow)
        text_case = py.IfExp(test=fits(self._copy_or(other_again)), body=joined(self._copy_or(other_again)),
                             orelse=self._copy_slow(slow))
        # the literal has no side effects, so testing the other operand first keeps the evaluation order
        return py.IfExp(test=_is_type(other, "__str"), body=text_case, orelse=number_case)

    def _bool_comparison(self, node: ast.Binary) -> tuple[ast.Node, bool] | None:
        if node.op not in ("==", "!="):
            return None
        for this, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, ast.Literal) and type(other.value) is bool and not isinstance(this, ast.Literal):
                return this, other.value
        return None

    def _null_comparison(self, node: ast.Binary) -> ast.Node | None:
        if node.op not in ("==", "!="):
            return None
        for this, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, ast.Literal) and other.value is None:
                return this
        return None

    @staticmethod
    def _positive_int_literal(node: ast.Node) -> bool:
        return isinstance(node, ast.Literal) and type(node.value) is int and node.value > 0

    @staticmethod
    def _fast_operation(op: str, left: py.expr, right: py.expr) -> py.expr:
        if op in COMPARISONS:
            python_op = {"==": py.Eq(), "!=": py.NotEq(), "<": py.Lt(), "<=": py.LtE(), ">": py.Gt(),
                         ">=": py.GtE()}[op]
            return py.Compare(left=left, ops=[python_op], comparators=[right])
        python_op = {"+": py.Add(), "-": py.Sub(), "*": py.Mult(), "%": py.Mod()}[op]
        return py.BinOp(left=left, op=python_op, right=right)

    def _fast_test(self, op: str, node: ast.Binary, left: py.expr, right: py.expr) -> py.expr | None:
        """When the fast path applies: both Numbers (``==`` and ``!=``: the same type, or a literal's type).

        None: it always applies (the kinds are known), so no test. A test of the left side
        alone is kept when only the right side's kind is known and it is a plain variable
        (its load then still comes after the left side's, as without the test).
        """

        def literal_type(side: ast.Node) -> type | None:
            return type(side.value) if isinstance(side, ast.Literal) else None

        kinds = (self._kind(node.left), self._kind(node.right))
        if op == "%":  # Java's remainder equals Python's for a non-negative left side and positive divisor
            if kinds[0] is int:
                return py.Compare(left=left, ops=[py.GtE()], comparators=[py.Constant(value=0)])
            non_negative = py.Compare(left=self._copy_or(left), ops=[py.GtE()], comparators=[py.Constant(value=0)])
            return py.BoolOp(op=py.And(), values=[_is_type(left, "__int"), non_negative])
        if op in ("==", "!="):
            if kinds[0] is kinds[1] and kinds[0] in (int, str, bool):
                return None
            for side, other, other_kind in ((node.left, right, kinds[1]), (node.right, left, kinds[0])):
                kind_name = LITERAL_TYPE_NAMES.get(type(side.value)) if isinstance(side, ast.Literal) else None
                if kind_name:  # compared with a literal: only the other side's type is unknown
                    if other_kind is type(side.value):  # type: ignore[attr-defined]
                        return None
                    return _is_type(other, kind_name)
            # the same type, but not List or Map: Python's == on nested shared Lists is exponential
            # (x = {x, x} repeated), values.equal is not
            same = py.Compare(left=py.Call(func=py.Name(id="__type", ctx=py.Load()), args=[left], keywords=[]),
                              ops=[py.Is(), py.NotIn()],
                              comparators=[py.Call(func=py.Name(id="__type", ctx=py.Load()), args=[right], keywords=[]),
                                           self._constant((list, dict), node.span)])
            return same
        # Numbers only from here (Text + ... has its own paths: _plus and _text_plus)
        if literal_type(node.left) is int:
            return None if kinds[1] is int else _is_type(right, "__int")
        if literal_type(node.right) is int:
            return None if kinds[0] is int else _is_type(left, "__int")
        if kinds == (int, int):
            return None
        if kinds[1] is int and isinstance(right, py.Name):
            return _is_type(left, "__int")
        return py.BinOp(left=_is_type(left, "__int"), op=py.BitAnd(), right=_is_type(right, "__int"))

    def _copy_or(self, node: py.expr) -> py.expr:
        """The operand again: a walrus target is read back by its name."""
        if isinstance(node, py.NamedExpr):
            return py.Name(id=node.target.id, ctx=py.Load())
        return self._copy(node)


    # ---- integer regions: one guard for a whole tree of + - * (and a comparison on top)
    def _int_region(self, node: ast.Binary) -> py.expr | None:
        """``i * 1000 + j * 10 > k``: test every leaf once, then run the tree as plain Python ints.

        Applies when the tree has at least two operators and every literal leaf is a Number;
        ``x % c`` joins when c is a positive literal and x a leaf (guarded by x >= 0, where
        Java's remainder equals Python's). Otherwise the helpers run, with the same leaves.
        """
        roots = [node.left, node.right] if node.op in COMPARISONS else [node]
        leaves: list[ast.Node] = []
        non_negative: list[int] = []
        operators = 1 if node.op in COMPARISONS else 0
        pending = list(roots)
        while pending:  # shape check and leaf collection, left to right
            current = pending.pop(0)
            if isinstance(current, ast.Binary) and current.op in _REGION_OPS:
                operators += 1
                pending[:0] = [current.left, current.right]
            elif self._region_remainder(current):
                operators += 1
                non_negative.append(len(leaves))
                leaves.extend([current.left, current.right])
            elif isinstance(current, ast.Literal):
                if type(current.value) is not int:
                    return None
                leaves.append(current)
            else:
                leaves.append(current)
        if operators < 2 or all(isinstance(leaf, ast.Literal) for leaf in leaves):
            return None
        first: list[py.expr] = []
        again: list[py.expr] = []
        for leaf in leaves:
            used, reused = self._operand(leaf)
            first.append(used)
            again.append(reused)
        if all(isinstance(leaf, ast.Literal) or self._kind(leaf) is int for leaf in leaves):
            return self._known_region(node, first, again)
        checks = [_is_type(first[i], "__int") for i, leaf in enumerate(leaves) if not isinstance(leaf, ast.Literal)]
        guard: py.expr = checks[0]
        for check in checks[1:]:
            guard = py.BinOp(left=guard, op=py.BitAnd(), right=check)
        if non_negative:
            bounds = [py.Compare(left=self._copy(again[i]), ops=[py.GtE()], comparators=[py.Constant(value=0)])
                      for i in non_negative]
            guard = py.BoolOp(op=py.And(), values=[guard, *bounds])

        positions = iter(range(len(leaves)))

        def build(current: ast.Node, root: bool = False) -> py.expr:
            if isinstance(current, ast.Binary) and current.op in _REGION_OPS or self._region_remainder(current):
                left = build(current.left)
                step = py.BinOp(left=left, op=_PY_OPS[current.op](), right=build(current.right))
                # x % c (x >= 0) is below c; any other step may leave the 64-bit range
                return step if root or current.op == "%" else _poisoned(step)
            return self._copy(again[next(positions)])

        fast = _region_root(node, build)
        value, result_tests = self._region_result(fast)
        test = py.BoolOp(op=py.And(), values=[guard, *result_tests]) if result_tests else guard
        return py.IfExp(test=test, body=value, orelse=self._region_helpers(node, again))

    def _region_remainder(self, node: ast.Node) -> bool:
        """``x % c`` as a region step: c a positive Number literal, x a leaf (a name, a call, ...)."""
        return (isinstance(node, ast.Binary) and node.op == "%" and self._positive_int_literal(node.right)
                and not isinstance(node.left, ast.Binary | ast.Unary | ast.Literal))

    def _region_result(self, fast: py.expr) -> tuple[py.expr, list[py.expr]]:
        """The region's fast value, and the range tests it holds only if they pass.

        A region's value, or each side of its comparison that is a computation, must be
        64-bit, and so must every step (a step that is not is NaN, see `_poisoned`): when a
        test fails, the caller runs the region's helpers, which raise the overflow at the step."""
        if not isinstance(fast, py.Compare):
            return py.Name(id="__r", ctx=py.Load()), [_in_range(fast)]
        tests: list[py.expr] = []
        sides = [fast.left, fast.comparators[0]]
        for index, side in enumerate(sides):
            if isinstance(side, py.BinOp) and isinstance(side.op, py.Add | py.Sub | py.Mult):  # x % c is in range
                temp = f"__t{self._next_temp()}"
                tests.append(_in_range(side, temp))
                sides[index] = py.Name(id=temp, ctx=py.Load())
        return py.Compare(left=sides[0], ops=fast.ops, comparators=[sides[1]]), tests

    def _known_region(self, node: ast.Binary, first: list[py.expr], again: list[py.expr]) -> py.expr:
        """An integer region whose every leaf is known to be a Number: plain Python, no type guard.

        Each leaf is evaluated once, in order (its first form); ``x % c`` is Java's remainder
        (the sign of x) written out: ``x % c if x >= 0 else -(-x % c)``. A step out of the
        64-bit range sends the region to its helpers, on the leaves' values (`_region_result`).
        """
        positions = iter(range(len(first)))

        def build(current: ast.Node, root: bool = False) -> py.expr:
            if isinstance(current, ast.Binary) and current.op in _REGION_OPS:
                left = build(current.left)
                step = py.BinOp(left=left, op=_PY_OPS[current.op](), right=build(current.right))
                return step if root else _poisoned(step)
            if self._region_remainder(current):
                index = next(positions)
                divisor = self._copy(again[next(positions)])
                sign = py.Compare(left=first[index], ops=[py.GtE()], comparators=[py.Constant(value=0)])
                positive = py.BinOp(left=self._copy(again[index]), op=py.Mod(), right=divisor)
                negated = py.UnaryOp(op=py.USub(), operand=py.BinOp(
                    left=py.UnaryOp(op=py.USub(), operand=self._copy(again[index])), op=py.Mod(),
                    right=self._copy(divisor)))
                return py.IfExp(test=sign, body=positive, orelse=negated)
            return first[next(positions)]

        fast = _region_root(node, build)
        value, tests = self._region_result(fast)
        if not tests:
            return value
        test = tests[0] if len(tests) == 1 else py.BoolOp(op=py.And(), values=tests)
        return py.IfExp(test=test, body=value, orelse=self._region_helpers(node, again))

    def _region_helpers(self, node: ast.Binary, again: list[py.expr]) -> py.expr:
        """The region through its helpers, on the leaves' values already taken (their second forms)."""
        positions = iter(range(len(again)))

        def build(current: ast.Node) -> py.expr:
            if isinstance(current, ast.Binary) and current.op in _REGION_OPS or self._region_remainder(current):
                left = build(current.left)
                return self._call(BINARY_HELPERS[current.op], [left, build(current.right)], current.span)
            return self._copy(again[next(positions)])

        if node.op in COMPARISONS:
            left = build(node.left)
            return self._call(BINARY_HELPERS[node.op], [left, build(node.right)], node.span)
        return build(node)
