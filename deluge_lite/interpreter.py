"""The front door: source text in, a run's results out (parse -> check -> compile -> execute).

`Interpreter` holds one `Runtime` and runs scripts with it. `load()` gives a `Script`
(parsed, checked and compiled once) that can run its top-level statements or call one of
its functions any number of times. This module wires the phases together and owns
nothing else: each phase lives in its own module.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import stat
from collections.abc import Iterator

from . import ast
from .builder import SYSTEM_VARIABLES
from .builtins import REGISTRY
from .check import Known, check
from .compiler import CompiledProgram, compile_program, input_name
from .dates import parse_literal
from .errors import DelugeCheckError, DelugeError, DelugeSyntaxError, UsageError
from .executor import PLATFORM_ONLY, Execution, current_line, link
from .fieldclass import field, fieldclass
from .parser import MAX_SOURCE_CHARS, parse
from .runtime import Mail, Runtime
from .source import Source
from .values import from_python

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


def quoted_literal(text: str) -> Any:
    """A single-quoted literal: a Date-Time when the text is a date, else Text (Decision).

    Zoho's pages call ``'01-Jan-2019'`` a date-time literal whose missing time is 00:00:00
    (its addDay example prints ``'12-Jan-2019 00:00:00'``); a Date comes from ``toDate()``.
    """
    value = parse_literal(text)
    if value is None:
        return text
    if type(value) is _dt.date:
        return _dt.datetime(value.year, value.month, value.day)
    return value


def known_names(runtime: Runtime) -> Known:
    """Everything a script may call besides its own functions, for the static check.

    Names and arity come from the registry's signatures (the built-in catalog): no family
    of built-ins is imported for the check."""
    from .project.contexts import table

    arities: dict[str, tuple[int, int | None]] = {}
    task_names: set[str] = set()
    lows: dict[str, list[int]] = {}
    highs: dict[str, list[int | None]] = {}
    for entry in REGISTRY.signatures():
        for spelling in entry.all_names:
            key = spelling.lower()
            if entry.receivers is None:
                arities[key] = (entry.min_args, entry.max_args)
                if "." in key:
                    task_names.add(entry.name)
            else:
                lows.setdefault(key, []).append(entry.min_args)
                highs.setdefault(key, []).append(entry.max_args)
    functions = frozenset(arities) | frozenset(PLATFORM_ONLY)
    method_arities = {name: (min(lows[name]), None if None in found else max(h for h in found if h is not None))
                      for name, found in highs.items()}
    builtin_tasks = frozenset(name for name in arities if "." in name)
    arities.update({name: arity for name, runner in runtime.tasks.items()
                    if (arity := _task_arity(runner)) is not None})
    return Known(
        functions=functions,
        methods=frozenset(method_arities),
        tasks=frozenset(runtime.tasks) | builtin_tasks,
        system_variables=frozenset(REGISTRY.system_variable_names()) | SYSTEM_VARIABLES,
        spellings=tuple(REGISTRY.names()),
        arities=arities,
        method_arities=method_arities,
        services=table().zoho_services,
        unsimulated=_unsimulated(),
        task_names=tuple(sorted({getattr(_task_spec(runner), "name", key) for key, runner in runtime.tasks.items()}
                                | task_names)),
    )


def _unsimulated() -> dict[str, str]:
    """Functions Zoho documents that deluge-lite does not run yet (stdlib/unsimulated.toml), lower -> spelling."""
    from .data import read_table

    table = read_table("stdlib", "unsimulated.toml")["functions"]
    return {name.lower(): name for name in table if not REGISTRY.has_function(name)}


def _task_spec(runner: Any) -> Any:
    """The catalog entry behind a task runner (a partial of net.tasks.run_task), if it is one."""
    return next((arg for arg in getattr(runner, "args", ()) if hasattr(arg, "args") and hasattr(arg, "path")), None)


def _task_arity(runner: Any) -> tuple[int, int | None] | None:
    """(fewest, most) arguments of a catalog task: its required ones, up to all of them plus a connection."""
    spec = _task_spec(runner)
    if spec is None:
        return None
    required = [index for index, arg in enumerate(spec.args)
                if getattr(arg, "required", False) or (getattr(arg, "to", "") == "path" and arg.default is None)]
    return (max(required) + 1 if required else 0, len(spec.args) + 1)


@fieldclass
class RunResult:
    """What a run produced: the ``info`` lines, the return value, and the mail it wrote."""

    info: list[str] = field(default_factory=list)
    value: Any = None
    outbox: list[Mail] = field(default_factory=list)


class CheckFailed(DelugeCheckError):
    """All static problems of a script at once; the first one gives the position."""

    def __init__(self, problems: list[DelugeCheckError]) -> None:
        first = problems[0]
        super().__init__(first.message, first.span, first.source)
        self.problems = problems

    def render(self) -> str:
        return "\n".join(problem.render() for problem in self.problems)


@fieldclass
class Script:
    """A parsed, checked and compiled script, ready to run."""

    source: Source
    program: ast.Program
    compiled: CompiledProgram
    libraries: list[CompiledProgram] = field(default_factory=list)  # the project's other files

    @property
    def function_names(self) -> list[str]:
        return [fn.full_name for fn in self.program.functions]


class Interpreter:
    """Runs Deluge scripts against one runtime (its info sink, clock, limits, connections)."""

    def __init__(self, runtime: Runtime | None = None) -> None:
        from . import net

        self.runtime = runtime or Runtime()
        self.infer_types = True  # False for the debugger, which may set a paused frame's variables (compiler_types)
        net.install(self.runtime)
        if self.runtime.script_line is None:
            self.runtime.script_line = current_line

    @functools.cached_property
    def known(self) -> Known:
        return known_names(self.runtime)

    def problems(self, text: str, name: str = "<script>", predefined: tuple[str, ...] = ()) -> list[DelugeError]:
        """Syntax and static problems of a script, without running it (``deluge-lite check``)."""
        source = Source(text, name)
        try:
            program = parse(source)
        except DelugeSyntaxError as error:
            return [error]
        found: list[DelugeError] = list(check(program, source, self.known, predefined))
        if not found:
            try:
                compile_program(program, source, quoted_literal=quoted_literal, inputs=predefined)
            except DelugeCheckError as error:
                found.append(error)
        return found

    def load(self, text: str, name: str = "<script>", inputs: tuple[str, ...] = (),
             *, strict_names: bool = False) -> Script:
        """Parse, check and compile. Unknown built-ins are errors only with ``strict_names``."""
        source = Source(text, name)
        program = parse(source)
        found = [problem for problem in check(program, source, self.known, inputs)
                 if strict_names or not problem.message.startswith(("unknown function", "unknown task",
                                                                    "unknown system variable"))]
        if found:
            raise CheckFailed(found)
        compiled = compile_program(program, source, quoted_literal=quoted_literal, inputs=inputs,
                                   infer_types=self.infer_types)
        return Script(source, program, compiled)

    def compile_project(self, program: ast.Program, source: Source, others: list[tuple[Source, ast.Program]],
                        inputs: tuple[str, ...] = ()) -> Script:
        """Compile ``program`` (a file's body with every project function visible) and the other files.

        ``others`` are the project's other files (their Source and their own functions): each
        is compiled with its own Source, so errors and stacks point into the right file.
        """
        libraries: list[CompiledProgram] = []
        every = list(program.functions)
        for other_source, other in others:
            own = {id(fn) for fn in other.functions}
            if not any(id(fn) in own for fn in every):
                continue
            library = ast.Program(other.span, tuple(every), ())
            libraries.append(compile_program(library, other_source, quoted_literal=quoted_literal,
                                             toplevel_globals=True, infer_types=self.infer_types,
                                             compiled_before=[fn for fn in every if id(fn) not in own]))
        mine = {id(fn) for other_source, other in others for fn in other.functions}
        compiled = compile_program(program, source, quoted_literal=quoted_literal, inputs=inputs,
                                   compiled_before=[fn for fn in every if id(fn) in mine],
                                   infer_types=self.infer_types)
        return Script(source, program, compiled, libraries)

    def run(self, text: str, name: str = "<script>", args: dict[str, Any] | None = None) -> RunResult:
        """Run a script's top-level statements; ``args`` become variables (``--arg``)."""
        args = args or {}
        script = self.load(text, name, tuple(args))
        return self.execute(script, args)

    def run_file(self, path: str | Path, args: dict[str, Any] | None = None) -> RunResult:
        return self.run(read_script(path), str(path), args)

    def execute(self, script: Script, args: dict[str, Any] | None = None,
                call: str | None = None, call_args: list[Any] | None = None) -> RunResult:
        with capturing(self.runtime) as result:
            for key in args or {}:
                if not key.isidentifier():
                    raise UsageError(f"'{key}' is not a Deluge variable name")
            namespace = {input_name(key): from_python(value) for key, value in (args or {}).items()}
            execution = link(script.compiled, script.libraries, self.runtime, namespace)
            if call is None:
                result.value = execution.run_main()
            else:
                result.value = execution.call_function(call, [from_python(arg) for arg in call_args or []])
        return result


@contextlib.contextmanager
def capturing(runtime: Runtime) -> Iterator[RunResult]:
    """Collect a run's info lines (still passing them to the runtime's sink) and the mail it wrote."""
    result = RunResult()
    sink = runtime.info
    outbox_start = len(runtime.outbox)
    if not runtime.keep_info:  # streaming: the sink has each line, the result keeps none
        try:
            yield result
        finally:
            result.outbox = runtime.outbox[outbox_start:]
        return

    def capture(line: str) -> None:
        result.info.append(line)
        sink(line)

    runtime.info = capture
    try:
        yield result
    finally:
        runtime.info = sink
        result.outbox = runtime.outbox[outbox_start:]


def read_script(path: str | Path) -> str:
    """Read a script file as UTF-8 text; anything but a readable regular file of sensible size is a clear error.

    The file is opened without blocking (a FIFO cannot hang the open) and checked with
    ``fstat`` on the open descriptor: directories, devices (``/dev/zero``), FIFOs and sockets
    are refused before a byte is read. At most `MAX_SCRIPT_BYTES` + 1 bytes are read, so a
    huge or endless file (``/proc/...``) costs no more than that.
    """
    name = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UsageError(f"no such file: {name}") from None
    except IsADirectoryError:
        raise UsageError(f"{name} is a directory, not a script") from None
    except OSError as error:
        raise UsageError(f"cannot open {name}: {error.strerror or 'not readable'}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"{name} is a directory, not a script")
        if not stat.S_ISREG(mode):
            raise UsageError(f"{name} is not a regular file ({_FILE_KINDS.get(stat.S_IFMT(mode), 'a special file')}); "
                             "give the path of a .dg script")
        data = _read_at_most(descriptor, MAX_SCRIPT_BYTES + 1)
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or 'read error'}") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_SCRIPT_BYTES:  # a script error (exit 1), as the parser's own size check is
        raise DelugeSyntaxError(f"{name} is larger than {MAX_SCRIPT_BYTES:,} bytes; deluge-lite reads scripts up to "
                                f"{MAX_SOURCE_CHARS:,} characters", None, Source("", name))
    if b"\x00" in data[:8192]:
        raise DelugeSyntaxError(f"{name} looks like a binary file, not a Deluge script", None, Source("", name))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DelugeSyntaxError(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at line {line}); save it as UTF-8",
            None, Source("", name)) from None
    return text.removeprefix("\ufeff")


