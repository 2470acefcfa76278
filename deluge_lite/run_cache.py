"""``deluge-lite run FILE`` from the program cache: a repeated run starts without the front end.

`remember` is called by the ``run`` command after a full run's static pass and compile;
`replay` is tried first by the next ``run``: when the same file (same text, same project
files and settings, same options, same deluge-lite and Python) was run before, it prints
the same warnings, sets the same limits and runs the cached code, without importing lark,
the parser, the checker or the compiler. Only a plain run is cached: one FILE, no
``--call``, ``--arg`` or ``--input``, no ``--sandbox``, no Creator statements, and a body
that needs no argument values; anything else takes the full path. The cache itself is `program_cache`.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable
from types import SimpleNamespace

from . import private_cache, program_cache
from .runtime import Limits, Runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

_OPTION_TYPES = (str, int, float, bool, type(None))
_SKIPPED_OPTIONS = frozenset({"sandbox_instance", "handler", "func"})
PLAIN_OPTIONS_FILE = "run-options.marshal"  # the options of ``run`` command lines, as argparse gave them
PLAIN_KEY = "run FILE"  # the entry of ``run FILE`` alone (no command line is this one string)
REMEMBERED_COMMANDS = 32


def _eligible(options: argparse.Namespace) -> bool:
    files = getattr(options, "files", None) or []
    return (program_cache.enabled() and len(files) == 1 and os.path.isfile(files[0])
            and not getattr(options, "call", None) and not getattr(options, "arg", None)
            and not getattr(options, "input", None) and not getattr(options, "sandbox", False))


def _plain_file(arguments: list[str]) -> str | None:
    """FILE when the command line is ``run FILE`` and nothing else (every option at its default)."""
    if len(arguments) == 2 and arguments[0] == "run" and not arguments[1].startswith("-") and program_cache.enabled():
        return arguments[1]
    return None


def remember_plain_options(arguments: list[str], options: argparse.Namespace) -> None:
    """After argparse read a ``run`` command line the cache can replay: keep its options for
    `plain_options`. ``run FILE`` alone keeps them for every file (they are the defaults); any
    other such command line (``run --max-statements N FILE``) for exactly that command line."""
    if not arguments or arguments[0] != "run" or not _eligible(options):
        return
    values = dict(vars(options))
    plain = _plain_file(arguments) is not None
    if plain:
        values.pop("files", None)
    if not _plain_values(values):
        return
    key = PLAIN_KEY if plain else _command_key(arguments)
    remembered = _remembered()
    if remembered.get(key) == values and list(remembered)[-1:] == [key]:
        return  # kept already, as the newest: no write on every run
    entries = {name: kept for name, kept in remembered.items() if name != key}
    entries[key] = values  # the newest last; the oldest go past REMEMBERED_COMMANDS
    kept = dict(list(entries.items())[-REMEMBERED_COMMANDS:])
    private_cache.store(PLAIN_OPTIONS_FILE,
                        lambda handle: handle.write(marshal.dumps((program_cache.fingerprint(), kept))))


def plain_options(arguments: list[str]) -> Any:
    """The options of a ``run`` command line without argparse: those argparse gave an earlier run
    of this deluge-lite (for ``run FILE``, of any file: a namespace with ``files`` set), or None."""
    if not arguments or arguments[0] != "run" or not program_cache.enabled():
        return None
    file = _plain_file(arguments)
    values = _remembered().get(PLAIN_KEY if file is not None else _command_key(arguments))
    if not _plain_values(values):
        return None
    return SimpleNamespace(**{**values, "files": [file]}) if file is not None else SimpleNamespace(**values)


def _command_key(arguments: list[str]) -> str:
    return "\0".join(arguments)  # no argument holds a NUL


def _remembered() -> dict[str, Any]:
    """The kept options by command line, when they are this deluge-lite's (else none)."""
    stored = private_cache.load(PLAIN_OPTIONS_FILE, lambda handle: marshal.loads(handle.read()))
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == program_cache.fingerprint()
            and isinstance(stored[1], dict)):
        return {}
    return stored[1]


def _plain_values(values: Any) -> bool:
    return isinstance(values, dict) and all(
        isinstance(name, str) and name.isidentifier() and (isinstance(value, _OPTION_TYPES) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value)))
        for name, value in values.items())


def _read(path: str | os.PathLike[str] | None) -> str:
    if path is None:
        return ""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "surrogateescape")
    except OSError:
        return ""


