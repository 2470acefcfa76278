"""Runs a `CompiledProgram` against a `Runtime` and maps every failure back to the script.

This module owns two things: the globals a compiled program runs with (the ``__``
helpers the compiler refers to, bound to one runtime), and the translation of Python
exceptions into Deluge errors. A failure's position comes from ``co_positions()`` of the
innermost frame of compiled Deluge code, so the span is the exact expression that
failed; the Deluge call stack comes from the same traceback. An exception that is not
a Deluge error is an `InternalError`, reported as a deluge-lite bug.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Callable, Iterable
from types import CodeType, TracebackType

from . import creator_records, values
from .builtins import REGISTRY
from .builtins.registry import raiser
from .compiled import (
    MAIN_NAME,
    CompiledProgram,
    function_caller_name,
    is_deluge_code,
    method_caller_name,
    task_caller_name,
    typed_caller_name,
)
from .creator_records import Records
from .errors import DelugeError, DelugeRuntimeError, InternalError, LimitExceeded, ThrownError
from .lazy_pattern import LazyPattern
from .runtime import Runtime
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Functions that exist only inside a Zoho product; calling one says so instead of "unknown".
PLATFORM_ONLY = {
    "openurl": "Zoho Creator", "alert": "Zoho Creator", "cancel": "Zoho Creator",
    "hide": "Zoho Creator", "show": "Zoho Creator", "disable": "Zoho Creator", "enable": "Zoho Creator",
}


_KINDS: dict[str, type] = {kind.__name__: kind for kind in (str, int, float, bool, list, dict)}


def _iterate(value: Any) -> list[Any]:
    """What ``for each`` walks: a snapshot of a List, the comma-separated parts of a Text, or
    the records of a Creator collection (each a collection of one)."""
    kind = type(value)
    if kind is list:
        return value.copy()
    if kind is str:
        return value.split(",") if value else []
    if kind is Records:
        return value.each()
    if value is None:
        raise DelugeRuntimeError("cannot loop over null")
    raise DelugeRuntimeError(f"cannot loop over a {values.type_name(value)}; for each needs a List or Text"
                             + ("; use map.keys() to loop over a Map" if kind is dict else ""))


def _iterate_index(value: Any) -> range:
    return range(len(_iterate(value)))


def _read_property(receiver: Any, name: str) -> Any:
    if type(receiver) is dict:
        return receiver.get(name)
    if type(receiver) is Records:  # Creator: a field of the first record
        return receiver.field(name)
    if receiver is None:
        raise DelugeRuntimeError(f"cannot read '{name}' of null")
    raise DelugeRuntimeError(f"cannot read '{name}' of a {values.type_name(receiver)}; only a Map has fields")


def _write_property(receiver: Any, name: str, value: Any) -> None:
    if type(receiver) is dict:
        receiver[name] = value
        return
    if type(receiver) is Records:  # Creator: updates the stored record
        receiver.set_field(name, value)
        return
    raise DelugeRuntimeError(f"cannot set '{name}' on a {values.type_name(receiver)}; only a Map has fields")


def _map_key(key: Any) -> Any:
    if type(key) in (dict, list):
        raise DelugeRuntimeError(f"a Map key must be Text or a Number, not a {values.type_name(key)}")
    return key


def _creator_only(what: str) -> None:
    raise DelugeRuntimeError(f"{what} needs Zoho Creator; deluge-lite cannot run it outside Creator")


def _overflow(value: int) -> Any:
    raise values.number_overflow(value)


def _text_cap(text: str) -> Any:
    raise values.text_too_long(len(text))


def _add_chain(*terms: Any) -> Any:
    """``a + b + c + ...`` evaluated left to right (long chains compile to one call)."""
    total = terms[0]
    for term in terms[1:]:
        total = values.add(total, term)
    return total


def _throw(value: Any) -> None:
    raise ThrownError(values.to_text(value))


class Execution:
    """One compiled program bound to one runtime: its globals, and the way to run it."""

    def __init__(self, compiled: CompiledProgram, runtime: Runtime, namespace: dict[str, Any] | None = None,
                 sources: dict[str, Source] | None = None) -> None:
        """``sources`` maps code file names to the source each came from (earlier REPL entries)."""
        self.compiled = compiled
        self.runtime = runtime
        self.namespace = namespace if namespace is not None else {}
        self.sources = sources if sources is not None else {}
        self.sources[compiled.code.co_filename] = compiled.source  # a file run again: its latest text
        self._bind()

    # ---- globals
    def _bind(self) -> None:
        rt = self.runtime
        ns = self.namespace
        ns.update({
            "__builtins__": {}, "__tick": rt.tick, "__truth": values.truth,
            "__type": type, "__int": int, "__str": str, "__float": float, "__dict": dict, "__list": list,
            "__len": len,
            "__max_text": values.MAX_TEXT, "__overflow": _overflow,
            "__add": values.add, "__sub": values.subtract, "__mul": values.multiply, "__div": values.divide,
            "__mod": values.remainder, "__neg": values.negate, "__eq": values.equal, "__ne": values.not_equal,
            "__lt": values.less, "__le": values.less_equal, "__gt": values.greater,
            "__ge": values.greater_equal,
            "__info": self._info, "__iter": _iterate, "__iter_index": _iterate_index,
            "__prop": _read_property, "__setprop": _write_property, "__key": _map_key, "__throw": _throw,
            "__creator_only": _creator_only, "__add_chain": _add_chain, "__join": "".join, "__text": values.to_text,
            "__dict_get": dict.get, "__contains": operator.contains,  # compiler_methods.INLINE
            "__str_strip": str.strip, "__str_lower": str.lower, "__str_upper": str.upper,
            "__str_replace": str.replace, "__text_cap": _text_cap,
            "__runtime": rt, "__value_size": rt.limits.value_size, "__no_fit": float("inf"),  # add_statement
            "__str_split": str.split, "__str_isdecimal": str.isdecimal,  # compiler_methods.SHAPED
            "__sysvar": self._system_variable, "__caught": self._caught, "__Catchable": (DelugeRuntimeError, NameError),
            "__max_depth": rt.limits.call_depth, "__depth_error": self._depth_error,
            "__sendmail": rt.sendmail, "__invokeurl": rt.invokeurl,
            "__creator_insert": functools.partial(creator_records.insert, rt),
            "__creator_fetch": functools.partial(creator_records.fetch, rt),
            "__creator_delete": functools.partial(creator_records.delete, rt),
        })
        if self.compiled.bulk:  # statements counted in bulk: the exact ticker shares the budget in hand
            ns.update({"__tick": self._exact_tick, "__tick_last": self._exact_tick})
            ns.setdefault("__steps", 0)
        ns.update(self.compiled.constants)
        tables: dict[tuple[str, int, bool], dict[type, Callable[..., Any]]] = {}
        for name, argc, statement in self.compiled.method_callers:
            tables[name, argc, statement] = REGISTRY.method_table(name, argc, rt, statement=statement)
            ns[method_caller_name(name, argc, statement)] = tables[name, argc, statement]
        for name, argc, statement, kind in self.compiled.typed_callers:  # a receiver of known type: its entry
            table = tables.get((name, argc, statement)) or REGISTRY.method_table(name, argc, rt, statement=statement)
            ns[typed_caller_name(name, argc, statement, kind)] = table[_KINDS[kind]]
        for name, argc, statement in self.compiled.function_callers:
            ns[function_caller_name(name, argc, statement)] = self._function_caller(name, argc, statement)
        for path, argc in self.compiled.task_callers:
            ns[task_caller_name(path, argc)] = self._task_caller(path, argc)

    def _exact_tick(self) -> None:
        """Count one statement against the bulk budget ``__steps`` (the exactly-counting path, see compiler_ticks)."""
        namespace = self.namespace
        steps = namespace["__steps"]
        if steps > 0:
            namespace["__steps"] = steps - 1
        else:
            namespace["__steps"] = self.runtime.take_statements() - 1

    def _start_budget(self) -> None:
        """A fresh budget; code counting in bulk starts with none in hand, so its first run takes a chunk."""
        self.runtime.start_budget()
        if self.compiled.bulk:
            self.namespace.update({"__steps": 0, "__tick": self._exact_tick, "__tick_last": self._exact_tick})
        else:
            self.namespace["__tick"] = self.runtime.tick

    def _give_back(self, error: BaseException) -> None:
        """After ``catch`` took an error: the statements its run charged but never started count no more."""
        traceback = error.__traceback__
        left = 0
        while traceback is not None:
            if is_deluge_code(traceback.tb_frame.f_code.co_filename):
                left = traceback.tb_frame.f_locals.get("__left") or 0
            traceback = traceback.tb_next
        if left and "__steps" in self.namespace:
            self.namespace["__steps"] += left

    def _info(self, value: Any) -> None:
        self.runtime.emit_info(values.to_text(value))

    def _function_caller(self, name: str, argc: int, statement: bool) -> Callable[..., Any]:
        caller = REGISTRY.function_caller(name, argc, self.runtime, statement=statement)
        if caller is not None:
            return caller
        product = PLATFORM_ONLY.get(name.lower())
        if product:
            return raiser(f"{name}() needs {product}; it cannot run outside Zoho")
        hint = REGISTRY.suggest(name)
        return raiser(f"unknown function '{name}'" + (f"; did you mean '{hint}'?" if hint else ""))

    def _task_caller(self, path: str, argc: int) -> Callable[..., Any]:
        caller = REGISTRY.function_caller(path, argc, self.runtime)
        if caller is not None:
            return caller
        task = self.runtime.tasks.get(path.lower())
        if task is not None:
            return lambda *args: task(self.runtime, *args)
        return raiser(f"{path} is not available: deluge-lite does not know this task")

    def _system_variable(self, path: str) -> Any:
        entry = REGISTRY.system_variable_entry(path)
        if entry is None:
            raise DelugeRuntimeError(f"unknown system variable '{path}'")
        return entry[1](self.runtime)

    def _depth_error(self) -> None:
        raise LimitExceeded(f"functions call each other more than {self.runtime.limits.call_depth} levels deep")

    def _caught(self, error: BaseException) -> dict[str, Any]:
        """The value a ``catch (e)`` variable holds: a Map with lineNo and message (Decision)."""
        if isinstance(error, LimitExceeded):
            raise error
        self._give_back(error)
        located = self.translate(error)
        line = located.span.line if located.span else None
        return {"lineNo": line, "message": located.message}

    # ---- running
    def run_main(self) -> Any:
        self._start_budget()
        exec(self.compiled.code, self.namespace)  # defines the functions and __main__
        return self._guarded(self.namespace[MAIN_NAME])

    def call_function(self, name: str, args: list[Any]) -> Any:
        """Call a function defined in the script by full or short name with Python values."""
        self._start_budget()
        exec(self.compiled.code, self.namespace)
        wanted = name.lower()
        for py_name, deluge_name in self.compiled.function_names.items():
            if deluge_name.lower() == wanted or deluge_name.lower().split(".")[-1] == wanted:
                return self._guarded(self.namespace[py_name], 1, *args)
        known = ", ".join(self.compiled.function_names.values()) or "none"
        raise DelugeRuntimeError(f"no function named '{name}' in {self.compiled.source.name} (defined: {known})")

    def _guarded(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except DelugeError as error:
            raise self.translate(error) from None
        except (NameError, RecursionError, MemoryError) as error:
            raise self.translate(error) from None
        except BrokenPipeError:  # the reader of the output went away (``run x | head``): not a bug
            raise
        except Exception as error:  # a bug in deluge-lite: report it as one, with the script position
            located = self.translate(error)
            raise InternalError(located.render()) from error

    # ---- error translation
    def translate(self, error: BaseException) -> DelugeError:
        span, stack, filename = self._locate(error.__traceback__, error)
        source = self.sources.get(filename, self.compiled.source)
        if isinstance(error, DelugeError):
            result = error
        elif isinstance(error, NameError):
            spelled = source.line_text(span.line)[span.col - 1:span.end_col - 1] if span else ""
            name = spelled or str(getattr(error, "name", "") or "").removeprefix("v_")
            result = DelugeRuntimeError(f"Variable '{name}' is not defined")
            result.note = f"if Zoho supplies '{name}' to this script, give it with --arg {name}=VALUE"
        elif isinstance(error, RecursionError):
            result = LimitExceeded("the script nests calls or values too deeply")
        elif isinstance(error, MemoryError):  # past the process's memory cap (the CLI's --max-memory-mb)
            result = LimitExceeded("the script needed more memory than deluge-lite may use (--max-memory-mb)")
        else:
            result = DelugeRuntimeError(
                f"internal error in deluge-lite ({type(error).__name__}: {error}); please report this")
        result.located(span, source)
        result.message = self.runtime.redact(result.message)
        if not result.stack and stack:
            result.stack = stack
        return result

    def _locate(self, traceback: TracebackType | None,
                error: BaseException | None = None) -> tuple[Span | None, list[tuple[str, str, Span]], str]:
        frames: list[tuple[CodeType, int]] = []
        seen: dict[int, int] = {}
        while traceback is not None:
            frame = traceback.tb_frame
            if is_deluge_code(frame.f_code.co_filename):
                if id(frame) in seen:  # an error re-raised from a handler: keep the innermost position
                    frames = frames[:seen[id(frame)]]
                seen[id(frame)] = len(frames)
                frames.append((frame.f_code, traceback.tb_lasti))
            traceback = traceback.tb_next
        if not frames:
            return None, [], ""
        spans = [_position(code, lasti) for code, lasti in frames]
        unbound = _UNBOUND.search(str(error)) if isinstance(error, NameError) else None
        if unbound:  # the load that failed, not a combined instruction before it
            spans[-1] = _load_position(frames[-1][0], frames[-1][1], unbound.group(1)) or spans[-1]
        stack: list[tuple[str, str, Span]] = []
        names = self.compiled.function_names
        if len(frames) > 1 or frames[0][0].co_name != MAIN_NAME:
            for (code, _), span in zip(reversed(frames), reversed(spans), strict=True):
                if span is None:
                    continue
                label = names.get(code.co_name, "the script" if code.co_name == MAIN_NAME else code.co_name)
                stack.append((label, self.sources.get(code.co_filename, self.compiled.source).name, span))
        return spans[-1], _collapse(stack), frames[-1][0].co_filename


def link(compiled: CompiledProgram, libraries: Iterable[CompiledProgram], runtime: Runtime,
         namespace: dict[str, Any]) -> Execution:
    """The Execution of ``compiled`` with the functions of a project's other files defined first.

    Each library is bound and run in the shared namespace (which defines its functions); every
    code file's Source is known to the result, so errors and stacks name the right file."""
    sources: dict[str, Source] = {}
    for library in libraries:
        Execution(library, runtime, namespace, sources)
        exec(library.code, namespace)
    return Execution(compiled, runtime, namespace, sources)


