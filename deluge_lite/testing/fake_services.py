"""The fake Zoho Creator, Books, Inventory, Desk, Cliq and WorkDrive: one engine, one route table each.

Owns the generic record actions (list with filters and pagination, get, create, update,
delete, related records, messages, uploads) over the shared SQLite store of the fake CRM
(`fake_crm_store.CrmStore`; a service's collections are named ``service/name``) and, per
service, a table of routes plus a `Style`: how that service names ids, wraps records in its
envelope and words its errors. A new service is a route table and a style, not new actions.

Paths are local: the sandbox's router sends ``https://www.zohoapis.com/books/v3/...`` to
``/books/v3/...``, ``https://desk.zoho.eu/api/v1/...`` to ``/desk/api/v1/...`` and so on
(`deluge_lite.sandbox.hosts`). Envelopes follow Zoho's API pages:
  Creator v2/v2.1 https://www.zoho.com/creator/help/api/v2.1/  {"code": 3000, "data": ...}
  Books v3        https://www.zoho.com/books/api/v3/           {"code": 0, "message", "<module>": [...]}
  Inventory v1    https://www.zoho.com/inventory/api/v1/       (Books' shape)
  Desk v1         https://desk.zoho.com/DeskAPIDocument        {"data": [...]} / the record
  Cliq v2         https://www.zoho.com/cliq/help/restapi/v2/   messages answer 204
  WorkDrive v1    https://workdrive.zoho.com/apidocs/v1/       JSON:API {"data": {"id", "type", "attributes"}}
  Projects        https://www.zoho.com/projects/help/rest-api/ {"projects": [...]}, {"tasks": [...]} per level
  SalesIQ v2      https://www.zoho.com/salesiq/help/developer/ {"data": [...]} per level
  Sheet v2        https://www.zoho.com/sheet/help/api/v2/      {"records": [...], "status": "success"}
Decisions where the pages say little: Creator forms are keyed by form name only (owner and
app are accepted as given) and a report ``All_Orders`` (or ``Orders_Report``) shows the form
``Orders``; Creator and Books create collections on first write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .fake_crm_store import CrmStore

MAX_PAGE = 200
Answer = tuple[int, Any]  # (HTTP status, JSON body or None for no content)


class ServiceError(Exception):
    """A request a service refuses, answered with that service's own error body."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(str(body))
        self.status, self.body = status, body


@dataclass(frozen=True)
class Route:
    method: str
    pattern: tuple[str, ...]  # literal segments and {placeholders}
    action: str


def _routes(*rows: tuple[str, str, str]) -> tuple[Route, ...]:
    return tuple(Route(method, tuple(p for p in pattern.split("/") if p), action) for method, pattern, action in rows)


class Style:
    """How one service spells ids, envelopes and errors; subclasses set the differences."""

    name = ""
    display = ""
    id_key = "id"
    reserved: frozenset[str] = frozenset()

    def collection(self, store: CrmStore, params: dict[str, str], create: bool) -> str:
        return f"{self.name}/{params['module'].lower()}"

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {self.id_key: record["id"], **{k: v for k, v in record.items() if k != "id"}}

    def incoming(self, collection: str, body: Any) -> list[dict[str, Any]]:
        if not isinstance(body, dict):
            raise self.error(400, "the request body must be a JSON object")
        return [body]

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {}

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        return 0, MAX_PAGE

    def listing(self, collection: str, rows: list[dict[str, Any]], more: bool, start: int, size: int) -> Answer:
        return 200, {"data": rows}

    def one(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, row

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        return 200, rows[0]

    def updated(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, row

    def deleted(self, collection: str, record_id: str) -> Answer:
        return 204, None

    def missing(self, collection: str, record_id: str) -> ServiceError:
        return self.error(404, f"no record with id {record_id}")

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"errorCode": "INVALID_DATA", "message": message})

    def bad_token(self) -> ServiceError:
        return self.error(401, "invalid oauth token")


def _singular(module: str) -> str:
    return module[:-1] if module.endswith("s") else module


