"""The ``zoho.*`` integration tasks, driven by the catalog in ``stdlib/tasks.toml``.

One generic dispatcher runs every task: it binds the script's arguments to the task's
declared arguments (path, query, header, body), finds the connection (the last
argument, or the connection kept for the task's service), builds the URL on the
connection's API domain, sends the request through `http.send` and takes the result out
of Zoho's envelope. Error envelopes are returned as Maps, not thrown, as Zoho does.
Adding a task is a catalog entry; nothing here names a particular task.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, quote

from .. import values
from ..data import read_table
from ..errors import DelugeRuntimeError
from ..fieldclass import fieldclass
from .file_parts import upload_parts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass(frozen=True)
class TaskArg:
    name: str
    to: str
    default: Any = None
    required: bool = False


@fieldclass(frozen=True)
class TaskSpec:
    """One catalog entry, with its family's service, prefix and host resolved."""

    name: str
    service: str
    method: str
    path: str
    args: tuple[TaskArg, ...]
    result: str
    doc: str = ""
    host: str = ""  # e.g. "desk.zoho": the API lives on desk.zoho.{dc}, not www.zohoapis.{dc}
    body: Any = None  # a fixed body the arguments are written into (WorkDrive's JSON:API shell)
    form: dict[str, str] | None = None  # fixed form fields (Zoho Sheet's method=...)

    @property
    def sends_message(self) -> bool:
        """A chat task (Cliq's postTo...): what it posts is kept as a message of the run."""
        return any(arg.to == "message" for arg in self.args)

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(a.name for a in self.args)}[, connection])"


@functools.lru_cache(maxsize=1)
def load_catalog() -> dict[str, TaskSpec]:
    """Every task by lower-case name, variants included (``zoho.crm.v8.getrecords``)."""
    raw = read_table("stdlib", "tasks.toml")
    families = raw.get("families", {})
    specs: dict[str, TaskSpec] = {}
    for name, entry in raw.get("tasks", {}).items():
        parts = name.split(".")
        family = families.get(parts[1])
        if family is None:
            raise ValueError(f"tasks.toml: task {name} has no [families.{parts[1]}]")
        args = tuple(TaskArg(a["name"], a["to"], a.get("default"), a.get("required", False)) for a in entry["args"])
        prefix = family["prefix"]
        versions = {"": family.get("version", "")} | {k: v for k, v in family.get("variants", {}).items()}
        for spelling in [name, *entry.get("aliases", [])]:
            spelled = spelling.split(".")
            for variant, version in versions.items():
                full = spelling if not variant else ".".join(spelled[:2] + [variant] + spelled[2:])
                path = prefix.replace("{version}", version) + entry["path"]
                specs[full.lower()] = TaskSpec(full, family["service"], entry["method"].upper(), path, args,
                                               entry["result"], entry.get("doc", ""), family.get("host", ""),
                                               entry.get("body"), entry.get("form"))
    return specs


_RESULTS = {"list": "List", "record": "Map", "write": "Map", "raw": "Map", "record_key": "Map"}


def describe_catalog(service: str | None = None) -> list[str]:
    """One line per catalog task (its aliases and version variants noted), for ``deluge-lite tasks``."""
    raw = read_table("stdlib", "tasks.toml")
    catalog = load_catalog()
    lines = []
    for name, entry in sorted(raw.get("tasks", {}).items(), key=lambda item: item[0].lower()):
        family = raw["families"][name.split(".")[1]]
        if service and service.lower() not in (name.split(".")[1], family["service"]):
            continue
        spec = catalog[name.lower()]
        also = list(entry.get("aliases", []))
        if family.get("variants"):
            also.append(f"zoho.{name.split('.')[1]}.{{{','.join(sorted(family['variants']))}}}.{name.split('.')[2]}")
        where = f"{spec.host}.{{dc}}{spec.path}" if spec.host else spec.path
        shown = f"{spec.signature.replace(spec.name, name, 1)} -> {_RESULTS[spec.result.split(':')[0]]}   " \
                f"{spec.method} {where}"
        lines.append(shown + (f"  (also: {', '.join(also)})" if also else ""))
    return lines


