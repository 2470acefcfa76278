"""The ``deluge-lite`` command: run, check, builtins, repl, connections.

Exit codes: 0 success; 1 a script error (syntax, check or runtime; rendered with
file:line:col and a caret on stderr); 2 bad usage (one line on stderr); 3 an internal
error in deluge-lite; 130 interrupted. ``info`` lines go to stdout, everything else
to stderr. No Python traceback reaches the user.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from . import __version__
from .errors import DelugeError, InternalError, UsageError
from .runtime import Limits, Runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from .cli_parser import Parser
    from .project.arguments import parse_pairs as parse_args
    from .project.arguments import parse_value as parse_arg_value

EXIT_OK, EXIT_SCRIPT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


# defined by connections/cli.py, only when named (or no command is): their modules (httpx, authlib,
# the store) take a noticeable share of start-up
_CONNECTION_COMMANDS = ("connections", "fake-oauth")


def _build_parser(argv: Sequence[str] = ()) -> Parser:
    """The parser; only the command named in ``argv`` gets its options (all of them when none is named).

    Defining every command's options takes longer than a cached run of a small script, and a
    command never reads another one's options. When the command comes first, the top level
    only dispatches to it (no top-level help can be asked for), so the other commands are left out."""
    from .cli_parser import Parser

    parser = Parser(prog="deluge-lite", description="Run, check and explore Zoho Deluge scripts locally.")
    parser.add_argument("--version", action="version", version=f"deluge-lite {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    chosen = _named_command(argv)
    alone = chosen is not None and list(argv[:1]) == [chosen]
    for name, (help_text, define) in _COMMAND_OPTIONS.items():
        if alone and name != chosen:
            continue
        command = commands.add_parser(name, help=help_text)
        if define is not None and chosen in (None, name):
            define(command)
    if chosen is None or chosen in _CONNECTION_COMMANDS:
        from .connections.cli import add_subparsers as add_connection_commands

        add_connection_commands(commands)
    return parser


def _named_command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, or None when it names none (or one that is not a built-in command)."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return command if command in _COMMAND_OPTIONS or command in _CONNECTION_COMMANDS else None


def _define_run(run: argparse.ArgumentParser) -> None:
    from .cli_run import add_run_options

    add_run_options(run)
    run.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE",
                     help="a variable for the script (repeatable); dotted names build maps: input.id=5")
    run.add_argument("--call", metavar="NAME", help="call this function with the --arg values as its arguments")
    run.add_argument("--sandbox", action="store_true",
                     help="run against a local fake Zoho CRM started (and stopped) for this run")
    run.add_argument("--seed", metavar="FILE", help="with --sandbox: records for the fakes (JSON or CSV)")
    _add_sandbox_options(run)
    _add_runtime_options(run)


def _define_sandbox(sandbox: argparse.ArgumentParser) -> None:
    sandbox.add_argument("--seed", metavar="FILE", help="records to load (JSON {\"Leads\": [...]} or CSV)")
    sandbox.add_argument("--port", type=int, default=0, help="port of the fake CRM (default: a free one)")
    sandbox.add_argument("--dir", metavar="DIR", help="where to write deluge.toml (default: DELUGE_LITE_HOME/sandbox)")
    _add_sandbox_options(sandbox)


def _define_check(check: argparse.ArgumentParser) -> None:
    from .cli_run import add_check_options

    add_check_options(check)


def _define_tasks(tasks: argparse.ArgumentParser) -> None:
    tasks.add_argument("--service", metavar="NAME", help="only this service's tasks (crm, books, creator, ...)")


def _define_fmt(fmt: argparse.ArgumentParser) -> None:
    fmt.add_argument("files", nargs="+", metavar="FILE")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would be reformatted")
    fmt.add_argument("--diff", action="store_true", help="change nothing; print what would change")


def _define_repl(repl: argparse.ArgumentParser) -> None:
    from .cli_run import add_context_option

    _add_runtime_options(repl)
    add_context_option(repl)


def _define_debug(debug: argparse.ArgumentParser) -> None:
    _add_debug_options(debug)
    debug.add_argument("--break-on-http", action="store_true",
                       help="stop before each HTTP call (method, URL and connection, secrets masked)")


# command -> (its line in --help, what defines its options); in the order --help lists them
_COMMAND_OPTIONS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None] | None]] = {
    "run": ("run a .dg script (with the other files or folders of its project)", _define_run),
    "sandbox": ("start a local fake Zoho CRM with a ready connection", _define_sandbox),
    "check": ("check scripts or project folders without running them", _define_check),
    "builtins": ("list the built-in functions with their signatures", None),
    "tasks": ("list the zoho.* integration tasks with their arguments and REST call", _define_tasks),
    "fmt": ("format .dg scripts or folders in place (or check/diff them; '-' is stdin)", _define_fmt),
    "lsp": ("the language server for editors (LSP over stdin/stdout)", None),
    "repl": ("interactive prompt", _define_repl),
    "debug": ("run a .dg script in the terminal debugger", _define_debug),
    "dap": ("a Debug Adapter Protocol server on stdin/stdout (for editors)", None),
}


def _add_sandbox_options(parser: argparse.ArgumentParser) -> None:
    """What the sandbox takes besides --seed (deluge_lite/sandbox)."""
    parser.add_argument("--stub", action="append", default=[], metavar="URL_PREFIX=FILE.json",
                        help="with --sandbox: answer calls to URLs starting with URL_PREFIX with the JSON in FILE "
                             "(connector:NAME=FILE.json answers zoho.crm.invokeConnector); repeatable")
    parser.add_argument("--db", metavar="FILE", help="keep the sandbox's records in this SQLite file between runs")
    parser.add_argument("--module", action="append", default=[], metavar="NAME[:FIELD,...]",
                        help="a custom CRM module (and its mandatory fields); repeatable")


def _sandbox(options: argparse.Namespace) -> Any:
    """The `Sandbox` for --sandbox (its options checked), to use as a context manager."""
    from .sandbox import Sandbox

    if options.config:
        raise UsageError("--sandbox makes its own connection config; leave out --config")
    sandbox = Sandbox(seed=options.seed, stubs=options.stub, db=options.db, modules=options.module,
                      notice=lambda line: sys.stderr.write(line + "\n"))
    script = getattr(options, "file", None) or (getattr(options, "files", None) or [None])[0]
    if script:
        sandbox.serve_functions(script)  # functions/NAME/actions/execute runs the script's own
    options.sandbox_instance = sandbox
    return sandbox


def _add_debug_options(parser: argparse.ArgumentParser) -> None:
    """What `debug` and a DAP `launch` take: the options of `run`."""
    from .cli_run import add_run_options

    add_run_options(parser)
    parser.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--call", metavar="NAME")
    parser.add_argument("--sandbox", action="store_true")
    parser.add_argument("--seed", metavar="FILE")
    _add_sandbox_options(parser)
    _add_runtime_options(parser)


def _add_runtime_options(parser: argparse.ArgumentParser) -> None:
    defaults = Limits()  # the limits of the script's context when not given (CRM's are these)
    parser.add_argument("--max-statements", type=int, metavar="N",
                        help=f"default: the context's limit ({defaults.statements:,} for CRM)")
    parser.add_argument("--max-depth", type=int, metavar="N",
                        help=f"default: the context's limit ({defaults.call_depth} for CRM)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help=f"default: the context's limit ({defaults.seconds:g} s for CRM)")
    parser.add_argument("--max-value-size", type=int, metavar="N",
                        help=f"size budget for values: Text characters plus List/Map elements "
                             f"(default {defaults.value_size:,})")
    parser.add_argument("--timezone", default="UTC", help="time zone for zoho.currenttime (IANA name)")
    parser.add_argument("--user", default="user@example.com", help="zoho.loginuserid / zoho.adminuserid")
    parser.add_argument("--config", metavar="FILE",
                        help="connections config (default: $DELUGE_LITE_CONFIG or ./deluge.toml)")
    parser.add_argument("--trace", action="store_true",
                        help="print one line per HTTP call on stderr (method, URL with secrets masked, status, ms)")
    parser.add_argument("--http-timeout", type=float, default=40.0, metavar="SECONDS")
    parser.add_argument("--smtp", metavar="HOST:PORT",
                        help="also deliver sendmail through this SMTP server (default: outbox only)")
    parser.add_argument("--max-response-mb", type=float, default=20.0, metavar="MB")
    parser.add_argument("--max-memory-mb", type=float, default=1024.0, metavar="MB",
                        help="memory the process may allocate; past it a script stops with an error (default 1024)")


def _runtime(options: argparse.Namespace) -> Runtime:
    for flag, value in (("--max-statements", options.max_statements), ("--max-depth", options.max_depth),
                        ("--timeout", options.timeout), ("--http-timeout", options.http_timeout),
                        ("--max-response-mb", options.max_response_mb),
                        ("--max-value-size", getattr(options, "max_value_size", None)),
                        ("--max-memory-mb", getattr(options, "max_memory_mb", None))):
        if value is not None and (not value > 0 or value == float("inf")):  # also refuses nan
            raise UsageError(f"{flag} must be a positive number, got {value}")
    if options.timezone != "UTC":  # (the default needs no check: zoneinfo loads when a script uses a date)
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(options.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"unknown time zone '{options.timezone}' (use an IANA name such as Asia/Kolkata)") \
                from None
    limits = limits_for(options, None)
    _cap_memory(getattr(options, "max_memory_mb", None))
    config = options.config

    sandbox = getattr(options, "sandbox_instance", None)

    def load_connections() -> Any:
        from .connections import ConnectionRegistry

        if sandbox is not None:
            return sandbox.registry()

        return ConnectionRegistry.load(config)

    def trace(line: str) -> None:
        sys.stderr.write(f"trace: {line}\n")

    mail_sender = None
    if options.smtp:
        import os
        from functools import partial

        from .net.mail import SmtpSettings, send

        mail_sender = partial(send, SmtpSettings.parse(options.smtp, dict(os.environ)))
    return Runtime(info=_print_info, limits=limits, timezone=options.timezone, user=options.user,
                   mail_sender=mail_sender,
                   connections_loader=load_connections, http_timeout=options.http_timeout,
                   max_response_bytes=int(options.max_response_mb * 1024 * 1024),
                   trace=trace if options.trace else None,
                   url_router=sandbox.router if sandbox is not None else None,
                   creator_store=sandbox.creator_store() if sandbox is not None else None)


def limits_for(options: argparse.Namespace, context: Any) -> Limits:
    """The run limits: each flag given, else the context's figure, else the default (CRM's)."""
    defaults = Limits()
    statements, seconds, depth = defaults.statements, defaults.seconds, defaults.call_depth
    if context is not None:
        statements, seconds, depth = context.limits.statements, context.limits.seconds, context.limits.depth
    return Limits(options.max_statements or statements, options.max_depth or depth, options.timeout or seconds,
                  getattr(options, "max_value_size", None) or defaults.value_size)


def _cap_memory(megabytes: float | None) -> None:
    """Cap the data this process may allocate (RLIMIT_DATA), never raising an existing lower cap.

    Past it an allocation fails and the executor turns the MemoryError into a Deluge
    LimitExceeded at the script's line, instead of the machine running out (issue 13).
    """
    try:
        import resource
    except ImportError:  # not on Windows
        return
    if megabytes is None:
        return
    wanted = int(megabytes * 1024 * 1024)
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft > wanted:
        resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))


def _print_info(line: str) -> None:
    sys.stdout.write(line + "\n")


# ---------------------------------------------------------------- --arg values

# parse_arg_value: --arg values (JSON when they parse, else Text); parse_args: name=value pairs
# (dotted names build maps). Both live in project.arguments, imported on first use (PEP 562).
_ARGUMENT_FUNCTIONS = {"parse_arg_value": "parse_value", "parse_args": "parse_pairs"}


def __getattr__(name: str) -> Any:
    if name in _ARGUMENT_FUNCTIONS:
        from .project import arguments

        return getattr(arguments, _ARGUMENT_FUNCTIONS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- commands

def _command_run(options: argparse.Namespace) -> int:
    if options.sandbox:
        with _sandbox(options) as sandbox:
            options.config = str(sandbox.config_path)
            try:
                return _run_script(options, None)
            finally:
                for line in sandbox.report():
                    sys.stderr.write(line + "\n")
    for flag, value in (("--seed", options.seed), ("--stub", options.stub), ("--db", options.db),
                        ("--module", options.module)):
        if value:
            raise UsageError(f"{flag} only goes with --sandbox")
    return _run_script(options, options.config)


def _command_sandbox(options: argparse.Namespace) -> int:
    import os
    import threading
    from pathlib import Path

    from .sandbox import Sandbox

    home = Path(os.environ.get("DELUGE_LITE_HOME") or _default_home())
    config_dir = Path(options.dir) if options.dir else home / "sandbox"
    with Sandbox(seed=options.seed, port=options.port, config_dir=config_dir, stubs=options.stub, db=options.db,
                 modules=options.module) as sandbox:
        for line in sandbox.describe():
            sys.stdout.write(line + "\n")
        sys.stdout.write("press Ctrl-C to stop\n")
        sys.stdout.flush()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            sys.stdout.write("sandbox stopped\n")
    return EXIT_OK


def _default_home() -> str:
    import platformdirs

    return platformdirs.user_data_dir("deluge-lite")


def _run_script(options: argparse.Namespace, user_config: str | None = None) -> int:
    from .run_cache import replay

    code = replay(options, user_config, lambda: _streaming(_runtime(options)), _print_info, _print_outbox)
    if code is not None:  # a plain run of an unchanged file: from the program cache
        return code
    from .cli_run import run_command
    from .interpreter import Interpreter

    interpreter = Interpreter(_streaming(_runtime(options)))
    return run_command(options, interpreter, lambda context: limits_for(options, context), user_config,
                       _print_info, _print_outbox)


def _cached_plain_run(arguments: list[str]) -> int | None:
    """``run FILE`` (nothing else) of an unchanged file, from the program cache without building the
    argparse parser (its import and the options' definitions are a share of a cached run); None otherwise."""
    from .run_cache import plain_options, replay

    options = plain_options(arguments)
    if options is None:
        return None
    return replay(options, options.config, lambda: _streaming(_runtime(options)), _print_info, _print_outbox)


def _print_outbox(outbox: list[Any], runtime: Runtime) -> None:
    for number, mail in enumerate(outbox, start=1):
        _print_mail(number, mail, runtime)


def _print_mail(number: int, mail: Any, runtime: Runtime) -> None:
    sys.stderr.write(mail.render(number, runtime.mail_sender is not None, runtime.redact) + "\n")


def _streaming(runtime: Runtime) -> Runtime:
    """A `run`'s runtime: info lines and mail are printed as they happen and not kept (a long run holds neither)."""
    import itertools

    numbers = itertools.count(1)
    runtime.keep_info = False
    runtime.mail_sink = lambda mail: _print_mail(next(numbers), mail, runtime)
    return runtime


def _debug_target(options: argparse.Namespace, stack: Any) -> Any:
    """The debugger's target for `debug` / a DAP launch: prepared as `run` prepares (a --sandbox is
    started on ``stack``)."""
    from .cli_run import prepare_run
    from .debug.engine import Target
    from .interpreter import Interpreter

    user_config = options.config
    if options.sandbox:
        options.config = str(stack.enter_context(_sandbox(options)).config_path)
        user_config = None
    elif options.seed:
        raise UsageError("--seed only goes with --sandbox")
    interpreter = Interpreter(_streaming(_runtime(options)))  # info and mail printed as they happen, as in run
    interpreter.infer_types = False  # a paused frame's variables can be set to anything
    stack.callback(interpreter.runtime.close)
    _project, checked, plan, script = prepare_run(options, interpreter, lambda context: limits_for(options, context),
                                                  user_config)
    return Target(interpreter, script, plan.variables, plan.call, plan.call_args,
                  context_names=tuple(checked.context.names))


def _command_debug(options: argparse.Namespace) -> int:
    import contextlib

    from .debug.terminal import debug_in_terminal

    with contextlib.ExitStack() as stack:
        return debug_in_terminal(_debug_target(options, stack), break_on_http=options.break_on_http)


def _command_dap(_options: argparse.Namespace) -> int:
    from .debug.dap import serve_stdio

    def make_target(argv: list[str], stack: Any) -> Any:
        from .cli_parser import Parser

        launch = Parser(prog="launch")
        _add_debug_options(launch)
        return _debug_target(launch.parse_args(argv), stack)

    return serve_stdio(make_target)


def _command_check(options: argparse.Namespace) -> int:
    from .cli_run import check_command

    return check_command(options)


def _command_builtins(options: argparse.Namespace) -> int:
    from .builtins import REGISTRY

    for entry in sorted(REGISTRY.all, key=lambda e: e.name.lower()):
        aliases = f"  (also: {', '.join(entry.aliases)})" if entry.aliases else ""
        sys.stdout.write(f"{entry.signature()}{aliases}\n")
    sys.stdout.write(f"{len(REGISTRY.names())} names ({len(REGISTRY.all)} built-ins plus aliases)\n")
    return EXIT_OK


def _command_tasks(options: argparse.Namespace) -> int:
    from .net.tasks import describe_catalog

    lines = describe_catalog(options.service)
    if not lines:
        raise UsageError(f"no tasks for the service '{options.service}' (see deluge-lite tasks)")
    for line in lines:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"{len(lines)} tasks\n")
    return EXIT_OK


