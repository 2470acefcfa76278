"""The embedding API: run Deluge from Python and look at everything the run did.

A thin facade over `Interpreter` and `Runtime` for programs and tests that host scripts::

    from deluge_lite.embed import Deluge

    deluge = Deluge(timezone="Asia/Kolkata", clock=datetime(2026, 1, 15, 10, 30))
    result = deluge.run('info "hi " + name; return {"n": name.length()};', {"name": "Ada"})
    result.value      # {"n": 3}             the return value, as plain Python data
    result.info       # ["hi Ada"]           the info lines (secrets masked)
    result.outbox     # [{"from": ..., ...}] what sendmail wrote (never sent)
    result.http_calls # [HttpCall(method, url, connection, status, milliseconds, line)]
    result.messages   # [{"task": "zoho.cliq.postToChannel", "to": "channel sales", "message": {...}, "status": 204}]

    script = deluge.load_file("scoring.dg")          # parse, check and compile once
    script.call("standalone.score", {"Rating": "Hot"}).value

Errors are exceptions from `deluge_lite.errors`: every `DelugeError` carries ``.message``,
``.line``, ``.column`` and ``.render()`` (the ``file:line:col`` diagnostic with a caret);
``ThrownError`` is the script's own ``throw``. What can be injected: ``connections`` (a
`ConnectionRegistry`, or a callable that builds one on first use), ``clock`` (a datetime or a
callable returning one), ``timezone``, ``limits``, ``transport`` (any ``httpx.BaseTransport``:
``httpx.MockTransport`` or the test plugin's stubs), ``user`` and ``context`` (a platform:
``Deluge(context="books")`` gives scripts Books' ``organization``, ``invoice``, ... with sample
values unless ``run()`` passes them, and Books' limits). In Creator (``Deluge(context="creator")``)
the script's own statements (``insert into``, ``Form[criteria]``, ``delete from``) use
``creator_store``: the one given (the sandbox's, ``Sandbox.creator_store()``), else one in memory;
``deluge.creator_store.records("Orders")`` shows what a run left. ``run_project(paths, args)`` runs a
multi-file project the way ``deluge-lite run`` does. Deluge values are plain
Python (str, int, float, bool, date, datetime, dict, list, None); `to_deluge` converts
tuples, sets, Decimals and other mappings going in. This module owns no language behaviour.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .errors import DelugeError, DelugeRuntimeError, ThrownError
from .fieldclass import field, fieldclass
from .interpreter import Interpreter, Script, read_script
from .runtime import Limits, Runtime
from .values import from_python

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Clock = _dt.datetime | Callable[[], _dt.datetime]


@fieldclass
class Result:
    """What one run produced."""

    value: Any = None
    info: list[str] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    http_calls: list[Any] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)  # chat messages posted (Cliq)

    @property
    def output(self) -> str:
        """The info lines as one text, each ending with a newline (what ``deluge-lite run`` prints)."""
        return "".join(line + "\n" for line in self.info)


to_deluge = from_python  # the embedding API's name for values.from_python


class LoadedScript:
    """A script parsed, checked and compiled once; run its statements or call its functions."""

    def __init__(self, deluge: Deluge, text: str, name: str, inputs: tuple[str, ...] = ()) -> None:
        self._deluge = deluge
        self.text = text
        self.name = name
        self._compiled: dict[tuple[str, ...], Script] = {}
        given = {name.lower() for name in inputs}
        context = tuple(name for name in deluge.context_names() if name.lower() not in given)
        self._script(tuple(inputs) + context)  # report syntax and check errors now

    def _script(self, inputs: tuple[str, ...]) -> Script:
        script = self._compiled.get(inputs)
        if script is None:
            script = self._deluge.interpreter.load(self.text, self.name, inputs)
            self._compiled[inputs] = script
        return script

    @property
    def functions(self) -> list[str]:
        """The full names of the functions the script defines (``standalone.score``)."""
        return self._script(()).function_names

    def run(self, args: Mapping[str, Any] | None = None) -> Result:
        """Run the top-level statements; ``args`` become variables (the context's names default to samples)."""
        converted = {str(key): to_deluge(value) for key, value in (args or {}).items()}
        given = {key.lower() for key in converted}
        for name, injected in self._deluge.context_names().items():
            if name.lower() not in given:
                converted[name] = to_deluge(injected)
        script = self._script(tuple(converted))
        return self._deluge._execute(lambda: self._deluge.interpreter.execute(script, converted))

    def call(self, function: str, *args: Any) -> Result:
        """Call one function by full (``standalone.score``) or short (``score``) name."""
        script = self._script(())
        values = [to_deluge(arg) for arg in args]
        return self._deluge._execute(lambda: self._deluge.interpreter.execute(script, call=function,
                                                                             call_args=values))


class Deluge:
    """One host for any number of runs: its runtime, connections, clock, limits and transport."""

    def __init__(self, *, connections: Any = None, clock: Clock | None = None, timezone: str = "UTC",
                 limits: Limits | None = None, transport: Any = None, user: str | None = None,
                 echo: Callable[[str], None] | None = None, context: str | None = None,
                 creator_store: Any = None) -> None:
        from .project import contexts

        self.context = contexts.get(context) if context else None
        if limits is None and self.context is not None:
            figures = self.context.limits
            limits = Limits(figures.statements, figures.depth, figures.seconds)
        options: dict[str, Any] = {"info": echo or (lambda _line: None), "timezone": timezone,
                                   "limits": limits or Limits(), "transport": transport}
        if user is not None:
            options["user"] = user
        self.runtime = Runtime(**options)
        if self.context is not None:
            self.runtime.system_values = dict(self.context.system)
            self.runtime.context = self.context.name
        if creator_store is None and self.context is not None and self.context.name == "creator":
            from .sandbox.creator_store import memory_store

            creator_store = memory_store()
        self.creator_store = self.runtime.creator_store = creator_store
        self.set_clock(clock)
        self.set_connections(connections)
        self.interpreter = Interpreter(self.runtime)

    # ---- configuration
    def context_names(self) -> dict[str, Any]:
        """The names the platform context injects, with their sample values (none without a context)."""
        if self.context is None:
            return {}
        return {name: injected.default for name, injected in self.context.names.items()}

    def set_clock(self, clock: Clock | None) -> None:
        """Pin the clock (a datetime; naive means the runtime's time zone) or give a callable; None: real time."""
        if isinstance(clock, _dt.datetime):
            moment = clock
            self.runtime.clock = lambda: moment
        else:
            self.runtime.clock = clock

    def set_timezone(self, timezone: str) -> None:
        self.runtime.set_timezone(timezone)

    def set_connections(self, connections: Any) -> None:
        """A `ConnectionRegistry`, or a callable building one when a script first needs it."""
        if connections is not None and callable(connections) and not hasattr(connections, "auth_for"):
            self.runtime.connections, self.runtime.connections_loader = None, connections
        else:
            self.runtime.connections, self.runtime.connections_loader = connections, None
            redactor = getattr(connections, "redactor", None)
            if redactor is not None:
                self.runtime.redact = redactor.redact

    # ---- running
    def load(self, source: str, name: str = "<script>", inputs: Iterable[str] = ()) -> LoadedScript:
        """Parse, check and compile now; ``inputs`` names the variables ``run()`` will be given."""
        return LoadedScript(self, source, name, tuple(inputs))

    def load_file(self, path: str | Path, inputs: Iterable[str] = ()) -> LoadedScript:
        return LoadedScript(self, read_script(path), str(path), tuple(inputs))

    def run(self, source: str, args: Mapping[str, Any] | None = None, *, name: str = "<script>") -> Result:
        """Run source text; ``args`` become variables. Raises `DelugeError` on a script error."""
        return self.load(source, name, tuple(args or ())).run(args)

    def run_file(self, path: str | Path, args: Mapping[str, Any] | None = None) -> Result:
        return self.load_file(path, tuple(args or ())).run(args)

    def call(self, path: str | Path, function: str, *args: Any) -> Result:
        """Load a file and call one of its functions with Python arguments."""
        return self.load_file(path).call(function, *args)

    def run_project(self, paths: Iterable[str | Path], args: Mapping[str, Any] | None = None, *,
                    call: str | None = None) -> Result:
        """Run the first file of a project (files and folders; every function visible) as ``run`` does.

        ``args`` are matched to the body's arguments (or ``call``'s parameters) and the
        context's names, exactly as ``deluge-lite run --arg`` values are; the static pass runs first.
        """
        from .interpreter import CheckFailed
        from .project import settings as project_settings
        from .project.files import load, script_paths
        from .project.runner import check_file, compile_entry, prepare

        names = [str(path) for path in paths]
        settings = project_settings.load(project_settings.find(None, names))
        project = load(script_paths(names, settings), settings)
        entry = project.files[0]
        context = self.context.name if self.context is not None else None
        checked = check_file(project, entry, self.interpreter.known, context=context, compiles=False)
        if checked.errors:
            raise CheckFailed(checked.errors)
        plan = prepare(checked, {str(k): to_deluge(v) for k, v in (args or {}).items()}, call=call,
                       every_function=project.functions())
        script = compile_entry(self.interpreter, project, entry, plan.variables)
        return self._execute(lambda: self.interpreter.execute(script, plan.variables, call=plan.call,
                                                              call_args=plan.call_args))

    def _execute(self, action: Callable[[], Any]) -> Result:
        start, posted = len(self.runtime.http_log), len(self.runtime.messages)
        try:
            run = action()
        except DelugeError as error:
            error.http_calls = list(self.runtime.http_log[start:])  # type: ignore[attr-defined]
            raise
        return Result(run.value, list(run.info), [dict(mail.fields) for mail in run.outbox],
                      list(self.runtime.http_log[start:]), list(self.runtime.messages[posted:]))

    # ---- what happened across runs
    @property
    def http_calls(self) -> list[Any]:
        """Every HTTP call made by this host so far (method, masked URL, connection, status, ms, line)."""
        return list(self.runtime.http_log)

    @property
    def outbox(self) -> list[dict[str, Any]]:
        return [dict(mail.fields) for mail in self.runtime.outbox]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every chat message (Cliq) posted by this host's runs so far, as `Result.messages` gives them."""
        return list(self.runtime.messages)

    def close(self) -> None:
        """Close the pooled HTTP client (and the connections' token client)."""
        self.runtime.close()
        registry = self.runtime.connections
        if registry is not None and hasattr(registry, "close"):
            registry.close()

    def __enter__(self) -> Deluge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Deluge", "DelugeError", "DelugeRuntimeError", "LoadedScript", "Result", "ThrownError", "to_deluge"]
