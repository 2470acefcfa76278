"""Checking and running project files as Zoho would: context, arguments, the static pass first.

`check_file()` is the static pass of one file of a project (what ``deluge-lite check``
prints and what ``run`` does before running). `prepare()` turns a file and the values the
user gave (``--arg``, ``--input``) into what the interpreter runs: the compiled script with
the project's other files, the variables for its arguments and the platform's injected
names, and the notices that say where each value came from. Every problem with the
values is one `UsageError` naming all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .. import ast
from ..check import Analysis, Known, analyze, assigned_anywhere
from ..compiler import compile_program
from ..diagnostics import Diagnostic, from_error, keep
from ..errors import DelugeCheckError, DelugeError, UsageError
from ..fieldclass import field, fieldclass
from . import contexts
from .arguments import ArgSpec, convert, declared_in_comments, missing_message
from .files import Project, ProjectFile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass
class FileCheck:
    """The static pass over one file: its findings, context and arguments."""

    file: ProjectFile
    context: contexts.Context
    context_reason: str
    analysis: Analysis
    declared: list[ArgSpec]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [item for item in self.diagnostics if item.severity == "error"]

    @property
    def arguments(self) -> list[str]:
        """Declared arguments first, then the inferred ones not declared."""
        names = [spec.name for spec in self.declared]
        lowered = {name.lower() for name in names}
        return names + [name for name, _ in self.analysis.arguments if name.lower() not in lowered]


def _declared(project: Project, file: ProjectFile) -> list[ArgSpec]:
    specs = declared_in_comments(file.source)
    names = [file.stem, *(fn.full_name for fn in file.program.functions), *(fn.name for fn in file.program.functions)]
    settings = project.settings.for_function(*names)
    seen = {spec.name.lower() for spec in specs}
    return specs + [spec for spec in settings.args if spec.name.lower() not in seen]


def context_for(project: Project, file: ProjectFile, requested: str | None) -> tuple[contexts.Context, str]:
    """The context asked for, else the one deluge.toml names for the function or project, else detected."""
    names = [file.stem, *(fn.full_name for fn in file.program.functions)]
    configured = project.settings.for_function(*names).context or project.settings.context
    if requested:
        return contexts.get(requested), "from --context"
    if configured:
        return contexts.get(configured), f"from {project.settings.path}"
    return contexts.detect(project.program_for(file))


def compile_entry(interpreter: Any, project: Project, file: ProjectFile, inputs: Iterable[str]) -> Any:
    """The `Script` of ``file`` to run: its body with every project function visible, the other
    files compiled as its libraries. What only compiling finds is a check error (DL304), as
    `check_file` reports it (callers that compile next pass it ``compiles=False``)."""
    from ..interpreter import CheckFailed

    others = [(other.source, other.program) for other in project.files if other is not file]
    try:
        return interpreter.compile_project(project.program_for(file), file.source, others, tuple(inputs))
    except DelugeCheckError as error:
        raise CheckFailed([from_error(error, "DL304")]) from None


def check_file(project: Project, file: ProjectFile, known: Known, *, context: str | None = None,
               duplicates: bool = True, compiles: bool = True) -> FileCheck:
    """The static pass over ``file`` with every project function visible (bodies of ``file`` only).

    ``compiles=False`` leaves out the trial compile (what only compiling finds, DL304): for a
    caller that compiles the file next anyway and reports its errors the same way (``run``)."""
    chosen, reason = context_for(project, file, context)
    declared = _declared(project, file)
    program = project.program_for(file)
    predefined = [spec.name for spec in declared]  # given values are matched to arguments later
    analysis = analyze(program, file.source, known, predefined, bodies=file.program.functions, arguments=True,
                       platform=chosen.names,
                       sources=project.sources() if len(project.files) > 1 else None)
    found = list(analysis.diagnostics)
    if duplicates:
        found.extend(item for item in project.duplicates() if item.source is file.source)
    creator = contexts.first_creator_statement(file.program) if chosen.name != "creator" else None
    if creator is not None:
        found.append(Diagnostic("DL209", f"a Zoho Creator statement: {chosen.title} has no Creator forms "
                                "(check and run it with --context creator)", creator.span, file.source))
    if analysis.platform_names:
        found.append(Diagnostic("DL104", f"reads what {chosen.title} injects: {', '.join(analysis.platform_names)}",
                                None, file.source))
    unresolved = any(item.code == "DL211" for item in found)  # the compiler would refuse those calls
    if compiles and not unresolved and not any(item.severity == "error" for item in found):
        from ..interpreter import quoted_literal  # the interpreter owns what a quoted literal means

        try:  # what only compiling finds (a parameter declared twice, ...)
            compile_program(program, file.source, quoted_literal=quoted_literal)
        except DelugeCheckError as error:
            found.append(from_error(error, "DL304"))
    result = FileCheck(file, chosen, reason, analysis, declared)
    result.diagnostics = keep(found, project.settings.ignore)
    return result


@fieldclass
class Prepared:
    """What to run: the variables for the body (or the function to call and its arguments)."""

    variables: dict[str, Any]
    call: str | None = None
    call_args: list[Any] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def prepare(checked: FileCheck, given: Mapping[str, Any], *, call: str | None = None,
            every_function: Iterable[ast.FunctionDef] = ()) -> Prepared:
    """Match the given values to the body's arguments (or ``call``'s parameters) and the context's names."""
    file = checked.file
    functions = list(every_function) or list(file.program.functions)
    if call is None and not file.program.statements and file.program.functions:
        only = file.program.functions
        given_keys = {key.lower() for key in given}
        if len(only) == 1 and all(p.name.name.lower() in given_keys for p in only[0].params):
            call = only[0].full_name
        else:
            listed = ", ".join(f"{fn.full_name}({', '.join(p.name.name for p in fn.params)})" for fn in only)
            raise UsageError(f"{file.path} only defines functions, so running it does nothing: {listed}; "
                             f"call one with --call NAME and its arguments as --arg NAME=VALUE")
    if call is not None:
        return _prepare_call(checked, given, call, functions)
    return _prepare_body(checked, given)


