"""The exception tree: what a script did wrong versus what deluge-lite did wrong.

    Exception
     ├── DelugeError                 a problem in the user's script or input; rendered, exit 1
     │    ├── DelugeSyntaxError      the text does not parse (``incomplete`` when input just ended)
     │    ├── DelugeCheckError       static checks (undefined variable, unknown function, ...)
     │    └── DelugeRuntimeError     raised while running; ``try/catch`` in Deluge catches these
     │         ├── ThrownError       the script's own ``throw``
     │         └── LimitExceeded     statement / time / call-depth limits; never catchable
     ├── UsageError                  bad command-line use (missing file, bad flag); exit 2
     └── InternalError               a bug in deluge-lite itself; says so, never a user mistake

Every DelugeError carries a message in the user's words and, where known, a `Span` and
the `Source` it points into; `render()` goes through the one renderer in `source.py`.
"""

from __future__ import annotations

from .source import Source, Span, render_diagnostic


class DelugeError(Exception):
    """A problem in the user's script, with a position when one is known."""

    kind = "error"

    def __init__(self, message: str, span: Span | None = None, source: Source | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.source = source
        self.stack: list[tuple[str, str, Span]] = []
        self.note: str | None = None

    @property
    def line(self) -> int | None:
        return self.span.line if self.span else None

    @property
    def column(self) -> int | None:
        return self.span.col if self.span else None

    def located(self, span: Span | None, source: Source | None) -> DelugeError:
        """Fill in the position if it is not known yet; returns self."""
        if self.span is None and span is not None:
            self.span = span
        if self.source is None and source is not None:
            self.source = source
        return self

    def render(self) -> str:
        return render_diagnostic(self.source, self.span, self.message, kind=self.kind,
                                 stack=self.stack, note=self.note)

    def __str__(self) -> str:
        if self.span is None:
            return self.message
        name = self.source.name if self.source else "<script>"
        return f"{name}:{self.span.line}:{self.span.col}: {self.message}"


class DelugeSyntaxError(DelugeError):
    """The script does not parse. ``incomplete`` is true when the text simply ended too early."""

    def __init__(self, message: str, span: Span | None = None, source: Source | None = None,
                 *, incomplete: bool = False) -> None:
        super().__init__(message, span, source)
        self.incomplete = incomplete


class DelugeCheckError(DelugeError):
    """A static check failed before running (Zoho reports these when the script is saved)."""


class DelugeRuntimeError(DelugeError):
    """An error while the script runs; a Deluge ``try/catch`` catches it."""


class ThrownError(DelugeRuntimeError):
    """Raised by the script's own ``throw`` statement."""


class LimitExceeded(DelugeRuntimeError):
    """A run limit was reached (statements, wall time, call depth); scripts cannot catch it."""


class UsageError(Exception):
    """Bad command-line use: a missing file, an unknown flag, a malformed --arg."""


class InternalError(Exception):
    """A bug in deluge-lite, not in the script. Reported as such, with a request to file it."""
