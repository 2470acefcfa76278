"""A fake Zoho CRM: a real HTTP server on 127.0.0.1 speaking the REST v2 .. v8 record APIs.

Owns the HTTP side: routing ``/crm/{version}/...``, the ``Zoho-oauthtoken`` check, Zoho's
response and error envelopes and status codes, pagination, the request log, and the
``python -m deluge_lite.testing.fake_crm`` entry point. Records live in `fake_crm_store`
(SQLite); criteria parsing lives in `fake_crm_search`. It owns no client logic.

    with FakeZohoCRM(accept_tokens={"tok"}) as crm:
        crm.seed_sample(10)
        httpx.get(crm.url + "/crm/v2/Leads", headers={"Authorization": "Zoho-oauthtoken tok"})

Endpoints (``{v}`` is v2, v2.1, v3 .. v8; behaviour is the same except where noted):
  GET    /crm/{v}/{module}                  list (page, per_page, fields, sort_by, sort_order, ids);
                                            from v5 on `fields` is mandatory (Zoho's Get Records page)
  POST   /crm/{v}/{module}                  insert; PUT /crm/{v}/{module} bulk update (ids in the body)
  DELETE /crm/{v}/{module}?ids=a,b          delete
  POST   /crm/{v}/{module}/upsert           insert or update by duplicate_check_fields
  GET    /crm/{v}/{module}/search           criteria=, email=, phone=, word=
  GET|PUT|DELETE /crm/{v}/{module}/{id}     one record
  GET    /crm/{v}/{module}/{id}/{related}   related records (lookups pointing at the record; Notes)
  GET    /crm/{v}/users[/{id}, /search]     the Users API (fake_crm_users)
  GET    /crm/{v}/org, /settings/modules, /settings/variables[/{name or id}]

Decisions where Zoho's pages say little: an unknown record id on GET answers 204 (no content);
on PUT/DELETE the per-record entry is INVALID_DATA. Batch writes answer 201 (insert) or 200
when every entry succeeds, 400 when all fail and 207 (Multi-Status, Zoho's status-codes page)
when some do. Without a validator or accepted tokens every non-empty token is accepted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..fieldclass import field, fieldclass
from . import fake_crm_search as search
from . import fake_crm_users as users_api
from .fake_crm_store import UNIQUE_FIELDS, CrmStore, read_seed_file
from .loopback import LoopbackServer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_PER_PAGE = 200
MAX_BATCH = 100
_VERSION = re.compile(r"^v(\d+)(?:\.\d+)?$")
RELATED_EXTRA = ("Notes", "Attachments", "Activities", "Tasks", "Events", "Calls", "Products", "Quotes")
TokenValidator = Callable[[str], bool]


class ApiError(Exception):
    """A request-level failure answered with Zoho's error envelope."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}

    def envelope(self) -> dict[str, Any]:
        return {"code": self.code, "details": self.details, "message": self.message, "status": "error"}


