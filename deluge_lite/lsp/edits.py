"""Text edits the server sends: formatting as line edits (whole document or a range) and the
quick fixes for diagnostics (a table by code; any did-you-mean as well). Pure: texts and lines in, lsprotocol
edits out (positions in the client's lines; names are ASCII, so units agree)."""

from __future__ import annotations

import difflib
import re

from lsprotocol import types as lsp

from ..errors import DelugeError


def formatted_text(text: str, path: str) -> str | None:
    from ..format import format_text

    try:
        return format_text(text, path)
    except DelugeError:
        return None  # a script that does not parse is not formatted; its diagnostics say why


def line_edits(before: str, after: str, first: int = 0, last: int | None = None) -> list[lsp.TextEdit]:
    """Line edits turning ``before`` into ``after``; with a range, those touching lines first..last.

    Lines are matched ignoring whitespace, so a line that only gets its spacing changed is an
    edit of its own and a range can take it without the rest of the file."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    edits: list[lsp.TextEdit] = []
    # the lines both keep at the start and the end are left out of the (quadratic) matching
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1

    def add(i1: int, i2: int, j1: int, j2: int) -> None:
        if last is not None and (i2 <= first and i1 != i2 or i1 > last):
            return
        edits.append(lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=i1, character=0),
                                                  end=lsp.Position(line=i2, character=0)),
                                  new_text="".join(new[j1:j2])))

    matcher = difflib.SequenceMatcher(a=[_squeezed(line) for line in old[head:len(old) - tail]],
                                      b=[_squeezed(line) for line in new[head:len(new) - tail]], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag != "equal":
            add(i1, i2, j1, j2)
            continue
        for offset in range(i2 - i1):
            if old[i1 + offset] != new[j1 + offset]:
                add(i1 + offset, i1 + offset + 1, j1 + offset, j1 + offset + 1)
    return edits


def _squeezed(line: str) -> str:
    return "".join(line.split())


_QUOTED = re.compile(r"'([^']+)'")
_DOTTED_START = re.compile(r"[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*")


def wrong_name_range(lines: list[str], diagnostic: lsp.Diagnostic, replacement: str) -> lsp.Range | None:
    """Where the misspelt name sits: the first quoted word of the message that is not the
    suggestion, else the dotted name at the diagnostic's start. A dotted suggestion
    (``zoho.currentdate``) replaces the whole dotted name, a plain one its last part."""
    start = diagnostic.range.start
    if start.line >= len(lines):
        return None
    line = lines[start.line]
    wrong = next((word for word in _QUOTED.findall(diagnostic.message) if word != replacement), None)
    if wrong is None:
        found = _DOTTED_START.match(line, start.character)
        if found is None:
            return None
        wrong = found.group()
    if "." not in replacement:
        wrong = wrong.split(".")[-1]
    column = line.lower().find(wrong.lower(), start.character)
    if column < 0:
        return None
    return lsp.Range(start=lsp.Position(line=start.line, character=column),
                     end=lsp.Position(line=start.line, character=column + len(wrong)))


_SINGLE_EQUALS = re.compile(r"(?<![=!<>])=(?!=)")


def _double_equals(lines: list[str], diagnostic: lsp.Diagnostic) -> tuple[str, lsp.Range, str] | None:
    """DL301: the '=' that compares becomes '=='."""
    start, end = diagnostic.range.start, diagnostic.range.end
    if start.line >= len(lines):
        return None
    line = lines[start.line]
    stop = end.character if end.line == start.line else len(line)
    found = _SINGLE_EQUALS.search(line, start.character, stop)
    if found is None:
        return None
    where = lsp.Range(start=lsp.Position(line=start.line, character=found.start()),
                      end=lsp.Position(line=start.line, character=found.end()))
    return "Compare with '=='", where, "=="


# diagnostic code -> the fix for it (did-you-mean suggestions are handled for every code)
FIXES = {"DL301": _double_equals}


def quick_fix(lines: list[str], diagnostic: lsp.Diagnostic) -> tuple[str, lsp.Range, str] | None:
    """(title, range, new text) fixing a diagnostic, or None when there is no sure fix."""
    fixer = FIXES.get(str(diagnostic.code))
    if fixer is not None:
        return fixer(lines, diagnostic)
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    replacement = data.get("replacement")
    if not replacement:
        return None
    where = wrong_name_range(lines, diagnostic, replacement)
    return (f"Change to '{replacement}'", where, replacement) if where else None