def install(tasks: dict[str, Callable[..., Any]]) -> None:
    """Put a runner for every catalog task into a runtime's task table."""
    for key, spec in load_catalog().items():
        tasks[key] = functools.partial(run_task, spec)


def run_task(spec: TaskSpec, rt: Any, *args: Any) -> Any:
    declared = len(spec.args)
    connection: Any = None
    if len(args) == declared + 1:
        *args_list, connection = args
        args = tuple(args_list)
    elif len(args) > declared + 1:
        raise DelugeRuntimeError(f"{spec.name}() takes at most {declared + 1} arguments, got {len(args)}: "
                                 f"{spec.signature}")
    elif args and type(args[-1]) is str and len(args) > 1 and spec.args[len(args) - 1].to in (
            "query_map", "body_merge", "form_map") and _LINK_NAME.fullmatch(args[-1]):
        *args_list, connection = args  # a connection given where an optional map may stand
        args = tuple(args_list)
    link = _connection(rt, spec, connection)
    path = spec.path
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    body: Any = copy.deepcopy(spec.body)
    files: list[tuple[str, tuple[str, bytes, str]]] = []
    form: dict[str, str] = dict(spec.form or {})
    for position, arg in enumerate(spec.args):
        value = args[position] if position < len(args) else arg.default
        if value is None:
            if arg.required or arg.to == "path":
                raise DelugeRuntimeError(f"{spec.name}() needs its '{arg.name}' argument: {spec.signature}")
            continue
        target, _, key = arg.to.partition(":")
        if target == "path":
            path = path.replace("{" + arg.name + "}", quote(values.to_text(value), safe=""))
        elif target == "query":  # a List is comma-separated, as Zoho's APIs take several values (ids=1,2)
            query[key or arg.name] = ",".join(map(values.to_text, value)) if type(value) is list \
                else values.to_text(value)
        elif target == "query_map":
            query.update(_query_map(spec, arg, value))
        elif target == "header":
            headers[key] = values.to_text(value)
        elif target == "body_record":
            body = {**(body or {}), "data": [_map(spec, arg, value)]}
        elif target == "body_records":
            if type(value) is not list:
                raise DelugeRuntimeError(f"{spec.name}(): '{arg.name}' must be a List of record Maps")
            body = {**(body or {}), "data": value}
        elif target == "body_merge":
            body = {**(body or {}), **_map(spec, arg, value)}
        elif target == "body":
            body = value
        elif target == "body_data":  # Creator: {"data": a record Map or a List of them}
            body = {**(body or {}), "data": value}
        elif target == "message":  # Cliq: Text is {"text": ...}; a Map (card, slides) goes as it is
            body = value if type(value) is dict else {"text": values.to_text(value)}
        elif target == "body_path":  # a.b.c: set inside the fixed body
            body = body if type(body) is dict else {}
            _set_path(body, key, value)
        elif target == "form":  # a form field KEY (a Map or List as JSON text)
            form[key] = values.to_json(value) if type(value) in (dict, list) else values.to_text(value)
        elif target == "form_map":
            form.update({str(k): values.to_json(v) if type(v) in (dict, list) else values.to_text(v)
                         for k, v in _map(spec, arg, value).items() if str(k)})
        elif target == "file":  # multipart file parts named KEY (a File, a List of Files; file_parts.py)
            files.extend((key or param, part) for param, part in upload_parts(value, spec.name))
    registry = rt.connection_registry()
    if registry is None:
        raise DelugeRuntimeError(f"{spec.name}: connection '{link}' is not available: no connections are "
                                 "configured (add deluge.toml or run deluge-lite connections add)")
    domain = registry.api_domain(link)
    if not domain:
        raise DelugeRuntimeError(f"{spec.name}: connection '{link}' has no API domain for {spec.service}")
    bind = getattr(registry, "bind", None)
    if bind is not None:  # the sandbox notes which fake this link serves
        bind(link, spec.service)
    if files and not form:
        form = _form(body) or {}
    from .http import send  # the HTTP layer (httpx) loads with the first request
    from .invokeurl import parse_body

    reply = send(rt, spec.method, _on_host(domain, spec.host).rstrip("/") + path, connection=link,
                 params=query or None, json_body=None if files or form else body, headers=headers or None,
                 files=files or None, data=form or None, what=spec.name)
    if spec.sends_message:
        _note_message(rt, spec, args, body, reply.status)
    return _result(spec, reply.status, parse_body(reply.text(), reply.content_type))


