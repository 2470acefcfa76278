"""Hover, go-to-definition, references, rename and symbols over a project's indexes.

Variables are looked up within their own function (or the top level); script functions
across every file of the project. Results are (path, Span) pairs in the parser's 1-based
character positions; the server turns them into the client's locations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .. import ast
from ..fieldclass import fieldclass
from ..source import Span
from . import catalog
from .index import TYPE_WORDS, Index, Occurrence

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
RESERVED = frozenset(word for word in catalog.KEYWORDS if " " not in word) | {"each"}
_DOTTED_AT = re.compile(r"[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*")


@fieldclass(frozen=True)
class Place:
    path: str
    span: Span


def function_signature(fn: ast.FunctionDef) -> str:
    params = ", ".join(f"{param.type_name} {param.name.name}" for param in fn.params)
    return f"{fn.return_type} {fn.full_name}({params})"


def script_functions(indexes: Mapping[str, Index]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, signature, parameters) of every function the project defines."""
    found = []
    for index in indexes.values():
        for fn in index.functions:
            found.append((fn.name, function_signature(fn),
                          tuple(f"{param.type_name} {param.name.name}" for param in fn.params)))
    return found


def _definitions(indexes: Mapping[str, Index], key: str) -> list[Place]:
    return [Place(path, occurrence.span) for path, index in indexes.items() for occurrence in index.occurrences
            if occurrence.kind == "function" and occurrence.key == key and occurrence.definition]


def definition(path: str, index: Index, indexes: Mapping[str, Index], line: int, col: int) -> list[Place]:
    target = index.at(line, col)
    if target is None:
        return []
    if target.kind == "function":
        return _definitions(indexes, target.key)
    first = next((occurrence for occurrence in index.same_symbol(target) if occurrence.definition), None)
    return [Place(path, first.span)] if first else []


def references(path: str, index: Index, indexes: Mapping[str, Index], line: int, col: int,
               include_declaration: bool = True) -> list[Place]:
    target = index.at(line, col)
    if target is None:
        return []
    if target.kind == "variable":
        found = [(path, occurrence) for occurrence in index.same_symbol(target)]
    else:
        found = [(other, occurrence) for other, other_index in indexes.items()
                 for occurrence in other_index.same_symbol(target)]
    return [Place(where, occurrence.span) for where, occurrence in found
            if include_declaration or not occurrence.definition]


def rename_target(index: Index, line: int, col: int) -> Occurrence | None:
    return index.at(line, col)


def rename(path: str, index: Index, indexes: Mapping[str, Index], line: int, col: int,
           new_name: str) -> dict[str, list[Span]]:
    """The spans to rewrite per file. Raises ValueError (a message for the user) when the new
    name is not a Deluge name or is a keyword."""
    if not IDENTIFIER.match(new_name) or new_name.lower() in RESERVED:
        raise ValueError(f"'{new_name}' is not a name Deluge accepts for a variable or function")
    places = references(path, index, indexes, line, col)
    edits: dict[str, list[Span]] = {}
    for place in places:
        edits.setdefault(place.path, []).append(place.span)
    return edits


def word_at(line_text: str, col: int) -> tuple[str, int, int] | None:
    """The dotted word (``zoho.crm.getRecords``) around a 1-based column, with its columns."""
    for match in _DOTTED_AT.finditer(line_text):
        if match.start() + 1 <= col <= match.end() + 1:
            return re.sub(r"\s+", "", match.group()), match.start() + 1, match.end() + 1
    return None


def hover(index: Index, indexes: Mapping[str, Index], line: int, col: int) -> str | None:
    """Markdown for what is under the cursor."""
    occurrence = index.at(line, col)
    if occurrence is not None and occurrence.kind == "variable":
        tag = index.type_of(occurrence.scope, occurrence.name)
        kind = TYPE_WORDS.get(tag, tag) if tag else "type not known before running"
        return f"```deluge\n{occurrence.name}\n```\n\nvariable: {kind}"
    if occurrence is not None and occurrence.kind == "function":
        for other in indexes.values():
            for fn in other.functions:
                if fn.name.lower() == occurrence.key:
                    return f"```deluge\n{function_signature(fn)}\n```\n\nscript function"
        return None
    line_text = index.source.line_text(line)
    found = word_at(line_text, col)
    if found is None:
        return None
    _, start, end = found
    segments = [(match.group(), start + match.start(), start + match.end())
                for match in re.finditer(r"[A-Za-z_]\w*", line_text[start - 1:end - 1])]
    at = next((number for number, (_, first, last) in enumerate(segments) if first <= col <= last), len(segments) - 1)
    name = segments[at][0]
    dotted = ".".join(segment for segment, _, _ in segments[:at + 1])
    if dotted.lower().startswith("zoho."):
        entry = catalog.lookup(dotted)
    elif at > 0 or line_text[:start - 1].rstrip().endswith((".", ")")):
        receiver = segments[at - 1][0] if at > 0 else None
        entry = catalog.method(name, index.type_of(index.scope_at(line), receiver) if receiver else None)
    else:
        entry = catalog.functions().get(name.lower())
    return entry.markdown() if entry else None
