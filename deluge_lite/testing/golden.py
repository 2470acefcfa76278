"""Golden `.dg` files: a script followed by the output Deluge gives, in one trailing comment.

Two forms, the last thing in the file::

    /* expect
    lines that info prints, exactly
    */

    /* expect-error 3: message text
    lines printed before the error
    */

``expect-error`` means the run fails at line 3 with a message that contains
``message text``; ``/* expect-error 2 3 */`` (the conformance form) accepts any of
the lines and any message. A line ``// context: creator`` runs the file in that product's
context (its system values; in Creator, a fresh in-memory record store for its statements).
This module parses that block and runs one file; the pytest collector (tests/conftest.py,
later the plugin) turns each file into a test.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from ..errors import DelugeError
from ..fieldclass import field, fieldclass
from ..interpreter import Interpreter, read_script
from ..runtime import Limits, Runtime

_CONTEXT = re.compile(r"^//[ \t]*context:[ \t]*([A-Za-z]+)[ \t]*$", re.M)
_OUTPUT = re.compile(r"/\*\s*expect[ \t]*\r?\n(?P<body>.*?)\*/\s*\Z", re.S)
_ERROR = re.compile(r"/\*\s*expect-error[ \t]+(?P<lines>\d+(?:[ \t]+\d+)*)[ \t]*(?::[ \t]*(?P<message>[^\n]*?))?"
                    r"[ \t]*(?:\r?\n(?P<body>.*?))?\*/\s*\Z", re.S)

# Golden runs use a pinned clock so that zoho.currentdate is stable.
GOLDEN_CLOCK = _dt.datetime(2026, 1, 15, 10, 30, 0, tzinfo=_dt.UTC)


class GoldenFormatError(Exception):
    """A golden file's expectation block is missing or malformed; the message names file and line."""


@fieldclass
class Expectation:
    output: str
    error_lines: list[int] = field(default_factory=list)
    error_message: str | None = None

    @property
    def expects_error(self) -> bool:
        return bool(self.error_lines)


@fieldclass
class Outcome:
    output: str
    error: DelugeError | None


def parse_expectation(text: str, name: str) -> Expectation:
    match = _ERROR.search(text)
    if match:
        body = match.group("body") or ""
        return Expectation(_normalise(body), [int(n) for n in match.group("lines").split()],
                           (match.group("message") or "").strip() or None)
    match = _OUTPUT.search(text)
    if match:
        return Expectation(_normalise(match.group("body")))
    start = text.rfind("/*")
    line = text.count("\n", 0, start) + 1 if start >= 0 else text.count("\n") + 1
    raise GoldenFormatError(
        f"{name}:{line}: the file must end with '/* expect ... */' or '/* expect-error LINE: message ... */'")


def _normalise(body: str) -> str:
    body = body.replace("\r\n", "\n")
    return body if body.endswith("\n") or not body else body + "\n"


def golden_runtime(lines: list[str]) -> Runtime:
    return Runtime(info=lines.append, clock=lambda: GOLDEN_CLOCK, limits=Limits(seconds=20))


def _use_context(runtime: Runtime, name: str) -> None:
    from ..project import contexts

    context = contexts.get(name)
    runtime.context, runtime.system_values = context.name, dict(context.system)
    if context.name == "creator":
        from ..sandbox.creator_store import memory_store

        runtime.creator_store = memory_store()


def run_file(path: Path) -> tuple[Expectation, Outcome]:
    text = read_script(path)
    expectation = parse_expectation(text, str(path))
    lines: list[str] = []
    runtime = golden_runtime(lines)
    chosen = _CONTEXT.search(text)
    if chosen:
        _use_context(runtime, chosen.group(1))
    interpreter = Interpreter(runtime)
    error: DelugeError | None = None
    try:
        interpreter.run(text, str(path))
    except DelugeError as caught:
        error = caught
    return expectation, Outcome("".join(line + "\n" for line in lines), error)


def compare(expectation: Expectation, outcome: Outcome) -> str | None:
    """None when the outcome meets the expectation, else a readable explanation."""
    problems: list[str] = []
    if expectation.expects_error:
        if outcome.error is None:
            problems.append(f"expected an error at line {' or '.join(map(str, expectation.error_lines))}, "
                            "but the script ran to the end")
        else:
            if outcome.error.line not in expectation.error_lines:
                problems.append(f"expected the error at line {' or '.join(map(str, expectation.error_lines))}, "
                                f"got line {outcome.error.line}")
            if expectation.error_message and expectation.error_message not in outcome.error.message:
                problems.append(f"expected the message to contain: {expectation.error_message}\n"
                                f"got: {outcome.error.message}")
    elif outcome.error is not None:
        problems.append("unexpected error:\n" + outcome.error.render())
    if outcome.output != expectation.output and (expectation.output or not expectation.expects_error
                                                 or outcome.output):
        import difflib

        diff = difflib.unified_diff(expectation.output.splitlines(), outcome.output.splitlines(),
                                    "expected", "actual", lineterm="")
        problems.append("output differs:\n" + "\n".join(diff))
    return "\n".join(problems) or None
