"""The one engine of the fake services: the record actions every service's route table picks by name.

`ServiceEngine.handle` finds the route of a request in its service's table (`routes`) and
runs the action it names (list with filters and pagination, get, create, update, delete,
status, related records, messages, REST trees, Sheet methods, WorkDrive children and uploads)
over the shared SQLite store of the fake CRM (`fake_crm_store.CrmStore`; a service's
collections are named ``service/name``), rendering each answer in the service's `Style`.
`RequestBody` reads a request body on demand (JSON, form fields, multipart parts);
`filter_records` is Books'/Desk's ``field=value`` query filtering. Nothing here names a service
except Creator's criteria, which only Creator's query has.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

from .. import fake_creator_criteria as creator_criteria
from ..fake_crm_search import CriteriaError
from .base import Answer, Style
from .documents import sheet_criteria
from .routes import Service, match_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MESSAGES = "cliq/messages"
PROPERTIES = "cliq/extension_properties"
_PROPERTY_KEY = re.compile(r"[a-z_]+")
_MESSAGE_KINDS = {"channelsbyname": "channel", "channels": "channel", "bots": "bot", "buddies": "user",
                  "chats": "chat"}


class ServiceEngine:
    """The record actions every non-CRM service shares; a service's table picks them by name."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def handle(self, service: Service, bound: dict[str, str], rest: list[str], method: str, query: dict[str, str],
               headers: dict[str, str], body: bytes) -> Answer:
        style = service.style
        allowed = False
        for route in service.routes:
            params = match_path(route.pattern, rest)
            if params is None:
                continue
            allowed = True
            if route.method == method:
                action: Callable[..., Answer] = getattr(self, "_" + route.action)
                return action(service, {**bound, **params}, query, RequestBody(headers, body, style, method), rest)
        raise style.error(405 if allowed else 404, f"no {style.display} API answers {method} "
                                                   f"/{'/'.join(rest)} in the sandbox")

    # ---- helpers
    def _collection(self, service: Service, params: dict[str, str], create: bool = False) -> str:
        return service.style.collection(self.store, params, create)

    def _records(self, collection: str) -> list[dict[str, Any]]:
        return self.store.all(collection) if self.store.resolve_module(collection) else []

    def _render(self, service: Service, collection: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [service.style.render(collection, r) for r in records]

    def _page(self, service: Service, collection: str, records: list[dict[str, Any]],
              query: dict[str, str]) -> Answer:
        start, size = service.style.page(query)
        chunk = records[start:start + size]
        return service.style.listing(collection, self._render(service, collection, chunk),
                                     start + size < len(records), start, size)

    def _insert(self, service: Service, collection: str, row: dict[str, Any]) -> dict[str, Any]:
        count = len(self._records(collection)) + 1
        record = {**row, **service.style.stamp(self.store.now(), True), **service.defaults(collection, row, count)}
        record = {k: v for k, v in record.items() if k not in ("id", service.style.id_key)}
        return self.store.insert(collection, record)

    # ---- actions
    def _list(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
              rest: list[str]) -> Answer:
        collection = self._collection(service, params)
        records = self._records(collection)
        style = service.style
        if style.name == "creator":
            try:
                test = creator_criteria.parse_criteria(query.get("criteria", ""))
            except CriteriaError as error:
                raise style.error(400, f"Invalid criteria: {error}") from None
            records = [r for r in records if test(style.render(collection, r))]
        else:
            records = filter_records(records, {k: v for k, v in query.items() if k not in style.reserved},
                                     query.get("search_text") or query.get("searchStr"))
        return self._page(service, collection, records, query)

    def _get(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
             rest: list[str]) -> Answer:
        collection = self._collection(service, params)
        record = self.store.get(collection, params["id"]) if self.store.resolve_module(collection) else None
        if record is None:
            raise service.style.missing(collection, params["id"])
        return service.style.one(collection, service.style.render(collection, record))

    def _create(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                rest: list[str]) -> Answer:
        collection = self._collection(service, params, create=True)
        rows = service.style.incoming(collection, body.value())
        stored = [self._insert(service, collection, row) for row in rows]
        return service.style.created(collection, self._render(service, collection, stored))

    def _update(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                rest: list[str]) -> Answer:
        collection = self._collection(service, params)
        if not self.store.resolve_module(collection) or self.store.get(collection, params["id"]) is None:
            raise service.style.missing(collection, params["id"])
        rows = service.style.incoming(collection, body.value())
        changes = {k: v for k, v in rows[0].items() if k not in ("id", service.style.id_key)}
        stored = self.store.update(collection, params["id"], {**changes, **service.style.stamp(self.store.now(),
                                                                                                False)})
        return service.style.updated(collection, service.style.render(collection, stored))

    def _delete(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                rest: list[str]) -> Answer:
        collection = self._collection(service, params)
        if not self.store.resolve_module(collection) or not self.store.delete(collection, params["id"]):
            raise service.style.missing(collection, params["id"])
        return service.style.deleted(collection, params["id"])

    def _status(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                rest: list[str]) -> Answer:
        collection = self._collection(service, params)
        if not self.store.resolve_module(collection) or self.store.get(collection, params["id"]) is None:
            raise service.style.missing(collection, params["id"])
        self.store.update(collection, params["id"], {"status": params["status"]})
        return 200, {"code": 0, "message": f"Status changed to {params['status']}."}

    def _parent_key(self, params: dict[str, str]) -> str:
        return params["module"].rstrip("s") + "Id"

    def _related(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                 rest: list[str]) -> Answer:
        parent = self._collection(service, params)
        if self.store.get(parent, params["id"]) is None if self.store.resolve_module(parent) else True:
            raise service.style.missing(parent, params["id"])
        target = self._collection(service, {**params, "module": params["related"]})
        key = self._parent_key(params)
        records = [r for r in self._records(target) if str(r.get(key)) == params["id"]]
        return self._page(service, target, records, query)

    def _create_related(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                        rest: list[str]) -> Answer:
        parent = self._collection(service, params)
        if self.store.get(parent, params["id"]) is None if self.store.resolve_module(parent) else True:
            raise service.style.missing(parent, params["id"])
        target = self._collection(service, {**params, "module": params["related"]})
        rows = service.style.incoming(target, body.value())
        stored = self._insert(service, target, {**rows[0], self._parent_key(params): params["id"]})
        return service.style.created(target, self._render(service, target, [stored]))

    def _message(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                 rest: list[str]) -> Answer:
        message = body.value()
        if isinstance(message, str):
            message = {"text": message}
        if not isinstance(message, dict) or not (message.get("text") or message.get("card") or
                                                  message.get("slides") or message.get("attachments")):
            raise service.style.error(400, "a message needs \"text\" (or a card, slides or attachments)")
        kind = "bot" if rest[-1] == "incoming" else _MESSAGE_KINDS.get(rest[0], rest[0])
        record = {"to": f"{kind}:{params['target']}", "bot": query.get("bot_unique_name"), "message": message,
                  "sent_time": self.store.now()}
        self.store.insert(MESSAGES, record)
        return 204, None

    def _organizations(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                       rest: list[str]) -> Answer:
        """Books/Inventory organizations: the one sample organization of the Books context."""
        from ...project import contexts  # the organization a Books function gets, so ids agree

        organization = dict(contexts.get("books").names["organization"].default)
        if "id" in params and params["id"] != str(organization.get("organization_id")):
            raise service.style.missing("organizations", params["id"])
        if "id" in params:
            return 200, {"code": 0, "message": "success", "organization": organization}
        return 200, {"code": 0, "message": "success", "organizations": [{**organization, "is_default_org": True}]}

    def _properties(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                    rest: list[str]) -> Answer:
        """Cliq extension properties: GET ?keys=a,b answers their values, POST sets a Map of them
        (keys are a-z and _, as Zoho's page says) and answers it, DELETE .../KEY removes one."""
        stored = {r["key"]: r for r in self._records(PROPERTIES)}
        if body.method == "GET":
            wanted = [k for k in query.get("keys", "").split(",") if k] or list(stored)
            return 200, {key: stored[key]["value"] for key in wanted if key in stored}
        if body.method == "DELETE":
            if params["key"] not in stored:
                raise service.style.error(404, f"no extension property '{params['key'][:60]}'")
            self.store.delete(PROPERTIES, stored[params["key"]]["id"])
            return 200, {"key": params["key"]}
        value = body.value()
        if not isinstance(value, dict) or not value:
            raise service.style.error(400, "setProperties needs a Map of property keys and values")
        for key, item in value.items():
            if not _PROPERTY_KEY.fullmatch(str(key)):
                raise service.style.error(400, f"'{str(key)[:60]}' is not a property key (only a-z and _)")
            if key in stored:
                self.store.update(PROPERTIES, stored[key]["id"], {"value": item})
            else:
                self.store.insert(PROPERTIES, {"key": key, "value": item})
        return 200, dict(value)

    def _tree(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
              rest: list[str]) -> Answer:
        """A REST tree path read as collection/id pairs: an odd length names a collection (list,
        create), an even one a record (get, update, delete); records remember the path above them."""
        parts = [p for p in rest if p]
        record_id = parts.pop() if len(parts) % 2 == 0 else None
        collection = f"{service.style.name}/{parts[-1].lower()}"
        parent = "/".join(parts[:-1])
        method = body.method
        if record_id is None:
            if method == "GET":
                records = [r for r in self._records(collection) if r.get("_parent") == parent]
                filters = {k: v for k, v in query.items() if k not in ("index", "range", "limit")}
                return self._page(service, collection, filter_records(records, filters), query)
            if method == "POST":
                value = body.value()
                if not isinstance(value, dict):
                    raise service.style.error(400, "the request needs fields (JSON or form)")
                stored = self._insert(service, collection, {**value, "_parent": parent})
                return service.style.created(collection, self._render(service, collection, [stored]))
            raise service.style.error(405, f"{method} does not apply to a collection")
        record = self.store.get(collection, record_id) if self.store.resolve_module(collection) else None
        if record is None or record.get("_parent") != parent:
            raise service.style.missing(collection, record_id)
        if method == "GET":
            return service.style.one(collection, service.style.render(collection, record))
        if method == "DELETE":
            self.store.delete(collection, record_id)
            return service.style.deleted(collection, record_id)
        value = body.value()
        changes = {k: v for k, v in (value if isinstance(value, dict) else {}).items() if k not in ("id", "_parent")}
        stored = self.store.update(collection, record_id, {**changes, **service.style.stamp(self.store.now(), False)})
        return service.style.updated(collection, service.style.render(collection, stored))

    def _sheet(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
               rest: list[str]) -> Answer:
        """Zoho Sheet: the ``method`` field fetches, adds or updates the rows of ``worksheet_name``."""
        value = body.value()
        fields = {**query, **(value if isinstance(value, dict) else {})}
        method, sheet = fields.get("method", ""), fields.get("worksheet_name", "")
        if not sheet and method.startswith("worksheet."):
            raise service.style.error(400, "worksheet_name is required")
        collection = f"sheet/{params['resource']}/{sheet}"
        rows = self._records(collection)
        if method == "worksheet.records.fetch":
            test = sheet_criteria(fields.get("criteria", ""))
            found = [service.style.render(collection, r) for r in rows if test(r)]
            return 200, {"records": found, "records_count": len(found), "method": method, "status": "success"}
        if method == "worksheet.records.add":
            data = _json_field(service, fields.get("json_data"), "json_data")
            added = data if isinstance(data, list) else [data]
            for offset, row in enumerate(added):
                if not isinstance(row, dict):
                    raise service.style.error(400, "json_data must hold rows (objects of column: value)")
                self.store.insert(collection, {**row, "row_index": len(rows) + offset + 2})
            return 200, {"method": method, "status": "success", "records_count": len(added)}
        if method == "worksheet.records.update":
            changes = _json_field(service, fields.get("data"), "data")
            if not isinstance(changes, dict):
                raise service.style.error(400, "data must be an object of column: value")
            test = sheet_criteria(fields.get("criteria", ""))
            hit = [r for r in rows if test(r)]
            for row in hit:
                self.store.update(collection, row["id"], {k: v for k, v in changes.items() if k != "row_index"})
            return 200, {"method": method, "status": "success", "no_of_affected_rows": len(hit)}
        raise service.style.error(400, f"the sandbox's Sheet does not answer method '{method[:60]}'")

    def _children(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                  rest: list[str]) -> Answer:
        collection = self._collection(service, params)
        children = [r for r in self._records(collection) if str(r.get("parent_id")) == params["id"]]
        return self._page(service, collection, children, query)

    def _upload(self, service: Service, params: dict[str, str], query: dict[str, str], body: RequestBody,
                rest: list[str]) -> Answer:
        fields, files = body.multipart()
        name = query.get("filename") or fields.get("filename") or (files[0][1] if files else "")
        parent = query.get("parent_id") or fields.get("parent_id")
        if not files or not parent:
            raise service.style.error(400, "an upload needs a file (multipart field 'content') and parent_id")
        collection = self._collection(service, params)
        stored = self._insert(service, collection, {"name": name, "parent_id": parent, "type": "file",
                                                    "storage_info": {"size_in_bytes": len(files[0][2])}})
        return 200, {"data": [{"attributes": {"resource_id": stored["id"], "FileName": name, "parent_id": parent,
                                              "Permalink": f"https://workdrive.zoho.com/file/{stored['id']}"},
                               "type": "files"}]}


class RequestBody:
    """A request body read on demand: JSON, form fields (Books' JSONString), or multipart parts."""

    def __init__(self, headers: dict[str, str], raw: bytes, style: Style, method: str = "") -> None:
        self.raw = raw
        self.method = method
        self.content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        self.style = style

    def value(self) -> Any:
        kind = self.content_type.split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            return dict(parse_qsl(self.raw.decode("utf-8", "replace"), keep_blank_values=True))
        if kind.startswith("multipart/"):
            fields, files = self.multipart()
            return {**fields, **{name: content.decode("utf-8", "replace") for name, _, content in files}}
        text = self.raw.decode("utf-8", "replace").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            if kind in ("application/json", "text/json", "application/vnd.api+json"):
                raise self.style.error(400, "the request body is not valid JSON") from None
            return text

    def multipart(self) -> tuple[dict[str, str], list[tuple[str, str, bytes]]]:
        """(text fields, [(field name, file name, content)]) of a multipart/form-data body."""
        if not self.content_type.lower().startswith("multipart/"):
            return {}, []
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + self.content_type.encode() +
                                                     b"\r\n\r\n" + self.raw)
        fields: dict[str, str] = {}
        files: list[tuple[str, str, bytes]] = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition") or ""
            filename = part.get_filename()
            content = part.get_payload(decode=True) or b""
            if filename is not None:
                files.append((str(name), filename, content))
            else:
                fields[str(name)] = content.decode("utf-8", "replace")
        return fields, files


