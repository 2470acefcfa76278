"""Source text, positions and the one renderer of diagnostics.

A `Source` is a named text with a line index; a `Span` is a 1-based line/column range
in it. `render_diagnostic` prints ``file:line:col: error: message``, the source line and
a caret underline, plus an optional Deluge call stack. Nothing else in deluge-lite
formats a position.
"""

from __future__ import annotations

import bisect

from .fieldclass import fieldclass


@fieldclass(frozen=True, slots=True)
class Span:
    """A range in a source: lines and columns are 1-based, end_col is exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int) -> Span:
        return cls(line, col, line, col + 1)

    def to(self, other: Span) -> Span:
        """The span from the start of self to the end of other."""
        return Span(self.line, self.col, other.end_line, other.end_col)


class Source:
    """A script's text and name, with fast offset -> line/column lookup."""

    def __init__(self, text: str, name: str = "<script>") -> None:
        self.text = text
        self.name = name
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)

    def __repr__(self) -> str:
        return f"Source(name={self.name!r}, {len(self.text)} chars)"

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def end_span(self) -> Span:
        line = self.line_count
        col = len(self.line_text(line)) + 1
        return Span.point(line, col)


_MAX_SHOWN = 160  # characters of a source line shown under a diagnostic
_MAX_MESSAGE = 400


def render_diagnostic(
    source: Source | None,
    span: Span | None,
    message: str,
    *,
    kind: str = "error",
    stack: list[tuple[str, str, Span]] | None = None,
    note: str | None = None,
) -> str:
    """Format one diagnostic the way every part of deluge-lite shows it.

    ``stack`` lists the Deluge frames (function name, file name, span of the call
    site or definition), innermost first.
    """
    name = source.name if source is not None else "<script>"
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "..."
    if span is None:
        lines = [f"{name}: {kind}: {message}"]
    else:
        lines = [f"{name}:{span.line}:{span.col}: {kind}: {message}"]
        text = source.line_text(span.line) if source is not None else ""
        if len(text) > _MAX_SHOWN:  # a huge line: show a window around the position
            start = max(span.col - 1 - _MAX_SHOWN // 2, 0)
            window = text[start:start + _MAX_SHOWN]
            prefix_marker = "..." if start else ""
            span = Span(span.line, span.col - start + len(prefix_marker), span.line,
                        min(span.end_col if span.end_line == span.line else span.col + 1,
                            start + _MAX_SHOWN + 1) - start + len(prefix_marker))
            text = prefix_marker + window + ("..." if start + _MAX_SHOWN < len(text) else "")
        if text:
            shown = text.expandtabs(4)
            prefix = text[: max(span.col - 1, 0)].expandtabs(4)
            if span.end_line == span.line:
                width = max(span.end_col - span.col, 1)
            else:
                width = max(len(text) - span.col + 1, 1)
            underline_src = text[max(span.col - 1, 0): max(span.col - 1, 0) + width].expandtabs(4)
            width = max(len(underline_src), 1)
            lines.append("    " + shown)
            lines.append("    " + " " * len(prefix) + "^" + "~" * (width - 1))
    for frame_name, file_name, frame_span in stack or []:
        lines.append(f"  in {frame_name} ({file_name}:{frame_span.line}:{frame_span.col})")
    if note:
        lines.append(f"  note: {note}")
    return "\n".join(lines)
