"""The ``test_*.dg`` format: chunks of Deluge, each with its expectations written as comments.

A file is split into chunks by lines holding only ``---``. Each chunk is a script; its
expectations are ``//`` comments, either on a line of their own or after the code::

    // name: a hot lead scores high
    lead = {"Rating": "Hot", "Annual_Revenue": 600000};
    info standalone.score(lead);        // expect: 90
    // expect: another info line, in order
    // expect-return: {"score":90}
    ---
    x = 1 / 0;                          // expect-error: division by zero

Directives (a comment ``// word: text``):

==================  ==========================================================================
``expect``          the next ``info`` line, exactly (in order; none written = no output allowed)
``expect-error``    the chunk fails with an error whose message contains the text, at this
                    line (trailing) or at the code line just above (on its own line)
``expect-return``   the return value, as ``info`` would print it
``name``            the test's name (default: ``line N``)
``include``         a file (relative to this one) whose functions the chunk can call
``seed``            ``Module {record}`` or ``Module [records]``: records for the fake CRM
``stub``            ``METHOD URL-pattern -> STATUS [JSON or text]``: a stubbed answer
``timezone``        the run's time zone (default UTC)
``clock``           the run's "now" as ISO 8601 (default 2026-01-15T10:30:00Z)
==================  ==========================================================================

A first chunk with directives but no code is the file's header: its ``include``, ``seed``,
``stub``, ``timezone`` and ``clock`` lines apply to every chunk. A malformed directive (an
unknown ``expect-`` word, bad JSON, a stub without ``->``) is a `DgFormatError` naming the
file and line. Chunks run with their lines numbered as in the file.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import values
from ..errors import DelugeError
from ..interpreter import read_script
from ..source import Source, Span, render_diagnostic

DIRECTIVES = ("expect", "expect-error", "expect-return", "name", "include", "seed", "stub", "timezone", "clock")
SHARED = ("include", "seed", "stub", "timezone", "clock")
SEPARATOR = "---"
_OWN_LINE = re.compile(r"^\s*//\s?\s*(?P<word>[A-Za-z][\w-]*)\s*:(?P<text>.*)$")
_TRAILING_WORDS = ("expect", "expect-error")
_STUB = re.compile(r"^(?P<method>[A-Za-z*]+)\s+(?P<url>\S+)\s*->\s*(?P<status>\d{3})(?:\s+(?P<body>.*))?$")
_SEED = re.compile(r"^(?P<module>[A-Za-z_][\w]*)\s+(?P<json>[\[{].*)$")


class DgFormatError(Exception):
    """A ``test_*.dg`` file is malformed; the message starts with ``file:line:``."""


@dataclass
class Directive:
    word: str
    text: str
    line: int


@dataclass
class Stub:
    method: str
    url: str
    status: int
    json: Any = None
    text: str | None = None


@dataclass
class Chunk:
    """One script of a test file, with what it must do."""

    path: Path
    start: int  # file line of the chunk's first line
    text: str
    name: str
    expect_info: list[str] = field(default_factory=list)
    expect_error: tuple[int, str] | None = None
    expect_return: tuple[int, str] | None = None
    includes: list[Path] = field(default_factory=list)
    seeds: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    stubs: list[Stub] = field(default_factory=list)
    timezone: str | None = None
    clock: _dt.datetime | None = None

    @property
    def end(self) -> int:
        return self.start + self.text.count("\n")

    def source(self) -> tuple[str, list[tuple[int, int, Path]]]:
        """The text to run (file line numbers kept) and where each included file starts."""
        parts = ["\n" * (self.start - 1), self.text, "\n"]
        line = self.end + 1
        regions = []
        for include in self.includes:
            text = read_script(include)
            regions.append((line, line + text.count("\n"), include))
            parts += [text, "\n"]
            line += text.count("\n") + 1
        return "".join(parts), regions


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
                                    "after code only 'expect' and 'expect-error' are allowed")
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
    word, text = directive.word, directive.text
    if word in ("expect", "expect@"):
        chunk.expect_info.append(text)
    elif word in ("expect-error", "expect-error@"):
        if chunk.expect_error is not None:
            raise DgFormatError(f"{where}: a chunk can expect only one error (the first is at line "
                                f"{chunk.expect_error[0]})")
        if not text:
            raise DgFormatError(f"{where}: expect-error needs the message (or part of it): "
                                "// expect-error: division by zero")
        if word == "expect-error@":
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
    elif word == "name":
        if not text:
            raise DgFormatError(f"{where}: name needs a text")
        chunk.name = text
    elif word == "include":
        target = (chunk.path.parent / text).resolve()
        if not text or not target.is_file():
            raise DgFormatError(f"{where}: include: no such file '{text}' (relative to {chunk.path.parent})")
        chunk.includes.append(target)
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
    elif word == "clock":
        try:
            chunk.clock = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise DgFormatError(f"{where}: clock must be ISO 8601, like 2026-01-15T10:30:00Z; got '{text}'") from None


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


@dataclass
class Outcome:
    info: list[str]
    value: Any = None
    error: DelugeError | None = None
    unstubbed: list[str] = field(default_factory=list)


def _place(span: Span | None, name: str, regions: list[tuple[int, int, Path]]) -> tuple[Span | None, str]:
    """Where a span of the run's text really is: in the test file, or in an included file."""
    if span is None:
        return span, name
    for first, last, path in regions:
        if first <= span.line <= last:
            shift = first - 1
            return dataclasses.replace(span, line=span.line - shift, end_line=span.end_line - shift), str(path)
    return span, name