# connections.config's names for the settings file, repeated here so that a cached run does
# not import the connections package (a test checks they stay equal)
CONFIG_FILE = "deluge.toml"
CONFIG_ENV = "DELUGE_LITE_CONFIG"


def _key(options: argparse.Namespace, user_config: str | None) -> str:
    """Everything the run depends on before the script starts: options, files, settings, place.

    Every deluge.toml the settings lookup may choose is read into the key (the explicit one,
    the one the environment names, the one beside the script, the one in the working folder).
    """
    chosen = sorted((name, repr(value)) for name, value in vars(options).items()
                    if name not in _SKIPPED_OPTIONS and isinstance(value, _OPTION_TYPES + (list,)))
    entry = os.path.abspath(options.files[0])
    settings = [user_config, os.environ.get(CONFIG_ENV), os.path.join(os.path.dirname(entry), CONFIG_FILE),
                os.path.join(os.getcwd(), CONFIG_FILE)]
    parts = ["run", repr(chosen), os.getcwd(), entry, _read(entry)]
    for path in settings:
        parts += [str(path or ""), _read(path)]
    return program_cache.key(parts)


def remember(options: argparse.Namespace, user_config: str | None, files: list[tuple[str, str]],
             warnings: list[str], limits: Limits, plan: Any, script: Any,
             system_values: dict[str, Any] | None = None) -> None:
    """Store a plain run's compiled programs, warnings and limits (files: every (path, text) it read)."""
    if not _eligible(options) or plan.variables or plan.call is not None or plan.notices:
        return
    names = set().union(*(_names(program.code) for program in [script.compiled, *script.libraries]))
    if any(name.startswith("__creator_") for name in names):
        return  # Creator's statements need the run's record store, which only the full path sets up
    uses_net = any(program.task_callers for program in [script.compiled, *script.libraries]) or \
        "__invokeurl" in names
    record = {"files": [(os.path.abspath(path), program_cache.text_digest(text)) for path, text in files],
              "warnings": list(warnings), "limits": [limits.statements, limits.call_depth, limits.seconds,
                                                     limits.value_size], "net": bool(uses_net),
              "system": {str(key): str(value) for key, value in (system_values or {}).items()}}
    program_cache.store(_key(options, user_config), [script.compiled, *script.libraries], record)


def _names(code: Any) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if hasattr(constant, "co_names"):
            names |= _names(constant)
    return names


def replay(options: argparse.Namespace, user_config: str | None, make_runtime: Callable[[], Runtime],
           print_value: Callable[[str], None], print_outbox: Callable[[list[Any], Runtime], None]) -> int | None:
    """Run from the cache and return the exit code, or None when there is no usable entry."""
    if not _eligible(options):
        return None
    found = program_cache.load(_key(options, user_config))
    if found is None:
        return None
    programs, record = found
    for path, digest in record["files"]:
        if program_cache.text_digest(_read(path)) != digest:
            return None  # another file of the project changed: take the full path
    for warning in record["warnings"]:
        sys.stderr.write(warning + "\n")
    runtime = make_runtime()
    try:
        runtime.limits = Limits(*record["limits"])
        runtime.system_values = dict(record.get("system", {}))
        if record["net"] or any(name.lower() in _NET_FUNCTIONS for program in programs
                                for name, _, _ in program.function_callers):
            from . import net

            net.install(runtime)
        start = len(runtime.outbox)
        try:
            value, outbox = _execute(runtime, programs[0], programs[1:])
        except Exception:
            print_outbox(runtime.outbox[start:], runtime)  # the mail written before the error is shown too
            raise
        if value is not None:
            from .values import to_text

            print_value(runtime.redact(to_text(value)))
        print_outbox(outbox, runtime)
        return 0
    finally:
        runtime.close()


_NET_FUNCTIONS = frozenset({"geturl", "posturl"})  # built-ins the network layer registers


def _execute(runtime: Runtime, main: Any, libraries: list[Any]) -> tuple[Any, list[Any]]:
    """What `Interpreter.execute` does for a body without inputs: define the other files' functions, run."""
    from .executor import current_line, link

    if runtime.script_line is None:
        runtime.script_line = current_line
    start = len(runtime.outbox)
    value = link(main, libraries, runtime, {}).run_main()
    return value, runtime.outbox[start:]
