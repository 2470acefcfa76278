"""Completion and signature help, from the text before the cursor and the file's index.

What is offered depends on where the cursor is: a connection link name inside
``connection:`` or a task call's text argument; nothing else inside a comment or a text;
then the table ``_CONTEXTS``, tried in order: the next
segment after ``zoho.``; script functions after ``thisapp.``/``standalone.``; methods after
``receiver.`` (those of the receiver's inferred type when known); a key inside an
``invokeurl [...]`` or ``sendmail [...]``; otherwise variables in scope, script functions,
built-in functions and keywords. Positions are 1-based characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lsprotocol import types as lsp

from ..fieldclass import fieldclass
from . import catalog
from .index import TYPE_WORDS, Index

_KIND = {"function": lsp.CompletionItemKind.Function, "method": lsp.CompletionItemKind.Method,
         "task": lsp.CompletionItemKind.Function, "system": lsp.CompletionItemKind.Constant,
         "keyword": lsp.CompletionItemKind.Keyword, "key": lsp.CompletionItemKind.Property,
         "module": lsp.CompletionItemKind.Module, "variable": lsp.CompletionItemKind.Variable,
         "connection": lsp.CompletionItemKind.Value, "script": lsp.CompletionItemKind.Function}
MAX_SCAN = 200_000  # characters before the cursor looked at for brackets and tasks


@fieldclass
class Place:
    """The cursor and what surrounds it."""

    text: str  # the whole text
    offset: int  # the cursor's character offset
    prefix: str  # the line up to the cursor
    index: Index
    scope: str
    script_functions: list[tuple[str, str]]  # (name, signature) across the project
    connections: list[str]
    snippets: bool = False  # the client takes snippets: calls are inserted with their arguments


def _item(label: str, kind: str, detail: str = "", doc: str = "") -> lsp.CompletionItem:
    return lsp.CompletionItem(label=label, kind=_KIND[kind], detail=detail or None,
                              documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc) if doc else None)


def _entry_item(entry: catalog.Entry, snippets: bool = False) -> lsp.CompletionItem:
    kind = entry.kind if entry.kind in _KIND else "function"
    item = _item(entry.label, kind, entry.detail or entry.signature, entry.markdown())
    if snippets and entry.kind in ("function", "method", "task"):
        required = [param for param in entry.params if not param.startswith("[")]
        arguments = ", ".join(f"${{{number}:{param}}}" for number, param in enumerate(required, start=1))
        item.insert_text = f"{entry.label}({arguments})$0"
        item.insert_text_format = lsp.InsertTextFormat.Snippet
    return item


_CONNECTION_KEY = re.compile(r"\bconnection\s*:\s*\"?([\w-]*)$", re.IGNORECASE)
_TASK_TEXT_ARGUMENT = re.compile(r"\bzoho\.[\w.]+\s*\([^()]*\"([\w-]*)$", re.IGNORECASE)
_ZOHO = re.compile(r"\b(zoho(?:\.\w+)*\.)(\w*)$", re.IGNORECASE)
_SCRIPT_CATEGORY = re.compile(r"\b(thisapp|standalone)\.(\w*)$", re.IGNORECASE)
_RECEIVER = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|[A-Za-z_]\w*|[)\]}])\s*\.(\w*)$")
_KEY_AT_LINE_START = re.compile(r"^\s*([\w-]*)$")
_OPEN_TASK = re.compile(r"\b(invokeurl|sendmail)\s*\[", re.IGNORECASE)


def _connections(place: Place) -> list[lsp.CompletionItem] | None:
    if not (_CONNECTION_KEY.search(place.prefix) or _TASK_TEXT_ARGUMENT.search(place.prefix)):
        return None
    return [_item(name, "connection", "connection (deluge.toml)") for name in place.connections] or None


def _zoho(place: Place) -> list[lsp.CompletionItem] | None:
    match = _ZOHO.search(place.prefix)
    if match is None:
        return None
    return [_entry_item(entry, place.snippets) for entry in catalog.zoho_members(match.group(1))]


def _script_category(place: Place) -> list[lsp.CompletionItem] | None:
    if _SCRIPT_CATEGORY.search(place.prefix) is None:
        return None
    return [_item(name, "script", signature) for name, signature in place.script_functions]


def _methods(place: Place) -> list[lsp.CompletionItem] | None:
    match = _RECEIVER.search(place.prefix)
    if match is None:
        return None
    receiver = match.group(1)
    if receiver.startswith('"'):
        tag: str | None = "text"
    elif receiver[0].isalpha() or receiver[0] == "_":
        if receiver.lower() in ("zoho", "thisapp", "standalone"):
            return None
        tag = place.index.type_of(place.scope, receiver)
    else:
        tag = None
    return [_entry_item(entry, place.snippets) for entry in catalog.methods_for(tag)]


def _task_keys(place: Place) -> list[lsp.CompletionItem] | None:
    if _KEY_AT_LINE_START.match(place.prefix) is None:
        return None
    task = _open_task(place.text, place.offset)
    if task is None:
        return None
    return [_item(key, "key", f"{task} key") for key in catalog.TASK_KEYS[task]]


def _open_task(text: str, offset: int) -> str | None:
    """The bracketed task (invokeurl/sendmail) whose '[' is open at ``offset``, if any."""
    start = max(0, offset - MAX_SCAN)
    last = None
    for match in _OPEN_TASK.finditer(text, start, offset):
        last = match
    if last is None or "]" in _strip_texts(text[last.end():offset]):
        return None
    return last.group(1).lower()


def _strip_texts(text: str) -> str:
    """Closed texts emptied (an open one keeps its quote), so brackets in them are not counted."""
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)


def _words(place: Place) -> list[lsp.CompletionItem]:
    items = [_item(name, "variable", _type_detail(place, name)) for name in place.index.variables(place.scope)]
    items += [_item(f"thisapp.{name}", "script", signature) for name, signature in place.script_functions]
    items += [_entry_item(entry, place.snippets) for key, entry in sorted(catalog.functions().items())
              if key == entry.label.lower()]
    items += [_item(word, "keyword") for word in catalog.KEYWORDS]
    return items


def _type_detail(place: Place, name: str) -> str:
    tag = place.index.type_of(place.scope, name)
    return TYPE_WORDS.get(tag, tag) if tag else "variable"


# tried in order after the connection context (which also works inside a text)
_CONTEXTS: tuple[Callable[[Place], list[lsp.CompletionItem] | None], ...] = (
    _zoho, _script_category, _methods, _task_keys)


def _in_comment_or_text(prefix: str) -> bool:
    """Whether the cursor is inside a // comment or a text on its line (block comments aside)."""
    bare = _strip_texts(prefix)
    return "//" in bare or bare.count('"') % 2 == 1


