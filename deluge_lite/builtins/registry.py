"""The table of built-in functions and methods, and the one argument checker.

Every built-in is registered with the `builtin` decorator::

    @builtin("subString", "substring", "subText", "mid", on=TEXT, args=(1, 2),
             doc="https://www.zoho.com/deluge/help/functions/string/substring.html")
    def sub_string(text: str, start: int, end: int | None = None) -> str: ...

- The first name is the canonical spelling (shown in messages and ``deluge-lite builtins``);
  the others are aliases. Names match case-insensitively.
- ``on`` is the set of receiver types (``TEXT``, ``LIST``, ..., ``ANY``). A built-in with a
  receiver has both forms: ``s.subString(1)`` and ``subString(s, 1)``. ``on=None`` makes a
  plain function with no receiver (``ifnull(a, b)``, ``Map()``); dotted names such as
  ``zoho.encryption.md5`` are plain functions too.
- ``args`` is (min, max) arguments besides the receiver; max ``None`` means any number.
- ``runtime=True`` passes the `Runtime` as the first parameter (clock, time zone, user).
- ``statement`` is an alternative implementation used when the call is a whole statement
  (``list.sort();`` sorts in place while ``x = list.sort();`` returns a sorted copy).
- ``grows=True`` marks a method that puts its arguments into its receiver (``add``, ``put``):
  their size is charged to the run's value budget (`Runtime.charge`) before the call.

Size bounds are applied here, table-driven, rather than in each function: a built-in whose
return annotation names ``str`` has its result checked against the Text cap
(`values.MAX_TEXT`), one that names ``list``/``dict`` against the value budget
(``Limits.value_size``), and ``grows`` methods are charged as above (see `size_policy`).

System variables (``zoho.currentdate``) register with `system_variable`.
This module owns the table, lookup, dispatch and argument checking; the functions
themselves live in the sibling modules.

Families load lazily once the package has announced the built-in catalog (`catalog`): a
lookup by name (`method_table`, `function_caller`, `system_variable_entry`) first imports the
families that register that name; reading a whole table (`all`, `methods`, `functions`,
`system_variables`) imports every family; `signatures`, `names`, `suggest` and the other
queries on names and arity answer from the catalog and import nothing.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import sys
from collections.abc import Callable, Iterable
from functools import partial

from ..creator_records import Records
from ..errors import DelugeRuntimeError, LimitExceeded
from ..fieldclass import fieldclass
from ..file_value import File
from ..values import MAX_NUMBER, MAX_TEXT, MIN_NUMBER, deep_size, text_too_long, type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TEXT = frozenset({"text"})
NUMBER = frozenset({"number"})
DECIMAL = frozenset({"decimal"})
NUMERIC = frozenset({"number", "decimal"})
BOOLEAN = frozenset({"boolean"})
DATE = frozenset({"date"})
DATETIME = frozenset({"datetime"})
DATES = frozenset({"date", "datetime"})
MAP = frozenset({"map"})
LIST = frozenset({"list"})
COLLECTION = frozenset({"map", "list"})
NULL = frozenset({"null"})
FILE = frozenset({"file"})  # Zoho's FILE (file_value.py)
ANY = frozenset({"text", "number", "decimal", "boolean", "date", "datetime", "map", "list", "null", "file"})
RECORDS = frozenset({"records"})  # a Creator collection variable (Form[criteria]); not part of ANY

PY_TYPE_TAG: dict[type, str] = {
    str: "text", int: "number", float: "decimal", bool: "boolean", _dt.date: "date",
    _dt.datetime: "datetime", dict: "map", list: "list", type(None): "null", Records: "records",
    File: "file",
}
TAG_TYPE = {tag: py_type for py_type, tag in PY_TYPE_TAG.items()}


def writable(name: str) -> bool:
    """Whether a script can write this spelling (``trim``, ``zoho.encryption.urlEncode``): not
    the hidden name a syntax compiles to (collection_kind.PAIR_INSERT)."""
    return all(part.isidentifier() for part in name.split("."))


@fieldclass(frozen=True)
class Builtin:
    """One registered built-in: its names, receivers, arity and implementation."""

    name: str
    aliases: tuple[str, ...]
    receivers: frozenset[str] | None
    impl: Callable[..., Any]
    min_args: int
    max_args: int | None
    runtime: bool
    doc: str
    statement_impl: Callable[..., Any] | None = None
    grows: bool = False
    family: str = ""  # the module that registered it (importing that module registers it again)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def arity_text(self) -> str:
        low, high = self.min_args, self.max_args
        if high is None:
            return f"at least {low} argument{'s' if low != 1 else ''}"
        if low == high:
            return f"{low} argument{'s' if low != 1 else ''}"
        if high == low + 1:
            return f"{low} or {high} arguments"
        return f"{low} to {high} arguments"

    def signature(self) -> str:
        """A one-line signature for listings: ``Text.subString(2 or 3 arguments)``."""
        on = "" if self.receivers is None else "|".join(sorted(self.receivers)) + "."
        return f"{on}{self.name}({self.arity_text()})"


def arity_error(display: str, expected: str, got: int) -> DelugeRuntimeError:
    return DelugeRuntimeError(f"{display}() takes {expected}, got {got}")


class Registry:
    """Built-ins by lower-case name: methods per receiver tag, and plain functions."""

    def __init__(self) -> None:
        self._methods: dict[str, dict[str, Builtin]] = {}
        self._functions: dict[str, Builtin] = {}
        self._system_variables: dict[str, tuple[str, Callable[..., Any]]] = {}
        self._all: list[Builtin] = []
        self._variable_families: dict[str, str] = {}  # lower-case system variable -> the module that registered it
        self._catalog: Any = None  # the announced catalog.Catalog, until every family is imported
        self._pending: dict[str, tuple[str, ...]] = {}  # lower-case name -> families not imported for it yet
        self._key_sets: tuple[Any, frozenset[str], frozenset[str]] | None = None  # see _keys

    # ---- the tables (reading one whole imports every family)
    @property
    def methods(self) -> dict[str, dict[str, Builtin]]:
        self.load_all()
        return self._methods

    @property
    def functions(self) -> dict[str, Builtin]:
        self.load_all()
        return self._functions

    @property
    def system_variables(self) -> dict[str, tuple[str, Callable[..., Any]]]:
        self.load_all()
        return self._system_variables

    @property
    def all(self) -> list[Builtin]:
        self.load_all()
        return self._all

    # ---- lazy families
    def announce(self, catalog: Any) -> None:
        """Import families only when one of their names is looked up (``catalog``: a `catalog.Catalog`)."""
        self._catalog = catalog
        self._pending = catalog.families_by_name()

    def _require(self, key: str) -> None:
        families = self._pending.pop(key, None)
        for module in families or ():
            importlib.import_module(module)

    def load_all(self) -> None:
        """Import every family not imported yet."""
        if self._catalog is not None:
            for module in self._catalog.families:
                importlib.import_module(module)
            self._catalog = None
            self._pending = {}

    # ---- registration
    def builtin(self, name: str, *aliases: str, on: frozenset[str] | None, args: tuple[int, int | None] = (0, 0),
                runtime: bool = False, doc: str = "", statement: Callable[..., Any] | None = None,
                grows: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(impl: Callable[..., Any]) -> Callable[..., Any]:
            entry = Builtin(name, aliases, on, impl, args[0], args[1], runtime,
                            doc or (impl.__doc__ or "").strip(), statement, grows, _registering_module())
            self._all.append(entry)
            for spelling in entry.all_names:
                key = spelling.lower()
                if on is None:
                    if key in self._functions:
                        raise ValueError(f"built-in function {spelling} registered twice")
                    self._functions[key] = entry
                else:
                    per_tag = self._methods.setdefault(key, {})
                    for tag in on:
                        if tag in per_tag:
                            raise ValueError(f"built-in {spelling} on {tag} registered twice")
                        per_tag[tag] = entry
            return impl
        return register

    def system_variable(self, name: str, runtime: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(impl: Callable[..., Any]) -> Callable[..., Any]:
            self._system_variables[name.lower()] = (name, impl)
            self._variable_families[name.lower()] = _registering_module()
            return impl
        return register

    # ---- queries on names and arity (from the catalog: no family is imported)
    def signatures(self) -> list[Any]:
        """Every built-in's names, receivers and arity: `Builtin` entries, or the catalog's
        `Signature` for those whose family is not imported yet (same attributes)."""
        if self._catalog is None:
            return list(self._all)
        covered = self._catalog.modules()
        return [*self._catalog.signatures, *(entry for entry in self._all if entry.family not in covered)]

    def system_variable_names(self) -> list[str]:
        """Every system variable, lower case."""
        if self._catalog is None:
            return list(self._system_variables)
        return list({**self._catalog.variables, **self._system_variables})

    def names(self) -> list[str]:
        """Every spelling a script can write (canonical names and aliases), sorted case-insensitively;
        not the hidden form a syntax compiles to (collection_kind.PAIR_INSERT)."""
        spellings = {spelling for entry in self.signatures() for spelling in entry.all_names if writable(spelling)}
        return sorted(spellings, key=str.lower)

    def methods_named(self) -> list[str]:
        """Every spelling of every built-in that has a receiver."""
        return [spelling for entry in self.signatures() if entry.receivers is not None
                for spelling in entry.all_names]

    def has_method(self, name: str) -> bool:
        return name.lower() in self._keys()[1]

    def has_function(self, name: str) -> bool:
        return name.lower() in self._keys()[0]

    def _keys(self) -> tuple[frozenset[str], frozenset[str]]:
        """(every lower-case spelling, those of built-ins with a receiver), for the ``has_`` queries."""
        known = (len(self._all), self._catalog is None)  # what the sets were made from
        if self._key_sets is None or self._key_sets[0] != known:
            signatures = self.signatures()
            every = frozenset(spelling.lower() for entry in signatures for spelling in entry.all_names)
            methods = frozenset(spelling.lower() for entry in signatures if entry.receivers is not None
                                for spelling in entry.all_names)
            self._key_sets = (known, every, methods)
        return self._key_sets[1], self._key_sets[2]

    def suggest(self, name: str, candidates: Iterable[str] | None = None) -> str | None:
        """The nearest registered spelling to a mistyped name, for "did you mean" hints."""
        import difflib

        pool = list(candidates) if candidates is not None else self.names()
        lowered = {spelling.lower(): spelling for spelling in pool}
        match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.75)
        return lowered[match[0]] if match else None

    # ---- dispatch
    def method_caller(self, name: str, argc: int, rt: Any, *, statement: bool = False) -> Callable[..., Any]:
        """A callable ``(receiver, *args)`` for ``receiver.name(args)`` with ``argc`` arguments."""
        table = self.method_table(name, argc, rt, statement=statement)

        def call_method(receiver: Any, *args: Any) -> Any:
            return table[type(receiver)](receiver, *args)

        return call_method

    def method_table(self, name: str, argc: int, rt: Any, *, statement: bool = False) -> dict[type, Callable[..., Any]]:
        """Receiver type -> implementation for ``receiver.name(args)`` with ``argc`` arguments.

        Compiled code indexes this table with ``type(receiver)`` at each call site; arity is
        checked once, here, so a wrong count costs nothing until the call is reached.
        """
        key = name.lower()
        self._require(key)
        per_tag = self._methods.get(key, {})
        table: dict[type, Callable[..., Any]] = {}
        for tag, py_type in TAG_TYPE.items():
            entry = per_tag.get(tag)
            if entry is None:
                table[py_type] = _no_such_method(name, per_tag, self)
            elif not entry.accepts(argc):
                table[py_type] = raiser(arity_error(entry.name, entry.arity_text(), argc).message)
            else:
                impl = entry.statement_impl if statement and entry.statement_impl else entry.impl
                table[py_type] = bounded(entry, impl, rt, argc)
        return table

    def function_caller(self, name: str, argc: int, rt: Any, *, statement: bool = False) -> Callable[..., Any] | None:
        """A callable ``(*args)`` for the function form ``name(args)``, or None if unknown."""
        key = name.lower()
        self._require(key)
        entry = self._functions.get(key)
        if entry is not None:
            if not entry.accepts(argc):
                return raiser(arity_error(entry.name, entry.arity_text(), argc).message)
            impl = entry.statement_impl if statement and entry.statement_impl else entry.impl
            return bounded(entry, impl, rt)
        if key in self._methods:
            if argc == 0:
                canonical = next(iter(self._methods[key].values())).name
                return raiser(f"{canonical}() needs a value to work on, got no arguments")
            return self.method_caller(name, argc - 1, rt, statement=statement)
        return None

    def system_variable_family(self, path: str) -> str:
        return self._variable_families.get(path.lower(), "")

    def system_variable_entry(self, path: str) -> tuple[str, Callable[..., Any]] | None:
        """(spelling, implementation) of the system variable ``path`` (any case), or None."""
        key = path.lower()
        self._require(key)
        return self._system_variables.get(key)


def _registering_module() -> str:
    """The module whose code is registering a built-in now (two frames up: past ``register``)."""
    return sys._getframe(2).f_globals.get("__name__", "")


# ---------------------------------------------------------------- size bounds

def size_policy(impl: Callable[..., Any]) -> str:
    """What a built-in's result needs checking for, read from its return annotation.

    ``"text"`` when it can give a Text (``str``, ``str | None``), ``"collection"`` when it gives
    a List or Map (``list[...]``, ``dict[...]``), ``"none"`` for everything else (numbers,
    Booleans, dates, ``None``, and ``Any``: those give back values that already exist).
    """
    annotation = impl.__annotations__.get("return", "Any")
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "Any")
    kinds = {part.strip().split("[", 1)[0] for part in text.split("|")}
    if "str" in kinds:
        return "text"
    if kinds & {"list", "dict"}:
        return "collection"
    return "none"


def bounded(entry: Builtin, impl: Callable[..., Any], rt: Any, argc: int | None = None) -> Callable[..., Any]:
    """``impl`` bound to the runtime (when it asks for one) and wrapped in its size checks.

    ``argc``: the number of arguments after the receiver, when every call has that many
    (a method call site); a growing method then gets a wrapper made for that count.
    """
    call = partial(impl, rt) if entry.runtime else impl
    policy = size_policy(impl)
    name = entry.name
    if entry.grows and argc in (1, 2):
        return _grower(name, call, rt, argc)
    if entry.grows:
        def grow(receiver: Any, *args: Any) -> Any:
            units = len(args)
            for arg in args:
                kind = type(arg)
                if kind is str:
                    units += len(arg)
                elif kind is list or kind is dict:
                    units += deep_size(arg, rt.limits.value_size)
            rt.charge(units, name)
            if len(receiver) + len(args) > rt.limits.value_size:
                raise LimitExceeded(f"{name}() would make a {type_name(receiver)} larger than the size limit "
                                    f"of {rt.limits.value_size:,} elements")
            return call(receiver, *args)
        return grow
    if policy == "text" and argc == 0:  # the most common shape (trim, toLowerCase, ...): no argument tuple
        def text_of(receiver: Any) -> Any:
            result = call(receiver)
            if type(result) is str and len(result) > MAX_TEXT:
                raise text_too_long(len(result))
            return result
        return text_of
    if policy == "text":
        def text_result(*args: Any) -> Any:
            result = call(*args)
            if type(result) is str and len(result) > MAX_TEXT:
                raise text_too_long(len(result))
            return result
        return text_result
    if policy == "collection":
        def collection_result(*args: Any) -> Any:
            result = call(*args)
            if len(result) > rt.limits.value_size:
                raise LimitExceeded(f"{name}() would make a {type_name(result)} of {len(result):,} elements; "
                                    f"the size limit is {rt.limits.value_size:,}")
            return result
        return collection_result
    return call


def _grower(name: str, call: Callable[..., Any], rt: Any, argc: int) -> Callable[..., Any]:
    """The size checks of a growing method (``add``, ``put``) for one or two arguments, without a loop.

    The same checks, in the same order, as the general wrapper in `bounded`: the units charged
    (`Runtime.charge`, which raises past the budget), then the receiver's element count.
    """

    def over(receiver: Any, charged: int, grown: int) -> LimitExceeded:
        """The error once the charge or the element count passes the limit (the charge is checked first)."""
        if grown > rt.limits.value_size:
            rt.charge(charged, name)  # raises: the run's values past the budget
        rt.grown = grown
        return LimitExceeded(f"{name}() would make a {type_name(receiver)} larger than the size limit "
                             f"of {rt.limits.value_size:,} elements")

    if argc == 1:
        def grow_one(receiver: Any, value: Any) -> Any:
            kind = type(value)
            if kind is str:
                charged = len(value) + 1
            elif kind is list or kind is dict:
                charged = deep_size(value, rt.limits.value_size) + 1
            else:
                charged = 1
            grown = rt.grown + charged
            limit = rt.limits.value_size
            if grown > limit or len(receiver) + 1 > limit:
                raise over(receiver, charged, grown)
            rt.grown = grown
            return call(receiver, value)
        return grow_one

    def grow_two(receiver: Any, key: Any, value: Any) -> Any:
        kind = type(key)
        if kind is str:
            charged = len(key) + 2
        elif kind is list or kind is dict:
            charged = deep_size(key, rt.limits.value_size) + 2
        else:
            charged = 2
        kind = type(value)
        if kind is str:
            charged += len(value)
        elif kind is list or kind is dict:
            charged += deep_size(value, rt.limits.value_size)
        grown = rt.grown + charged
        limit = rt.limits.value_size
        if grown > limit or len(receiver) + 2 > limit:
            raise over(receiver, charged, grown)
        rt.grown = grown
        return call(receiver, key, value)
    return grow_two


def raiser(message: str) -> Callable[..., Any]:
    """A stand-in implementation that raises a Deluge error when (and only when) it is called."""
    def raise_error(*_args: Any) -> Any:
        raise DelugeRuntimeError(message)
    return raise_error


def _no_such_method(name: str, per_tag: dict[str, Builtin], registry: Registry) -> Callable[..., Any]:
    def raise_error(receiver: Any, *_args: Any) -> Any:
        if receiver is None:
            raise DelugeRuntimeError(f"cannot call {name}() on null")
        if per_tag:
            kinds = sorted({type_name(None if t == 'null' else _sample(t)) for t in per_tag})
            raise DelugeRuntimeError(
                f"{name}() does not work on {type_name(receiver)}; it works on {', '.join(kinds)}")
        hint = registry.suggest(name, registry.methods_named())
        extra = f"; did you mean '{hint}'?" if hint else ""
        raise DelugeRuntimeError(f"unknown function '{name}'{extra}")
    return raise_error


_SAMPLES: dict[str, Any] = {
    "text": "", "number": 0, "decimal": 0.0, "boolean": False, "date": _dt.date(2000, 1, 1),
    "datetime": _dt.datetime(2000, 1, 1), "map": {}, "list": [], "null": None,
    "file": File("sample", b"", "application/octet-stream"),  # typed: naming one would load the MIME table
}
_SAMPLES["records"] = Records(None, "", [])  # type: ignore[arg-type]  (a Creator collection, for messages)


def _sample(tag: str) -> Any:
    return _SAMPLES[tag]


# ---------------------------------------------------------------- argument checking

_ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th")


def ordinal(position: int) -> str:
    return _ORDINALS[position - 1] if 0 < position <= len(_ORDINALS) else f"{position}th"


def expect(function: str, position: int, value: Any, kinds: frozenset[str]) -> Any:
    """Check one argument's type; ``position`` is 1-based. Returns the value unchanged.

    The message reads the same for every built-in:
    ``subString() expects Number for its 1st argument, got Text``.
    """
    if PY_TYPE_TAG.get(type(value)) in kinds:
        return value
    wanted = " or ".join(sorted({type_name(_sample(tag)) for tag in kinds}))
    raise DelugeRuntimeError(
        f"{function}() expects {wanted} for its {ordinal(position)} argument, got {type_name(value)}")


def expect_int(function: str, position: int, value: Any) -> int:
    """A whole-number argument (an index, a count): Number, or a Decimal with no fraction."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        if -9.2e18 <= value <= 9.2e18:
            return int(value)
        raise DelugeRuntimeError(f"{function}() expects a whole Number for its {ordinal(position)} argument; "
                                 f"{value:g} is past the 64-bit range")
    if type(value) is str:
        stripped = value.strip()
        digits = stripped[1:] if stripped[:1] in ("+", "-") else stripped
        whole = digits.isascii() and digits.isdigit()
        if whole and len(digits.lstrip("0")) <= 19:  # more digits: past 64 bits (and int()'s limit)
            number = int(stripped)
            if MIN_NUMBER <= number <= MAX_NUMBER:
                return number
        if whole:
            raise DelugeRuntimeError(f"{function}() expects a whole Number for its {ordinal(position)} argument; "
                                     f"the Text holds {len(digits):,} digits, past the 64-bit range")
    raise DelugeRuntimeError(
        f"{function}() expects a whole Number for its {ordinal(position)} argument, got {type_name(value)}")


REGISTRY = Registry()
builtin = REGISTRY.builtin
system_variable = REGISTRY.system_variable
