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

from .dgcompare import Outcome
from .dgtest import Chunk, Expected, _trailing_comment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PROPERTY = "deluge_update"  # a user property: a chunk's new expectations (`chunk_update`)
WRITTEN = "deluge_snapshot_written"  # a user property: a snapshot file the fixture wrote
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


_ALIGN_LIMIT = 4_000_000  # expectations x info lines beyond which lines are not aligned (all rewritten)


def align(ordered: list[Expected], info: list[str]) -> list[tuple[int | None, int | None]]:
    """Expectations against info lines, in order: matched pairs, replacements, deletions, insertions.

    A longest common subsequence where an expectation "equals" a line it matches (so a
    regular expression that still matches stays); inside each gap between two matched pairs
    expectations and lines pair up in order (a rewrite), the rest are deletions ``(i, None)``
    or insertions ``(None, j)``.
    """
    m, n = len(ordered), len(info)
    lengths = [[0] * (n + 1) for _ in range(m + 1)] if m * n <= _ALIGN_LIMIT else None
    if lengths is not None:
        for i in range(m - 1, -1, -1):
            for j in range(n - 1, -1, -1):
                lengths[i][j] = (lengths[i + 1][j + 1] + 1 if ordered[i].matches(info[j])
                                 else max(lengths[i + 1][j], lengths[i][j + 1]))
    pairs: list[tuple[int | None, int | None]] = []
    gap_e: list[int] = []
    gap_i: list[int] = []

    def close_gap() -> None:
        pairs.extend(zip(gap_e, gap_i, strict=False))
        common = min(len(gap_e), len(gap_i))
        pairs.extend((e, None) for e in gap_e[common:])
        pairs.extend((None, j) for j in gap_i[common:])
        gap_e.clear()
        gap_i.clear()

    i = j = 0
    while i < m or j < n:
        if lengths is not None and i < m and j < n and ordered[i].matches(info[j]) \
                and lengths[i][j] == lengths[i + 1][j + 1] + 1:
            close_gap()
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif j < n and (i == m or lengths is None or lengths[i][j + 1] >= lengths[i + 1][j]):
            gap_i.append(j)
            j += 1
        else:
            gap_e.append(i)
            i += 1
    close_gap()
    return pairs


def _rewrite_chunk(lines: list[str], chunk: Chunk, update: dict[str, Any]) -> None:
    """Rewrite one chunk's expectations inside ``lines`` (0-based list of the file's lines).

    Expectations that still match stay as written; the others are rewritten in place (as
    exact ``// expect:`` lines), dropped, or new ``// expect:`` lines are added after the
    expectation before them (else before the next one, else after the chunk's code).
    """
    info: list[str] = update["info"]
    ordered = chunk.ordered
    changes: dict[int, str | None] = {}  # file line -> new text (None: drop the line)
    after: dict[int, list[str]] = defaultdict(list)  # file line -> new lines after it
    last_content = max((chunk.start + index for index, line in enumerate(chunk.text.split("\n")) if line.strip()),
                       default=chunk.start - 1)
    anchor: int | None = None  # the line of the last expectation seen, in order
    pending: list[str] = []  # insertions before the first expectation
    for e, j in align(ordered, info):
        if e is not None:
            item = ordered[e]
            number = item.directive.line
            if j is None:  # the line is gone
                if item.directive.trailing:
                    code, _comment = _trailing_comment(lines[number - 1]) or (lines[number - 1], "")
                    changes[number] = code.rstrip()
                else:
                    changes[number] = None
            elif not item.matches(info[j]):
                new = _replace_text(lines[number - 1], info[j], item.directive.trailing)
                changes[number] = new.replace("expect-match", "expect", 1) if item.kind == "match" else new
            if anchor is None and pending:
                after[number - 1] += pending
                pending = []
            anchor = number
            continue
        assert j is not None
        written = f"// expect: {info[j]}".rstrip()
        if anchor is None:
            pending.append(written)
        else:
            after[anchor].append(written)
    if pending:
        after[last_content] += pending
    if update["return"] is not None and chunk.expect_return is not None:
        number, wanted = chunk.expect_return
        if wanted != update["return"]:
            changes[number] = _replace_text(lines[number - 1], update["return"], False)
    start, end = chunk.start, chunk.end
    region = list(after.get(start - 1, []))
    for number in range(start, end + 1):
        new = changes.get(number, lines[number - 1])
        if new is not None:
            region.append(new)
        region += after.get(number, [])
    lines[start - 1:end] = region


def apply_updates(updates: Iterable[dict[str, Any]]) -> list[str]:
    """Rewrite the files of the noted chunks; returns the files changed."""
    from .dgtest import parse_file

    by_file: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for update in updates:  # one update per chunk (a chunk noted twice is rewritten once)
        by_file[update["path"]][update["start"]] = update
    changed = []
    for name, file_updates in by_file.items():
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        chunks = {chunk.start: chunk for chunk in parse_file(path, text)}
        lines = text.split("\n")
        for update in sorted(file_updates.values(), key=lambda item: item["start"], reverse=True):
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
        self.broken: str | None = None  # the stored file cannot be read: every comparison fails with this
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                self.broken = f"{path} is not valid JSON ({error}); pytest --deluge-update writes it again"
            else:
                if isinstance(loaded, list):
                    self.stored = loaded
                else:
                    self.broken = f"{path} does not hold a JSON list of snapshots; pytest --deluge-update writes it again"
        self.taken: list[Any] = []
        self.last_problem = ""

    def __eq__(self, other: object) -> bool:
        value = plain(other)
        index = len(self.taken)
        self.taken.append(value)
        if self.update:
            return True
        if self.broken:
            self.last_problem = self.broken
            return False
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
