"""What the editor shows about the language's own names: built-in functions and methods, the
``zoho.*`` tasks and system variables, keywords and the keys of invokeurl/sendmail.

Everything comes from the registries the interpreter runs on (``builtins.REGISTRY``, the
task catalog in stdlib/tasks.toml, ``check``'s key tables), so the editor can never offer a
name the runtime lacks. A built-in's parameter names and one-line doc come from its Python
implementation (the receiver and the runtime handle left out); its link is the Zoho page.
"""

from __future__ import annotations

import functools
import inspect

from ..builtins import REGISTRY
from ..builtins.registry import Builtin, writable
from ..check import INVOKEURL_KEYS, SENDMAIL_KEYS
from ..fieldclass import fieldclass
from ..net.tasks import TaskSpec, load_catalog

KEYWORDS = ("if", "else", "for each", "in", "info", "return", "break", "continue", "try", "catch", "throw",
            "invokeurl", "sendmail", "true", "false", "null", "void", "string", "int", "decimal", "bool",
            "map", "list", "date", "datetime", "thisapp", "standalone", "zoho")
TASK_KEYS = {"invokeurl": INVOKEURL_KEYS, "sendmail": SENDMAIL_KEYS}
RECEIVER_WORDS = {"text": "Text", "map": "Map", "list": "List", "number": "Number", "decimal": "Decimal",
                  "boolean": "Boolean", "date": "Date", "datetime": "Date-Time", "null": "null", "file": "File"}


@fieldclass(frozen=True)
class Entry:
    """One name as the editor shows it. ``kind``: function, method, task, system, keyword, key."""

    label: str
    kind: str
    params: tuple[str, ...] = ()
    doc: str = ""
    link: str = ""
    receivers: tuple[str, ...] = ()
    detail: str = ""
    returns: str = ""  # a built-in's Python return annotation ('str', 'dict[Any, Any]'...)

    @property
    def signature(self) -> str:
        if self.kind in ("function", "method", "task"):
            on = f"{'|'.join(RECEIVER_WORDS.get(tag, tag) for tag in self.receivers)}." if self.receivers else ""
            return f"{on}{self.label}({', '.join(self.params)})"
        return self.label

    def markdown(self) -> str:
        """Hover text: the signature as code, the doc, the Zoho page."""
        parts = [f"```deluge\n{self.signature}\n```"]
        if self.detail:
            parts.append(self.detail)
        if self.doc:
            parts.append(self.doc)
        if self.link:
            parts.append(f"[Zoho reference]({self.link})")
        return "\n\n".join(parts)


def _params(entry: Builtin) -> tuple[str, ...]:
    try:
        parameters = list(inspect.signature(entry.impl).parameters.values())
    except (TypeError, ValueError):
        return ()
    if entry.runtime and parameters and parameters[0].name == "rt":
        parameters = parameters[1:]
    if entry.receivers is not None and parameters:
        parameters = parameters[1:]  # the receiver
    shown = []
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            shown.append(f"{parameter.name}...")
        elif parameter.default is not inspect.Parameter.empty:
            shown.append(f"[{parameter.name}]")
        else:
            shown.append(parameter.name)
    return tuple(shown)


def _first_paragraph(text: str | None) -> str:
    if not text:
        return ""
    return " ".join(inspect.cleandoc(text).split("\n\n")[0].split())


def _builtin_entry(entry: Builtin, label: str) -> Entry:
    link = entry.doc if entry.doc.startswith("http") else ""
    doc = _first_paragraph(entry.impl.__doc__) or ("" if link else entry.doc)
    kind = "function" if entry.receivers is None else "method"
    receivers = tuple(sorted(entry.receivers)) if entry.receivers else ()
    try:
        returns = inspect.signature(entry.impl).return_annotation
    except (TypeError, ValueError):
        returns = ""
    returns = returns if isinstance(returns, str) else getattr(returns, "__name__", "")
    return Entry(label, kind, _params(entry), doc, link, receivers, returns=returns)


@functools.lru_cache(maxsize=1)
def functions() -> dict[str, Entry]:
    """Built-in functions by folded name (aliases included)."""
    return {name.lower(): _builtin_entry(entry, name) for entry in REGISTRY.all if entry.receivers is None
            for name in entry.all_names}


@functools.lru_cache(maxsize=1)
def methods() -> dict[str, list[Entry]]:
    """Built-in methods by folded name: one entry per registration (receiver types differ)."""
    found: dict[str, list[Entry]] = {}
    for entry in REGISTRY.all:
        if entry.receivers is None:
            continue
        for name in entry.all_names:
            if writable(name):  # not the hidden form a syntax becomes (collection_kind.PAIR_INSERT)
                found.setdefault(name.lower(), []).append(_builtin_entry(entry, name))
    return found


def methods_for(receiver: str | None) -> list[Entry]:
    """The methods a receiver of this type tag has (every method when the type is unknown)."""
    chosen: list[Entry] = []
    for entries in methods().values():
        for entry in entries:
            if receiver is None or receiver in entry.receivers:
                chosen.append(entry)
                break
    return sorted(chosen, key=lambda entry: entry.label.lower())


def method(name: str, receiver: str | None = None) -> Entry | None:
    entries = methods().get(name.lower(), [])
    for entry in entries:
        if receiver is None or receiver in entry.receivers:
            return entry
    return entries[0] if entries else None


def _task_entry(spec: TaskSpec) -> Entry:
    params = tuple(arg.name if arg.required or arg.default is None else f"[{arg.name}]" for arg in spec.args)
    return Entry(spec.name, "task", (*params, "[connection]"),
                 f"Calls {spec.method} {spec.path} on {spec.service}; the last argument may be a connection "
                 "link name.")


@functools.lru_cache(maxsize=1)
def tasks() -> dict[str, Entry]:
    """The zoho.* tasks by folded name (variants such as zoho.crm.v8.* included)."""
    return {key: _task_entry(spec) for key, spec in load_catalog().items()}


def task_result(path: str) -> str | None:
    """What a task returns ('list', 'record', 'write', 'raw'), None for an unknown task."""
    spec = load_catalog().get(path.lower())
    return spec.result if spec else None


@functools.lru_cache(maxsize=1)
def system_variables() -> dict[str, Entry]:
    return {name.lower(): Entry(name, "system", doc="a system variable") for name in REGISTRY.system_variables}


def zoho_members(prefix: str) -> list[Entry]:
    """Completions after ``prefix`` (``zoho.`` or ``zoho.crm.``): the next path segment of
    tasks and system variables, or whole names at their last segment."""
    folded = prefix.lower()
    depth = folded.count(".")
    seen: dict[str, Entry] = {}
    for key, entry in [*tasks().items(), *system_variables().items()]:
        if not key.startswith(folded) or key[len(folded):].startswith("_"):
            continue
        parts = entry.label.split(".")
        if len(parts) == depth + 1:
            seen.setdefault(parts[depth].lower(), Entry(parts[depth], entry.kind, entry.params, entry.doc,
                                                         entry.link, detail=entry.label))
        else:
            segment = parts[depth]
            seen.setdefault(segment.lower(), Entry(segment, "module", detail=".".join(parts[:depth + 1])))
    return sorted(seen.values(), key=lambda entry: entry.label.lower())


def lookup(dotted: str) -> Entry | None:
    """A built-in function, task or system variable by its written name."""
    key = dotted.lower()
    return tasks().get(key) or system_variables().get(key) or functions().get(key)