@fieldclass(frozen=True)
class LoggedRequest:
    """One call the fake CRM answered; token values in headers are masked."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int
    body: Any = None


@fieldclass
class _Answer:
    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a file download's bytes instead of JSON (its type in ``headers``)


def _entry(code: str, message: str, details: dict[str, Any], ok: bool = False) -> dict[str, Any]:
    return {"code": code, "details": details, "message": message, "status": "success" if ok else "error"}


def _batch(entries: list[dict[str, Any]], ok_status: int) -> _Answer:
    good = sum(1 for e in entries if e["status"] == "success")
    status = ok_status if good == len(entries) else 400 if good == 0 else 207
    return _Answer(status, {"data": entries})


def oauth_validator(provider: Any) -> TokenValidator:
    """A validator accepting the unexpired access tokens a `FakeOAuthProvider` issued."""
    for name in ("is_valid_access_token", "check_access_token", "validate_access_token"):
        method = getattr(provider, name, None)
        if callable(method):
            return lambda token: bool(method(token))

    def check(token: str) -> bool:
        with provider.lock:
            entry = provider._access.get(token)
            return entry is not None and entry.expires_at > time.time()
    return check


class FakeZohoCRM(LoopbackServer):
    """A fake Zoho CRM org on 127.0.0.1 (port 0 picks a free port), records in SQLite."""

    thread_name = "fake-zoho-crm"

    def __init__(self, token_validator: TokenValidator | None = None, *, accept_tokens: Iterable[str] | None = None,
                 port: int = 0, db: str | Path = ":memory:", clock: Callable[[], datetime] | None = None,
                 mandatory: dict[str, Iterable[str]] | None = None, variables: dict[str, Any] | None = None,
                 org: dict[str, Any] | None = None) -> None:
        super().__init__(port)
        self.token_validator = token_validator
        self.accept_tokens = set(accept_tokens) if accept_tokens is not None else None
        self.store = CrmStore(db, clock=clock, mandatory=mandatory)
        self.org = {"id": "4876876000000010001", "company_name": "Sandbox Inc", "primary_email":
                    "user@example.com", "time_zone": "UTC", "currency": "USD", "country": "US",
                    "domain_name": "org4876876", **(org or {})}
        for name, value in (variables or {}).items():
            self.store.set_variable(name, value)
        self.requests: list[LoggedRequest] = []
        self.attachment_files: dict[str, bytes] = {}  # attachment id -> the bytes uploaded (kept in memory)
        self._log_lock = threading.Lock()
        self._connections: set[socket.socket] = set()  # open keep-alive sockets, closed by stop()

    @classmethod
    def with_oauth(cls, provider: Any, **options: Any) -> FakeZohoCRM:
        """A fake CRM that accepts exactly the live access tokens `provider` issued."""
        return cls(oauth_validator(provider), **options)

    # ---- lifecycle
    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _make_handler(self)

    def stop(self) -> None:
        if self._server is not None:
            super().stop()
            with self._log_lock:
                open_sockets, self._connections = list(self._connections), set()
            for sock in open_sockets:  # a stopped server answers nothing, even on kept-alive connections
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Stop serving and close the database (a file database keeps its records)."""
        self.stop()
        self.store.close()


    def api_url(self, version: str = "v2") -> str:
        return f"{self.url}/crm/{version}"

    # ---- seeding and introspection
    def seed_json(self, path: str | Path) -> dict[str, int]:
        return self.store.seed_json(path)

    def seed_csv(self, path: str | Path, module: str) -> int:
        return self.store.seed_csv(path, module)

    def seed_file(self, path: str | Path, module: str | None = None) -> dict[str, int]:
        """Seed from a .json file or (with `module`, default: the file's stem) a .csv file.

        The file is checked whole first: a bad one raises `SeedError` and stores nothing."""
        return self.store.seed_from(read_seed_file(path, module))

    def seed_records(self, module: str, records: Iterable[dict[str, Any]]) -> list[str]:
        return self.store.seed_records(module, records)

    def seed_sample(self, n: int = 20, *, seed: int = 7) -> dict[str, int]:
        return self.store.seed_sample(n, seed=seed)

    def add_module(self, name: str, mandatory: Iterable[str] | None = None) -> str:
        return self.store.add_module(name, mandatory)

    def set_variable(self, api_name: str, value: Any) -> None:
        self.store.set_variable(api_name, value)

    def records(self, module: str) -> list[dict[str, Any]]:
        """The stored records of a module, oldest first."""
        name = self.store.resolve_module(module)
        return self.store.all(name) if name else []

    def record(self, module: str, record_id: str) -> dict[str, Any] | None:
        name = self.store.resolve_module(module)
        return self.store.get(name, record_id) if name else None

    def clear_requests(self) -> None:
        with self._log_lock:
            self.requests.clear()

    # ---- auth
    def _check_token(self, authorization: str) -> None:
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        # Zoho wants its own prefix: "Authorization: Zoho-oauthtoken <token>", never "Bearer".
        if scheme.lower() != "zoho-oauthtoken" or not token or not self._token_ok(token):
            raise ApiError(401, "INVALID_TOKEN", "invalid oauth token")

    def _token_ok(self, token: str) -> bool:
        if self.accept_tokens is not None and token in self.accept_tokens:
            return True
        if self.token_validator is not None:
            return bool(self.token_validator(token))
        return self.accept_tokens is None

    # ---- dispatch
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> _Answer:
        parts = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        try:
            answer = self._route(method, [unquote(p) for p in parts.path.split("/") if p], query, headers, body)
        except ApiError as error:
            answer = _Answer(error.status, error.envelope())
        masked = {k: (v.split(" ", 1)[0] + " ***" if k.lower() == "authorization" else v) for k, v in headers.items()}
        with self._log_lock:
            self.requests.append(LoggedRequest(method, parts.path, query, masked, answer.status, answer.body))
        return answer

    def _route(self, method: str, segments: list[str], query: dict[str, str], headers: dict[str, str],
               body: bytes) -> _Answer:
        if len(segments) < 3 or segments[0] != "crm" or not _VERSION.match(segments[1]):
            raise ApiError(404, "INVALID_URL_PATTERN", "the URL does not match any CRM API")
        self._check_token(next((v for k, v in headers.items() if k.lower() == "authorization"), ""))
        version = int(_VERSION.match(segments[1]).group(1))  # type: ignore[union-attr]
        rest = segments[2:]
        if rest[0].lower() == "users":
            _expect(method, "GET")
            try:
                return _Answer(*users_api.answer(self.store.users, rest, query))
            except ValueError as error:
                raise ApiError(400, "INVALID_QUERY", str(error), {"param": "criteria"}) from None
        if rest[0] in ("org", "settings"):
            _expect(method, "GET")
            return self._meta(rest, query)
        module = self.store.resolve_module(rest[0])
        if module is None:
            raise ApiError(400, "INVALID_MODULE", "the module name given seems to be invalid")
        if len(rest) == 1:
            handler = {"GET": lambda: self._list(module, query, version),
                       "POST": lambda: self._insert(module, _data(body)),
                       "PUT": lambda: self._update_many(module, _data(body)),
                       "DELETE": lambda: self._delete_many(module, query)}.get(method)
            if handler is None:
                raise _bad_method()
            return handler()
        if rest[1] == "upsert" and len(rest) == 2:
            _expect(method, "POST")
            return self._upsert(module, _json_body(body))
        if rest[1] == "search" and len(rest) == 2:
            _expect(method, "GET")
            return self._search(module, query)
        record_id = rest[1]
        if len(rest) == 2:
            if method == "GET":
                return self._get_one(module, record_id, query)
            if method == "PUT":
                data = _data(body)
                if len(data) != 1:
                    raise ApiError(400, "INVALID_DATA", "give exactly one record to update by id", {})
                return self._update_many(module, [{**data[0], "id": record_id}])
            if method == "DELETE":
                return self._delete_many(module, {"ids": record_id})
            raise _bad_method()
        if len(rest) == 3:
            _expect(method, "GET")
            return self._related(module, record_id, rest[2], query)
        raise ApiError(404, "INVALID_URL_PATTERN", "the URL does not match any CRM API")

    # ---- reads
    def _list(self, module: str, query: dict[str, str], version: int) -> _Answer:
        fields = _fields(query)
        if version >= 5 and not fields:
            # Zoho's v5+ Get Records page: "fields" is mandatory when fetching all records.
            raise ApiError(400, "REQUIRED_PARAM_MISSING", "a required parameter is missing", {"param": "fields"})
        records = self.store.all(module)
        if query.get("ids"):
            wanted = {i.strip() for i in query["ids"].split(",")}
            records = [r for r in records if r["id"] in wanted]
        records = _sort(records, query)
        return _page(records, query, fields, version)

    def _get_one(self, module: str, record_id: str, query: dict[str, str]) -> _Answer:
        record = self.store.get(module, record_id)
        if record is None:
            return _Answer(204)
        return _Answer(200, {"data": [_project(record, _fields(query))]})

    def _search(self, module: str, query: dict[str, str]) -> _Answer:
        tests: list[Callable[[dict[str, Any]], bool]] = []
        if query.get("criteria"):
            try:
                node = search.parse_criteria(query["criteria"])
            except search.CriteriaError as error:
                raise ApiError(400, "INVALID_QUERY", "invalid query formed", {"reason": str(error)}) from None
            tests.append(lambda r: search.matches(node, r))
        if query.get("email"):
            tests.append(lambda r: search.matches_email(r, query["email"]))
        if query.get("phone"):
            tests.append(lambda r: search.matches_phone(r, query["phone"]))
        if query.get("word"):
            tests.append(lambda r: search.matches_word(r, query["word"]))
        if not tests:
            raise ApiError(400, "REQUIRED_PARAM_MISSING", "one of criteria, email, phone or word is required",
                           {"param": "criteria"})
        try:
            found = [r for r in self.store.all(module) if all(test(r) for test in tests)]
        except search.CriteriaError as error:
            raise ApiError(400, "INVALID_QUERY", "invalid query formed", {"reason": str(error)}) from None
        return _page(_sort(found, query), query, _fields(query), 2)

    def _related(self, module: str, record_id: str, relation: str, query: dict[str, str]) -> _Answer:
        if self.store.get(module, record_id) is None:
            raise ApiError(400, "INVALID_DATA", "the record id given seems to be invalid", {"id": record_id})
        target = self.store.resolve_module(relation)
        if target is None:
            if relation.lower() not in (name.lower() for name in RELATED_EXTRA):
                raise ApiError(400, "INVALID_DATA", "the relation name given seems to be invalid",
                               {"resource_path_index": 2})
            return _Answer(204)
        related = [r for r in self.store.all(target) if _points_at(r, record_id)]
        return _page(_sort(related, query), query, _fields(query), 2)

    def _meta(self, rest: list[str], query: dict[str, str]) -> _Answer:
        if rest == ["org"]:
            return _Answer(200, {"org": [dict(self.org)]})
        if rest == ["settings", "modules"]:
            return _Answer(200, {"modules": [{"api_name": m, "module_name": m, "plural_label": m,
                                              "api_supported": True} for m in self.store.modules()]})
        if rest[:2] == ["settings", "variables"] and len(rest) <= 3:
            variables = self.store.variables()
            if len(rest) == 3:
                variables = [v for v in variables if rest[2] in (v["id"], v["api_name"])]
            return _Answer(200, {"variables": variables}) if variables else _Answer(204)
        raise ApiError(404, "INVALID_URL_PATTERN", "the URL does not match any CRM API")

    # ---- writes
    def _missing_mandatory(self, module: str, record: dict[str, Any], index: int) -> dict[str, Any] | None:
        for name in self.store.mandatory(module):
            if record.get(name) in (None, "", []):
                return _entry("MANDATORY_NOT_FOUND", "required field not found",
                              {"api_name": name, "json_path": f"$.data[{index}].{name}"})
        return None

    def _insert(self, module: str, data: list[dict[str, Any]]) -> _Answer:
        entries = []
        for index, record in enumerate(data):
            problem = _not_a_record(record, index) or self._missing_mandatory(module, record, index)
            if problem:
                entries.append(problem)
                continue
            stored = self.store.insert(module, record)
            entries.append(_entry("SUCCESS", "record added", _details(stored), ok=True))
        return _batch(entries, 201)

    def _update_many(self, module: str, data: list[dict[str, Any]]) -> _Answer:
        entries = []
        for index, record in enumerate(data):
            problem = _not_a_record(record, index)
            if problem is None and not record.get("id"):
                problem = _entry("MANDATORY_NOT_FOUND", "required field not found",
                                 {"api_name": "id", "json_path": f"$.data[{index}].id"})
            if problem:
                entries.append(problem)
                continue
            stored = self.store.update(module, str(record["id"]), record)
            if stored is None:
                entries.append(_entry("INVALID_DATA", "the id given seems to be invalid",
                                      {"api_name": "id", "json_path": f"$.data[{index}].id"}))
            else:
                entries.append(_entry("SUCCESS", "record updated", _details(stored), ok=True))
        return _batch(entries, 200)

    def _delete_many(self, module: str, query: dict[str, str]) -> _Answer:
        ids = [i.strip() for i in query.get("ids", "").split(",") if i.strip()]
        if not ids:
            raise ApiError(400, "REQUIRED_PARAM_MISSING", "a required parameter is missing", {"param": "ids"})
        if len(ids) > MAX_BATCH:
            raise ApiError(400, "LIMIT_EXCEEDED", f"at most {MAX_BATCH} records per call", {"limit": MAX_BATCH})
        entries = [_entry("SUCCESS", "record deleted", {"id": i}, ok=True) if self.store.delete(module, i)
                   else _entry("INVALID_DATA", "the id given seems to be invalid", {"id": i}) for i in ids]
        return _batch(entries, 200)

    def _upsert(self, module: str, body: dict[str, Any]) -> _Answer:
        data = _records_of(body)
        check = body.get("duplicate_check_fields") or list(UNIQUE_FIELDS.get(module, ()))
        if isinstance(check, str):
            check = [check]
        entries = []
        for index, record in enumerate(data):
            problem = _not_a_record(record, index)
            if problem:
                entries.append(problem)
                continue
            match, matched_field = self._duplicate(module, record, check)
            if match is not None:
                stored = self.store.update(module, match["id"], record)
                assert stored is not None
                entry = _entry("SUCCESS", "record updated", _details(stored), ok=True)
                entry.update(action="update", duplicate_field=matched_field)
            else:
                problem = self._missing_mandatory(module, record, index)
                if problem:
                    entries.append(problem)
                    continue
                stored = self.store.insert(module, record)
                entry = _entry("SUCCESS", "record added", _details(stored), ok=True)
                entry.update(action="insert", duplicate_field=None)
            entries.append(entry)
        return _batch(entries, 200)

    def _duplicate(self, module: str, record: dict[str, Any], check: list[str]) -> tuple[dict[str, Any] | None,
                                                                                         str | None]:
        existing = self.store.all(module)
        for name in check:
            value = record.get(name)
            if value in (None, ""):
                continue
            for candidate in existing:
                if search.OPERATORS["equals"](candidate.get(name), str(value).replace("\\", "\\\\")):
                    return candidate, name
        return None, None


