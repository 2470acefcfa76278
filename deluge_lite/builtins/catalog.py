"""Owns the built-in catalog: every built-in's names, receivers and arity, and the family that registers it.

With the catalog announced to the registry, no family module is imported at start-up: a run
imports a family the first time it binds one of that family's names (a hello script loads
two or three of the twelve), and the static check, ``did you mean`` hints and completion
read names and arity from the catalog without importing any.

The catalog is derived from the families themselves, never written by hand, so it cannot
disagree with them: when no usable copy is cached, `install` imports every family as before,
notes which family registered each entry, and stores the result in the per-user private
cache (`private_cache`: a 0700 folder, a 0600 file, owner and mode checked before a read).
The stored copy is plain data (strings, numbers, tuples in `marshal` form), keyed by
`program_cache.fingerprint()` (the deluge-lite and Python versions and the size and
modification time of every module), so any edit to a family is seen at the next start.
A missing, foreign, corrupt or stale file is only a miss.
"""

from __future__ import annotations

import importlib
import marshal
from collections.abc import Iterable

from .. import private_cache
from ..fieldclass import fieldclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

FORMAT = 1
CACHE_FILE = "builtins.catalog"


@fieldclass(frozen=True)
class Signature:
    """A built-in as the catalog knows it: what `Builtin` says about it, without the implementation."""

    name: str
    aliases: tuple[str, ...]
    receivers: frozenset[str] | None
    min_args: int
    max_args: int | None
    family: str  # the module whose import registers it

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@fieldclass(frozen=True)
class Catalog:
    """Every entry and system variable of the families, and which families register each name."""

    families: tuple[str, ...]
    signatures: tuple[Signature, ...]
    variables: dict[str, tuple[str, str]]  # lower-case system variable -> (spelling, family)

    def modules(self) -> frozenset[str]:
        """Every module the catalog covers: the families and any module one of its entries names."""
        return frozenset(self.families) | {entry.family for entry in self.signatures} | {
            family for _spelling, family in self.variables.values()}

    def families_by_name(self) -> dict[str, tuple[str, ...]]:
        """Lower-case name (any spelling, function, method or system variable) -> the families to import."""
        found: dict[str, list[str]] = {}
        for entry in self.signatures:
            for spelling in entry.all_names:
                families = found.setdefault(spelling.lower(), [])
                if entry.family not in families:
                    families.append(entry.family)
        for key, (_spelling, family) in self.variables.items():
            families = found.setdefault(key, [])
            if family not in families:
                families.append(family)
        return {key: tuple(families) for key, families in found.items()}


def install(registry: Any, families: tuple[str, ...]) -> None:
    """Make ``registry`` import ``families`` lazily (from the cached catalog), or import them all now."""
    key = _key(families)
    cached = private_cache.load(CACHE_FILE, lambda handle: _decode(handle, key, families))
    if cached is not None:
        registry.announce(cached)
        return
    catalog = build(registry, families)
    private_cache.store(CACHE_FILE, lambda handle: marshal.dump((key, _encode(catalog)), handle))


def build(registry: Any, families: Iterable[str]) -> Catalog:
    """Import every family (in order) and describe what they registered in ``registry``.

    Each entry keeps the module that registered it (`Builtin.family`): importing that module
    is what registers it, whichever family imported it first."""
    modules = tuple(families)
    for module in modules:
        importlib.import_module(module)
    signatures = tuple(Signature(entry.name, entry.aliases, entry.receivers, entry.min_args, entry.max_args,
                                 entry.family) for entry in registry.all)
    variables = {key: (spelling, registry.system_variable_family(key))
                 for key, (spelling, _impl) in registry.system_variables.items()}
    return Catalog(modules, signatures, variables)


def _key(families: tuple[str, ...]) -> str:
    from ..program_cache import fingerprint

    return "\n".join([f"catalog {FORMAT}", *families, fingerprint()])


def _encode(catalog: Catalog) -> tuple[Any, ...]:
    entries = tuple((entry.name, entry.aliases, None if entry.receivers is None else tuple(sorted(entry.receivers)),
                     entry.min_args, entry.max_args, entry.family) for entry in catalog.signatures)
    variables = tuple((key, spelling, family) for key, (spelling, family) in sorted(catalog.variables.items()))
    return (catalog.families, entries, variables)


def _decode(handle: IO[bytes], key: str, families: tuple[str, ...]) -> Catalog | None:
    """The stored catalog if it is for this key and well formed; None otherwise (a miss)."""
    stored = marshal.loads(handle.read())  # (marshal.load reads a file in many small pieces)
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return None
    names, entries, variables = stored[1]
    if tuple(names) != families:
        return None
    signatures = []
    for name, aliases, receivers, low, high, family in entries:
        if not (isinstance(name, str) and isinstance(aliases, tuple) and all(isinstance(a, str) for a in aliases)
                and (receivers is None or (isinstance(receivers, tuple)
                                           and all(isinstance(tag, str) for tag in receivers)))
                and type(low) is int and (high is None or type(high) is int) and _is_module_name(family)):
            return None
        signatures.append(Signature(name, aliases, None if receivers is None else frozenset(receivers), low, high,
                                    family))
    found: dict[str, tuple[str, str]] = {}
    for variable, spelling, family in variables:
        if not (isinstance(variable, str) and isinstance(spelling, str) and _is_module_name(family)):
            return None
        found[variable] = (spelling, family)
    return Catalog(families, tuple(signatures), found)


def _is_module_name(name: Any) -> bool:
    """A deluge-lite module: the only kind of name the catalog may ever make the registry import."""
    return isinstance(name, str) and name.startswith("deluge_lite.") and all(
        part.isidentifier() for part in name.split("."))


__all__ = ["Catalog", "Signature", "build", "install"]