def _lookup(given: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    return {key.lower(): (key, value) for key, value in given.items()}


def _prepare_body(checked: FileCheck, given: Mapping[str, Any]) -> Prepared:
    values = _lookup(given)
    variables: dict[str, Any] = {}
    notices: list[str] = []
    missing: list[str] = []
    specs = {spec.name.lower(): spec for spec in checked.declared}
    for name in checked.arguments:
        spec = specs.get(name.lower())
        if name.lower() in values:
            value = values[name.lower()][1]
            variables[name] = convert(value, spec.type if spec else None, name)
        elif spec is not None and spec.has_default:
            variables[name] = spec.default
        else:
            missing.append(name)
    if missing:
        raise _missing_arguments(checked, missing)
    filled: list[str] = []
    for name in checked.analysis.platform_names:
        if name.lower() in values:
            variables[name] = values[name.lower()][1]
        else:
            injected = checked.context.injected(name)
            variables[name] = injected.default if injected is not None else None
            filled.append(name)
    if filled:
        notices.append(f"{checked.context.title} context ({checked.context_reason}): sample value"
                       f"{'s' if len(filled) > 1 else ''} for {', '.join(filled)}; give real ones with "
                       f"--arg NAME=VALUE or --input FILE")
    accepted = {name.lower() for name in variables}
    unknown = [key for key in given if key.lower() not in accepted]
    if unknown:
        raise UsageError(_unknown_message(checked, unknown))
    return Prepared(variables, notices=notices)


def _prepare_call(checked: FileCheck, given: Mapping[str, Any], call: str,
                  functions: list[ast.FunctionDef]) -> Prepared:
    wanted = call.lower()
    fn = next((f for f in functions if f.full_name.lower() == wanted), None) or \
        next((f for f in functions if f.name.lower() == wanted), None)
    if fn is None:
        names = [f.full_name for f in functions]
        by_short = {f.name.lower(): f.full_name for f in functions}
        import difflib  # (difflib loads only for a name to correct)

        match = difflib.get_close_matches(call.lower().split(".")[-1], list(by_short), n=1, cutoff=0.6)
        hint = f"; did you mean '{by_short[match[0]]}'?" if match else ""
        raise UsageError(f"no function '{call}' in {checked.file.path}{hint} (defined: {', '.join(names) or 'none'})")
    values = _lookup(given)
    params = [p.name.name for p in fn.params]
    missing = [name for name in params if name.lower() not in values]
    if missing:
        flags = " ".join(f"--arg {name}=VALUE" for name in missing)
        raise UsageError(f"{fn.full_name} needs a value for its parameter{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)}: pass {flags}")
    extra = [key for key in given if key.lower() not in {name.lower() for name in params}]
    if extra:
        hint = _did_you_mean(extra[0], params)
        raise UsageError(f"{fn.full_name} has no parameter named {', '.join(extra)}{hint} "
                         f"(its parameters: {', '.join(params) or 'none'})")
    args = [convert(values[p.name.name.lower()][1], p.type_name, p.name.name) for p in fn.params]
    return Prepared({}, call=fn.full_name, call_args=args)


def _missing_arguments(checked: FileCheck, missing: list[str]) -> DelugeError:
    """Zoho's error for a read of an undefined variable, at the first one, naming every missing argument."""
    from ..interpreter import CheckFailed

    spans = {name.lower(): span for name, span in checked.analysis.arguments}
    first = min(missing, key=lambda name: (spans[name.lower()].line, spans[name.lower()].col)
                if name.lower() in spans else (0, 0))
    error = Diagnostic("DL101", f"Variable '{first}' is not defined", spans.get(first.lower()),
                       checked.file.source, hint=missing_message(_what(checked.file), missing))
    return CheckFailed([error])


def _what(file: ProjectFile) -> str:
    return f"{file.path}"


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    import difflib  # (difflib loads only for a name to correct)

    pool = {candidate.lower(): candidate for candidate in candidates}
    match = difflib.get_close_matches(name.lower(), list(pool), n=1, cutoff=0.6)
    return f"; did you mean '{pool[match[0]]}'?" if match else ""


def _unknown_message(checked: FileCheck, unknown: list[str]) -> str:
    assigned = assigned_anywhere(checked.file.program.statements)
    first = unknown[0]
    if first.lower() in assigned:
        return (f"--arg {first}: {checked.file.path} assigns '{first}' itself, so it is not an argument "
                f"(its arguments: {', '.join(checked.arguments) or 'none'})")
    names = [*checked.arguments, *checked.context.names]
    hint = _did_you_mean(first, names)
    return (f"--arg {', '.join(unknown)}: {checked.file.path} reads no such argument{hint} "
            f"(its arguments: {', '.join(checked.arguments) or 'none'})")


__all__ = ["FileCheck", "Prepared", "check_file", "context_for", "prepare"]
