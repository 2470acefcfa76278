"""The fake Zoho Projects and SalesIQ styles: REST trees read as collection/id pairs.

Projects (https://www.zoho.com/projects/help/rest-api/): {"projects": [...]}, {"tasks": [...]} per level.
SalesIQ v2 (https://www.zoho.com/salesiq/help/developer/): {"data": [...]} per level.
"""

from __future__ import annotations

from .base import MAX_PAGE, Answer, ServiceError, Style, singular, whole

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class TreeStyle(Style):
    """A REST tree (``portal/{p}/projects/{id}/tasks``): each collection is scoped by the path above it."""

    def page(self, query: dict[str, str]) -> tuple[int, int]:
        start = whole(query.get("index"), 1, self) - 1
        return start, whole(query.get("range") or query.get("limit"), MAX_PAGE, self)


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
        return 200, {"response": f"{singular(collection.rsplit('/', 1)[1]).capitalize()} deleted successfully"}

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