# ---------------------------------------------------------------- Creator
class CreatorStyle(Style):
    name, display, id_key = "creator", "Zoho Creator", "ID"
    reserved = frozenset({"criteria", "from", "limit", "max_records", "field_config", "fields", "record_cursor"})

    def collection(self, store: CrmStore, params: dict[str, str], create: bool) -> str:
        target = params.get("form") or params.get("report") or ""
        known = {c.split("/", 1)[1].lower(): c for c in store.collections("creator/")}
        for candidate in _report_forms(target):
            if candidate.lower() in known:
                return known[candidate.lower()]
        return f"creator/{target if create or 'form' in params else _report_forms(target)[-1]}"

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {"ID": record["id"], **{k: v for k, v in record.items() if k not in ("id", "ID")}}

    def incoming(self, collection: str, body: Any) -> list[dict[str, Any]]:
        data = body.get("data") if isinstance(body, dict) else None
        rows = data if isinstance(data, list) else [data] if isinstance(data, dict) else None
        if not rows or not all(isinstance(r, dict) for r in rows):
            raise self.error(400, "The request body must hold \"data\": a record map or a list of them", 3001)
        if len(rows) > MAX_PAGE:
            raise self.error(400, "A maximum of 200 records can be added per request.", 3950)
        return rows

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {"Added_Time": now, "Modified_Time": now} if created else {"Modified_Time": now}

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        start = _whole(query.get("from"), 1, self) - 1
        size = _whole(query.get("limit") or query.get("max_records"), MAX_PAGE, self)
        if size > 1000:
            raise self.error(400, "A maximum of 200 records can be fetched per request.", 3970)
        return max(start, 0), size

    def listing(self, collection: str, rows: list[dict[str, Any]], more: bool, start: int, size: int) -> Answer:
        if not rows:
            return 200, {"code": 3100, "message": "No Data Available"}
        return 200, {"code": 3000, "data": rows}

    def one(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"code": 3000, "data": row}

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        results = [{"code": 3000, "data": {"ID": r["ID"]}, "message": "Data Added Successfully"} for r in rows]
        return 200, results[0] if len(results) == 1 else {"result": results}

    def updated(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"code": 3000, "data": {"ID": row["ID"]}, "message": "Data Updated Successfully"}

    def deleted(self, collection: str, record_id: str) -> Answer:
        return 200, {"code": 3000, "data": {"ID": record_id}, "message": "Data Deleted Successfully"}

    def missing(self, collection: str, record_id: str) -> ServiceError:
        return self.error(404, "No Data Available", 3100)

    def error(self, status: int, message: str, code: int = 3001) -> ServiceError:  # type: ignore[override]
        return ServiceError(status, {"code": code, "message": message})

    def bad_token(self) -> ServiceError:
        return self.error(401, "Authorization Failure. The access token is either invalid or has expired.", 1030)


def _report_forms(report: str) -> list[str]:
    """The forms a report name may show: itself, All_X -> X, X_Report -> X (and singular forms)."""
    names = [report]
    for prefix in ("All_", "all_"):
        if report.startswith(prefix):
            names += [report[len(prefix):], _singular(report[len(prefix):])]
    for suffix in ("_Report", "_report"):
        if report.endswith(suffix):
            names.append(report[:-len(suffix)])
    return names


# ---------------------------------------------------------------- Books / Inventory
# module -> (the singular key of one record, the prefix of its number field) (Books API v3 pages).
BOOKS_MODULES: dict[str, tuple[str, str | None]] = {
    "contacts": ("contact", None), "invoices": ("invoice", "INV-"), "items": ("item", None),
    "estimates": ("estimate", "EST-"), "salesorders": ("salesorder", "SO-"), "purchaseorders": ("purchaseorder", "PO-"),
    "bills": ("bill", None), "creditnotes": ("creditnote", "CN-"), "customerpayments": ("payment", None),
    "vendorpayments": ("vendorpayment", None), "expenses": ("expense", None), "recurringinvoices":
    ("recurring_invoice", None), "projects": ("project", None), "users": ("user", None), "taxes": ("tax", None),
    "journals": ("journal", None), "chartofaccounts": ("chartofaccount", None), "bankaccounts": ("bankaccount", None),
    "retainerinvoices": ("retainerinvoice", "RET-"), "deliverychallans": ("deliverychallan", "DC-"),
    "packages": ("package", "PKG-"), "shipmentorders": ("shipmentorder", "SH-"), "warehouses": ("warehouse", None),
    "compositeitems": ("composite_item", None), "itemgroups": ("item_group", None), "salesreturns": ("salesreturn", "RMA-"),
}
_NUMBER_FIELDS = {"invoice": "invoice_number", "estimate": "estimate_number", "salesorder": "salesorder_number",
                  "purchaseorder": "purchaseorder_number", "creditnote": "creditnote_number",
                  "retainerinvoice": "retainerinvoice_number", "deliverychallan": "deliverychallan_number",
                  "package": "package_number", "shipmentorder": "shipment_number", "salesreturn": "salesreturn_number"}


