"""The ``test_*.dg`` format: chunks of Deluge, each with its expectations written as comments.

A file is split into chunks by lines holding only ``---``. Each chunk is a script; its
expectations are ``//`` comments, either on a line of their own or after the code::

    // name: a hot lead scores high
    lead = {"Rating": "Hot", "Annual_Revenue": 600000};
    info standalone.score(lead);        // expect: 90
    // expect-match: scored in \\d+ ms
    // expect-return: {"score":90}
    ---
    x = 1 / 0;                          // expect-error: division by zero

Directives (a comment ``// word: text``):

==================  ==========================================================================
``expect``          the next ``info`` line, exactly (in order; none written = no output allowed)
``expect-match``    the next ``info`` line matches this regular expression (whole line)
``expect-contains`` some ``info`` line contains the text; other lines may come and go (the
                    chunk's ``expect``/``expect-match`` lines must then appear in order)
``expect-info``     ``exact`` (the default), ``contains`` or ``ignore`` (info is not checked)
``expect-error``    the chunk fails with an error whose message contains the text, at this
                    line (trailing) or at the code line just above (on its own line)
``expect-return``   the return value, as ``info`` would print it
``expect-notice``   some sandbox notice of the run contains the text (a link name the test did
                    not configure bound to a fake: ``connection 'zcrm' is bound to the fake Zoho CRM``)
``name``            the test's name (default: ``line N``)
``include``         a file (relative to this one) whose functions the chunk can call; its
                    top-level statements do not run
``run-include``     the same, and the file's top-level statements run before the chunk
``seed``            ``Module {record}`` or ``Module [records]``: records for the fake CRM
``stub``            ``METHOD URL-pattern -> STATUS [JSON or text]``: a stubbed answer
``timezone``        the run's time zone (default UTC)
``context``         the platform context (crm, creator, books, desk, cliq, salesiq, standalone):
                    the chunk gets the names that product injects, with their sample values
``clock``           the run's "now" as ISO 8601 (default 2026-01-15T10:30:00Z)
==================  ==========================================================================

A first chunk with directives but no code is the file's header: its ``include``,
``run-include``, ``expect-info``, ``seed``, ``stub``, ``timezone``, ``context`` and ``clock`` lines apply to
every chunk. A malformed directive (an unknown ``expect-`` word, bad JSON, a stub without
``->``) is a `DgFormatError` naming the file and line. Problems that concern one test only (an
include that does not exist, a regular expression that does not compile) are kept in
`Chunk.problems` and fail that test. Chunks run with their lines numbered as in the file.
This module parses; `dgcompare` judges an outcome, `snapshot` rewrites expectations.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from pathlib import Path

from ..fieldclass import field, fieldclass
from ..interpreter import read_script

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DIRECTIVES = ("expect", "expect-match", "expect-contains", "expect-info", "expect-error", "expect-return",
              "expect-notice", "name",
              "include", "run-include", "seed", "stub", "timezone", "clock", "context")
SHARED = ("include", "run-include", "expect-info", "seed", "stub", "timezone", "clock", "context")
INFO_MODES = ("exact", "contains", "ignore")
SEPARATOR = "---"
_OWN_LINE = re.compile(r"^\s*//\s?\s*(?P<word>[A-Za-z][\w-]*)\s*:(?P<text>.*)$")
_TRAILING_WORDS = ("expect", "expect-match", "expect-contains", "expect-error")
_STUB = re.compile(r"^(?P<method>[A-Za-z*]+)\s+(?P<url>\S+)\s*->\s*(?P<status>\d{3})(?:\s+(?P<body>.*))?$")
_SEED = re.compile(r"^(?P<module>[A-Za-z_][\w]*)\s+(?P<json>[\[{].*)$")


class DgFormatError(Exception):
    """A ``test_*.dg`` file is malformed; the message starts with ``file:line:``."""


@fieldclass
class Directive:
    word: str  # a trailing directive (after code) ends with "@"
    text: str
    line: int

    @property
    def trailing(self) -> bool:
        return self.word.endswith("@")


@fieldclass
class Stub:
    method: str
    url: str
    status: int
    json: Any = None
    text: str | None = None


@fieldclass
class Expected:
    """One expected info line: ``exact`` text, a ``match`` regular expression, or ``contains`` text."""

    kind: str
    text: str
    directive: Directive
    regex: re.Pattern[str] | None = None

    def matches(self, line: str) -> bool:
        if self.kind == "exact":
            return line == self.text
        if self.kind == "contains":
            return self.text in line
        return self.regex is not None and self.regex.fullmatch(line) is not None


@fieldclass
class Include:
    path: Path
    run: bool  # run-include: its top-level statements run too


@fieldclass
class Chunk:
    """One script of a test file, with what it must do."""

    path: Path
    start: int  # file line of the chunk's first line
    text: str
    name: str
    expected: list[Expected] = field(default_factory=list)
    info_mode: str | None = None  # None: exact, or contains when an expect-contains is written
    expect_error: tuple[int, str] | None = None
    expect_return: tuple[int, str] | None = None
    expect_notices: list[tuple[int, str]] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    seeds: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    stubs: list[Stub] = field(default_factory=list)
    timezone: str | None = None
    context: str | None = None
    clock: _dt.datetime | None = None
    problems: list[str] = field(default_factory=list)  # fail this test only (missing include, bad regex)

    @property
    def end(self) -> int:
        return self.start + self.text.count("\n")

    @property
    def expect_info(self) -> list[str]:
        """The texts of the ordered expectations (exact and regular-expression lines)."""
        return [item.text for item in self.ordered]

    @property
    def ordered(self) -> list[Expected]:
        return [item for item in self.expected if item.kind != "contains"]

    @property
    def mode(self) -> str:
        if self.info_mode is not None:
            return self.info_mode
        return "contains" if any(item.kind == "contains" for item in self.expected) else "exact"

    def source(self) -> str:
        """The chunk's text to run, its lines numbered as in the file."""
        return "\n" * (self.start - 1) + self.text + "\n"


