"""Completion and signature hints for the REPL, as pure functions.

`complete(before, scope)` takes the text before the cursor and a `Scope` (the session's
variables with their values, its functions, the built-in registry, the ``zoho.*`` task
names and the connection link names) and returns `Suggestion`s; `signature_hint(before,
scope)` gives the toolbar text for the call the cursor is in. Nothing here touches a
terminal, prompt_toolkit or a running session: the prompt_toolkit adapter lives in
``session/``, and these functions are tested with plain strings and dicts.

What is offered where:

- after ``name.`` the methods that work on the value the variable holds (a Map offers
  put/get/keys, Text offers subString/...); a variable assigned earlier in the same entry
  counts by the kind of its literal; an unknown receiver offers every method;
- after ``zoho.`` (and ``zoho.crm.``) the next part of the ``zoho.*`` tasks and system variables;
- inside ``connection:`` (invokeurl) the connection link names, quoted as needed;
- anywhere else keywords, variables in scope, the session's functions and built-in functions;
- nothing inside a comment or an ordinary text literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..builtins.registry import PY_TYPE_TAG, Builtin, Registry
from ..fieldclass import field, fieldclass
from .lexer import KEYWORDS, TYPE_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Scope", "Suggestion", "complete", "in_literal_or_comment", "receiver_tags", "signature_hint",
           "value_tag"]

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$|$")
_DOTTED_BEFORE_DOT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\.\s*$")
_CONNECTION_KEY = re.compile(r"\bconnection\s*:\s*$", re.IGNORECASE)
_KEYWORD_WORDS = tuple(sorted({*KEYWORDS, "true", "false", "null", "and", "or", *TYPE_NAMES}))
_ALL_TAGS = frozenset(PY_TYPE_TAG.values())


@fieldclass(frozen=True)
class Suggestion:
    """One completion: replace the ``replace`` characters before the cursor with ``text``."""

    text: str
    replace: int
    meta: str = ""
    display: str = ""

    @property
    def label(self) -> str:
        return self.display or self.text


@fieldclass(frozen=True)
class Scope:
    """What completion may know about: all plain data, no live session."""

    registry: Registry
    variables: Mapping[str, Any] = field(default_factory=dict)
    functions: Mapping[str, str] = field(default_factory=dict)  # full name -> signature text
    tasks: Sequence[str] = ()  # dotted ``zoho.*`` names: tasks, encryption functions, system variables
    links: Sequence[str] = ()  # connection link names


# ---------------------------------------------------------------- scanning

@fieldclass(frozen=True)
class _Scan:
    state: str  # "code" | "text" | "comment"
    literal_start: int  # where the open text literal starts (its quote), when state == "text"
    code: str  # the text with literals and comments blanked, same length as the input


def _scan(text: str) -> _Scan:
    """Where the cursor is: in code, in an open text literal or in a comment."""
    out: list[str] = []
    index, state, quote, start = 0, "code", "", -1
    while index < len(text):
        char = text[index]
        if state == "code":
            if char in "\"'":
                state, quote, start = "text", char, index
                out.append(char)
            elif text.startswith("//", index):
                end = text.find("\n", index)
                end = len(text) if end < 0 else end
                if end == len(text):
                    out.append(" " * (end - index))
                    return _Scan("comment", -1, "".join(out))
                out.append(" " * (end - index))
                index = end
                continue
            elif text.startswith("/*", index):
                end = text.find("*/", index + 2)
                if end < 0:
                    out.append(" " * (len(text) - index))
                    return _Scan("comment", -1, "".join(out))
                out.append(" " * (end + 2 - index))
                index = end + 2
                continue
            else:
                out.append(char)
        else:  # inside a literal
            if char == "\\" and index + 1 < len(text):
                out.append("  ")
                index += 2
                continue
            if char == quote:
                state = "code"
                out.append(char)
            else:
                out.append("\n" if char == "\n" else " ")
        index += 1
    return _Scan(state, start if state == "text" else -1, "".join(out))


def in_literal_or_comment(text: str) -> bool:
    """Whether the end of ``text`` is inside a text literal or a comment."""
    return _scan(text).state != "code"


# ---------------------------------------------------------------- value kinds

def value_tag(value: Any) -> str | None:
    """The registry's receiver tag for a Python value (``{}`` -> "map"), or None."""
    return PY_TYPE_TAG.get(type(value))


def _literal_tags(code: str, name: str) -> frozenset[str] | None:
    """The kind of the last value assigned to ``name`` in this entry, judged from the literal."""
    pattern = re.compile(r"(?<![\w.])" + re.escape(name) + r"\s*=(?!=)\s*(\S)(\S*)", re.IGNORECASE)
    matches = list(pattern.finditer(code))
    last = matches[-1] if matches else None
    if last is None:
        return None
    first, rest = last.group(1), last.group(2).lower()
    if first == '"':
        return frozenset({"text"})
    if first == "'":
        return frozenset({"date", "datetime", "text"})
    if first.isdigit():
        return frozenset({"decimal"}) if re.match(r"[\d]*\.\d", rest) else frozenset({"number"})
    if first == "{":
        return frozenset({"map", "list"})
    word = (first + rest).lower()
    for prefix, tags in (("map(", {"map"}), ("list(", {"list"}), ("collection(", {"map", "list"}),
                         ("true", {"boolean"}), ("false", {"boolean"})):
        if word.startswith(prefix):
            return frozenset(tags)
    return None


