"""Platform contexts: what each Zoho product gives a function it runs (data in stdlib/contexts.toml).

A `Context` holds the names the product injects (with their Deluge type, a doc line and
the default value `run` fills in when neither ``--arg`` nor ``--input`` gives one), the
product's limits (each figure with the page it comes from), the function-header
namespaces and injected names that identify it, and the task prefixes only it runs.

`detect()` picks the context of a program: the one asked for, else the one its function
headers name (``void automation.x()`` is CRM), else the one whose injected names its
header-less body reads (``invoice`` is Books, ``visitor`` SalesIQ), else the default (CRM).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable

from ..data import read_table
from ..errors import UsageError
from ..fieldclass import field, fieldclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # the syntax tree and the checker load only when a context is detected (not for cached runs)
    from .. import ast


@fieldclass(frozen=True)
class InjectedName:
    """One name a product injects into the functions it runs."""

    name: str
    type: str
    doc: str
    default: Any
    page: str = ""


@fieldclass(frozen=True)
class ContextLimits:
    statements: int
    seconds: float
    depth: int
    page: str


@fieldclass(frozen=True)
class Context:
    """One Zoho product as a function sees it."""

    name: str
    title: str
    names: dict[str, InjectedName]
    limits: ContextLimits
    namespaces: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    exclusive: tuple[str, ...] = ()
    system: dict[str, Any] = field(default_factory=dict)

    def injected(self, name: str) -> InjectedName | None:
        """The injected name spelled ``name`` in any case."""
        wanted = name.lower()
        return next((entry for key, entry in self.names.items() if key.lower() == wanted), None)


@fieldclass(frozen=True)
class ContextTable:
    contexts: dict[str, Context]
    default: str
    zoho_services: frozenset[str]


@functools.lru_cache(maxsize=1)
def table() -> ContextTable:
    """The contexts of stdlib/contexts.toml, checked for shape."""
    raw = read_table("stdlib", "contexts.toml")
    contexts: dict[str, Context] = {}
    for name, entry in raw["contexts"].items():
        limits = entry["limits"]
        names = {key: InjectedName(key, value["type"], value["doc"], value.get("default"), value.get("page", ""))
                 for key, value in entry.get("names", {}).items()}
        contexts[name] = Context(
            name=name, title=entry["title"], names=names,
            limits=ContextLimits(int(limits["statements"]), float(limits["seconds"]), int(limits["depth"]),
                                 limits["page"]),
            namespaces=tuple(entry.get("namespaces", ())), signature=tuple(entry.get("signature", ())),
            exclusive=tuple(entry.get("exclusive", ())), system=dict(entry.get("system", {})))
    if raw["default"] not in contexts:
        raise ValueError(f"contexts.toml: the default context '{raw['default']}' is not defined")
    return ContextTable(contexts, raw["default"], frozenset(raw.get("zoho_services", ())))


def names() -> list[str]:
    return list(table().contexts)


def get(name: str) -> Context:
    """The context called ``name`` (any case); an unknown name is a usage error with a did-you-mean."""
    contexts = table().contexts
    found = contexts.get(name.strip().lower())
    if found is not None:
        return found
    match = difflib.get_close_matches(name.lower(), list(contexts), n=1, cutoff=0.6)
    hint = f"; did you mean '{match[0]}'?" if match else ""
    raise UsageError(f"unknown context '{name}'{hint} (contexts: {', '.join(contexts)})")


def default() -> Context:
    return table().contexts[table().default]


def detect(program: ast.Program, requested: str | None = None) -> tuple[Context, str]:
    """The context of ``program`` and how it was chosen (for the line ``run`` prints)."""
    if requested:
        return get(requested), "from --context"
    contexts = table().contexts
    for fn in program.functions:
        category = fn.category.lower()
        for context in contexts.values():
            if category and category in context.namespaces:
                return context, f"from the function header '{fn.full_name}'"
    if has_creator_statements(program):
        return contexts["creator"], "from its Creator statements"
    from ..check import assigned_anywhere

    read = _names_read(program.statements) - assigned_anywhere(program.statements)
    best: tuple[int, Context | None] = (0, None)
    for context in contexts.values():
        hits = sum(1 for name in context.signature if name.lower() in read)
        if hits > best[0]:
            best = (hits, context)
    if best[1] is not None:
        hits = [name for name in best[1].signature if name.lower() in read]
        return best[1], f"from the names it reads: {', '.join(hits)}"
    return default(), "the default"


def _names_read(statements: Iterable[ast.Node]) -> set[str]:
    """Every variable name a block mentions (lower case)."""
    from .. import ast

    found: set[str] = set()
    stack: list[Any] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            found.add(node.name.lower())
            continue
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if not isinstance(node, ast.Node):
            continue
        for key in node.__fieldclass_fields__:
            if key != "span":
                stack.append(getattr(node, key))
    return found


def has_creator_statements(program: ast.Program) -> bool:
    """Whether the program uses a statement only Zoho Creator has (insert into, Form[criteria], alert, ...)."""
    from .. import ast

    return first_creator_statement(program, (ast.CreatorOnly,)) is not None


def first_creator_statement(program: ast.Program, also: tuple[type, ...] = ()) -> ast.Node | None:
    """The first record statement of Creator's (insert into, Form[criteria], delete from) in the program."""
    from .. import ast

    kinds = (ast.CreatorInsert, ast.CreatorFetch, ast.CreatorDelete, *also)
    found: list[ast.Node] = []
    stack: list[Any] = [*program.statements, *(fn.body for fn in program.functions)]
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            found.append(node)
        elif isinstance(node, tuple):
            stack.extend(node)
        elif isinstance(node, ast.Node):
            stack.extend(getattr(node, key) for key in node.__fieldclass_fields__ if key != "span")
    return min(found, key=lambda node: (node.span.line, node.span.col)) if found else None


__all__ = ["Context", "ContextLimits", "InjectedName", "detect", "default", "get", "first_creator_statement",
           "has_creator_statements", "names",
           "table"]
