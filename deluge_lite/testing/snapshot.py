"""Snapshots: ``pytest --deluge-update`` writes what the code does now as what it must do.

Two kinds, like the snapshot tools Python and JavaScript developers know (syrupy, jest):

- ``test_*.dg`` chunks: `chunk_update` notes, for a chunk whose info lines or return value
  differ (and that otherwise ran as its comments say), the lines it printed and the value it
  returned; `apply_updates` rewrites the ``// expect:`` and ``// expect-return:`` comments of
  those chunks in their files at the end of the session (in place when the count of lines
  is unchanged, else as a fresh block of ``// expect:`` lines after the chunk's code). The
  notes travel in test reports, so under pytest-xdist the controller alone writes files.
- the ``snapshot`` fixture of Python tests: ``assert value == snapshot`` compares with the
  value stored in ``__snapshots__/<test file stem>/<test name>.json`` next to the test file
  (one entry per comparison, in order); with ``--deluge-update`` it stores the value instead.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .dgcompare import Outcome
from .dgtest import Chunk, _trailing_comment

PROPERTY = "deluge_update"
_DIRECTIVE_TEXT = re.compile(r"^(?P<lead>\s*(?://)?\s*[A-Za-z][\w-]*\s*:)(?P<text>.*)$")


def chunk_update(chunk: Chunk, outcome: Outcome) -> dict[str, Any]:
    """What to write into the chunk's comments (plain data: it crosses to the xdist controller)."""
    wanted_return = chunk.expect_return is not None and outcome.error is None
    return {"path": str(chunk.path), "start": chunk.start, "end": chunk.end, "info": list(outcome.info),
            "return": outcome.returned if wanted_return else None}


def _replace_text(line: str, text: str, trailing: bool) -> str:
    """The directive on ``line`` with its text replaced (the code before a trailing one kept)."""
    if trailing:
        split = _trailing_comment(line)
        assert split is not None
        code, comment = split
        match = _DIRECTIVE_TEXT.match(comment)
        assert match is not None
        return f"{code}//{match.group('lead')} {text}".rstrip()
    match = _DIRECTIVE_TEXT.match(line)
    assert match is not None
    return f"{match.group('lead')} {text}".rstrip()


def _rewrite_chunk(lines: list[str], chunk: Chunk, update: dict[str, Any]) -> None:
    """Rewrite one chunk's expectations inside ``lines`` (0-based list of the file's lines)."""
    info: list[str] = update["info"]
    ordered = chunk.ordered
    changes: dict[int, str | None] = {}  # file line -> new text (None: drop the line)
    inserted: list[str] = []
    if len(ordered) == len(info):
        for item, line in zip(ordered, info, strict=True):
            if not item.matches(line):
                number = item.directive.line
                new = _replace_text(lines[number - 1], line, item.directive.trailing)
                changes[number] = new.replace("expect-match", "expect", 1) if item.kind == "match" else new
    else:
        for item in ordered:
            number = item.directive.line
            if item.directive.trailing:
                code, _comment = _trailing_comment(lines[number - 1]) or (lines[number - 1], "")
                changes[number] = code.rstrip()
            else:
                changes[number] = None
        inserted = [f"// expect: {line}".rstrip() for line in info]
    if update["return"] is not None and chunk.expect_return is not None:
        number, wanted = chunk.expect_return
        if wanted != update["return"]:
            changes[number] = _replace_text(lines[number - 1], update["return"], False)
    start, end = chunk.start, chunk.end
    region = []
    for number in range(start, end + 1):
        new = changes.get(number, lines[number - 1])
        if new is not None:
            region.append(new)
    if inserted:  # after the chunk's last line with content
        last = max((index for index, line in enumerate(region) if line.strip()), default=-1)
        region[last + 1:last + 1] = inserted
    lines[start - 1:end] = region


def apply_updates(updates: Iterable[dict[str, Any]]) -> list[str]:
    """Rewrite the files of the noted chunks; returns the files changed."""
    from .dgtest import parse_file

    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for update in updates:
        by_file[update["path"]].append(update)
    changed = []
    for name, file_updates in by_file.items():
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        chunks = {chunk.start: chunk for chunk in parse_file(path, text)}
        lines = text.split("\n")
        for update in sorted(file_updates, key=lambda item: item["start"], reverse=True):
            chunk = chunks.get(update["start"])
            if chunk is not None and chunk.end == update["end"]:
                _rewrite_chunk(lines, chunk, update)
        new_text = "\n".join(lines)
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            changed.append(name)
    return changed


# ---------------------------------------------------------------- the snapshot fixture


def plain(value: Any) -> Any:
    """A value as JSON data: dataclasses (a `Result`) by their fields, dates in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=repr)
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


class Snapshot:
    """``assert value == snapshot``: the value stored for this comparison of this test."""

    def __init__(self, path: Path, update: bool) -> None:
        self.path = path
        self.update = update
        self.stored: list[Any] | None = None
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise AssertionError(f"{path} is not valid JSON ({error}); run pytest --deluge-update") from None
            self.stored = loaded if isinstance(loaded, list) else None
        self.taken: list[Any] = []
        self.last_problem = ""

    def __eq__(self, other: object) -> bool:
        value = plain(other)
        index = len(self.taken)
        self.taken.append(value)
        if self.update:
            return True
        if self.stored is None or index >= len(self.stored):
            self.last_problem = (f"no snapshot {index + 1} stored in {self.path}; run pytest --deluge-update "
                                 "to store it")
            return False
        if self.stored[index] == value:
            return True
        diff = difflib.unified_diff(_dump(self.stored[index]).splitlines(), _dump(value).splitlines(),
                                    "snapshot", "actual", lineterm="")
        self.last_problem = (f"snapshot {index + 1} in {self.path} differs (pytest --deluge-update "
                             "stores the new value):\n" + "\n".join(diff))
        return False

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Snapshot({self.path.name})"

    def save(self) -> bool:
        """With ``--deluge-update``: write what this test compared (if it changed)."""
        if not self.update or not self.taken or self.taken == self.stored:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(_dump(self.taken) + "\n", encoding="utf-8")
        return True