def _json_field(service: Service, raw: Any, name: str) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        raise service.style.error(400, f"{name} is not valid JSON") from None


def filter_records(records: list[dict[str, Any]], filters: dict[str, str], anywhere: str | None = None
                   ) -> list[dict[str, Any]]:
    """Books/Desk-style query filters: ``field=value`` (``*`` wildcards), ``field_contains``,
    ``field_startswith``; `anywhere` is a word looked for in every field. Text compares without case."""
    tests: list[Callable[[dict[str, Any]], bool]] = []
    for key, wanted in filters.items():
        field, test = key, _equals
        for suffix, suffix_test in _SUFFIXES.items():
            if key.endswith(suffix) and len(key) > len(suffix):
                field, test = key[:-len(suffix)], suffix_test
        folded = wanted.casefold()
        tests.append(lambda r, f=field, t=test, w=folded: _has(r, f) and t(_text(r, f), w))
    if anywhere:
        word = anywhere.strip("*").casefold()
        tests.append(lambda r: any(word in json.dumps(v).casefold() for k, v in r.items() if k != "id"))
    return [r for r in records if all(test(r) for test in tests)]


def _has(record: dict[str, Any], field: str) -> bool:
    return any(key.lower() == field.lower() for key in record)


def _text(record: dict[str, Any], field: str) -> str:
    value = next((v for k, v in record.items() if k.lower() == field.lower()), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    return ("" if value is None else str(value).lower() if isinstance(value, bool) else str(value)).casefold()


def _equals(value: str, wanted: str) -> bool:
    if "*" in wanted:
        return fnmatch.fnmatchcase(value, wanted)
    return value == wanted


_SUFFIXES: dict[str, Callable[[str, str], bool]] = {
    "_contains": lambda value, wanted: wanted in value,
    "_startswith": lambda value, wanted: value.startswith(wanted),
}
