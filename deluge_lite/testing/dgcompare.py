"""Judging one chunk of a ``test_*.dg`` file: does what the run did meet what its comments say?

`compare(chunk, outcome)` returns None when it does, else a report: each problem in words,
the info output as a unified diff (``--- expected info`` / ``+++ actual info``), errors in
deluge-lite's own diagnostic form (``file:line:col``, the line with a caret, the Deluge
stack), and what the run sent out (the sendmail outbox, Cliq messages, the HTTP calls) even
when the script failed. The matching of info lines per mode (exact, contains, ignore) is `info_problem`;
`update_wanted` says whether ``--deluge-update`` may rewrite a chunk's expectations.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .. import values
from ..errors import DelugeError
from ..fieldclass import field, fieldclass
from .dgtest import Chunk, Expected

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass
class Outcome:
    info: list[str]
    value: Any = None
    error: DelugeError | None = None
    unstubbed: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    http_calls: list[Any] = field(default_factory=list)
    messages: list[Any] = field(default_factory=list)  # `messages.Message`: Cliq messages sent
    notices: list[str] = field(default_factory=list)  # the sandbox's notices (links bound to the fakes)

    @property
    def returned(self) -> str:
        return values.to_text(self.value) if self.value is not None else "null"


def error_lines(error: DelugeError, path: Path) -> set[int]:
    """The lines of ``path`` where the error happened or a call leading to it was made."""
    wanted = str(path)
    lines = {span.line for _function, name, span in error.stack if span is not None and name == wanted}
    if error.line is not None and (error.source is None or error.source.name == wanted):
        lines.add(error.line)
    return lines


def error_location(error: DelugeError) -> str:
    name = Path(error.source.name).name if error.source is not None else "<script>"
    return f"{name}:{error.line}" if error.line is not None else name


def _ordered_problem(ordered: list[Expected], info: list[str], exact: bool) -> str | None:
    if exact:
        if len(ordered) == len(info) and all(item.matches(line) for item, line in zip(ordered, info, strict=True)):
            return None
        # a regular-expression line that matched shows as the actual line, so the diff points at real changes
        shown = [line if index < len(info) and item.kind == "match" and item.matches(info[index]) else item.text
                 for index, (item, line) in enumerate(zip(ordered, info + [""] * len(ordered), strict=False))]
        diff = difflib.unified_diff(shown, info, "expected info", "actual info", lineterm="")
        return "info output differs:\n" + "\n".join(diff)
    position = 0
    for item in ordered:
        while position < len(info) and not item.matches(info[position]):
            position += 1
        if position == len(info):
            label = "a line matching" if item.kind == "match" else "the line"
            return (f"expected {label} '{item.text}' (line {item.directive.line}) in this order, not found in the "
                    f"info output:\n" + _listing(info))
        position += 1
    return None


def _listing(info: list[str]) -> str:
    return "\n".join(f"  | {line}" for line in info) if info else "  (no info lines)"


def info_problem(chunk: Chunk, info: list[str]) -> str | None:
    """What is wrong with the info lines, by the chunk's mode; None when they match."""
    mode = chunk.mode
    if mode == "ignore":
        return None
    problem = _ordered_problem(chunk.ordered, info, exact=mode == "exact")
    if problem:
        return problem
    missing = [item for item in chunk.expected if item.kind == "contains" and not any(item.matches(line)
                                                                                    for line in info)]
    if missing:
        wanted = "\n".join(f"  '{item.text}' (line {item.directive.line})" for item in missing)
        return f"no info line contains:\n{wanted}\ninfo output:\n{_listing(info)}"
    return None


def _error_problems(chunk: Chunk, error: DelugeError | None) -> list[str]:
    if chunk.expect_error is None:
        if error is None:
            return []
        return [f"unexpected error at {error_location(error)}:\n{error.render()}"]
    line, message = chunk.expect_error
    if error is None:
        return [f"expected an error at line {line} containing: {message}\nbut the script ran to the end"]
    problems = []
    if line not in error_lines(error, chunk.path):
        problems.append(f"expected the error at line {line}, got it at {error_location(error)}:\n{error.render()}")
    if message not in error.message:
        problems.append(f"expected the error message to contain: {message}\n"
                        f"                              got: {error.message}")
    return problems


def _sent(outcome: Outcome) -> list[str]:
    """What the run sent out, shown with any failure (also when the script failed)."""
    shown = []
    if outcome.outbox:
        shown.append("sendmail outbox:")
        for mail in outcome.outbox:
            fields = ", ".join(f"{key}: {values.to_text(value)}" for key, value in mail.items() if key != "message")
            shown.append(f"  {fields}")
            if mail.get("message") is not None:
                shown.append(f"    {values.to_text(mail['message'])}")
    if outcome.messages:
        shown.append("Cliq messages:")
        shown += [f"  {message.describe()}" for message in outcome.messages]
    if outcome.notices:
        shown.append("sandbox notices:")
        shown += [f"  {notice}" for notice in outcome.notices]
    if outcome.http_calls:
        shown.append("HTTP calls:")
        shown += [f"  {call.method} {call.url} -> {call.status if call.status is not None else 'failed'}"
                  f" (line {call.line if call.line is not None else '-'})" for call in outcome.http_calls]
    return shown


def compare(chunk: Chunk, outcome: Outcome) -> str | None:
    """None when the outcome meets the chunk's expectations, else a readable report."""
    if outcome.unstubbed:
        # the unanswered call is the cause of whatever else went wrong: say only that
        return unstubbed_report(outcome.unstubbed, outcome.reasons)
    problems = _error_problems(chunk, outcome.error)
    info = info_problem(chunk, outcome.info)
    if info:
        problems.append(info)
    if chunk.expect_return is not None and outcome.error is None:
        line, wanted = chunk.expect_return
        if outcome.returned != wanted:
            problems.append(f"return value differs (expect-return at line {line}):\n"
                            f"  expected: {wanted}\n  actual:   {outcome.returned}")
    for line, wanted in chunk.expect_notices:
        if not any(wanted in notice for notice in outcome.notices):
            problems.append(f"no sandbox notice contains: {wanted} (expect-notice at line {line})")
    if not problems:
        return None
    return "\n".join(problems + _sent(outcome))


def unstubbed_report(unstubbed: list[str], reasons: dict[str, str] | None = None) -> str:
    """One message for the HTTP calls nothing answered, with how to answer them."""
    first = unstubbed[0]
    because = (reasons or {}).get(first) or "nothing answers it (tests never reach the network)"
    lines = [f"unstubbed HTTP request {first}: {because}"]
    lines += [f"  and unstubbed {call}" for call in unstubbed[1:]]
    method, _, url = first.partition(" ")
    bare = url.split("?", 1)[0]
    lines.append(f"stub it: in a .dg test '// stub: {method} {bare} -> 200 {{\"ok\": true}}'; in Python "
                 f"http_stub.{method.lower()}(\"{bare}\", json={{...}}); or record it once with --deluge-record")
    return "\n".join(lines)


def update_wanted(chunk: Chunk, outcome: Outcome) -> bool:
    """Whether ``--deluge-update`` may rewrite this chunk: it ran as expected apart from info/return."""
    return (not outcome.unstubbed and not chunk.problems and not _error_problems(chunk, outcome.error)
            and chunk.mode == "exact")
