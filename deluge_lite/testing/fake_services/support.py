"""The fake Zoho Desk and Cliq styles.

Desk v1 (https://desk.zoho.com/DeskAPIDocument): {"data": [...]} or the record, from/limit paging.
Cliq v2 (https://www.zoho.com/cliq/help/restapi/v2/): message posts answer 204.
"""

from __future__ import annotations

from ..fake_crm_store import CrmStore
from .base import Answer, ServiceError, Style, whole

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
        limit = whole(query.get("limit"), 50, self)
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
