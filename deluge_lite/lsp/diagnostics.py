"""The one adapter between the checker and the editor: a script's findings as plain records.

`findings(text, path, project_files)` calls ``check.diagnose`` (the project-aware static
pass: syntax errors, undefined names, did-you-mean, contexts); where that is not available
it falls back to the parser's syntax error and the interpreter's ``problems``. Each finding
keeps its code, severity, message, hint and span; a did-you-mean in the message becomes a
``replacement`` that the server offers as a quick fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import DelugeError
from ..fieldclass import fieldclass
from ..source import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'")


@fieldclass(frozen=True)
class Finding:
    """One diagnostic: position 1-based and in characters (the server converts)."""

    code: str
    severity: str  # error, warning, note
    message: str
    span: Span | None
    hint: str | None = None

    @property
    def replacement(self) -> str | None:
        """The name a did-you-mean suggests, when the message carries one."""
        match = _DID_YOU_MEAN.search(self.message)
        return match.group(1) if match else None


def findings(text: str, path: str, project_files: Mapping[str, str] | None = None) -> list[Finding]:
    """Every finding for one script's text, with the other files of its project visible."""
    try:
        from ..check import diagnose
    except ImportError:  # an older checker without diagnose(): the parser and check only
        return _fallback(text, path)
    return [_finding(item) for item in diagnose(text, path, project_files=dict(project_files or {}))]


def _finding(item: Any) -> Finding:
    return Finding(getattr(item, "code", "check"), getattr(item, "severity", "error"), item.message,
                   item.span, getattr(item, "hint", None))


def _fallback(text: str, path: str) -> list[Finding]:
    from ..interpreter import Interpreter
    from ..parser import parse

    try:
        parse(text, path)
    except DelugeError as error:
        return [Finding("DL001", "error", error.message, error.span)]
    return [_finding(problem) for problem in Interpreter().problems(text, path, ())]
