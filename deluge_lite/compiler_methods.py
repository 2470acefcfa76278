"""How ``receiver.name(args)`` compiles: dispatch by the receiver's type, or straight to the one implementation.

By default a method call indexes the method's table with the receiver's type at run time::

    __m_get_1[__type(v_m)](v_m, key)

When the receiver's kind is known (``compiler_types``), the call goes to that type's entry,
bound once by the executor under its own name (`typed_caller_name`), and a few built-ins
whose implementation is one Python operation on that type run inline (`INLINE`)::

    __m_get_1__dict(v_m, key)        a Map's get with a key of unknown kind
    __dict_get(v_m, v_key)           ... with a Text or Number key (collections.map_get does exactly this)
    __len(v_row)                     Text length(), List and Map size()
    (__rt if __len(__rt := __str_strip(v_field, '\\x00...\\x20')) <= __max_text else __text_cap(__rt))
                                     Text trim(): the Text cap checked as the built-in's wrapper does

``list.add(value)`` as a statement on a List variable runs inline when the value is Text or a
Number, with the size accounting of the built-in's wrapper (`registry._grower`) done at the call
site; any other value, or a value that would pass the limit, goes to the wrapper, which charges
or raises exactly as before (`MethodCompiler.add_statement`)::

    if (__g := (__runtime.grown + __len(__a) + 1 if __type(__a := V) is __str else
                __runtime.grown + 1 if __type(__a) is __int else __no_fit)) <= __value_size \
            and __len(v_lines) < __value_size:
        __runtime.grown = __g
        v_lines.append(__a)
    else:
        __ms_add_1__list(v_lines, __a)

When the kind is not known, ``get`` and ``size`` test for the kind they are usually called on
(`GUARDED`) and run that inline form, every other receiver going through the table::

    __dict_get(v_r, 'status') if __type(v_r) is __dict else __m_get_1[__type(v_r)](v_r, 'status')

`MethodCompiler` is a mixin of the compiler's `_Compiler`: it relies on its ``_expr``,
``_operand``, ``_call`` and ``_kind``.
"""

from __future__ import annotations

import ast as py
from collections.abc import Callable
from typing import Any, NamedTuple

from . import ast
from .compiled import method_caller_name, typed_caller_name
from .java_text import TRIM_CHARACTERS, plain_replacement


def _plain_non_growing(args: tuple[ast.Node, ...]) -> bool:
    """replaceAll(search, replacement) with literal Texts that are plain (no regex syntax, no $ or \\)
    and a replacement no longer than the search: ``str.replace`` gives exactly the built-in's
    result, and that result is never longer than the receiver, so checking it after is exact."""
    search, replacement = args
    return (isinstance(search, ast.Literal) and isinstance(replacement, ast.Literal)
            and type(search.value) is str and type(replacement.value) is str
            and plain_replacement(search.value, replacement.value) and len(replacement.value) <= len(search.value))


class Inline(NamedTuple):
    """One built-in that runs at the call site on a receiver of known kind: ``helper(receiver, *args, *extra)``."""

    helper: str  # a name the executor binds (a Python callable doing exactly the built-in's work)
    arg_kinds: tuple[tuple[type, ...] | None, ...] = ()  # the kinds each argument must have (None: any)
    extra: tuple[str, ...] = ()  # constant arguments after the call's own
    capped: bool = False  # a Text result: checked against the Text cap here, as the built-in's wrapper would
    accepts: Callable[[tuple[ast.Node, ...]], bool] | None = None  # a test of the call's own arguments


_STRIP = Inline("__str_strip", extra=(TRIM_CHARACTERS,), capped=True)
_LOWER = Inline("__str_lower", capped=True)
_UPPER = Inline("__str_upper", capped=True)

