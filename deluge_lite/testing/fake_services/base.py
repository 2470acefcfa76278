"""What every faked service shares: the page limit, the error, a route row and the `Style` base class.

A `Style` says how one service spells ids, wraps records in its envelope and words its errors;
each service module subclasses it with only the differences. `whole` reads a paging number
of the query, answering a bad one in the service's own error shape.
"""

from __future__ import annotations

from typing import Any

from ...fieldclass import fieldclass
from ..fake_crm_store import CrmStore

MAX_PAGE = 200
Answer = tuple[int, Any]  # (HTTP status, JSON body or None for no content)


class ServiceError(Exception):
    """A request a service refuses, answered with that service's own error body."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(str(body))
        self.status, self.body = status, body


@fieldclass(frozen=True)
class Route:
    method: str
    pattern: tuple[str, ...]  # literal segments and {placeholders}
    action: str


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


def singular(module: str) -> str:
    return module[:-1] if module.endswith("s") else module


def whole(raw: Any, default: int, style: Style, minimum: int = 1) -> int:
    if raw in (None, ""):
        return default
    text = str(raw)
    if not text.isdigit() or int(text) < minimum:
        raise style.error(400, f"'{text[:40]}' is not a valid whole number")
    return int(text)