def error_location(chunk: Chunk, error: DelugeError, regions: list[tuple[int, int, Path]]) -> str:
    span, name = _place(error.span, str(chunk.path), regions)
    return f"{Path(name).name}:{span.line}" if span is not None else Path(name).name


def render_error(chunk: Chunk, error: DelugeError, regions: list[tuple[int, int, Path]]) -> str:
    """The error as deluge-lite prints it, with positions inside included files put back there."""
    if error.span is None or error.source is None:
        return error.render()
    texts = {str(path): read_script(path) for _, _, path in regions}
    span, name = _place(error.span, str(chunk.path), regions)
    source = Source(texts[name], name) if name in texts else error.source
    stack = []
    for function, _file, frame in error.stack:
        frame_span, frame_name = _place(frame, str(chunk.path), regions)
        stack.append((function, frame_name, frame_span or frame))
    return render_diagnostic(source, span, error.message, kind=error.kind, stack=stack, note=error.note)


def _error_lines(error: DelugeError) -> set[int]:
    """The line of the error and of every call that led to it."""
    lines = {span.line for _f, _n, span in error.stack if span is not None}
    if error.line is not None:
        lines.add(error.line)
    return lines


def compare(chunk: Chunk, outcome: Outcome, regions: list[tuple[int, int, Path]]) -> str | None:
    """None when the outcome meets the chunk's expectations, else a readable report with a diff."""
    problems: list[str] = []
    error = outcome.error
    if chunk.expect_error is not None:
        line, message = chunk.expect_error
        if error is None:
            problems.append(f"expected an error at line {line} containing: {message}\n"
                            "but the script ran to the end")
        else:
            if line not in _error_lines(error):
                problems.append(f"expected the error at line {line}, got it at {error_location(chunk, error, regions)}"
                                f":\n{render_error(chunk, error, regions)}")
            if message not in error.message:
                problems.append(f"expected the error message to contain: {message}\n"
                                f"                              got: {error.message}")
    elif error is not None:
        problems.append(f"unexpected error at {error_location(chunk, error, regions)}:\n"
                        f"{render_error(chunk, error, regions)}")
    if outcome.info != chunk.expect_info:
        diff = difflib.unified_diff(chunk.expect_info, outcome.info, "expected info", "actual info", lineterm="")
        problems.append("info output differs:\n" + "\n".join(diff))
    if chunk.expect_return is not None and error is None:
        line, wanted = chunk.expect_return
        got = values.to_text(outcome.value) if outcome.value is not None else "null"
        if got != wanted:
            problems.append(f"return value differs (expect-return at line {line}):\n"
                            f"  expected: {wanted}\n  actual:   {got}")
    if outcome.unstubbed:
        problems.append("the script made HTTP calls that nothing answers:\n"
                        + "\n".join(f"  {call}" for call in outcome.unstubbed))
    if not problems:
        return None
    return "\n".join(problems)