# ---- helpers
def _expect(method: str, allowed: str) -> None:
    if method != allowed:
        raise _bad_method()


def _bad_method() -> ApiError:
    return ApiError(405, "INVALID_REQUEST_METHOD", "the http request method type is not a valid one")


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"null")
    except ValueError:
        raise ApiError(400, "INVALID_DATA", "the request body is not valid JSON", {}) from None
    if not isinstance(value, dict):
        raise ApiError(400, "INVALID_DATA", "the request body must be a JSON object with a data list", {})
    return value


def _records_of(body: dict[str, Any]) -> list[Any]:
    data = body.get("data")
    if data is None:
        raise ApiError(400, "REQUIRED_PARAM_MISSING", "a required parameter is missing", {"param": "data"})
    if not isinstance(data, list) or not data:
        raise ApiError(400, "INVALID_DATA", "data must be a non-empty list of records", {"param": "data"})
    if len(data) > MAX_BATCH:
        raise ApiError(400, "LIMIT_EXCEEDED", f"at most {MAX_BATCH} records per call", {"limit": MAX_BATCH})
    return data


def _data(body: bytes) -> list[Any]:
    return _records_of(_json_body(body))


def _not_a_record(record: Any, index: int) -> dict[str, Any] | None:
    if isinstance(record, dict):
        return None
    return _entry("INVALID_DATA", "each record must be a JSON object", {"json_path": f"$.data[{index}]"})


