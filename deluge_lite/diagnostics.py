"""What the static pass says about a script: diagnostic codes, severities, and silencing.

Every finding of ``check`` is a `Diagnostic`: a stable code (``DL101``) with a name
(``undefined-variable``), a severity, a message, a position and sometimes a hint. The
severity says what Zoho would do: ``error`` (Zoho refuses to save the script, or the run
must fail), ``warning`` (probably a mistake, but Zoho runs it) and ``note`` (information:
the function's arguments, the platform names it reads).

A finding is silenced on its line with a comment naming its code,
``// deluge-lite: ignore DL204`` (several codes separated by commas or spaces; no code
silences every finding on the line), on the line itself or alone on the line above;
a project silences codes everywhere with ``[check] ignore = ["DL204"]`` in deluge.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import DelugeCheckError
from .fieldclass import fieldclass
from .source import Source, Span, render_diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SEVERITIES = ("error", "warning", "note")


@fieldclass(frozen=True)
class Code:
    """One kind of finding: its code, its name and its severity."""

    code: str
    name: str
    severity: str
    summary: str


# The table of every finding `check` can report. Codes never change meaning once released.
CODES: dict[str, Code] = {entry.code: entry for entry in (
    Code("DL001", "syntax-error", "error", "the script does not parse"),
    Code("DL101", "undefined-variable", "error", "a variable is read before anything assigns it"),
    Code("DL102", "function-arguments", "note", "the variables a header-less script reads but never assigns: "
         "the arguments Zoho's editor defines for it"),
    Code("DL103", "argument-or-typo", "warning", "an inferred argument is spelled like a variable the "
         "script assigns: probably a typo"),
    Code("DL104", "platform-names", "note", "the names the platform injects that the script reads"),
    Code("DL201", "unknown-function", "error", "a call of a function no built-in or script defines"),
    Code("DL202", "unknown-method", "error", "a method call that no built-in defines"),
    Code("DL203", "unknown-task", "error", "a zoho.* task of no known Zoho service"),
    Code("DL204", "task-not-simulated", "warning", "a real Zoho task that deluge-lite cannot simulate yet"),
    Code("DL205", "unknown-system-variable", "error", "a zoho.* system variable that does not exist"),
    Code("DL206", "wrong-argument-count", "error", "a built-in, task or script function called with too "
         "few or too many arguments"),
    Code("DL207", "unknown-task-key", "error", "a key that invokeurl or sendmail does not take"),
    Code("DL208", "undefined-function", "error", "a call of a script function the project does not define"),
    Code("DL209", "creator-statement-elsewhere", "error", "a Zoho Creator statement (insert into, Form[criteria], "
         "delete from) in another product's context"),
    Code("DL210", "function-not-simulated", "warning", "a function Zoho documents that deluge-lite cannot run yet"),
    Code("DL211", "function-not-in-file", "warning", "a call of a standalone or thisapp function defined in "
         "another file (check the project folder to resolve it)"),
    Code("DL301", "single-equals-comparison", "warning", "'=' used as a comparison"),
    Code("DL302", "break-outside-loop", "error", "break or continue outside a for each loop"),
    Code("DL303", "duplicate-function", "error", "two definitions of the same function"),
    Code("DL304", "invalid-definition", "error", "a function definition Zoho refuses (a parameter twice, ...)"),
)}
BY_NAME: dict[str, Code] = {entry.name: entry for entry in CODES.values()}


class Diagnostic(DelugeCheckError):
    """One finding of the static pass (a DelugeCheckError, so errors can be raised as such)."""

    def __init__(self, code: str, message: str, span: Span | None, source: Source | None,
                 *, hint: str | None = None) -> None:
        super().__init__(message, span, source)
        entry = CODES[code]
        self.code = entry.code
        self.name = entry.name
        self.severity = entry.severity
        self.hint = hint
        if hint:
            self.note = hint

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.severity

    def render(self) -> str:
        """``file:line:col: severity: message [CODE]`` (the compilers' convention), the line and a caret."""
        return render_diagnostic(self.source, self.span, f"{self.message} [{self.code}]", kind=self.severity,
                                 stack=self.stack, note=self.note)

    def as_json(self) -> dict[str, Any]:
        """The machine-readable form (``check --format json``, editors)."""
        span = self.span
        return {
            "file": self.source.name if self.source else None, "code": self.code, "name": self.name,
            "severity": self.severity, "message": self.message, "hint": self.hint,
            "line": span.line if span else None, "column": span.col if span else None,
            "end_line": span.end_line if span else None, "end_column": span.end_col if span else None,
        }


def from_error(error: DelugeCheckError | Any, code: str) -> Diagnostic:
    """A plain DelugeError (a syntax or compile error) as a Diagnostic with ``code``."""
    if isinstance(error, Diagnostic):
        return error
    found = Diagnostic(code, error.message, error.span, error.source)
    found.note = getattr(error, "note", None)
    found.hint = found.note
    return found


_IGNORE = re.compile(r"//\s*deluge-lite:\s*ignore\b([A-Za-z0-9_,\s-]*)")


def ignored_codes(source: Source) -> dict[int, frozenset[str]]:
    """Line -> codes silenced there (an empty set silences every code on that line)."""
    silenced: dict[int, frozenset[str]] = {}
    for number, text in enumerate(source.text.splitlines(), start=1):
        if "deluge-lite" not in text:
            continue
        match = _IGNORE.search(text)
        if match is None:
            continue
        codes = frozenset(_normalise(word) for word in re.split(r"[\s,]+", match.group(1)) if word)
        alone = text[:match.start()].strip() == ""
        for line in (number, number + 1) if alone else (number,):
            before = silenced.get(line)
            # an empty set silences everything, so it wins over any list of codes
            silenced[line] = codes if before is None else (before | codes if before and codes else frozenset())
    return silenced


def _normalise(word: str) -> str:
    """``dl204`` and ``task-not-simulated`` both name DL204."""
    upper = word.upper()
    if upper in CODES:
        return upper
    entry = BY_NAME.get(word.lower())
    return entry.code if entry else upper


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """The entries of an ignore list that name no code (for a clear config error)."""
    return [code for code in codes if _normalise(code) not in CODES]


def keep(found: Iterable[Diagnostic], project_ignores: Iterable[str] = ()) -> list[Diagnostic]:
    """The findings that no ignore comment or project setting silences."""
    everywhere = {_normalise(code) for code in project_ignores}
    kept: list[Diagnostic] = []
    by_source: dict[int, dict[int, frozenset[str]]] = {}
    for item in found:
        if item.code in everywhere:
            continue
        if item.source is not None and item.span is not None:
            lines = by_source.setdefault(id(item.source), ignored_codes(item.source))
            codes = lines.get(item.span.line)
            if codes is not None and (not codes or item.code in codes):
                continue
        kept.append(item)
    return kept


def count(found: Iterable[Diagnostic]) -> dict[str, int]:
    """How many findings of each severity."""
    totals = dict.fromkeys(SEVERITIES, 0)
    for item in found:
        totals[item.severity] += 1
    return totals


__all__ = ["CODES", "Code", "Diagnostic", "SEVERITIES", "count", "from_error", "ignored_codes", "keep",
           "unknown_codes"]