def complete(place: Place) -> list[lsp.CompletionItem]:
    """What fits at the cursor; nothing inside a comment or a text, except a connection name."""
    connections = _connections(place)
    if connections is not None:
        return connections
    if _in_comment_or_text(place.prefix):
        return []
    for context in _CONTEXTS:
        items = context(place)
        if items is not None:
            return items
    return _words(place)


# ---------------------------------------------------------------- signature help

_SCAN_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|//[^\n]*|/\*[\s\S]*?\*/|[()\[\]{},]')
_CALLEE = re.compile(r"((?:[A-Za-z_]\w*\s*\.\s*)*[A-Za-z_]\w*)\s*$")


def open_call(text: str, offset: int) -> tuple[str, bool, int] | None:
    """The innermost call open at ``offset``: (callee as written, is a method, argument index)."""
    start = max(0, offset - MAX_SCAN)
    stack: list[list[int]] = []  # per open bracket: [offset, commas, is_paren]
    for match in _SCAN_TOKENS.finditer(text, start, offset):
        token = match.group()
        if token in "([{":
            stack.append([match.start(), 0, token == "("])
        elif token in ")]}":
            if stack:
                stack.pop()
        elif token == "," and stack:
            stack[-1][1] += 1
    for position, commas, is_paren in reversed(stack):
        if not is_paren:
            return None
        callee = _CALLEE.search(text, max(0, position - 200), position)
        if callee is None or callee.end() != position:
            return None
        written = re.sub(r"\s+", "", callee.group(1))
        before = text[max(0, callee.start() - 50):callee.start()].rstrip()
        is_method = before.endswith(".") or ("." in written and not written.lower().startswith(
            ("zoho.", "thisapp.", "standalone.")))
        return written, is_method, commas
    return None


def signature(written: str, is_method: bool, argument: int, index: Index, scope: str,
              script_functions: Iterable[tuple[str, str, tuple[str, ...]]]) -> lsp.SignatureHelp | None:
    """Signature help for a callee: a task, a script function, a method or a built-in."""
    entry: catalog.Entry | None = None
    label: str | None = None
    params: tuple[str, ...] = ()
    doc = ""
    name = written.split(".")[-1]
    lowered = written.lower()
    if lowered.startswith(("thisapp.", "standalone.")) or not is_method and "." not in written:
        for fn_name, fn_signature, fn_params in script_functions:
            if fn_name.lower() == name.lower() and (lowered.startswith(("thisapp.", "standalone."))
                                                    or catalog.functions().get(name.lower()) is None):
                label, params = fn_signature, fn_params
                break
    if label is None:
        if is_method:
            receiver = written.split(".")[-2] if "." in written else None
            tag = index.type_of(scope, receiver) if receiver else None
            entry = catalog.method(name, tag)
        else:
            entry = catalog.lookup(written)
        if entry is None:
            return None
        label, params, doc = entry.signature, entry.params, entry.markdown()
    information = lsp.SignatureInformation(
        label=label, parameters=[lsp.ParameterInformation(label=param) for param in params],
        documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc) if doc else None)
    active = min(argument, max(len(params) - 1, 0))
    return lsp.SignatureHelp(signatures=[information], active_signature=0, active_parameter=active)