def _details(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(key) for key in ("Modified_Time", "Modified_By", "Created_Time", "id", "Created_By")}


def _fields(query: dict[str, str]) -> list[str]:
    return [f.strip() for f in query.get("fields", "").split(",") if f.strip()]


def _project(record: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    if not fields:
        return record
    return {"id": record["id"], **{f: record.get(f) for f in fields if f != "id"}}


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    if value is None or value == "":
        return (2, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value))
    return (1, str(value).casefold())


def _sort(records: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    sort_by, order = query.get("sort_by"), query.get("sort_order", "").lower()
    if not sort_by and not order:
        return records
    if order and order not in ("asc", "desc"):
        raise ApiError(400, "INVALID_DATA", "sort_order must be asc or desc", {"param": "sort_order"})
    key = sort_by or "id"
    present = [r for r in records if r.get(key) not in (None, "")]
    absent = [r for r in records if r.get(key) in (None, "")]
    if key == "id":
        present.sort(key=lambda r: int(r["id"]) if str(r["id"]).isdigit() else 0, reverse=order != "asc")
    else:
        present.sort(key=lambda r: _sort_key(r.get(key)), reverse=order != "asc")  # Zoho: desc by default
    return present + absent


def _positive(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ApiError(400, "INVALID_DATA", f"{name} must be a positive integer", {"param": name})
    return int(raw)


def _page(records: list[dict[str, Any]], query: dict[str, str], fields: list[str], version: int) -> _Answer:
    page = _positive(query, "page", 1)
    per_page = min(_positive(query, "per_page", MAX_PER_PAGE), MAX_PER_PAGE)
    start = (page - 1) * per_page
    chunk = records[start:start + per_page]
    if not chunk:
        return _Answer(204)  # Zoho: no records is 204 with an empty body
    info: dict[str, Any] = {"page": page, "per_page": per_page, "count": len(chunk),
                            "more_records": start + per_page < len(records)}
    if version >= 3:
        info.update(sort_by=query.get("sort_by", "id"), sort_order=query.get("sort_order", "desc"),
                    next_page_token=None, previous_page_token=None, page_token_expiry=None)
    return _Answer(200, {"data": [_project(r, fields) for r in chunk], "info": info})


def _points_at(record: dict[str, Any], record_id: str) -> bool:
    return any(isinstance(v, dict) and str(v.get("id")) == record_id
               for k, v in record.items() if k not in ("Owner", "Created_By", "Modified_By"))


def _make_handler(crm: FakeZohoCRM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeZohoCRM/1.0"
        protocol_version = "HTTP/1.1"  # keep-alive, like the real API
        disable_nagle_algorithm = True  # headers and body go out in separate writes

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def setup(self) -> None:
            super().setup()
            with crm._log_lock:
                crm._connections.add(self.connection)

        def finish(self) -> None:
            with crm._log_lock:
                crm._connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                answer = crm.handle(self.command, self.path, dict(self.headers.items()), body)
            except Exception as error:  # an internal bug: still answer in Zoho's shape
                answer = _Answer(500, ApiError(500, "INTERNAL_ERROR", f"internal error: {error!r}").envelope())
            payload = answer.raw if answer.raw is not None else b"" if answer.body is None else \
                json.dumps(answer.body).encode()
            self.send_response(answer.status)
            if answer.status != 204:
                if answer.raw is None:
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if answer.status != 204:
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler


def main(argv: list[str] | None = None) -> int:
    """``python -m deluge_lite.testing.fake_crm [--port N] [--seed FILE] [--db FILE]``: run until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m deluge_lite.testing.fake_crm",
                                     description="Run a fake Zoho CRM on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep records in (default: memory)")
    parser.add_argument("--seed", action="append", default=[], metavar="FILE",
                        help="JSON ({\"Leads\": [...]}) or CSV file to load; repeatable")
    parser.add_argument("--module", help="module for CSV seed files (default: the file name)")
    parser.add_argument("--sample", type=int, default=0, metavar="N", help="generate N sample Leads/Contacts/Deals")
    parser.add_argument("--token", action="append", default=None, metavar="TOKEN",
                        help="accept only this token (repeatable); default: any non-empty token")
    args = parser.parse_args(argv)
    crm = FakeZohoCRM(accept_tokens=args.token, port=args.port, db=args.db)
    try:
        for path in args.seed:
            crm.seed_file(path, args.module)
        if args.sample:
            crm.seed_sample(args.sample)
    except (OSError, ValueError) as error:
        print(f"fake_crm: cannot seed: {error}", file=sys.stderr)
        return 2
    crm.start()
    print(f"fake Zoho CRM on {crm.url}  (API: {crm.api_url()}/<module>; Ctrl-C stops)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        crm.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