MAX_SCRIPT_BYTES = 4 * MAX_SOURCE_CHARS  # a character takes at most 4 bytes in UTF-8
_FILE_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO",
               stat.S_IFSOCK: "a socket"}


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(descriptor, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class Session:
    """Entries run one after another with shared variables and functions (the REPL's model).

    Top-level variables live in one namespace that survives errors; functions defined in
    an entry stay callable from later entries.
    """

    def __init__(self, interpreter: Interpreter | None = None) -> None:
        self.interpreter = interpreter or Interpreter()
        self.namespace: dict[str, Any] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        self.sources: dict[str, Source] = {}  # code file name -> the entry it came from
        self.entries = 0

    def variables(self) -> dict[str, Any]:
        """The session's variables by (lower-case) name."""
        return {key[2:]: value for key, value in self.namespace.items() if key.startswith("v_")}

    def define(self, name: str, value: Any) -> None:
        """Give the session a variable (a platform context's injected name, an embedder's value)."""
        from .compiler import variable_name

        self.namespace[variable_name(name)] = from_python(value)

    def reset(self) -> None:
        self.namespace.clear()
        self.functions.clear()
        self.sources.clear()

    def execute(self, text: str, name: str = "<repl>") -> RunResult:
        source = Source(text, name)
        program = parse(source)
        functions = dict(self.functions)
        functions.update({fn.full_name.lower(): fn for fn in program.functions})
        program = ast.Program(program.span, tuple(functions.values()), program.statements)
        fresh = [fn for fn in program.functions if fn not in self.functions.values()]
        found = [problem for problem in check(program, source, self.interpreter.known, tuple(self.variables()),
                                              bodies=fresh)
                 if not problem.message.startswith(("unknown function", "unknown task", "unknown system variable"))]
        if found:
            raise CheckFailed(found)
        self.entries += 1
        compiled = compile_program(program, source, quoted_literal=quoted_literal, toplevel_globals=True,
                                   compiled_before=self.functions.values(), code_name=f"{name}#{self.entries}")
        self.functions = functions
        with capturing(self.interpreter.runtime) as result:
            result.value = Execution(compiled, self.interpreter.runtime, self.namespace, self.sources).run_main()
        return result
