"""The REPL's state and how one entry runs, without any terminal.

A `Shell` owns the `Session` (variables and functions kept between entries), the
``:trace`` flag (HTTP calls shown as ``--trace`` shows them, and entry timings) and the lazily
loaded connection registry. `Shell.run(text)` classifies
the entry (`entry.classify`), runs a meta-command (`meta.COMMANDS`) or the Deluge code,
and reports errors with the caret display; an error never loses the session's state.
Both front ends use it: the prompt_toolkit session (``session/app.py``) and the piped
script runner (``piped.py``). Mail an entry writes is shown after it, numbered within the session
(``:outbox`` shows it all again). Output goes to the given streams, else to the current
``sys.stdout``/``sys.stderr``; ``info`` lines go wherever the runtime sends them.
"""

from __future__ import annotations

import sys
import time

from ..builder import SYSTEM_VARIABLES
from ..builtins import REGISTRY
from ..errors import DelugeError, InternalError, UsageError
from ..interpreter import Interpreter, Session
from ..runtime import Runtime
from .completion import Scope
from .entry import Entry, classify

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["Shell"]


class Shell:
    """One REPL: a session plus the REPL's own settings."""

    def __init__(self, runtime: Runtime, *, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.runtime = runtime
        self.session = Session(Interpreter(runtime))
        self.trace = runtime.trace is not None  # `repl --trace` starts with it on
        self.done = False
        self._out = out
        self._err = err
        self._registry: Any = None
        self._registry_error: str | None = None

    # ---- output
    def write(self, text: str) -> None:
        stream = self._out or sys.stdout
        stream.write(text + "\n")
        stream.flush()

    def warn(self, text: str) -> None:
        (self._out or sys.stdout).flush()
        stream = self._err or sys.stderr
        stream.write(text + "\n")
        stream.flush()

    def set_trace(self, on: bool) -> None:
        """``:trace on|off``: each HTTP call as the ``trace:`` line ``--trace`` prints, and each entry's time."""
        self.trace = on
        self.runtime.trace = self.trace_line if on else None

    def trace_line(self, line: str) -> None:
        self.warn(f"trace: {line}")

    # ---- entries
    def run(self, text: str, name: str = "<repl>") -> bool:
        """Run one complete entry (Deluge or a meta-command); False when it failed."""
        try:
            entry = classify(text)
            if entry.kind == "empty":
                return True
            if entry.kind == "meta":
                from .meta import run_meta

                return run_meta(self, entry.code)
        except KeyboardInterrupt:
            self.warn("interrupted")
            return False
        return self.run_code(entry, name)

    def run_code(self, entry: Entry, name: str = "<repl>") -> bool:
        code = entry.code or entry.text
        if self.trace and entry.shown:
            self.trace_line(f"running: {code.strip()}")
        started = time.perf_counter()
        mail_before = len(self.runtime.outbox)
        try:
            try:
                self.session.execute(code, name)
            finally:
                self.show_mail(mail_before)  # what the entry wrote, before any error it then met
        except DelugeError as error:
            self.warn(entry.restore(error, name).render())
            return False
        except InternalError as error:
            self.warn(f"internal error (a bug in deluge-lite, not in your script):\n{error}")
            return False
        except UsageError as error:
            self.warn(f"error: {error}")
            return False
        except KeyboardInterrupt:
            self.warn("interrupted")
            return False
        except RecursionError:
            self.warn("error: the entry nests too deeply")
            return False
        finally:
            if self.trace:
                self.trace_line(f"entry took {(time.perf_counter() - started) * 1000:.1f} ms")
        return True

    def show_mail(self, start: int = 0) -> int:
        """Print the session's mail from number ``start + 1`` on, as ``run`` does; how many were shown."""
        outbox = self.runtime.outbox[start:]
        sent = self.runtime.mail_sender is not None
        for number, mail in enumerate(outbox, start=start + 1):
            self.warn(mail.render(number, sent, self.runtime.redact))
        return len(outbox)

    def run_file(self, path: str) -> bool:
        """``:load FILE``: run a whole script into the session."""
        from pathlib import Path

        from ..interpreter import read_script

        try:
            text = read_script(Path(path).expanduser())
        except UsageError as error:
            self.warn(f"error: {error}")
            return False
        except DelugeError as error:
            self.warn(error.render())
            return False
        return self.run_code(Entry("run", text, text), name=path)

    # ---- what completion may know
    def scope(self, *, with_links: bool = False) -> Scope:
        functions = {fn.full_name: _function_signature(fn) for fn in self.session.functions.values()}
        tasks = sorted({*self.runtime.tasks, *SYSTEM_VARIABLES})
        links = self.links() if with_links else ()
        return Scope(REGISTRY, dict(self.session.variables()), functions, tasks, tuple(links))

    # ---- connections (another package; optional)
    def connection_registry(self) -> Any:
        """The runtime's connection registry, else one loaded from the config; None without connections."""
        attached = getattr(self.runtime, "connections", None)
        if attached is not None:
            return attached
        if self._registry is None and self._registry_error is None:
            try:
                from ..connections import ConnectionRegistry
            except ImportError:
                self._registry_error = "no connections configured"
                return None
            try:
                self._registry = ConnectionRegistry.load()
            except Exception as error:  # a broken config must not take the REPL down
                self._registry_error = f"connections could not be loaded: {error}"
        return self._registry

    @property
    def registry_problem(self) -> str | None:
        return self._registry_error

    def links(self) -> list[str]:
        registry = self.connection_registry()
        if registry is None:
            return []
        try:
            return list(registry.links())
        except Exception:
            return []


def _function_signature(fn: Any) -> str:
    params = ", ".join(f"{param.type_name} {param.name.name}" for param in fn.params)
    return f"{fn.return_type} {fn.full_name}({params})"