def split_chunks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each chunk; separators are not part of any chunk."""
    chunks: list[tuple[int, list[str]]] = []
    start, current = 1, []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() == SEPARATOR:
            chunks.append((start, current))
            start, current = number + 1, []
        else:
            current.append(line)
    chunks.append((start, current))
    return chunks


def _trailing_comment(line: str) -> tuple[str, str] | None:
    """The code and the ``//`` comment after it, skipping ``//`` inside quotes."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif line.startswith("//", index):
            return line[:index], line[index + 2:]
        index += 1
    return None


def _directives(path: Path, start: int, lines: list[str]) -> tuple[list[Directive], list[int]]:
    """The directives of a chunk and the file line numbers of its code lines."""
    found: list[Directive] = []
    code: list[int] = []
    for offset, line in enumerate(lines):
        number = start + offset
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("//"):
            match = _OWN_LINE.match(line)
            if match:
                word = match.group("word").lower()
                if word in DIRECTIVES:
                    found.append(Directive(word, match.group("text").strip(), number))
                elif word.startswith("expect") or difflib.get_close_matches(word, DIRECTIVES, n=1, cutoff=0.8):
                    near = difflib.get_close_matches(word, DIRECTIVES, n=1, cutoff=0.6)
                    hint = f"; did you mean '{near[0]}'?" if near else f"; known: {', '.join(DIRECTIVES)}"
                    raise DgFormatError(f"{path}:{number}: unknown directive '{match.group('word')}'{hint}")
            continue
        code.append(number)
        split = _trailing_comment(line)
        if split is not None:
            match = re.match(r"^\s*(?P<word>[A-Za-z][\w-]*)\s*:(?P<text>.*)$", split[1])
            if match and match.group("word").lower() in _TRAILING_WORDS:
                found.append(Directive(match.group("word").lower() + "@", match.group("text").strip(), number))
            elif match and match.group("word").lower().startswith("expect"):
                raise DgFormatError(f"{path}:{number}: unknown directive '{match.group('word')}' after the code; "
                                    f"after code only {', '.join(_TRAILING_WORDS)} are allowed")
    return found, code


def parse_file(path: Path, text: str | None = None) -> list[Chunk]:
    """All chunks of a test file, header directives applied; raises `DgFormatError`."""
    text = read_script(path) if text is None else text
    raw = split_chunks(text)
    parsed = [(start, lines, *_directives(path, start, lines)) for start, lines in raw]
    header: list[Directive] = []
    if len(parsed) > 1 and not parsed[0][3] and parsed[0][2]:
        header = parsed[0][2]
        for directive in header:
            if directive.word not in SHARED:
                raise DgFormatError(f"{path}:{directive.line}: '{directive.word}' in the header (a first chunk "
                                    f"without code) has no script to apply to; the header may hold only "
                                    f"{', '.join(SHARED)}")
        parsed = parsed[1:]
    chunks = []
    for start, lines, directives, code in parsed:
        if not code:
            if directives:
                raise DgFormatError(f"{path}:{directives[0].line}: this chunk has expectations but no code")
            continue  # blank chunk (e.g. a trailing ---)
        chunk = Chunk(path, start, "\n".join(lines), f"line {code[0]}")
        for directive in header + directives:
            _apply(chunk, directive, code)
        chunks.append(chunk)
    names = [chunk.name for chunk in chunks]
    for chunk in chunks:
        if names.count(chunk.name) > 1:
            raise DgFormatError(f"{path}:{chunk.start}: two chunks are named '{chunk.name}'")
    return chunks