def receiver_tags(receiver: str, scope: Scope, code_before: str = "") -> frozenset[str]:
    """The receiver tags a method may be offered for, given the text just before the dot."""
    receiver = receiver.strip()
    if not receiver:
        return _ALL_TAGS
    if receiver.endswith('"'):
        return frozenset({"text"})
    if receiver.endswith("'"):
        return frozenset({"date", "datetime", "text"})
    if re.search(r"\d+\.\d+$", receiver):
        return frozenset({"decimal"})
    if re.search(r"(?<![\w.])\d+$", receiver):
        return frozenset({"number"})
    match = re.search(r"(?<![\w.])([A-Za-z_]\w*)$", receiver)
    if match:
        name = match.group(1)
        found = _literal_tags(code_before, name)
        if found is not None:
            return found
        variables = {key.lower(): value for key, value in scope.variables.items()}
        if name.lower() in variables:
            tag = value_tag(variables[name.lower()])
            if tag is not None:
                return frozenset({tag})
    return _ALL_TAGS


def _methods_for(tags: frozenset[str], registry: Registry) -> dict[str, Builtin]:
    """Every spelling of every method that works on one of ``tags``."""
    offered: dict[str, Builtin] = {}
    for entry in registry.all:
        if entry.receivers is None or not (entry.receivers & tags):
            continue
        for spelling in entry.all_names:
            offered.setdefault(spelling, entry)
    return offered


# ---------------------------------------------------------------- completion

def _starts(candidate: str, prefix: str) -> bool:
    return candidate.lower().startswith(prefix.lower())


def complete(before: str, scope: Scope) -> list[Suggestion]:
    """Completions for the text before the cursor, best first."""
    scan = _scan(before)
    if scan.state == "comment":
        return []
    if scan.state == "text":
        opened_at = scan.literal_start
        if _CONNECTION_KEY.search(scan.code[:opened_at]) and before[opened_at] == '"':
            partial = before[opened_at + 1:]
            return [Suggestion(link + '"', len(partial), "connection")
                    for link in sorted(scope.links) if _starts(link, partial)]
        return []
    prefix = _WORD.search(before).group(0)  # type: ignore[union-attr]
    head = scan.code[:len(before) - len(prefix)]
    if _CONNECTION_KEY.search(head):
        return [Suggestion(f'"{link}"', len(prefix), "connection", link)
                for link in sorted(scope.links) if _starts(link, prefix)]
    dotted = _DOTTED_BEFORE_DOT.search(head)
    if dotted:
        namespace = re.sub(r"\s+", "", dotted.group(1)).lower()
        if namespace.split(".")[0] == "zoho" or _is_function_namespace(namespace, scope):
            return _namespace_completions(namespace, prefix, scope)
    if head.rstrip().endswith("."):
        receiver = head.rstrip()[:-1]
        tags = receiver_tags(receiver, scope, scan.code[:len(receiver)])
        return [Suggestion(name, len(prefix), _tags_meta(entry))
                for name, entry in sorted(_methods_for(tags, scope.registry).items(), key=_name_key)
                if _starts(name, prefix)]
    if not prefix:
        return []
    return _word_completions(prefix, scope)


def _name_key(item: tuple[str, Any]) -> str:
    return item[0].lower()


def _tags_meta(entry: Builtin) -> str:
    return entry.signature()


def _namespace_completions(namespace: str, prefix: str, scope: Scope) -> list[Suggestion]:
    """The next dotted part after ``zoho.``/``zoho.crm.``; a part with more below it is a namespace."""
    depth = namespace.count(".") + 1
    found: dict[str, str] = {}
    for full in _dotted_names(scope):
        parts = full.split(".")
        if len(parts) <= depth or ".".join(parts[:depth]).lower() != namespace:
            continue
        part = parts[depth]
        kind = "namespace" if len(parts) > depth + 1 else _dotted_kind(full, scope)
        if part not in found or kind != "namespace":
            found.setdefault(part, kind)
    return [Suggestion(part, len(prefix), kind) for part, kind in sorted(found.items(), key=_name_key)
            if _starts(part, prefix)]


def _is_function_namespace(namespace: str, scope: Scope) -> bool:
    """``standalone.`` when the session defined ``standalone.sync`` (and no variable is so named)."""
    if namespace.split(".")[0] in {name.lower() for name in scope.variables}:
        return False
    return any(name.lower().startswith(namespace + ".") for name in scope.functions)