class BooksStyle(Style):
    name, display = "books", "Zoho Books"
    reserved = frozenset({"organization_id", "page", "per_page", "sort_column", "sort_order", "filter_by",
                          "search_text", "response_option", "print"})

    def collection(self, store: CrmStore, params: dict[str, str], create: bool) -> str:
        module = params["module"].lower()
        if module not in BOOKS_MODULES:
            raise ServiceError(404, {"code": 5, "message": "Invalid URL Passed"})
        return f"{self.name}/{module}"

    def _key(self, collection: str) -> str:
        return BOOKS_MODULES[collection.split("/", 1)[1]][0]

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {f"{self._key(collection)}_id": record["id"], **{k: v for k, v in record.items() if k != "id"}}

    def incoming(self, collection: str, body: Any) -> list[dict[str, Any]]:
        if isinstance(body, dict) and isinstance(body.get("JSONString"), str):  # the form-encoded variant
            try:
                body = json.loads(body["JSONString"])
            except ValueError:
                raise self.error(400, "Invalid value passed for JSONString") from None
        if not isinstance(body, dict):
            raise self.error(400, "the request body must be a JSON object")
        return [body]

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {"created_time": now, "last_modified_time": now} if created else {"last_modified_time": now}

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        per_page = min(_whole(query.get("per_page"), MAX_PAGE, self), MAX_PAGE)
        return (_whole(query.get("page"), 1, self) - 1) * per_page, per_page

    def listing(self, collection: str, rows: list[dict[str, Any]], more: bool, start: int, size: int) -> Answer:
        module = collection.split("/", 1)[1]
        return 200, {"code": 0, "message": "success", module: rows,
                     "page_context": {"page": start // size + 1, "per_page": size, "has_more_page": more}}

    def one(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"code": 0, "message": "success", self._key(collection): row}

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        key = self._key(collection)
        return 201, {"code": 0, "message": f"The {key.replace('_', ' ')} has been created.", key: rows[0]}

    def updated(self, collection: str, row: dict[str, Any]) -> Answer:
        key = self._key(collection)
        return 200, {"code": 0, "message": f"The {key.replace('_', ' ')} has been updated.", key: row}

    def deleted(self, collection: str, record_id: str) -> Answer:
        return 200, {"code": 0, "message": f"The {self._key(collection).replace('_', ' ')} has been deleted."}

    def missing(self, collection: str, record_id: str) -> ServiceError:
        thing = self._key(collection).replace("_", " ").capitalize()
        return ServiceError(404, {"code": 1002, "message": f"{thing} does not exist."})

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"code": 4, "message": message})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"code": 57, "message": "You are not authorized to perform this operation"})


class InventoryStyle(BooksStyle):
    name, display = "inventory", "Zoho Inventory"


def books_defaults(collection: str, record: dict[str, Any], count: int) -> dict[str, Any]:
    """What Books fills in on create: a number (INV-000001), totals of line items, a status."""
    module = collection.split("/", 1)[1]
    key, prefix = BOOKS_MODULES.get(module, (module, None))
    extra: dict[str, Any] = {}
    if prefix and not record.get(_NUMBER_FIELDS.get(key, "")):
        extra[_NUMBER_FIELDS[key]] = f"{prefix}{count:06d}"
    items = record.get("line_items")
    if isinstance(items, list):
        total = sum(_amount(i.get("rate")) * _amount(i.get("quantity", 1)) for i in items if isinstance(i, dict))
        extra.setdefault("sub_total", total)
        extra.setdefault("total", total)
        if key in ("invoice", "bill"):
            extra.setdefault("balance", total)
    if key in ("invoice", "estimate", "salesorder", "purchaseorder", "bill", "creditnote"):
        extra.setdefault("status", "draft")
    if key == "contact":
        extra.setdefault("contact_type", "customer")
        extra.setdefault("status", "active")
    return extra


