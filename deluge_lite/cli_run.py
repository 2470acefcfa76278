"""The ``run`` and ``check`` commands: project files, contexts, arguments, the static pass.

``run FILE [FILE|DIR ...]`` runs the first file's body (or ``--call NAME``) with every
function of the project visible; before anything runs it performs the static pass of
``check`` (an error stops the run before the first side effect; warnings are printed),
matches ``--arg``/``--input`` values to the body's arguments and the context's names,
and prints the value of a top-level ``return`` the way Zoho's console shows a result.
``check FILE|DIR ...`` prints every finding with its code and severity (or JSON lines with
``--format json``) and fails only on errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from .errors import DelugeError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .project import contexts
    from .project.files import Project, ProjectFile
    from .project.runner import FileCheck

MAX_INPUT_BYTES = 20 * 1024 * 1024


def add_context_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--context", metavar="NAME", type=_context_name,
                        help="the Zoho product the script runs in (%(contexts)s); "  # listed by cli._HelpFormatter
                             "default: from the function header or the names it reads, else crm")


def _context_name(text: str) -> str:
    from .project import contexts

    return contexts.get(text).name  # an unknown name is a usage error with a did-you-mean


def add_run_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("files", nargs="+", metavar="FILE",
                     help="the script to run, then other files or folders of its project")
    run.add_argument("--input", metavar="FILE", help="a JSON object of argument and context values")
    add_context_option(run)


def add_check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument("files", nargs="+", metavar="FILE", help="scripts or project folders")
    check.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE",
                       help="accepted as in run; a body's arguments are inferred and listed as a note")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json: one JSON object per finding on stdout")
    check.add_argument("--config", metavar="FILE", help="the deluge.toml with [project] and [check] settings")
    add_context_option(check)


def read_input(path: str) -> dict[str, Any]:
    """The ``--input`` file: a JSON object (argument and context names -> values)."""
    import json
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise UsageError(f"--input {path}: {'not a regular file' if file.exists() else 'no such file'}")
    with file.open("rb") as handle:
        data = handle.read(MAX_INPUT_BYTES + 1)  # never more than the limit, whatever the file holds
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"--input {path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"--input {path}: not JSON ({error})") from None
    if not isinstance(value, dict):
        raise UsageError(f"--input {path}: must be a JSON object of names and values, got a "
                         f"{type(value).__name__.replace('dict', 'object').replace('list', 'list')}")
    for key in value:
        if not key.isidentifier():
            raise UsageError(f"--input {path}: '{key}' is not a Deluge variable name")
    return value


def _project(paths: list[str], config: str | None) -> Project:
    from .project import settings as project_settings
    from .project.files import load, script_paths

    settings = project_settings.load(project_settings.find(config, paths))
    return load(script_paths(paths, settings), settings)


def _entry(project: Project, first: str, call: str | None) -> ProjectFile:
    if not os.path.isdir(first):
        return project.files[0]
    if call is None:
        raise UsageError(f"{first} is a folder: name the file to run first, or the function with --call NAME")
    wanted = call.lower()
    for file in project.files:
        if any(wanted in (fn.full_name.lower(), fn.name.lower()) for fn in file.program.functions):
            return file
    return project.files[0]


def run_command(options: argparse.Namespace, interpreter: Any, limits_for: Callable[[contexts.Context], Any],
                user_config: str | None, print_value: Callable[[str], None],
                print_outbox: Callable[[list[Any], Any], None]) -> int:
    """``deluge-lite run``: the static pass, the values, then the run (``interpreter`` is closed after)."""
    try:
        project, checked, plan, script = prepare_run(options, interpreter, limits_for, user_config)
        from .run_cache import remember  # the next plain run of the same file starts from the cache

        remember(options, user_config, [(file.path, file.source.text) for file in project.files],
                 [item.render() for item in checked.diagnostics if item.severity == "warning"],
                 interpreter.runtime.limits, plan, script, system_values=interpreter.runtime.system_values)
        outbox_start = len(interpreter.runtime.outbox)
        try:
            result = interpreter.execute(script, plan.variables, call=plan.call, call_args=plan.call_args)
        except Exception:
            print_outbox(interpreter.runtime.outbox[outbox_start:], interpreter.runtime)  # mail before the error
            raise
        if plan.call is not None or result.value is not None:
            from .values import to_text

            print_value(interpreter.runtime.redact(to_text(result.value)))
        print_outbox(result.outbox, interpreter.runtime)
        return 0
    finally:
        interpreter.runtime.close()


def prepare_run(options: argparse.Namespace, interpreter: Any, limits_for: Callable[[contexts.Context], Any],
                user_config: str | None) -> tuple[Project, FileCheck, Any, Any]:
    """What `run` does before running (also the debugger's start): the project, the static pass
    (warnings printed, errors raised), the limits, the values and the compiled script."""
    from .project.arguments import parse_pairs

    project = _project(options.files, user_config)
    given: dict[str, Any] = read_input(options.input) if options.input else {}
    given.update(parse_pairs(options.arg))
    entry = _entry(project, options.files[0], options.call)
    checked = _checked(project, entry, interpreter, options.context, compiles=False)  # compiled below
    interpreter.runtime.limits = limits_for(checked.context)
    interpreter.runtime.system_values = dict(checked.context.system)
    _creator_store(interpreter.runtime, checked.context.name, project)
    for item in checked.diagnostics:
        if item.severity == "warning":
            sys.stderr.write(item.render() + "\n")
    if checked.errors:
        from .interpreter import CheckFailed

        raise CheckFailed(checked.errors)
    from .project.runner import compile_entry, prepare

    plan = prepare(checked, given, call=options.call, every_function=project.functions())
    script = compile_entry(interpreter, project, entry, plan.variables)
    for notice in plan.notices:
        sys.stderr.write(f"deluge-lite: {notice}\n")
    return project, checked, plan, script


def _creator_store(runtime: Any, context: str, project: Project) -> None:
    """The run's context, and in Creator the store of its own statements: the sandbox's under
    --sandbox, else one in memory for this run (said once on stderr when the script uses it)."""
    runtime.context = context
    if context != "creator" or runtime.creator_store is not None:
        return
    from .project import contexts

    if any(contexts.has_creator_statements(file.program) for file in project.files):
        from .sandbox.creator_store import memory_store

        runtime.creator_store = memory_store()
        sys.stderr.write("deluge-lite: Creator statements use an in-memory record store for this run "
                         "(run --sandbox, with --db FILE to keep the records)\n")


def _checked(project: Project, entry: ProjectFile, interpreter: Any, context: str | None,
             compiles: bool = True) -> FileCheck:
    from .project.runner import check_file

    return check_file(project, entry, interpreter.known, context=context, compiles=compiles)


def check_command(options: argparse.Namespace) -> int:
    """``deluge-lite check``: every finding of every file; exit 1 when any is an error."""
    from .interpreter import Interpreter, read_script
    from .parser import parse
    from .project import settings as project_settings
    from .project.arguments import parse_pairs
    from .project.files import Project, ProjectFile, script_paths
    from .runtime import Runtime
    from .source import Source

    interpreter = Interpreter(Runtime(info=lambda _line: None))
    parse_pairs(options.arg)  # checked for form only: a body's arguments are inferred (notes)
    totals = {"error": 0, "warning": 0, "note": 0}
    settings = project_settings.load(project_settings.find(options.config, options.files))
    failed_files = 0
    files: list[ProjectFile] = []
    paths = script_paths(options.files, settings)
    for path in paths:
        try:
            source = Source(read_script(path), path)
            files.append(ProjectFile(path, source, parse(source)))
        except DelugeError as error:  # the file does not parse: its one finding
            _emit(options.format, [_as_diagnostic(error)])
            totals["error"] += 1
            failed_files += 1
    project = Project(files, settings)
    for file in files:
        checked = _checked(project, file, interpreter, options.context)
        _emit(options.format, checked.diagnostics)
        for item in checked.diagnostics:
            totals[item.severity] += 1
        failed = any(item.severity == "error" for item in checked.diagnostics)
        failed_files += failed
        if options.format == "text" and not failed:
            sys.stderr.write(f"{file.path}: ok ({checked.context.title})\n")
    if options.format == "text" and len(paths) > 1:
        sys.stderr.write(f"{totals['error']} errors, {totals['warning']} warnings, {totals['note']} notes\n")
    interpreter.runtime.close()
    return 1 if failed_files else 0


def _as_diagnostic(error: DelugeError) -> Any:
    from .diagnostics import from_error

    return from_error(error, "DL001")


def _emit(form: str, found: list[Any]) -> None:
    for item in found:
        if form == "json":
            import json

            sys.stdout.write(json.dumps(item.as_json(), ensure_ascii=False) + "\n")
        else:
            sys.stderr.write(item.render() + "\n")


__all__ = ["add_check_options", "add_context_option", "add_run_options", "check_command", "read_input",
           "run_command"]