def _dotted_names(scope: Scope) -> list[str]:
    names = {name for name in scope.tasks}
    names.update(name for name in scope.functions if "." in name)
    names.update(name for entry in scope.registry.all if entry.receivers is None
                 for name in entry.all_names if "." in name)
    names.update(spelling for spelling, _impl in scope.registry.system_variables.values())
    return sorted(names, key=str.lower)


def _dotted_kind(full: str, scope: Scope) -> str:
    if full in scope.functions:
        return scope.functions[full]
    if full.lower() in scope.registry.system_variables:
        return "system variable"
    entry = scope.registry.functions.get(full.lower())
    return entry.signature() if entry is not None else "task"


def _word_completions(prefix: str, scope: Scope) -> list[Suggestion]:
    out: list[Suggestion] = []
    seen: set[str] = set()

    def offer(text: str, meta: str) -> None:
        if text.lower() not in seen and _starts(text, prefix) and text.lower() != prefix.lower():
            seen.add(text.lower())
            out.append(Suggestion(text, len(prefix), meta))

    for name, value in sorted(scope.variables.items()):
        offer(name, f"variable: {_type_word(value)}")
    for name, signature in sorted(scope.functions.items()):
        offer(name, signature)
    for word in _KEYWORD_WORDS:
        offer(word, "type" if word in TYPE_NAMES else "keyword")
    for entry in sorted(scope.registry.all, key=lambda e: e.name.lower()):
        if entry.receivers is None and "." not in entry.name:
            for spelling in entry.all_names:
                offer(spelling, entry.signature())
    if _starts("zoho", prefix):
        offer("zoho", "namespace")
    for entry in sorted(scope.registry.all, key=lambda e: e.name.lower()):
        if entry.receivers is not None:  # the function form: subString(text, 1, 3)
            for spelling in entry.all_names:
                offer(spelling, entry.signature())
    return out


def _type_word(value: Any) -> str:
    from ..values import type_name

    return type_name(value)


# ---------------------------------------------------------------- signature hints

_CALLEE = re.compile(r"((?:[A-Za-z_]\w*\s*\.\s*)*)([A-Za-z_]\w*)\s*$")


def signature_hint(before: str, scope: Scope) -> str | None:
    """The signature of the call the cursor is inside, e.g. ``Text.subString(2 or 3 arguments) · argument 2``."""
    scan = _scan(before)
    code = scan.code if scan.state == "code" else scan.code[:max(scan.literal_start, 0)]
    opened = _innermost_call(code)
    if opened is None:
        return None
    paren, argument = opened
    callee = _CALLEE.search(code[:paren])
    if callee is None:
        return None
    chain, name = re.sub(r"\s+", "", callee.group(1)), callee.group(2)
    signatures = _signatures(chain, name, code[:callee.start(2)], scope)
    if not signatures:
        return None
    shown = " | ".join(signatures[:3]) + (" | ..." if len(signatures) > 3 else "")
    return f"{shown}  · argument {argument}"


def _innermost_call(code: str) -> tuple[int, int] | None:
    """(offset of the innermost open '(' that follows a name, 1-based argument number)."""
    stack: list[list[int]] = []  # [offset, kind, commas]; kind 1 = '(' 0 = other bracket
    for index, char in enumerate(code):
        if char in "([{":
            stack.append([index, 1 if char == "(" else 0, 0])
        elif char in ")]}":
            if stack:
                stack.pop()
        elif char == "," and stack:
            stack[-1][2] += 1
    for offset, kind, commas in reversed(stack):
        if kind == 1 and re.search(r"[A-Za-z_0-9]\s*$", code[:offset]):
            return offset, commas + 1
        if kind == 1:
            continue
    return None


def _signatures(chain: str, name: str, code_before: str, scope: Scope) -> list[str]:
    registry = scope.registry
    full = (chain + name).lower()
    if chain.lower().startswith("zoho."):
        entry = registry.functions.get(full)
        return [entry.signature()] if entry is not None else (["task " + chain + name] if full in
                                                             {t.lower() for t in scope.tasks} else [])
    for fn_name, signature in scope.functions.items():
        if fn_name.lower() == full or (not chain and fn_name.lower().split(".")[-1] == full):
            return [signature]
    if chain:
        tags = receiver_tags(chain[:-1], scope, code_before)
        per_tag = registry.methods.get(name.lower(), {})
        entries = _unique(entry for tag, entry in per_tag.items() if tag in tags)
        return [entry.signature() for entry in entries]
    entry = registry.functions.get(name.lower())
    if entry is not None:
        return [entry.signature()]
    return [entry.signature() for entry in _unique(registry.methods.get(name.lower(), {}).values())]


def _unique(entries: Iterable[Builtin]) -> list[Builtin]:
    seen: list[Builtin] = []
    for entry in entries:
        if all(entry is not other for other in seen):
            seen.append(entry)
    return seen
