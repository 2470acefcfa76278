"""The REPL's meta-commands (``:help``, ``:vars``, ``:reset``, ``:load``, ``:connections``, ``:trace``, ``:quit``).

`COMMANDS` is the table: name -> `MetaCommand` (argument text, help line, handler). A
handler takes the `Shell` and the argument text and returns False when it failed.
`run_meta(shell, line)` parses one ``:command args`` line and dispatches through the
table, suggesting the nearest name for a typo. Nothing here reads the terminal.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from ..fieldclass import fieldclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .shell import Shell

__all__ = ["COMMANDS", "MetaCommand", "run_meta", "short_value"]

SHORT_VALUE_CHARS = 60


@fieldclass(frozen=True)
class MetaCommand:
    name: str
    args: str
    help: str
    handler: Callable[[Shell, str], bool]


def short_value(value: Any, runtime: Any = None, limit: int = SHORT_VALUE_CHARS) -> str:
    """A value in ``info`` format on one line, cut to ``limit`` characters, secrets masked."""
    from ..values import to_text

    text = to_text(value).replace("\r", "\\r").replace("\n", "\\n")
    if runtime is not None:
        text = runtime.redact(text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# ---------------------------------------------------------------- handlers

def _help(shell: Shell, _arg: str) -> bool:
    width = max(len(f":{c.name} {c.args}".rstrip()) for c in COMMANDS.values())
    lines = ["Type Deluge statements; they run when complete and keep their variables.",
             "A bare expression (m.get(\"a\")) prints its value. An unfinished statement continues on '...'.",
             "Tab completes; Esc Enter inserts a line break; Ctrl-C cancels; Ctrl-D exits.", ""]
    lines += [f"  {(':' + c.name + ' ' + c.args).rstrip():<{width + 1}}  {c.help}" for c in COMMANDS.values()]
    shell.write("\n".join(lines))
    return True


def _vars(shell: Shell, _arg: str) -> bool:
    from ..values import type_name

    variables = shell.session.variables()
    if variables:
        width = max(len(name) for name in variables)
        kinds = {name: type_name(value) for name, value in variables.items()}
        kind_width = max(len(kind) for kind in kinds.values())
        for name in sorted(variables):
            shell.write(f"{name:<{width}}  {kinds[name]:<{kind_width}}  "
                        f"{short_value(variables[name], shell.runtime)}")
    else:
        shell.write("no variables yet")
    functions = sorted(fn.full_name for fn in shell.session.functions.values())
    if functions:
        shell.write("functions: " + ", ".join(functions))
    return True


def _reset(shell: Shell, _arg: str) -> bool:
    shell.session.reset()
    shell.write("session reset: variables and functions cleared")
    return True


def _load(shell: Shell, arg: str) -> bool:
    """``:load FILE [FILE ...]``: each file in turn (quote a name with spaces); stops at the first failure."""
    import shlex

    try:
        paths = shlex.split(arg)
    except ValueError as error:
        shell.warn(f"error: :load {arg}: {error}")
        return False
    if not paths:
        shell.warn("error: :load needs a file name (:load path/to/script.dg [more.dg ...])")
        return False
    return all(shell.run_file(path) for path in paths)


def _connections(shell: Shell, _arg: str) -> bool:
    registry = shell.connection_registry()
    if registry is None:
        shell.write(shell.registry_problem or "no connections configured")
        return True
    links = shell.links()
    if not links:
        shell.write("no connections configured")
        return True
    for link in links:
        try:
            connection = registry.get(link)
            service = connection.service
            auth = getattr(connection.auth_type, "value", connection.auth_type)
            shell.write(f"{link}  {service.name} ({auth})")
        except Exception:
            shell.write(link)
    return True


def _trace(shell: Shell, arg: str) -> bool:
    word = arg.strip().lower()
    if word in ("on", "off"):
        shell.set_trace(word == "on")
    elif word:
        shell.warn(f"error: :trace takes on or off, got '{arg.strip()}'")
        return False
    shell.write(f"trace is {'on' if shell.trace else 'off'}")
    return True


def _outbox(shell: Shell, _arg: str) -> bool:
    if not shell.show_mail():
        shell.write("no mail written in this session")
    return True


def _quit(shell: Shell, _arg: str) -> bool:
    shell.done = True
    return True


COMMANDS: dict[str, MetaCommand] = {command.name: command for command in (
    MetaCommand("help", "", "this help", _help),
    MetaCommand("vars", "", "the session's variables: name, type, short value", _vars),
    MetaCommand("reset", "", "forget all variables and functions", _reset),
    MetaCommand("load", "FILE...", "run script files into the session (their functions stay defined)", _load),
    MetaCommand("connections", "", "the connection link names you can use", _connections),
    MetaCommand("outbox", "", "the mail this session's sendmail statements wrote", _outbox),
    MetaCommand("trace", "on|off", "show each HTTP call (as --trace does) and how long entries take", _trace),
    MetaCommand("quit", "", "leave (Ctrl-D does too)", _quit),
)}
_ALIASES = {"h": "help", "?": "help", "q": "quit", "exit": "quit", "v": "vars", "l": "load"}


def run_meta(shell: Shell, line: str) -> bool:
    """Run one ``:command args`` line."""
    name, _, arg = line.strip()[1:].partition(" ")
    key = _ALIASES.get(name.lower(), name.lower())
    command = COMMANDS.get(key)
    if command is None:
        close = difflib.get_close_matches(key, list(COMMANDS), n=1, cutoff=0.6)
        hint = f"; did you mean ':{close[0]}'?" if close else ""
        shell.warn(f"error: unknown command ':{name}'{hint} (:help lists the commands)")
        return False
    return command.handler(shell, arg.strip())
