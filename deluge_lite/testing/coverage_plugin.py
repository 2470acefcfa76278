"""Coverage of Deluge lines: a coverage.py plugin, so ``pytest --cov`` reports ``.dg`` files.

Turn it on in the coverage configuration (``pyproject.toml``)::

    [tool.coverage.run]
    plugins = ["deluge_lite.testing.coverage_plugin"]

Compiled Deluge code carries the absolute path of its ``.dg`` file and the Deluge line of
every statement (`deluge_lite.compiler.code_filename`), so coverage.py's own tracer sees
Deluge lines; this module only tells coverage.py which files are Deluge (`DelugeTracer`) and
what their statements are (`DelugeReporter`). Every report coverage.py makes (terminal,
``--cov-report=html``, ``xml``, ``json``, ``lcov``) then lists the ``.dg`` files beside the
Python ones, and ``.dg`` files under a measured source folder that never ran show at 0%.

What counts: each statement of the file (in functions and at the top level) and each ``else
if`` condition, at the line where it starts; a statement spread over several lines (an
``invokeurl`` block, a long map) is one statement. A statement whose first line carries
``// pragma: no cover`` is excluded with everything inside it. Test files (``test_*.dg``)
are not measured, as they run whole anyway. Branch coverage is not reported for Deluge
files (only lines). This module owns none of the measuring: coverage.py does it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import coverage
from coverage.exceptions import NotPython

from .. import ast
from ..compiler import is_deluge_code
from ..errors import DelugeError
from ..interpreter import read_script
from ..parser import parse
from ..source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXCLUDE = re.compile(r"//\s*pragma:\s*no\s*cover", re.IGNORECASE)
# the nested blocks of each compound statement: field names holding a tuple of statements
_BLOCKS: dict[type, tuple[str, ...]] = {ast.ForEach: ("body",), ast.Try: ("body", "handler"), ast.If: ("orelse",)}


def is_measured(filename: str) -> bool:
    """A Deluge file this plugin claims: a ``.dg`` (or ``.deluge``) file that is not a test file."""
    return (is_deluge_code(filename) and not filename.startswith("<")
            and not os.path.basename(filename).startswith("test_"))


def statements(program: ast.Program) -> Iterator[tuple[ast.Node, int]]:
    """Every statement (and ``else if`` condition) with its nesting depth, outer ones first."""
    pending: list[tuple[ast.Node, int]] = [(node, 0) for fn in program.functions for node in fn.body]
    pending += [(node, 0) for node in program.statements]
    position = 0
    while position < len(pending):
        node, depth = pending[position]
        position += 1
        yield node, depth
        inner: list[ast.Node] = []
        if isinstance(node, ast.If):
            for index, (condition, body) in enumerate(node.branches):
                if index:  # an else-if condition runs (or not) on its own line
                    yield condition, depth + 1
                inner += body
        for name in _BLOCKS.get(type(node), ()):
            inner += getattr(node, name) or ()
        pending += [(child, depth + 1) for child in inner]


class DelugeLines:
    """The statement lines of one Deluge file, the lines each maps to, and the excluded ones."""

    def __init__(self, text: str, name: str) -> None:
        try:
            program = parse(Source(text, name))
        except DelugeError as error:
            raise NotPython(f"Couldn't parse '{name}' as Deluge: {error.message}") from None
        source_lines = text.split("\n")
        self.lines: set[int] = set()
        self.excluded: set[int] = set()
        self.owner: dict[int, int] = {}  # any line of a statement -> the line it starts on
        found = sorted(statements(program), key=lambda pair: pair[1])  # outer first: inner ones override
        for node, _depth in found:
            span = node.span
            self.lines.add(span.line)
            for line in range(span.line, span.end_line + 1):
                self.owner[line] = span.line
            if span.line <= len(source_lines) and EXCLUDE.search(source_lines[span.line - 1]):
                self.excluded.update(range(span.line, span.end_line + 1))
        self.excluded &= self.lines

    def translate(self, lines: Iterable[int]) -> set[int]:
        return {self.owner.get(line, line) for line in lines}


class DelugeTracer(coverage.FileTracer):
    """Deluge code runs as Python code whose file name is the ``.dg`` file: coverage.py's tracer reads it."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def source_filename(self) -> str:
        return self.filename


class DelugeReporter(coverage.FileReporter):
    """What coverage.py reports for one Deluge file."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self._parsed: DelugeLines | None = None
        self._text: str | None = None

    def source(self) -> str:
        if self._text is None:
            try:
                self._text = read_script(Path(self.filename))
            except Exception as error:  # a UsageError naming the file: coverage.py shows it as a warning
                raise NotPython(str(error)) from None
        return self._text

    def _lines(self) -> DelugeLines:
        if self._parsed is None:
            self._parsed = DelugeLines(self.source(), self.filename)
        return self._parsed

    def lines(self) -> set[int]:
        found = self._lines()
        return found.lines - found.excluded  # as coverage.py's Python reporter: excluded are not statements

    def excluded_lines(self) -> set[int]:
        return set(self._lines().excluded)

    def translate_lines(self, lines: Iterable[int]) -> set[int]:
        return self._lines().translate(lines)

    def should_be_python(self) -> bool:
        return False  # coverage.py skips a Deluge file that does not parse instead of failing the report


class DelugeCoveragePlugin(coverage.CoveragePlugin):
    """Claims Deluge files for tracing and reporting."""

    def file_tracer(self, filename: str) -> DelugeTracer | None:
        return DelugeTracer(filename) if is_measured(filename) else None

    def file_reporter(self, filename: str) -> DelugeReporter:
        return DelugeReporter(filename)

    def find_executable_files(self, src_dir: str) -> Iterator[str]:
        for folder, names, files in os.walk(src_dir):
            names[:] = [name for name in names if not name.startswith(".")]
            for name in files:
                path = os.path.join(folder, name)
                if is_measured(path):
                    yield path


def coverage_init(reg: Any, options: dict[str, str]) -> None:
    """The entry coverage.py calls for ``plugins = ["deluge_lite.testing.coverage_plugin"]``."""
    reg.add_file_tracer(DelugeCoveragePlugin())
