"""The route table of every faked service: local path prefix -> routes, style and create defaults.

Paths are local: the sandbox's router sends ``https://www.zohoapis.com/books/v3/...`` to
``/books/v3/...``, ``https://desk.zoho.eu/api/v1/...`` to ``/desk/api/v1/...`` and so on
(`deluge_lite.sandbox.hosts`). Each route names an action of the one engine (`engine.ServiceEngine`).
"""

from __future__ import annotations

from collections.abc import Callable

from ...fieldclass import fieldclass
from .base import Route, Style
from .books import BooksStyle, InventoryStyle, books_defaults
from .creator import CreatorStyle
from .documents import SheetStyle, WorkDriveStyle, workdrive_defaults
from .support import CliqStyle, DeskStyle, desk_defaults
from .trees import ProjectsStyle, SalesIQStyle

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _routes(*rows: tuple[str, str, str]) -> tuple[Route, ...]:
    return tuple(Route(method, tuple(p for p in pattern.split("/") if p), action) for method, pattern, action in rows)


_CREATOR = _routes(
    ("GET", "report/{report}", "list"), ("GET", "report/{report}/{id}", "get"),
    ("POST", "form/{form}", "create"), ("PATCH", "report/{report}/{id}", "update"),
    ("PUT", "report/{report}/{id}", "update"), ("DELETE", "report/{report}/{id}", "delete"),
)
_BOOKS = _routes(
    ("GET", "organizations", "organizations"), ("GET", "organizations/{id}", "organizations"),
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
    ("GET", "extensions/properties", "properties"), ("POST", "extensions/properties", "properties"),
    ("DELETE", "extensions/properties/{key}", "properties"),
)
# A REST tree: any path; the engine reads it as collection/id pairs (see ServiceEngine._tree).
_TREE = tuple(Route(method, ("**",), "tree") for method in ("GET", "POST", "PUT", "PATCH", "DELETE"))
_WORKDRIVE = _routes(
    ("POST", "files", "create"), ("GET", "files/{id}", "get"), ("PATCH", "files/{id}", "update"),
    ("GET", "files/{id}/files", "children"), ("POST", "upload", "upload"),
)


@fieldclass(frozen=True)
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


def match_path(pattern: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
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
        bound = match_path(service.prefix, segments[:size]) if len(segments) > size else None
        if bound is not None and (service.style.name != "creator" or segments[size] in ("report", "form")):
            return service, bound, segments[size:]
    return None
