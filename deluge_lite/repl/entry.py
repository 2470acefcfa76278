"""What one REPL entry is: a meta-command, Deluge to run, or not finished yet.

`classify(text)` is pure: it parses the text (with `deluge_lite.parser.parse`) and says

- ``empty``       nothing but blanks and comments;
- ``meta``        a ``:command`` line;
- ``incomplete``  the text just ended early (open block, bracket, text or comment, or a
                  statement without its ``;``), or it ends with the ``}`` of an ``if`` that
                  has no ``else`` yet (one may follow on the next line, as Zoho lays code
                  out; Enter on the empty line runs it): the prompt continues on a ``...`` line;
- ``run``         Deluge to run: the text as typed, or, when it ends in a bare expression
                  (``m.get("a")`` or ``1 + 2;``), the same text with ``info`` put before that
                  expression so that its value prints in ``info`` format;
- ``invalid``     a syntax error that more lines cannot fix (run anyway to show the caret).

`Entry.restore(error)` moves an error's position back from the rewritten text to the
text as typed, so the caret points where the user typed. Running is the shell's job.
"""

from __future__ import annotations

from .. import ast
from ..errors import DelugeError, DelugeSyntaxError
from ..fieldclass import fieldclass, replace
from ..parser import parse
from ..source import Source

__all__ = ["Entry", "classify"]

_INFO = "info "


@fieldclass(frozen=True)
class Entry:
    kind: str  # empty | meta | incomplete | run | invalid
    text: str  # as typed
    code: str = ""  # what runs (for kind "run"/"invalid")
    shown: bool = False  # a bare expression whose value prints
    insert_line: int = 0  # where "info " went in (1-based line and column), when shown
    insert_col: int = 0
    reason: str = ""  # for "incomplete": what is still open

    def restore(self, error: DelugeError, name: str = "<repl>") -> DelugeError:
        """Point an error from the rewritten code back at the text as typed."""
        if not self.shown:
            return error
        for problem in getattr(error, "problems", ()):  # CheckFailed renders each of its problems
            if problem is not error:
                self.restore(problem, name)
        span = error.span
        if span is not None:
            span = _unshift(span, self.insert_line, self.insert_col)
            error.span = span
        error.stack = [(kind, label, _unshift(where, self.insert_line, self.insert_col))
                       for kind, label, where in error.stack]
        if error.source is not None and error.source.text == self.code:
            error.source = Source(self.text, error.source.name or name)
        return error


def _unshift(span, line: int, col: int):  # type: ignore[no-untyped-def]
    if span is None:
        return span
    changes = {}
    if span.line == line and span.col > col:
        changes["col"] = max(col, span.col - len(_INFO))
    if span.end_line == line and span.end_col > col:
        changes["end_col"] = max(changes.get("col", span.col) + 1, span.end_col - len(_INFO))
    return replace(span, **changes) if changes else span


def _offset(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[:line - 1]) + col - 1


def _parse(text: str) -> ast.Program:
    """`parse`, with a builder error that escaped wrapped in Lark's VisitError unwrapped."""
    try:
        return parse(Source(text, "<repl>"))
    except DelugeError:
        raise
    except Exception as error:  # the builder's DelugeSyntaxError can arrive inside Lark's VisitError
        original = getattr(error, "orig_exc", None)
        if isinstance(original, DelugeError):
            raise original from None
        raise


def _unused_value(error: DelugeSyntaxError) -> bool:
    """The builder's "this value is not used" error for a statement like ``x;``."""
    return "not used" in error.message and error.span is not None


def _with_info(text: str, line: int, col: int, semicolon: str) -> Entry:
    at = _offset(text, line, col)
    code = text[:at] + _INFO + text[at:] + semicolon
    return Entry("run", text, code, shown=True, insert_line=line, insert_col=col)


def classify(text: str) -> Entry:
    """Decide what an entry is (see the module docstring)."""
    stripped = text.strip()
    if stripped.startswith(":") and "\n" not in stripped:
        return Entry("meta", text, stripped)
    if not stripped:
        return Entry("empty", text)
    try:
        program = _parse(text)
    except DelugeSyntaxError as error:
        if error.incomplete:
            return _rewrite(text, ";") or Entry("incomplete", text, reason=error.message)
        fixed = _rewrite(text, "") if _unused_value(error) else None
        return fixed or Entry("invalid", text, text)
    if not program.statements and not program.functions:
        return Entry("empty", text)
    if _else_may_follow(text, program):
        return Entry("incomplete", text, reason=_ELSE_MAY_FOLLOW)
    return Entry("run", text, text)


_ELSE_MAY_FOLLOW = "an 'else' may follow on the next line (press Enter again to run)"


def _else_may_follow(text: str, program: ast.Program) -> bool:
    """The entry ends with the ``}`` of an ``if`` (or ``else if``) that has no ``else`` yet, on the
    line being typed: Zoho's own layout puts ``else`` on the line after ``}``, so the REPL waits
    for one. A second Enter (the entry then ends in a line break) runs it."""
    if not text.rstrip(" \t").endswith("}"):
        return False
    last = program.statements[-1] if program.statements else None
    return isinstance(last, ast.If) and last.orelse is None and _ends_program(program, last)


def _rewrite(text: str, suffix: str) -> Entry | None:
    """Put ``info`` before a bare expression: ``m.get("a")`` or ``1 + 2;`` runs as ``info ...;``."""
    try:
        program = _parse(text + suffix)
    except DelugeSyntaxError as error:
        if not _unused_value(error):
            return None
        assert error.span is not None
        entry = _with_info(text, error.span.line, error.span.col, suffix)
        try:
            _parse(entry.code)
        except DelugeSyntaxError:
            return None
        return entry
    last = program.statements[-1] if program.statements else None
    if suffix and isinstance(last, ast.ExprStatement) and _ends_program(program, last):
        return _with_info(text, last.span.line, last.span.col, suffix)
    return None


def _ends_program(program: ast.Program, last: ast.Node) -> bool:
    return all((fn.span.line, fn.span.col) < (last.span.line, last.span.col) for fn in program.functions)
