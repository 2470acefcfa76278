"""``deluge-lite dap``: the Debug Adapter Protocol server over stdio, on the same `Engine` as the terminal.

`DapServer(wire, make_target)` answers requests from the `REQUESTS` table. The reading
thread answers every request itself; the run happens in a second thread, which blocks
in `paused` at each stop until a resuming request (continue, next, stepIn, stepOut,
disconnect, terminate) hands it an action. Frames, scopes and variables are read from
the paused run; their references are valid until the run resumes.

Order of a session: ``initialize`` -> ``launch`` (builds the target as ``deluge-lite run``
prepares a run: program and the project's other files, args, input, context, call,
sandbox, seed, config and limits; `LAUNCH_OPTIONS`) ->
the ``initialized`` event -> ``setBreakpoints`` / ``setFunctionBreakpoints`` /
``setExceptionBreakpoints`` -> ``configurationDone`` (the run starts) -> stops and
resumes -> ``exited`` and ``terminated``. ``info`` lines arrive as ``output`` events
(stdout), errors as ``output`` events on stderr with the caret display. A client that
disconnects, or whose stdin closes, stops the run cleanly.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
from collections.abc import Callable

from ..errors import DelugeError, UsageError
from . import values_view
from .dap_wire import Wire, WireError
from .engine import DebugTerminated, Engine, Stop, Target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

THREAD_ID = 1
THREAD_NAME = "Deluge script"
EXCEPTION_FILTERS = [
    {"filter": "raised", "label": "All runtime errors", "default": False,
     "description": "stop where any runtime error is raised, even one a try/catch handles"},
    {"filter": "uncaught", "label": "Uncaught errors", "default": True,
     "description": "stop at the failing statement of an error nothing catches (post-mortem)"},
]
CAPABILITIES = {
    "supportsConfigurationDoneRequest": True,
    "supportsConditionalBreakpoints": True,
    "supportsHitConditionalBreakpoints": True,
    "supportsFunctionBreakpoints": True,
    "supportsEvaluateForHovers": True,
    "supportsSetVariable": True,
    "supportsExceptionInfoRequest": True,
    "supportsTerminateRequest": True,
    "exceptionBreakpointFilters": EXCEPTION_FILTERS,
}
# launch.json keys -> the `deluge-lite run` option they become (flags take true/false)
LAUNCH_OPTIONS = {
    "call": "--call", "input": "--input", "seed": "--seed", "config": "--config", "context": "--context", "timezone": "--timezone",
    "user": "--user", "timeout": "--timeout", "maxStatements": "--max-statements", "maxDepth": "--max-depth",
    "httpTimeout": "--http-timeout",
}
LAUNCH_FLAGS = {"sandbox": "--sandbox", "trace": "--trace", "breakOnHttp": None}
# engine stop reasons -> DAP stopped-event reasons
STOP_REASONS = {
    "entry": "entry", "breakpoint": "breakpoint", "function breakpoint": "function breakpoint", "step": "step",
    "pause": "pause", "exception": "exception", "http": "breakpoint",
}
RESUMING = {"continue": "continue", "next": "next", "stepIn": "step", "stepOut": "finish"}

TargetMaker = Callable[[list[str], contextlib.ExitStack], Target]


def launch_argv(arguments: dict[str, Any]) -> list[str]:
    """The command line of a launch request (``program`` first), or UsageError naming the bad key."""
    program = arguments.get("program")
    if not isinstance(program, str) or not program:
        raise UsageError("launch needs 'program': the path of the .dg script to debug")
    argv = [program]
    files = arguments.get("files", [])
    if not isinstance(files, list) or not all(isinstance(item, str) for item in files):
        raise UsageError("launch 'files' must be a list of the project's other files or folders")
    argv += files
    args = arguments.get("args", {})
    if isinstance(args, dict):
        argv += [f"--arg={name}={_arg_text(value)}" for name, value in args.items()]
    elif isinstance(args, list) and all(isinstance(item, str) for item in args):
        argv += [f"--arg={item}" for item in args]
    else:
        raise UsageError("launch 'args' must be an object of name: value, or a list of \"NAME=VALUE\" texts")
    for key, flag in LAUNCH_OPTIONS.items():
        value = arguments.get(key)
        if value is not None:
            argv.append(f"{flag}={value}")
    argv += [flag for key, flag in LAUNCH_FLAGS.items() if flag and arguments.get(key) is True]
    return argv


def _arg_text(value: Any) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value)


class DapServer:
    """One debugging session with one client."""

    def __init__(self, wire: Wire, make_target: TargetMaker) -> None:
        self.wire = wire
        self.make_target = make_target
        self.stack = contextlib.ExitStack()
        self.engine: Engine | None = None
        self.redact: Callable[[str], str] = lambda text: text
        self.pending_breakpoints: dict[str, list[dict[str, Any]]] = {}
        self.actions: queue.Queue[str] = queue.Queue()
        self.runner: threading.Thread | None = None
        self.references: dict[int, Any] = {}
        self.stop: Stop | None = None
        self.configured = False
        self.launched = False
        self.done = threading.Event()
        self.exit_code = 0

    # ---- the loop (the reading thread)
    def serve(self) -> int:
        while not self.done.is_set():
            try:
                message = self.wire.read()
            except WireError as error:
                self._output(f"deluge-lite dap: {error}; closing the session", "stderr")
                message = None
            if message is None:  # the client is gone: stop the run cleanly
                self._shut_down()
                break
            if message.get("type") != "request":
                continue
            self.handle(message)
        if self.runner is not None:
            self.runner.join(timeout=30)
        self.stack.close()
        return 0

    def handle(self, request: dict[str, Any]) -> None:
        command = request.get("command", "")
        method = REQUESTS.get(command)
        if method is None:
            self.wire.respond(request, error=f"'{command}' is not supported by deluge-lite")
            return
        arguments = request.get("arguments") or {}
        try:
            if method == "_resume":
                body = self._resume(command)
            else:
                body = getattr(self, method)(arguments if isinstance(arguments, dict) else {})
        except DelugeError as error:
            self.wire.respond(request, error=self.redact(error.render()))
            return
        except UsageError as error:
            self.wire.respond(request, error=self.redact(str(error)))
            return
        except (KeyError, TypeError, ValueError) as error:
            self.wire.respond(request, error=f"bad '{command}' request: {error}")
            return
        except Exception as error:  # a bug in deluge-lite: said as such, the session goes on
            self.wire.respond(request, error=f"internal error (a bug in deluge-lite) in '{command}': "
                                             f"{type(error).__name__}")
            return
        self.wire.respond(request, body)
        after = AFTER.get(command)
        if after is not None:
            getattr(self, after)()

    # ---- requests
    def _initialize(self, _args: dict[str, Any]) -> dict[str, Any]:
        return dict(CAPABILITIES)

    def _launch(self, args: dict[str, Any]) -> dict[str, Any] | None:
        if self.engine is not None:
            raise UsageError("this session has already launched a program")
        cwd = args.get("cwd")
        if isinstance(cwd, str) and cwd:
            os.chdir(cwd)
        try:
            target = self.make_target(launch_argv(args), self.stack)
        except DelugeError as error:
            self._output(error.render(), "stderr")
            raise
        except UsageError as error:
            self._output(f"deluge-lite: error: {error}", "stderr")
            raise
        runtime = target.interpreter.runtime
        runtime.info = lambda line: self._output(line, "stdout")
        self.engine = Engine(target, self)
        self.engine.stop_on_entry = args.get("stopOnEntry") is True
        self.engine.break_on_http = args.get("breakOnHttp") is True
        self.redact = values_view.secret_aware(runtime)
        for name, specs in self.pending_breakpoints.items():
            self.engine.set_breakpoints(name, specs)
        return None

    def _after_launch(self) -> None:
        self.launched = True
        self.wire.event("initialized")
        self._maybe_start()

    def _set_breakpoints(self, args: dict[str, Any]) -> dict[str, Any]:
        source = args.get("source") or {}
        name = source.get("path") or source.get("name")
        specs = [(int(item["line"]), item.get("condition"), item.get("hitCondition"))
                 for item in args.get("breakpoints", [])]
        if self.engine is None:
            self.pending_breakpoints[name] = specs
            return {"breakpoints": [{"verified": False, "line": line, "message": "set when the program is launched"}
                                    for line, _c, _h in specs]}
        made = self.engine.set_breakpoints(name, specs)
        return {"breakpoints": [self._breakpoint(bp, source) for bp in made]}

    def _set_function_breakpoints(self, args: dict[str, Any]) -> dict[str, Any]:
        engine = self._engine()
        specs = [(str(item["name"]), item.get("condition"), item.get("hitCondition"))
                 for item in args.get("breakpoints", [])]
        return {"breakpoints": [self._breakpoint(bp, None) for bp in engine.set_function_breakpoints(specs)]}

    def _set_exception_breakpoints(self, args: dict[str, Any]) -> dict[str, Any]:
        engine = self._engine()
        filters = set(args.get("filters", []))
        engine.break_on_raised = "raised" in filters
        engine.break_on_uncaught = "uncaught" in filters
        return {"breakpoints": [{"verified": True} for _ in args.get("filters", [])]}

    def _configuration_done(self, _args: dict[str, Any]) -> None:
        self.configured = True

    def _after_configuration(self) -> None:
        self._maybe_start()

    def _threads(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {"threads": [{"id": THREAD_ID, "name": THREAD_NAME}]}

    def _stack_trace(self, args: dict[str, Any]) -> dict[str, Any]:
        frames = self._paused().frames
        start = int(args.get("startFrame") or 0)
        count = int(args.get("levels") or 0) or len(frames)
        shown = []
        for index, frame in list(enumerate(frames))[start:start + count]:
            source = {"name": os.path.basename(frame.file)}
            if frame.path is not None:
                source["path"] = os.path.abspath(frame.path)
            shown.append({"id": index + 1, "name": frame.name, "line": frame.line, "column": frame.column,
                          "source": source})
        return {"stackFrames": shown, "totalFrames": len(frames)}

    def _scopes(self, args: dict[str, Any]) -> dict[str, Any]:
        index = self._frame_index(args)
        engine = self._engine()
        variables = engine.variables(index)
        arguments = {name.lower() for name in engine.arguments(index)}
        context = engine.context_variables(index)
        scopes = []
        for name, wanted in (("Locals", False), ("Arguments", True)):
            chosen = {key: value for key, value in variables.items()
                      if (key.lower() in arguments) == wanted and key not in context}
            scopes.append({"name": name, "variablesReference": self._reference(("scope", chosen, index)),
                           "namedVariables": len(chosen), "expensive": False,
                           "presentationHint": "locals" if not wanted else "arguments"})
        if context:
            scopes.append({"name": "Context", "variablesReference": self._reference(("scope", context, index)),
                           "namedVariables": len(context), "expensive": False})
        return {"scopes": scopes}

    def _variables(self, args: dict[str, Any]) -> dict[str, Any]:
        held = self.references.get(int(args["variablesReference"]))
        if held is None:
            raise UsageError("these variables are gone (the program ran on); ask again")
        entries = held[1].items() if held[0] == "scope" else values_view.children(held[1])
        return {"variables": [self._variable(str(name), value) for name, value in entries]}

    def _set_variable(self, args: dict[str, Any]) -> dict[str, Any]:
        held = self.references.get(int(args["variablesReference"]))
        if held is None or held[0] != "scope":
            raise UsageError("only a frame's own variables can be set (not entries of a Map or List)")
        value = self._engine().assign(str(args["name"]), str(args["value"]), held[2])
        held[1][str(args["name"])] = value
        return self._value(value)

    def _evaluate(self, args: dict[str, Any]) -> dict[str, Any]:
        index = self._frame_index(args) if args.get("frameId") else 0
        value = self._engine().evaluate(str(args["expression"]), index)
        body = self._value(value)
        body["result"] = body.pop("value")
        return body

    def _exception_info(self, _args: dict[str, Any]) -> dict[str, Any]:
        stop = self._paused()
        return {"exceptionId": "Deluge runtime error", "description": self.redact(stop.description),
                "breakMode": "unhandled" if stop.post_mortem else "always",
                "details": {"message": self.redact(stop.error.render() if stop.error else stop.description)}}

    def _resume(self, command: str) -> None:
        self._paused()
        self._release(RESUMING[command])

    def _pause(self, _args: dict[str, Any]) -> None:
        self._engine().request_pause()

    def _disconnect(self, _args: dict[str, Any]) -> None:
        self._shut_down()

    # ---- the run (its own thread)
    def _maybe_start(self) -> None:
        if self.engine is None or not self.configured or not self.launched or self.runner is not None:
            return
        self.runner = threading.Thread(target=self._run, name="deluge-run", daemon=True)
        self.runner.start()

    def _run(self) -> None:
        assert self.engine is not None
        code = 0
        try:
            self.engine.run()
        except DebugTerminated:
            code = 0
        except DelugeError as error:
            self._output(self.redact(error.render()), "stderr")
            code = 1
        except Exception as error:  # a bug in deluge-lite: said as such, never a traceback
            self._output(f"deluge-lite: internal error (a bug in deluge-lite): {type(error).__name__}", "stderr")
            code = 3
        self.exit_code = code
        self.wire.event("exited", {"exitCode": code})
        self.wire.event("terminated")

    def paused(self, stop: Stop) -> str:
        """The engine's callback, in the run's thread: say where, then wait for the client."""
        self.stop = stop
        self.references = {}
        body: dict[str, Any] = {"reason": STOP_REASONS.get(stop.reason, stop.reason), "threadId": THREAD_ID,
                                "allThreadsStopped": True}
        if stop.description:
            body["description"] = self.redact(stop.description)
            body["text"] = self.redact(stop.description)
        if stop.breakpoint_ids:
            body["hitBreakpointIds"] = stop.breakpoint_ids
        if self.done.is_set():
            return "terminate"
        self.wire.event("stopped", body)
        action = self.actions.get()
        self.stop = None
        self.references = {}
        if action != "terminate":
            self.wire.event("continued", {"threadId": THREAD_ID, "allThreadsContinued": True})
        return action

    # ---- helpers
    def _release(self, action: str) -> None:
        self.actions.put(action)

    def _shut_down(self) -> None:
        self.done.set()
        if self.engine is not None:
            self.engine.request_terminate()
        if self.stop is not None:
            self._release("terminate")

    def _engine(self) -> Engine:
        if self.engine is None:
            raise UsageError("launch a program first")
        return self.engine

    def _paused(self) -> Stop:
        if self.stop is None:
            raise UsageError("the program is running; pause it first")
        return self.stop

    def _frame_index(self, args: dict[str, Any]) -> int:
        index = int(args.get("frameId", 1)) - 1
        frames = self._paused().frames
        if not 0 <= index < len(frames):
            raise UsageError(f"there is no frame {index + 1}")
        return index

    def _reference(self, held: Any) -> int:
        number = len(self.references) + 1
        self.references[number] = held
        return number

    def _value(self, value: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"value": values_view.shown(value, self.redact), "type": values_view.kind(value),
                                "variablesReference": 0}
        if values_view.expandable(value):
            body["variablesReference"] = self._reference(("value", value))
            body["indexedVariables" if type(value) is list else "namedVariables"] = len(value)
        return body

    def _variable(self, name: str, value: Any) -> dict[str, Any]:
        return {"name": name, **self._value(value)}

    def _breakpoint(self, bp: Any, source: dict[str, Any] | None) -> dict[str, Any]:
        shown: dict[str, Any] = {"id": bp.id, "verified": bp.verified}
        if bp.line is not None:
            shown["line"] = bp.line
        if bp.message:
            shown["message"] = bp.message
        if source:
            shown["source"] = source
        return shown

    def _output(self, text: str, category: str) -> None:
        self.wire.event("output", {"category": category, "output": text + "\n"})


REQUESTS: dict[str, str] = {
    "initialize": "_initialize",
    "launch": "_launch",
    "setBreakpoints": "_set_breakpoints",
    "setFunctionBreakpoints": "_set_function_breakpoints",
    "setExceptionBreakpoints": "_set_exception_breakpoints",
    "configurationDone": "_configuration_done",
    "threads": "_threads",
    "stackTrace": "_stack_trace",
    "scopes": "_scopes",
    "variables": "_variables",
    "setVariable": "_set_variable",
    "evaluate": "_evaluate",
    "exceptionInfo": "_exception_info",
    **{command: "_resume" for command in RESUMING},
    "pause": "_pause",
    "disconnect": "_disconnect",
    "terminate": "_disconnect",
}
AFTER = {"launch": "_after_launch", "configurationDone": "_after_configuration"}


def serve_stdio(make_target: TargetMaker) -> int:
    """Serve one client on stdin/stdout; anything else printing to stdout goes to stderr instead."""
    reader, writer = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    return DapServer(Wire(reader, writer), make_target).serve()


__all__ = ["CAPABILITIES", "DapServer", "LAUNCH_OPTIONS", "REQUESTS", "launch_argv", "serve_stdio"]
