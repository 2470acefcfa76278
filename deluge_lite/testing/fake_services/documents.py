"""The fake Zoho WorkDrive and Sheet styles, and Sheet's criteria.

WorkDrive v1 (https://workdrive.zoho.com/apidocs/v1/): JSON:API {"data": {"id", "type", "attributes"}}.
Sheet v2 (https://www.zoho.com/sheet/help/api/v2/): {"records": [...], "status": "success"}.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..fake_crm_store import CrmStore
from .base import Answer, ServiceError, Style, whole

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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
        return whole(query.get("page[offset]"), 0, self, 0), whole(query.get("page[limit]"), 50, self)

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