def _command_repl(options: argparse.Namespace) -> int:
    try:
        from .repl import start_repl
    except ImportError:
        raise UsageError("the REPL is not part of this build yet") from None
    runtime = _runtime(options)
    context = None
    if options.context:
        from .project import contexts

        context = contexts.get(options.context)
        runtime.limits = limits_for(options, context)
        runtime.system_values = dict(context.system)
        runtime.context = context.name
        if context.name == "creator" and runtime.creator_store is None:
            from .sandbox.creator_store import memory_store

            runtime.creator_store = memory_store()  # Creator statements in the REPL: records for the session
    return start_repl(runtime, context=context)


def _command_lsp(options: argparse.Namespace) -> int:
    from .lsp import serve

    return serve()


def _command_fmt(options: argparse.Namespace) -> int:
    from .format.command import Options, run

    return run(Options(tuple(options.files), check=options.check, diff=options.diff))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "fmt": _command_fmt, "lsp": _command_lsp,
    "run": _command_run, "check": _command_check, "builtins": _command_builtins, "repl": _command_repl,
    "sandbox": _command_sandbox, "debug": _command_debug, "dap": _command_dap, "tasks": _command_tasks,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        cached = _cached_plain_run(arguments)
        if cached is not None:
            return cached
        parser = _build_parser(arguments)
        options = parser.parse_args(arguments)
        if options.command == "run":
            from .run_cache import remember_plain_options

            remember_plain_options(arguments, options)
        if options.command is None and argv is None and len(sys.argv) > 1:
            raise UsageError(f"unknown command '{sys.argv[1]}'")
        if options.command is None:
            if sys.stdin.isatty() and "repl" in COMMANDS:
                options = parser.parse_args(["repl"])
            else:
                raise UsageError("missing command (run, check, builtins, repl); see 'deluge-lite --help'")
        handler = getattr(options, "connections_handler", None)
        if handler is not None:
            return handler(options)
        return COMMANDS[options.command](options)
    except UsageError as error:
        sys.stderr.write(f"deluge-lite: error: {error}\n")
        return EXIT_USAGE
    except DelugeError as error:
        sys.stdout.flush()
        sys.stderr.write(error.render() + "\n")
        return EXIT_SCRIPT
    except InternalError as error:
        sys.stdout.flush()
        sys.stderr.write(f"deluge-lite: internal error (a bug in deluge-lite, not in your script):\n{error}\n")
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        sys.stderr.write("deluge-lite: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``deluge-lite run x | head``): stop quietly
        _silence_stdout()
        return EXIT_OK
    except Exception as error:  # last line of defence: never a traceback
        sys.stderr.write(f"deluge-lite: internal error (a bug in deluge-lite): {type(error).__name__}: {error}\n")
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    """Point stdout at the null device so Python's flush at exit cannot fail on the closed pipe again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


__all__ = ["main", "parse_args", "parse_arg_value"]
