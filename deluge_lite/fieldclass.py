"""Owns `fieldclass`: the project's decorator for plain data classes, a cheap `dataclasses.dataclass`.

`dataclasses` writes every generated method (``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, frozen ``__setattr__``/``__delattr__``) as source text and compiles each one
on its own, and imports `inspect` to do it: on a cold ``deluge-lite run`` that was about 77
classes and a third of the start-up. Here only ``__init__`` is compiled (one small function
per class, the first time the class is instantiated); the other methods are shared functions
closed over the class's field names.

What the project relies on, and keeps, with the meaning `dataclasses` gives it:

- fields from the class's own annotations, in order, after those of fieldclass bases
  (a redefined name keeps its first place); ``ClassVar`` annotations are not fields;
- ``__init__`` taking fields positionally or by keyword, with defaults, ``field(default=...)``,
  ``field(default_factory=...)``, ``field(init=False)``, then ``__post_init__`` if defined;
- ``__eq__`` (same class, field tuples equal; ``field(compare=False)`` left out) and
  ``__repr__`` (``Name(a=1, b='x')``; ``field(repr=False)`` left out);
- ``frozen=True``: assigning or deleting a field raises `FrozenInstanceError` (an
  `AttributeError`), and the instance hashes by its compared fields; a non-frozen class
  with ``eq`` is unhashable, as with `dataclasses`, unless it defines ``__hash__``;
- ``slots=True``: the class is rebuilt with ``__slots__`` (its own new fields), and a frozen
  one pickles and copies;
- a method the class body defines itself is never replaced.

`fields` and `replace` are this module's `dataclasses.fields` and `dataclasses.replace`;
``__fieldclass_fields__`` (name -> `Field`, in order) is what node walkers iterate. Code
that still calls the stdlib functions on these classes keeps working: their
``__dataclass_fields__`` is built from stdlib fields the first time it is read.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _T = TypeVar("_T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_FACTORY: Any = type("_HasDefaultFactory", (), {"__repr__": lambda self: "<factory>"})()


class FrozenInstanceError(AttributeError):
    """An assignment to (or deletion of) a field of a frozen instance."""


class Field:
    """One field: its name, default or default factory, and whether init, repr and eq see it."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING, init: bool = True,
                 repr: bool = True, compare: bool = True) -> None:  # noqa: A002 (dataclasses' name)
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r})"


def field(*, default: Any = MISSING, default_factory: Any = MISSING, init: bool = True, repr: bool = True,
          compare: bool = True) -> Any:  # noqa: A002 (dataclasses' name)
    """A field with a default, a default factory, or left out of init, repr or comparison."""
    return Field(default, default_factory, init, repr, compare)


def fieldclass(cls: type[_T] | None = None, /, *, frozen: bool = False, slots: bool = False,
               eq: bool = True, repr: bool = True) -> Any:  # noqa: A002 (dataclasses' name)
    """Give a class its fields' methods (see the module docstring): ``@fieldclass`` or ``@fieldclass(...)``."""
    def wrap(target: type[_T]) -> type[_T]:
        return _process(target, frozen, slots, eq, repr)
    return wrap if cls is None else wrap(cls)


def fields(value: Any) -> tuple[Field, ...]:
    """The fields of a fieldclass or its instance, in order."""
    try:
        return tuple(value.__fieldclass_fields__.values())
    except AttributeError:
        raise TypeError(f"not a fieldclass: {value!r}") from None


def is_fieldclass(value: Any) -> bool:
    return hasattr(type(value) if not isinstance(value, type) else value, "__fieldclass_fields__")


def replace(value: _T, /, **changes: Any) -> _T:
    """A copy of an instance with some fields changed (fields outside ``__init__`` cannot be)."""
    for spec in fields(value):
        if not spec.init:
            if spec.name in changes:
                raise ValueError(f"field {spec.name} is declared with init=False, it cannot be specified with "
                                 "replace()")
        elif spec.name not in changes:
            changes[spec.name] = getattr(value, spec.name)
    return value.__class__(**changes)


# ---------------------------------------------------------------- building a class

def _process(cls: type[_T], frozen: bool, slots: bool, eq: bool, show: bool) -> type[_T]:
    table = _collect_fields(cls)
    own = cls.__dict__
    for name, spec in table.items():  # class attributes as dataclasses leaves them
        if name in own and isinstance(own[name], Field):
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    if slots:
        cls = _with_slots(cls, tuple(table), frozen)
        own = cls.__dict__
    body_hash = own.get("__hash__", MISSING)  # None when the body defines __eq__ alone
    own_hash = not (body_hash is MISSING or body_hash is None and "__eq__" in own)
    cls.__fieldclass_fields__ = table  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = _StdlibFields(cls)  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(name for name, spec in table.items() if spec.init)  # type: ignore[attr-defined]
    if "__init__" not in own:
        cls.__init__ = _lazy_init(cls, frozen, slots)  # type: ignore[misc]
    if show and "__repr__" not in own:
        cls.__repr__ = _repr_method(tuple(name for name, spec in table.items() if spec.repr))  # type: ignore[assignment]
    compared = _tuple_getter(tuple(name for name, spec in table.items() if spec.compare))
    if eq and "__eq__" not in own:
        cls.__eq__ = _eq_method(compared)  # type: ignore[assignment]
    if frozen:
        _freeze(cls, frozenset(table))
    if eq and not own_hash:
        cls.__hash__ = _hash_method(compared) if frozen else None  # type: ignore[assignment]
    return cls