# (receiver kind, lower-case name, argc) -> how it runs inline
INLINE: dict[tuple[type, str, int], Inline] = {
    (str, "length", 0): Inline("__len"), (str, "len", 0): Inline("__len"),
    (list, "size", 0): Inline("__len"), (list, "count", 0): Inline("__len"), (dict, "size", 0): Inline("__len"),
    (dict, "get", 1): Inline("__dict_get", ((str, int),)),
    (str, "contains", 1): Inline("__contains", ((str,),)),
    (str, "trim", 0): _STRIP,
    (str, "tolowercase", 0): _LOWER, (str, "lower", 0): _LOWER,
    (str, "touppercase", 0): _UPPER, (str, "upper", 0): _UPPER,
    (str, "replaceall", 2): Inline("__str_replace", ((str,), (str,)), capped=True, accepts=_plain_non_growing),
}
TYPED_RECEIVERS = (str, int, float, bool, list, dict)


def _literal_separator(args: tuple[ast.Node, ...]) -> bool:
    """toList(sep) with a literal, non-empty Text separator (or none: a comma), split by ``str.split``."""
    return not args or (isinstance(args[0], ast.Literal) and type(args[0].value) is str and args[0].value != "")


# Built-ins whose inline form reads the receiver twice (`MethodCompiler._shaped_call` builds them):
# (receiver kind, lower-case name, argc) -> (shape, a test of the call's own arguments)
SHAPED: dict[tuple[type, str, int], tuple[str, Callable[[tuple[ast.Node, ...]], bool]]] = {
    **{(str, name, argc): ("split", _literal_separator) for name in ("tolist", "toliststring") for argc in (0, 1)},
    **{(str, name, 0): ("whole", lambda args: True) for name in ("tonumber", "tolong", "toint", "tobigint")},
}

# Receivers of unknown kind: (lower-case name, argc) -> the kind tested at run time, and the inline
# form for it (INLINE's); any other receiver goes through the method table as before. Real scripts
# read API responses this way: ``record.get("status")`` on a Map the analysis cannot know.
GUARDED: dict[tuple[str, int], tuple[type, Inline]] = {
    ("get", 1): (dict, INLINE[dict, "get", 1]),
    ("size", 0): (list, INLINE[list, "size", 0]),
}
_KIND_NAMES = {dict: "__dict", list: "__list"}  # the executor binds the types under these names