def _amount(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


# ---------------------------------------------------------------- Desk
DESK_MODULES = ("tickets", "contacts", "accounts", "tasks", "products", "agents", "departments", "calls", "events",
                "comments", "threads", "contracts", "teams")


class DeskStyle(Style):
    name, display = "desk", "Zoho Desk"
    reserved = frozenset({"from", "limit", "sortBy", "include", "fields", "viewId", "departmentId",
                          "departmentIds", "searchStr"})

    def collection(self, store: CrmStore, params: dict[str, str], create: bool) -> str:
        module = params["module"]
        if module not in DESK_MODULES:
            raise ServiceError(404, {"errorCode": "URL_NOT_FOUND", "message": "The URL you requested could not be "
                                     "found"})
        return f"desk/{module}"

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {"createdTime": now, "modifiedTime": now} if created else {"modifiedTime": now}

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        limit = _whole(query.get("limit"), 50, self)
        if limit > 100:  # Desk's list pages: "limit: range 1-100"
            raise self.error(422, "limit must be at most 100")
        start = int(query.get("from") or 0) if str(query.get("from") or "0").isdigit() else 0
        return max(start - 1, 0) if start else 0, limit

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        return 200, rows[0]

    def missing(self, collection: str, record_id: str) -> ServiceError:
        return ServiceError(404, {"errorCode": "RESOURCE_NOT_FOUND",
                                  "message": f"The requested resource with id {record_id} does not exist"})

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"errorCode": "INVALID_DATA", "message": message})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"errorCode": "INVALID_OAUTH", "message": "The OAuth Token you provided is "
                                  "invalid."})


def desk_defaults(collection: str, record: dict[str, Any], count: int) -> dict[str, Any]:
    if collection == "desk/tickets":
        return {"ticketNumber": str(100 + count), "status": record.get("status") or "Open"}
    return {}


# ---------------------------------------------------------------- Cliq
class CliqStyle(Style):
    name, display = "cliq", "Zoho Cliq"

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"code": "invalid_input", "message": message})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"code": "oauthtoken_invalid", "message": "Invalid OAuth token."})


# ---------------------------------------------------------------- WorkDrive
class WorkDriveStyle(Style):
    name, display = "workdrive", "Zoho WorkDrive"

    def collection(self, store: CrmStore, params: dict[str, str], create: bool) -> str:
        return "workdrive/files"

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {"id": record["id"], "type": "files", "attributes": {k: v for k, v in record.items() if k != "id"}}

    def incoming(self, collection: str, body: Any) -> list[dict[str, Any]]:
        data = body.get("data") if isinstance(body, dict) else None
        attributes = data.get("attributes") if isinstance(data, dict) else None
        if not isinstance(attributes, dict):
            raise self.error(400, "the body must be {\"data\": {\"attributes\": {...}, \"type\": \"files\"}}")
        return [attributes]

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {"created_time": now, "modified_time": now} if created else {"modified_time": now}

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        return _whole(query.get("page[offset]"), 0, self, 0), _whole(query.get("page[limit]"), 50, self)

    def one(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"data": row}

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        return 201, {"data": rows[0]}

    def updated(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"data": row}

    def missing(self, collection: str, record_id: str) -> ServiceError:
        return ServiceError(404, {"errors": [{"id": "R013", "title": "Resource does not exist"}]})

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"errors": [{"id": "F000", "title": message}]})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"errors": [{"id": "F7003", "title": "Invalid OAuth token"}]})


def workdrive_defaults(collection: str, record: dict[str, Any], count: int) -> dict[str, Any]:
    return {"type": record.get("type") or "folder", "status": 1,
            "permalink": f"https://workdrive.zoho.com/folder/{count}", "is_folder": record.get("type", "folder")
            == "folder"}


# ---------------------------------------------------------------- Projects, SalesIQ (REST trees)
class TreeStyle(Style):
    """A REST tree (``portal/{p}/projects/{id}/tasks``): each collection is scoped by the path above it."""

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        start = _whole(query.get("index"), 1, self) - 1
        return start, _whole(query.get("range") or query.get("limit"), MAX_PAGE, self)


class ProjectsStyle(TreeStyle):
    name, display = "projects", "Zoho Projects"

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {"id": record["id"], "id_string": str(record["id"]), **{k: v for k, v in record.items()
                                                                      if k not in ("id", "_parent")}}

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {"created_time": now, "last_updated_time": now} if created else {"last_updated_time": now}

    def listing(self, collection: str, rows: list[dict[str, Any]], more: bool, start: int, size: int) -> Answer:
        return (200, {collection.rsplit("/", 1)[1]: rows}) if rows else (204, None)

    def one(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {collection.rsplit("/", 1)[1]: [row]}

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        return 201, {collection.rsplit("/", 1)[1]: rows}

    def updated(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {collection.rsplit("/", 1)[1]: [row]}

    def deleted(self, collection: str, record_id: str) -> Answer:
        return 200, {"response": f"{_singular(collection.rsplit('/', 1)[1]).capitalize()} deleted successfully"}

    def missing(self, collection: str, record_id: str) -> ServiceError:
        return ServiceError(404, {"error": {"code": 6404, "message": "Resource not found"}})

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"error": {"code": 6831, "message": message}})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"error": {"code": 6401, "message": "Invalid OAuth access token."}})