def current_line() -> int | None:
    """The script line running now (for --trace): the innermost frame of compiled Deluge code."""
    frame = sys._getframe(1)
    while frame is not None:
        if is_deluge_code(frame.f_code.co_filename):
            span = _position(frame.f_code, frame.f_lasti)
            return span.line if span else frame.f_lineno
        frame = frame.f_back
    return None


def _collapse(stack: list[tuple[str, str, Span]], keep: int = 3) -> list[tuple[str, str, Span]]:
    """Shorten runs of the same frame (deep recursion) to a few entries and a count."""
    out: list[tuple[str, str, Span]] = []
    index = 0
    while index < len(stack):
        run = 1
        while index + run < len(stack) and stack[index + run] == stack[index]:
            run += 1
        out.extend([stack[index]] * min(run, keep))
        if run > keep:
            name, file_name, span = stack[index]
            out.append((f"{name} [the line above repeats {run - keep} more times]", file_name, span))
        index += run
    return out


# CPython 3.11 runs two loads as one instruction once code is warm (LOAD_FAST__LOAD_FAST); an
# unbound second variable is then reported at the first load's offset and position
_UNBOUND = LazyPattern(r"'(v_\w+)'")


def _load_position(code: CodeType, lasti: int, name: str) -> Span | None:
    """The position of the load of ``name`` at ``lasti`` or just after it (None: not found there)."""
    import dis  # (an error path: dis is a share of start-up)

    for instruction in dis.get_instructions(code):
        if instruction.offset < lasti:
            continue
        if instruction.offset > lasti + 4:
            return None
        if instruction.argval == name and instruction.opname.startswith("LOAD_"):
            return _position(code, instruction.offset)
    return None


@functools.lru_cache(maxsize=256)
def _positions(code: CodeType) -> tuple[tuple[int | None, int | None, int | None, int | None], ...]:
    return tuple(code.co_positions())


def _position(code: CodeType, lasti: int) -> Span | None:
    positions = _positions(code)
    index = lasti // 2
    if index >= len(positions):
        return None
    line, end_line, col, end_col = positions[index]
    if line is None:
        return None
    col = (col or 0) + 1
    end_line = end_line or line
    end_col = (end_col or col) + 1 if end_col is not None else col + 1
    return Span(line, col, end_line, end_col)


__all__ = ["Execution", "PLATFORM_ONLY", "link"]