def _apply(chunk: Chunk, directive: Directive, code: list[int]) -> None:
    where = f"{chunk.path}:{directive.line}"
    word, text = directive.word.rstrip("@"), directive.text
    if word in ("expect", "expect-contains", "expect-match"):
        _expect(chunk, directive, word, text, where)
    elif word == "expect-info":
        mode = text.lower()
        if mode not in INFO_MODES:
            raise DgFormatError(f"{where}: expect-info takes {', '.join(INFO_MODES)}; got '{text}'")
        chunk.info_mode = mode
    elif word == "expect-error":
        if chunk.expect_error is not None:
            raise DgFormatError(f"{where}: a chunk can expect only one error (the first is at line "
                                f"{chunk.expect_error[0]})")
        if not text:
            raise DgFormatError(f"{where}: expect-error needs the message (or part of it): "
                                "// expect-error: division by zero")
        if directive.trailing:
            line = directive.line
        else:
            above = [number for number in code if number < directive.line]
            if not above:
                raise DgFormatError(f"{where}: expect-error on its own line refers to the code line above it, "
                                    "but there is none")
            line = above[-1]
        chunk.expect_error = (line, text)
    elif word == "expect-return":
        if chunk.expect_return is not None:
            raise DgFormatError(f"{where}: a chunk can have only one expect-return")
        chunk.expect_return = (directive.line, text)
    elif word == "expect-notice":
        if not text:
            raise DgFormatError(f"{where}: expect-notice needs the text (or part of it) of the notice")
        chunk.expect_notices.append((directive.line, text))
    elif word == "name":
        if not text:
            raise DgFormatError(f"{where}: name needs a text")
        chunk.name = text
    elif word in ("include", "run-include"):
        target = (chunk.path.parent / text).resolve()
        if not text or not target.is_file():
            chunk.problems.append(f"{where}: {word}: no such file '{text}' (relative to {chunk.path.parent})")
        else:
            chunk.includes.append(Include(target, run=word == "run-include"))
    elif word == "seed":
        chunk.seeds.append(_seed(where, text))
    elif word == "stub":
        chunk.stubs.append(_stub(where, text))
    elif word == "timezone":
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(text)
        except Exception:
            raise DgFormatError(f"{where}: unknown time zone '{text}' (use an IANA name like Asia/Kolkata)") from None
        chunk.timezone = text
    elif word == "context":
        from ..errors import UsageError
        from ..project import contexts

        try:
            chunk.context = contexts.get(text).name
        except UsageError as error:
            raise DgFormatError(f"{where}: {error}") from None
    elif word == "clock":
        try:
            chunk.clock = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise DgFormatError(f"{where}: clock must be ISO 8601, like 2026-01-15T10:30:00Z; got '{text}'") from None


_EXPECT_KINDS = {"expect": "exact", "expect-contains": "contains", "expect-match": "match"}


def _expect(chunk: Chunk, directive: Directive, word: str, text: str, where: str) -> None:
    expected = Expected(_EXPECT_KINDS[word], text, directive)
    if expected.kind == "match":
        try:
            expected.regex = re.compile(text)
        except re.error as error:
            chunk.problems.append(f"{where}: expect-match: the regular expression does not compile ({error})")
            return
    elif expected.kind == "contains" and not text:
        raise DgFormatError(f"{where}: expect-contains needs the text to look for")
    chunk.expected.append(expected)


def _seed(where: str, text: str) -> tuple[str, list[dict[str, Any]]]:
    match = _SEED.match(text)
    if not match:
        raise DgFormatError(f"{where}: seed needs a module and JSON: // seed: Leads {{\"Last_Name\": \"Ng\"}}")
    try:
        data = json.loads(match.group("json"))
    except ValueError as error:
        raise DgFormatError(f"{where}: seed: the records are not valid JSON ({error})") from None
    records = data if isinstance(data, list) else [data]
    if not all(isinstance(record, dict) for record in records):
        raise DgFormatError(f"{where}: seed: each record must be a JSON object")
    return match.group("module"), records


def _stub(where: str, text: str) -> Stub:
    match = _STUB.match(text)
    if not match:
        raise DgFormatError(f"{where}: stub must read METHOD URL -> STATUS [body], like "
                            "// stub: POST https://hooks.example.com/* -> 200 {\"ok\": true}")
    body = (match.group("body") or "").strip()
    stub = Stub(match.group("method").upper(), match.group("url"), int(match.group("status")))
    if body[:1] in ("{", "["):
        try:
            stub.json = json.loads(body)
        except ValueError as error:
            raise DgFormatError(f"{where}: stub: the body looks like JSON but is not valid ({error})") from None
    elif body:
        stub.text = body
    return stub