class SalesIQStyle(TreeStyle):
    name, display = "salesiq", "Zoho SalesIQ"

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k != "_parent"}

    def stamp(self, now: str, created: bool) -> dict[str, Any]:
        return {"created_time": now} if created else {"modified_time": now}

    def one(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"data": row}

    def created(self, collection: str, rows: list[dict[str, Any]]) -> Answer:
        return 200, {"data": rows[0]}

    def updated(self, collection: str, row: dict[str, Any]) -> Answer:
        return 200, {"data": row}

    def deleted(self, collection: str, record_id: str) -> Answer:
        return 200, {"data": {"id": record_id, "deleted": True}}

    def missing(self, collection: str, record_id: str) -> ServiceError:
        return ServiceError(404, {"error": {"code": 1004, "message": "Invalid resource"}})

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"error": {"code": 1001, "message": message}})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"error": {"code": 1007, "message": "Invalid OAuth token"}})


# ---------------------------------------------------------------- Sheet
class SheetStyle(Style):
    """Zoho Sheet's data API: one URL per workbook, the form's ``method`` names the action."""

    name, display = "sheet", "Zoho Sheet"

    def render(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k != "id"}

    def error(self, status: int, message: str) -> ServiceError:
        return ServiceError(status, {"status": "failure", "error_message": message})

    def bad_token(self) -> ServiceError:
        return ServiceError(401, {"status": "failure", "error_message": "Invalid OAuth token"})


def sheet_criteria(text: str) -> Callable[[dict[str, Any]], bool]:
    """Sheet criteria: ``"Column"="value" and "Age">20`` (and/or from left to right; text without case)."""
    if not text.strip():
        return lambda row: True
    parts = re.split(r"\s+(and|or)\s+", text.strip(), flags=re.IGNORECASE)
    tests: list[Callable[[dict[str, Any]], bool]] = []
    for condition in parts[::2]:
        match = _SHEET_CONDITION.fullmatch(condition.strip())
        if match is None:
            raise ServiceError(400, {"status": "failure", "error_message": f"invalid criteria: {condition[:60]}"})
        column, op, quoted, bare = match.groups()
        wanted = quoted if quoted is not None else bare
        check = _SHEET_OPS[op.lower()]
        tests.append(lambda row, c=column, t=check, w=wanted: t(str(row.get(c, "")), w))

    def test(row: dict[str, Any]) -> bool:
        result = tests[0](row)
        for joiner, nxt in zip(parts[1::2], tests[1:], strict=True):
            result = (result and nxt(row)) if joiner.lower() == "and" else (result or nxt(row))
        return result
    return test


_SHEET_CONDITION = re.compile(r'"([^"]+)"\s*(=|!=|<>|>=|<=|>|<|contains)\s*(?:"([^"]*)"|(\S+))', re.IGNORECASE)


