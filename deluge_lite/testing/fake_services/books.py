"""The fake Zoho Books and Inventory styles: modules, singular record keys, numbers and totals.

Books API v3 (https://www.zoho.com/books/api/v3/): {"code": 0, "message", "<module>": [...]};
Inventory v1 has Books' shape. `books_defaults` fills what Books computes on create (numbers, totals).
"""

from __future__ import annotations

import json

from ..fake_crm_store import CrmStore
from .base import MAX_PAGE, Answer, ServiceError, Style, whole

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
        per_page = min(whole(query.get("per_page"), MAX_PAGE, self), MAX_PAGE)
        return (whole(query.get("page"), 1, self) - 1) * per_page, per_page

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
