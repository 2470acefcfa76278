"""Deluge expressions typed while a run is paused: ``print total > 100``, watches, hovers, conditions.

`Evaluator.parse(text)` parses the text as one Deluge expression with the project's own
parser (it is wrapped as ``return <text>;``, positions moved back to the text as typed).
`Evaluator.evaluate(parsed, frame)` checks it against the paused frame's variables and
the script's functions, compiles it with the project's own compiler and runs it with the
script's helpers: no second evaluator.

Evaluating never changes the program: the variables it reads are deep copies (a
mutating method such as ``m.put(...)`` is refused once it is seen to change one), and
``info``, ``sendmail`` and HTTP calls made while evaluating are refused with a runtime
error. Every failure is a `DelugeError` whose position points into the text as typed (or
into the script, when a script function called from the expression failed).
"""

from __future__ import annotations

import copy
from types import FrameType

from .. import ast
from ..compiler import MAIN_NAME, compile_program, input_name
from ..errors import DelugeError, DelugeRuntimeError, DelugeSyntaxError
from ..executor import Execution
from ..fieldclass import fieldclass
from ..interpreter import Interpreter, quoted_literal
from ..parser import parse
from ..source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PREFIX = "return\n"  # the expression starts on line 2, column 1 of the wrapped text
_UNKNOWN_NAME_MESSAGES = ("unknown function", "unknown task", "unknown system variable")
_EFFECTS = {"info": "print info lines", "mail": "send mail", "http": "make HTTP calls"}


@fieldclass(frozen=True)
class Parsed:
    """One parsed expression: the text as typed and its AST node."""

    text: str
    node: ast.Node
    source: Source  # the text as typed, for error carets


def frame_variables(frame: FrameType) -> dict[str, Any]:
    """The Deluge variables of a frame that hold a value, by lower-case name."""
    return {key[2:]: value for key, value in frame.f_locals.items() if key.startswith("v_")}


class Evaluator:
    """Parses and evaluates expressions against paused frames of one run."""

    def __init__(self, interpreter: Interpreter, programs: dict[str, ast.Program],
                 sources: dict[str, Source]) -> None:
        """``programs`` and ``sources`` map each code file name of the run to its program and source."""
        self.interpreter = interpreter
        self.programs = programs
        self.sources = sources

    # ---- parsing
    def parse(self, text: str, name: str = "<expression>") -> Parsed:
        """Parse one expression; a syntax error points into ``text``."""
        typed = Source(text, name)
        if not text.strip():
            raise DelugeSyntaxError("expected an expression", None, typed)
        wrapped = Source(_PREFIX + text + "\n;", name)
        try:
            program = parse(wrapped)
        except DelugeSyntaxError as error:
            raise DelugeSyntaxError(error.message, _unwrap(error.span, typed), typed) from None
        statements = program.statements
        if program.functions or len(statements) != 1 or not isinstance(statements[0], ast.Return) \
                or statements[0].value is None:
            raise DelugeSyntaxError("expected one expression (a statement or several expressions were given)",
                                    None, typed)
        return Parsed(text, statements[0].value, typed)

    # ---- evaluating
    def evaluate(self, parsed: Parsed, frame: FrameType) -> Any:
        """The value of the expression in ``frame``; raises `DelugeError` on any failure."""
        filename = frame.f_code.co_filename
        program = self.programs.get(filename)
        if program is None:
            raise DelugeRuntimeError("this frame is not Deluge code", None, parsed.source)
        variables = frame_variables(frame)
        wrapped = Source(_PREFIX + parsed.text + "\n;", parsed.source.name)
        statement = ast.Return(parsed.node.span, parsed.node)
        whole = ast.Program(program.span, program.functions, (statement,))
        from ..check import check

        problems = [problem for problem in check(whole, wrapped, self.interpreter.known, tuple(variables), bodies=[])
                    if not problem.message.startswith(_UNKNOWN_NAME_MESSAGES)]
        if problems:
            raise self._relocated(problems[0], wrapped, parsed.source)
        try:
            compiled = compile_program(whole, wrapped, quoted_literal=quoted_literal, inputs=tuple(variables),
                                       compiled_before=program.functions, code_name="<evaluate>")
        except DelugeError as error:
            raise self._relocated(error, wrapped, parsed.source) from None
        copies = {name: copy.deepcopy(value) for name, value in variables.items()}
        namespace = dict(frame.f_globals)
        namespace.update({input_name(name): value for name, value in copies.items()})
        runtime = self.interpreter.runtime
        execution = Execution(compiled, runtime, namespace, dict(self.sources))
        hook, runtime.on_effect = runtime.on_effect, _refuse_effect
        try:
            exec(compiled.code, namespace)
            value = namespace[MAIN_NAME]()
        except DelugeError as error:
            raise self._relocated(execution.translate(error), wrapped, parsed.source) from None
        except Exception as error:  # NameError, RecursionError, a bug: translated to a Deluge error
            raise self._relocated(execution.translate(error), wrapped, parsed.source) from None
        finally:
            runtime.on_effect = hook
        changed = [name for name, value in copies.items() if not same_value(value, variables[name])]
        if changed:
            raise DelugeRuntimeError(f"this expression changes '{changed[0]}'; print and watches leave the "
                                     f"program's values alone (assign with {changed[0]} = ... to change it)",
                                     None, parsed.source)
        return value

    @staticmethod
    def _relocated(error: DelugeError, wrapped: Source, typed: Source) -> DelugeError:
        """An error about the wrapped text, moved back to the text as typed."""
        if error.source is not None and error.source.text != wrapped.text:
            return error  # it points into the script (a function called from the expression)
        error.span = _unwrap(error.span, typed)
        error.source = typed
        error.stack = []
        return error


def _unwrap(span: Span | None, typed: Source) -> Span | None:
    """A span in ``return\\n<text>\\n;`` as a span in ``<text>`` (the closing ``;`` is its end)."""
    if span is None:
        return None
    last = typed.line_count
    if span.line < 2:
        return Span.point(1, 1)
    if span.line - 1 > last:
        return typed.end_span()
    end_line = min(span.end_line - 1, last)
    end_col = span.end_col if span.end_line - 1 <= last else len(typed.line_text(last)) + 1
    return Span(span.line - 1, span.col, max(end_line, span.line - 1), end_col)


def _refuse_effect(kind: str, _detail: dict[str, Any]) -> None:
    raise DelugeRuntimeError(f"an expression evaluated by the debugger may not {_EFFECTS.get(kind, kind)}")


def same_value(a: Any, b: Any) -> bool:
    """Deep equality that also tells types apart (1, 1.0 and true are different values)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same_value(a[key], b[key]) for key in a)
    if type(a) is list:
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


__all__ = ["Evaluator", "Parsed", "frame_variables", "same_value"]