class MethodCompiler:
    """The compiler's handling of ``ast.MethodCall`` (mixed into `compiler._Compiler`)."""

    result: Any
    _expr: Any
    _operand: Any
    _call: Any
    _kind: Any
    _constant: Any

    def _expr_MethodCall(self, node: ast.MethodCall, statement: bool) -> py.expr:
        """``table[type(receiver)](receiver, args)``: the receiver's type picks the implementation."""
        argc = len(node.args)
        kind = self._kind(node.receiver)
        if kind in TYPED_RECEIVERS:
            return self._typed_call(node, kind, statement)
        self.result.method_callers.add((node.name, argc, statement))
        receiver, receiver_again = self._operand(node.receiver)
        guarded = None if statement else GUARDED.get((node.name.lower(), argc))
        if guarded is not None and self._fits(guarded[1], node.args) and \
                all(isinstance(arg, ast.Name | ast.Literal) for arg in node.args):  # arguments cheap to write twice
            return self._guarded_call(node, receiver, receiver_again, *guarded)
        return self._table_call(node, receiver, receiver_again, statement)

    def _table_call(self, node: ast.MethodCall, receiver: py.expr, receiver_again: py.expr,
                    statement: bool) -> py.expr:
        table = py.Name(id=method_caller_name(node.name, len(node.args), statement), ctx=py.Load())
        impl = py.Subscript(value=table, slice=self._call("__type", [receiver], node.receiver.span), ctx=py.Load())
        args = [receiver_again] + [self._expr(arg) for arg in node.args]
        return py.Call(func=impl, args=args, keywords=[])

    def _guarded_call(self, node: ast.MethodCall, receiver: py.expr, receiver_again: py.expr, kind: type,
                      inline: Inline) -> py.expr:
        """``inline(r, args) if type(r) is kind else table[type(r)](r, args)``: the receiver evaluated once."""
        test = py.Compare(left=self._call("__type", [receiver], node.receiver.span), ops=[py.Is()],
                          comparators=[py.Name(id=_KIND_NAMES[kind], ctx=py.Load())])
        args = [_again(receiver_again)] + [self._expr(arg) for arg in node.args]
        fast = py.Call(func=py.Name(id=inline.helper, ctx=py.Load()), args=args, keywords=[])
        slow = self._table_call(node, _again(receiver_again), receiver_again, False)
        return py.IfExp(test=test, body=_capped(fast) if inline.capped else fast, orelse=slow)

    def _typed_call(self, node: ast.MethodCall, kind: type, statement: bool) -> py.expr:
        argc = len(node.args)
        shaped = SHAPED.get((kind, node.name.lower(), argc))
        if shaped is not None and not statement and shaped[1](node.args):
            return self._shaped_call(node, kind, shaped[0])
        inline = INLINE.get((kind, node.name.lower(), argc))
        if inline is not None and not statement and self._fits(inline, node.args):
            args = [self._expr(node.receiver)] + [self._expr(arg) for arg in node.args]
            args += [self._constant(value, node.span) for value in inline.extra]
            call = py.Call(func=py.Name(id=inline.helper, ctx=py.Load()), args=args, keywords=[])
            return _capped(call) if inline.capped else call
        self.result.typed_callers.add((node.name, argc, statement, kind.__name__))
        helper = typed_caller_name(node.name, argc, statement, kind.__name__)
        args = [self._expr(node.receiver)] + [self._expr(arg) for arg in node.args]
        return py.Call(func=py.Name(id=helper, ctx=py.Load()), args=args, keywords=[])

    def _shaped_call(self, node: ast.MethodCall, kind: type, shape: str) -> py.expr:
        """A built-in run inline with its wrapper as the way out for every case the inline form leaves::

            split: (__tl if __len(__tl := __str_split(r, sep)) <= __value_size else WRAPPER(r, sep))
                   if r != '' else []                       Text toList(sep): the wrapper raises past the limit
            whole: __int(r) if __str_isdecimal(r) and __len(r) < 19 else WRAPPER(r)
                                                            Text toLong(): plain digits (to_number's own fast path)
        """
        argc = len(node.args)
        self.result.typed_callers.add((node.name, argc, False, kind.__name__))
        wrapper = typed_caller_name(node.name, argc, False, kind.__name__)
        first, again = self._operand(node.receiver)
        args = [self._expr(arg) for arg in node.args]

        def name(held: str) -> py.Name:
            return py.Name(id=held, ctx=py.Load())

        def call(helper: str, *values: py.expr) -> py.Call:
            return py.Call(func=name(helper), args=list(values), keywords=[])

        slow = call(wrapper, _again(again), *args)
        if shape == "whole":
            digits = py.BoolOp(op=py.And(), values=[
                call("__str_isdecimal", first),
                py.Compare(left=call("__len", _again(again)), ops=[py.Lt()], comparators=[py.Constant(value=19)])])
            return py.IfExp(test=digits, body=call("__int", _again(again)), orelse=slow)
        separator = args[0] if args else py.Constant(value=",")
        parts = f"__t{self._next_temp()}"
        held = py.NamedExpr(target=py.Name(id=parts, ctx=py.Store()),
                            value=call("__str_split", _again(again), self._copy_expr(separator)))
        within = py.Compare(left=call("__len", held), ops=[py.LtE()], comparators=[name("__value_size")])
        split = py.IfExp(test=within, body=name(parts), orelse=slow)
        not_empty = py.Compare(left=first, ops=[py.NotEq()], comparators=[py.Constant(value="")])
        return py.IfExp(test=not_empty, body=split, orelse=py.List(elts=[], ctx=py.Load()))

    @staticmethod
    def _copy_expr(value: py.expr) -> py.expr:
        """A second use of a constant argument: a fresh node."""
        return py.copy_location(py.Constant(value=value.value), value) if isinstance(value, py.Constant) else value

    def add_statement(self, node: ast.Node) -> py.stmt | None:
        """``name.add(value)`` as a statement on a List variable, inline (see the module notes); None otherwise."""
        if not (isinstance(node, ast.MethodCall) and node.name.lower() == "add" and len(node.args) == 1
                and isinstance(node.receiver, ast.Name) and self._kind(node.receiver) is list):
            return None
        self.result.typed_callers.add((node.name, 1, True, "list"))
        receiver = self._expr(node.receiver)

        def name(held: str) -> py.Name:
            return py.Name(id=held, ctx=py.Load())

        grown = py.Attribute(value=name("__runtime"), attr="grown", ctx=py.Load())
        held = py.NamedExpr(target=py.Name(id="__a", ctx=py.Store()), value=self._expr(node.args[0]))

        def is_kind(value: py.expr, kind: str) -> py.expr:
            return py.Compare(left=py.Call(func=name("__type"), args=[value], keywords=[]), ops=[py.Is()],
                              comparators=[name(kind)])

        text_charge = py.BinOp(left=py.BinOp(left=grown, op=py.Add(),
                                             right=py.Call(func=name("__len"), args=[name("__a")], keywords=[])),
                               op=py.Add(), right=py.Constant(value=1))
        number_charge = py.BinOp(left=grown, op=py.Add(), right=py.Constant(value=1))
        charge = py.IfExp(test=is_kind(held, "__str"), body=text_charge,
                          orelse=py.IfExp(test=is_kind(name("__a"), "__int"), body=number_charge,
                                          orelse=name("__no_fit")))
        fits = py.BoolOp(op=py.And(), values=[
            py.Compare(left=py.NamedExpr(target=py.Name(id="__g", ctx=py.Store()), value=charge), ops=[py.LtE()],
                       comparators=[name("__value_size")]),
            py.Compare(left=py.Call(func=name("__len"), args=[receiver], keywords=[]), ops=[py.Lt()],
                       comparators=[name("__value_size")])])
        append = py.Call(func=py.Attribute(value=_again(receiver), attr="append", ctx=py.Load()),
                         args=[name("__a")], keywords=[])
        charged = py.Assign(targets=[py.Attribute(value=name("__runtime"), attr="grown", ctx=py.Store())],
                            value=name("__g"))
        wrapper = typed_caller_name(node.name, 1, True, "list")
        slow = py.Call(func=name(wrapper), args=[_again(receiver), name("__a")], keywords=[])
        return py.If(test=fits, body=[charged, py.Expr(value=append)], orelse=[py.Expr(value=slow)])

    def _fits(self, inline: Inline, args: tuple[ast.Node, ...]) -> bool:
        """Whether this call's arguments have the kinds (and pass the test) the inline form needs."""
        if not all(wanted is None or self._kind(arg) in wanted for arg, wanted in zip(args, inline.arg_kinds,
                                                                                        strict=True)):
            return False
        return inline.accepts is None or inline.accepts(args)


def _again(held: py.expr) -> py.expr:
    """Another read of a receiver already held in a name (or a constant): a fresh node."""
    again = py.Name(id=held.id, ctx=py.Load()) if isinstance(held, py.Name) else py.Constant(value=held.value)
    return py.copy_location(again, held)


def _capped(call: py.expr) -> py.expr:
    """``__rt if __len(__rt := call) <= __max_text else __text_cap(__rt)``: a Text result within the cap."""
    held = py.NamedExpr(target=py.Name(id="__rt", ctx=py.Store()), value=call)
    fits = py.Compare(left=py.Call(func=py.Name(id="__len", ctx=py.Load()), args=[held], keywords=[]),
                      ops=[py.LtE()], comparators=[py.Name(id="__max_text", ctx=py.Load())])
    too_long = py.Call(func=py.Name(id="__text_cap", ctx=py.Load()), args=[py.Name(id="__rt", ctx=py.Load())],
                       keywords=[])
    return py.IfExp(test=fits, body=py.Name(id="__rt", ctx=py.Load()), orelse=too_long)