def _sheet_order(op: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def compare(value: str, wanted: str) -> bool:
        try:
            return op(float(value), float(wanted))
        except ValueError:
            return False
    return compare


_SHEET_OPS: dict[str, Callable[[str, str], bool]] = {
    "=": lambda v, w: v.casefold() == w.casefold(), "!=": lambda v, w: v.casefold() != w.casefold(),
    "<>": lambda v, w: v.casefold() != w.casefold(), "contains": lambda v, w: w.casefold() in v.casefold(),
    ">": _sheet_order(lambda a, b: a > b), "<": _sheet_order(lambda a, b: a < b),
    ">=": _sheet_order(lambda a, b: a >= b), "<=": _sheet_order(lambda a, b: a <= b),
}


# ---------------------------------------------------------------- the tables
_CREATOR = _routes(
    ("GET", "report/{report}", "list"), ("GET", "report/{report}/{id}", "get"),
    ("POST", "form/{form}", "create"), ("PATCH", "report/{report}/{id}", "update"),
    ("PUT", "report/{report}/{id}", "update"), ("DELETE", "report/{report}/{id}", "delete"),
)
_BOOKS = _routes(
    ("GET", "{module}", "list"), ("POST", "{module}", "create"), ("GET", "{module}/{id}", "get"),
    ("PUT", "{module}/{id}", "update"), ("DELETE", "{module}/{id}", "delete"),
    ("POST", "{module}/{id}/status/{status}", "status"),
)
_DESK = _routes(
    ("GET", "{module}/search", "list"), ("GET", "{module}", "list"), ("POST", "{module}", "create"),
    ("GET", "{module}/{id}", "get"), ("PATCH", "{module}/{id}", "update"), ("PUT", "{module}/{id}", "update"),
    ("DELETE", "{module}/{id}", "delete"), ("GET", "{module}/{id}/{related}", "related"),
    ("POST", "{module}/{id}/{related}", "create_related"),
)
_CLIQ = _routes(
    ("POST", "channelsbyname/{target}/message", "message"), ("POST", "channels/{target}/message", "message"),
    ("POST", "bots/{target}/message", "message"), ("POST", "buddies/{target}/message", "message"),
    ("POST", "chats/{target}/message", "message"), ("POST", "bots/{target}/incoming", "message"),
)
# A REST tree: any path; the engine reads it as collection/id pairs (see ServiceEngine._tree).
_TREE = tuple(Route(method, ("**",), "tree") for method in ("GET", "POST", "PUT", "PATCH", "DELETE"))
_WORKDRIVE = _routes(
    ("POST", "files", "create"), ("GET", "files/{id}", "get"), ("PATCH", "files/{id}", "update"),
    ("GET", "files/{id}/files", "children"), ("POST", "upload", "upload"),
)


@dataclass(frozen=True)
class Service:
    """One faked service: the local path prefix, its routes, its style, what create fills in."""

    prefix: tuple[str, ...]
    routes: tuple[Route, ...]
    style: Style
    defaults: Callable[[str, dict[str, Any], int], dict[str, Any]] = lambda collection, record, count: {}


# Local path prefix (after the router) -> the service; a {version} segment matches any version.
SERVICES: tuple[Service, ...] = (
    Service(("creator", "{version}", "data", "{owner}", "{app}"), _CREATOR, CreatorStyle()),
    Service(("creator", "{version}", "{owner}", "{app}"), _CREATOR, CreatorStyle()),
    Service(("books", "{version}"), _BOOKS, BooksStyle(), books_defaults),
    Service(("inventory", "{version}"), _BOOKS, InventoryStyle(), books_defaults),
    Service(("desk", "api", "{version}"), _DESK, DeskStyle(), desk_defaults),
    Service(("cliq", "api", "{version}"), _CLIQ, CliqStyle()),
    Service(("workdrive", "api", "{version}"), _WORKDRIVE, WorkDriveStyle(), workdrive_defaults),
    Service(("sheet", "api", "{version}"), _routes(("POST", "{resource}", "sheet"), ("GET", "{resource}", "sheet")),
            SheetStyle()),
    Service(("projects", "restapi"), _TREE, ProjectsStyle()),
    Service(("projects", "api", "{version}"), _TREE, ProjectsStyle()),
    Service(("salesiq", "api", "visitor", "{version}", "{screen}"), _TREE, SalesIQStyle()),
    Service(("salesiq", "api", "{version}", "{screen}"), _TREE, SalesIQStyle()),
)
SERVICE_NAMES = tuple(dict.fromkeys(s.style.name for s in SERVICES))


def _match(pattern: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    if pattern == ("**",):
        return {} if segments else None
    if len(pattern) != len(segments):
        return None
    bound: dict[str, str] = {}
    for want, got in zip(pattern, segments, strict=True):
        if want.startswith("{"):
            bound[want[1:-1]] = got
        elif want != got:
            return None
    return bound


def find_service(segments: list[str]) -> tuple[Service, dict[str, str], list[str]] | None:
    """The service a local path belongs to, its prefix's bound names and the rest of the path."""
    for service in SERVICES:
        size = len(service.prefix)
        bound = _match(service.prefix, segments[:size]) if len(segments) > size else None
        if bound is not None and (service.style.name != "creator" or segments[size] in ("report", "form")):
            return service, bound, segments[size:]
    return None


def _whole(raw: Any, default: int, style: Style, minimum: int = 1) -> int:
    if raw in (None, ""):
        return default
    text = str(raw)
    if not text.isdigit() or int(text) < minimum:
        raise style.error(400, f"'{text[:40]}' is not a valid whole number")
    return int(text)
