"""How ``receiver.name(args)`` compiles: dispatch by the receiver's type, or straight to the one implementation.

By default a method call indexes the method's table with the receiver's type at run time::

    __m_get_1[__type(v_m)](v_m, key)

When the receiver's kind is known (``compiler_types``), the call goes to that type's entry,
bound once by the executor under its own name (`typed_caller_name`), and a few built-ins
whose implementation is one Python operation on that type run inline (`INLINE`)::

    __m_get_1__dict(v_m, key)        a Map's get with a key of unknown kind
    __dict_get(v_m, v_key)           ... with a Text or Number key (collections.map_get does exactly this)
    __len(v_row)                     Text length(), List and Map size()

`MethodCompiler` is a mixin of the compiler's `_Compiler`: it relies on its ``_expr``,
``_operand``, ``_call`` and ``_kind``.
"""

from __future__ import annotations

import ast as py
from typing import Any

from . import ast
from .compiled import method_caller_name, typed_caller_name

# (receiver kind, lower-case name, argc) -> (helper, the kinds each argument must have; None: any)
INLINE: dict[tuple[type, str, int], tuple[str, tuple[tuple[type, ...] | None, ...]]] = {
    (str, "length", 0): ("__len", ()), (str, "len", 0): ("__len", ()),
    (list, "size", 0): ("__len", ()), (list, "count", 0): ("__len", ()), (dict, "size", 0): ("__len", ()),
    (dict, "get", 1): ("__dict_get", ((str, int),)),
    (str, "contains", 1): ("__contains", ((str,),)),
}
TYPED_RECEIVERS = (str, int, float, bool, list, dict)


class MethodCompiler:
    """The compiler's handling of ``ast.MethodCall`` (mixed into `compiler._Compiler`)."""

    result: Any
    _expr: Any
    _operand: Any
    _call: Any
    _kind: Any

    def _expr_MethodCall(self, node: ast.MethodCall, statement: bool) -> py.expr:
        """``table[type(receiver)](receiver, args)``: the receiver's type picks the implementation."""
        argc = len(node.args)
        kind = self._kind(node.receiver)
        if kind in TYPED_RECEIVERS:
            return self._typed_call(node, kind, statement)
        self.result.method_callers.add((node.name, argc, statement))
        receiver, receiver_again = self._operand(node.receiver)
        table = py.Name(id=method_caller_name(node.name, argc, statement), ctx=py.Load())
        impl = py.Subscript(value=table, slice=self._call("__type", [receiver], node.receiver.span), ctx=py.Load())
        args = [receiver_again] + [self._expr(arg) for arg in node.args]
        return py.Call(func=impl, args=args, keywords=[])

    def _typed_call(self, node: ast.MethodCall, kind: type, statement: bool) -> py.expr:
        argc = len(node.args)
        inline = INLINE.get((kind, node.name.lower(), argc))
        if inline is not None and not statement and all(wanted is None or self._kind(arg) in wanted
                                      for arg, wanted in zip(node.args, inline[1], strict=True)):
            helper = inline[0]
        else:
            self.result.typed_callers.add((node.name, argc, statement, kind.__name__))
            helper = typed_caller_name(node.name, argc, statement, kind.__name__)
        args = [self._expr(node.receiver)] + [self._expr(arg) for arg in node.args]
        return py.Call(func=py.Name(id=helper, ctx=py.Load()), args=args, keywords=[])