def _collect_fields(cls: type) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get("__fieldclass_fields__")
        if inherited:
            table.update(inherited)
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        if isinstance(spec.default, (list, dict, set)):
            raise ValueError(f"mutable default {type(spec.default)} for field {name} is not allowed: use "
                             "default_factory")
        spec.name = name
        table[name] = spec
    seen_default = False
    for spec in table.values():
        if not spec.init:
            continue
        if spec.default is not MISSING or spec.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
    return table


def _with_slots(cls: type[_T], names: tuple[str, ...], frozen: bool) -> type[_T]:
    """The class rebuilt with ``__slots__`` for its new fields (slots cannot be added to a made class)."""
    body = dict(cls.__dict__)
    inherited: set[str] = set()
    for base in cls.__mro__[1:-1]:
        declared = base.__dict__.get("__slots__", ())
        inherited.update((declared,) if isinstance(declared, str) else declared)
    body["__slots__"] = tuple(name for name in names if name not in inherited)
    for name in (*names, "__dict__", "__weakref__"):
        body.pop(name, None)
    if frozen:  # pickle and copy restore slots through setattr, which a frozen class refuses
        body.setdefault("__getstate__", _slots_getstate)
        body.setdefault("__setstate__", _slots_setstate)
    return type(cls)(cls.__name__, cls.__bases__, body)  # type: ignore[return-value]


def _slots_getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__fieldclass_fields__]


def _slots_setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__fieldclass_fields__, state, strict=True):
        object.__setattr__(self, name, value)


def _lazy_init(cls: type, frozen: bool, slots: bool) -> Callable[..., None]:
    """An ``__init__`` that compiles the real one on the first instance (most classes never get one)."""
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real = _compile_init(cls, frozen, slots)
        if cls.__dict__.get("__init__") is __init__:
            cls.__init__ = real  # type: ignore[misc]
        real(self, *args, **kwargs)
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compile_init(cls: type, frozen: bool, slots: bool) -> Callable[..., None]:
    table: dict[str, Field] = cls.__fieldclass_fields__  # type: ignore[attr-defined]
    names: dict[str, Any] = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__}
    params: list[str] = []
    lines: list[str] = []
    for name, spec in table.items():
        value = name
        if spec.default_factory is not MISSING:
            names[f"_factory_{name}"] = spec.default_factory
            if spec.init:
                names[f"_default_{name}"] = _FACTORY
                value = f"_factory_{name}() if {name} is _FACTORY else {name}"
            else:
                value = f"_factory_{name}()"
        elif spec.default is not MISSING:
            names[f"_default_{name}"] = spec.default
            if not spec.init:
                if not slots:
                    continue  # the class attribute holds it
                value = f"_default_{name}"
        elif not spec.init:
            continue
        if spec.init:
            params.append(f"{name}=_default_{name}" if f"_default_{name}" in names else name)
        lines.append(f"_setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    text = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(lines) or "pass") + "\n"
    exec(compile(text, f"<fieldclass {cls.__qualname__}>", "exec"), names)  # noqa: S102 (text built from field names)
    made = names["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made  # type: ignore[no-any-return]


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields' values as a tuple (attrgetter gives a bare value for one name)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])
        return lambda self: (get(self),)
    return lambda self: ()


def _repr_method(names: tuple[str, ...]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        return f"{self.__class__.__qualname__}({shown})"
    return __repr__


def _eq_method(compared: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented
    return __eq__


def _hash_method(compared: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(compared(self))
    return __hash__


def _freeze(cls: type, names: frozenset[str]) -> None:
    for method in ("__setattr__", "__delattr__"):
        if method in cls.__dict__:
            raise TypeError(f"cannot overwrite attribute {method} in class {cls.__name__}")

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    cls.__setattr__ = __setattr__  # type: ignore[method-assign]
    cls.__delattr__ = __delattr__  # type: ignore[method-assign]


class _StdlibFields:
    """``__dataclass_fields__`` made on first read, so `dataclasses.fields`/`replace`/`is_dataclass` work."""

    def __init__(self, owner: type) -> None:
        self.owner = owner
        self.table: dict[str, Any] | None = None

    def __get__(self, instance: Any, owner: type | None = None) -> dict[str, Any]:
        if self.table is None:
            import dataclasses

            specs = self.owner.__fieldclass_fields__  # type: ignore[attr-defined]
            shadow = dataclasses.make_dataclass(
                self.owner.__name__,
                [(name, "Any", _stdlib_field(dataclasses, spec)) for name, spec in specs.items()],
                init=False, repr=False, eq=False, namespace={"__doc__": self.owner.__doc__ or "fields"})
            self.table = dict(shadow.__dataclass_fields__)
        return self.table


def _stdlib_field(dataclasses: Any, spec: Field) -> Any:
    extra = {} if spec.default_factory is MISSING else {"default_factory": spec.default_factory}
    if spec.default is not MISSING:
        extra["default"] = spec.default
    return dataclasses.field(init=spec.init, repr=spec.repr, compare=spec.compare, **extra)


__all__ = ["MISSING", "Field", "FrozenInstanceError", "field", "fieldclass", "fields", "is_fieldclass", "replace"]
