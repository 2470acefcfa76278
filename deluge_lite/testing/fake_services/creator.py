"""The fake Zoho Creator's style: ``ID`` keys, code 3000 envelopes, reports that show a form.

Creator API v2.1 (https://www.zoho.com/creator/help/api/v2.1/): {"code": 3000, "data": ...}. Forms are
keyed by form name only (owner and app are accepted as given); a report ``All_Orders`` (or
``Orders_Report``) shows the form ``Orders``; a form is created on first write.
"""

from __future__ import annotations

from ..fake_crm_store import CrmStore
from .base import MAX_PAGE, Answer, ServiceError, Style, singular, whole

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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
        start = whole(query.get("from"), 1, self) - 1
        size = whole(query.get("limit") or query.get("max_records"), MAX_PAGE, self)
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
            names += [report[len(prefix):], singular(report[len(prefix):])]
    for suffix in ("_Report", "_report"):
        if report.endswith(suffix):
            names.append(report[:-len(suffix)])
    return names