MESSAGE_LOG_LIMIT = 10_000


def _note_message(rt: Any, spec: TaskSpec, args: tuple[Any, ...], body: Any, status: int) -> None:
    """Keep a chat message the run posted in ``rt.messages`` (the embedding API's ``Result.messages``)."""
    target = ", ".join(f"{arg.name} {values.to_text(value)}" for arg, value in zip(spec.args, args, strict=False)
                       if arg.to == "path")
    message = copy.deepcopy(body)
    if type(message) is dict and type(message.get("text")) is str:
        message["text"] = rt.redact(message["text"])
    rt.messages.append({"task": spec.name, "to": rt.redact(target), "message": message, "status": status})
    if len(rt.messages) > MESSAGE_LOG_LIMIT:
        del rt.messages[:-MESSAGE_LOG_LIMIT]


_ZOHO_API = re.compile(r"^https://www\.zohoapis\.([a-z.]+)$")


def _on_host(domain: str, host: str) -> str:
    """A task whose API lives on its own host (desk.zoho.eu) moves off a Zoho API domain of that data centre."""
    match = _ZOHO_API.match(domain.rstrip("/")) if host else None
    return f"https://{host}.{match.group(1)}" if match else domain


_LINK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _query_map(spec: TaskSpec, arg: TaskArg, value: Any) -> dict[str, str]:
    """The query options of a task: a Map, or Text as ``key=value&key=value`` (Zoho's getRecords pages
    allow both for every service but Creator; "" means none, as {"": ""} does: empty keys are left out)."""
    if type(value) is str:
        return {k: v for k, v in parse_qsl(value.lstrip("?"), keep_blank_values=True) if k}
    return {str(k): values.to_text(v) for k, v in _map(spec, arg, value).items() if str(k)}


def _set_path(body: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        body = body.setdefault(part, {})
    body[last] = value


def _form(body: Any) -> dict[str, str] | None:
    if type(body) is not dict:
        return None
    return {str(k): values.to_text(v) for k, v in body.items()}


def _map(spec: TaskSpec, arg: TaskArg, value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise DelugeRuntimeError(f"{spec.name}(): '{arg.name}' must be a Map, got {values.type_name(value)}")
    return value


def _connection(rt: Any, spec: TaskSpec, given: Any) -> str:
    if given is not None:
        if type(given) is not str:
            raise DelugeRuntimeError(f"{spec.name}(): the connection must be a link name (Text)")
        return given
    registry = rt.connection_registry()
    link = registry.link_for_service(spec.service) if registry is not None else None
    if link is None:
        raise DelugeRuntimeError(
            f"{spec.name} needs a connection: pass its link name as the last argument, or add a connection "
            f"named '{spec.service}' (deluge-lite connections add, or [connections.{spec.service}] in deluge.toml)")
    return link


def _result(spec: TaskSpec, status: int, body: Any) -> Any:
    kind, _, key = spec.result.partition(":")
    if status == 204 or body == "":
        return [] if kind == "list" else {}
    if type(body) is not dict:
        return body
    if kind == "raw":
        return body
    if kind == "record_key":
        entries = body.get(key)
        return entries[0] if type(entries) is list and entries else body
    data = body.get("data")
    if type(data) is not list:
        return body  # an error envelope: {"code": ..., "message": ..., "status": "error"}
    if kind == "list":
        return data
    first = data[0] if data else {}
    if kind == "record":
        return first
    if kind == "write":
        if type(first) is dict and first.get("status") == "success" and type(first.get("details")) is dict:
            return first["details"]
        return first
    raise DelugeRuntimeError(f"tasks.toml: unknown result kind '{spec.result}' for {spec.name}")
