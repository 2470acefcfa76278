"""Which Zoho URLs the sandbox answers, and where on the local fake each one goes.

Owns the table of Zoho API hosts and path prefixes (every data centre: com, eu, in,
com.au, jp, com.cn, sa, ca, uk) -> the faked service and its local path, the list of Zoho
services that are known but not faked (so the error can name them), and the `Router` a
runtime calls before each request under ``--sandbox``: a Zoho URL is rewritten to the
local fake, a URL matching a ``--stub`` prefix to its fixed answer, a loopback URL is left
alone, and anything else is refused with an offline error naming the host and the ways to
answer it locally. It also binds each link name the script uses to the service of its
first URL, printing one notice per link (`SandboxRegistry` makes the connection). The test
plugin's router (``offline=False``) rewrites Zoho URLs the same way and leaves every other URL
to the test's stubs and cassette.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from ..errors import DelugeRuntimeError
from ..fieldclass import fieldclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DATA_CENTRES = ("com", "eu", "in", "com.au", "jp", "com.cn", "sa", "ca", "uk")
_DC = "(?P<dc>" + "|".join(re.escape(dc) for dc in sorted(DATA_CENTRES, key=len, reverse=True)) + ")"


@fieldclass(frozen=True)
class HostRoute:
    """``host`` (a regex over the host, data centre as ``{dc}``) + path prefix -> local path prefix."""

    service: str  # the fake's display name, also the notice's
    host: str
    path: str  # the request path must start with this
    local: str  # ... which is replaced by this on the fake
    connection_service: str  # the default service a link bound here stands for


# Zoho's API hosts by service (Zoho's "Multi DC" page, and each API's "Overview" page).
ROUTES: tuple[HostRoute, ...] = (
    HostRoute("Zoho CRM", r"(www\.)?zohoapis", "/crm/", "/crm/", "zoho_crm"),
    HostRoute("Zoho CRM", r"(www\.)?zohoapis", "/bigin/", "/crm/", "zoho_bigin"),
    HostRoute("Zoho Books", r"(www\.)?zohoapis", "/books/", "/books/", "zoho_books"),
    HostRoute("Zoho Books", r"books\.zoho", "/api/", "/books/", "zoho_books"),
    HostRoute("Zoho Inventory", r"(www\.)?zohoapis", "/inventory/", "/inventory/", "zoho_inventory"),
    HostRoute("Zoho Inventory", r"inventory\.zoho", "/api/", "/inventory/", "zoho_inventory"),
    HostRoute("Zoho Creator", r"(www\.)?zohoapis", "/creator/", "/creator/", "zoho_creator"),
    HostRoute("Zoho Creator", r"creator\.zoho", "/api/", "/creator/", "zoho_creator"),
    HostRoute("Zoho Desk", r"desk\.zoho", "/api/", "/desk/api/", "zoho_desk"),
    HostRoute("Zoho Desk", r"(www\.)?zohoapis", "/desk/", "/desk/", "zoho_desk"),
    HostRoute("Zoho Cliq", r"cliq\.zoho", "/api/", "/cliq/api/", "zoho_cliq"),
    HostRoute("Zoho Cliq", r"(www\.)?zohoapis", "/cliq/", "/cliq/", "zoho_cliq"),
    HostRoute("Zoho WorkDrive", r"(www\.)?zohoapis", "/workdrive/", "/workdrive/", "zoho_workdrive"),
    HostRoute("Zoho WorkDrive", r"workdrive\.zoho", "/api/", "/workdrive/api/", "zoho_workdrive"),
    HostRoute("Zoho Sheet", r"sheet\.zoho", "/api/", "/sheet/api/", "zoho_sheet"),
    HostRoute("Zoho Projects", r"projectsapi\.zoho", "/restapi/", "/projects/restapi/", "zoho_projects"),
    HostRoute("Zoho Projects", r"projectsapi\.zoho", "/api/", "/projects/api/", "zoho_projects"),
    HostRoute("Zoho SalesIQ", r"salesiq\.zoho", "/api/", "/salesiq/api/", "zoho_salesiq"),
)
# Zoho hosts the sandbox knows but does not fake: the offline error names the product.
NOT_FAKED: dict[str, str] = {
    "sign": "Zoho Sign", "analyticsapi": "Zoho Analytics", "analytics": "Zoho Analytics",
    "campaigns": "Zoho Campaigns", "expense": "Zoho Expense", "people": "Zoho People",
    "recruit": "Zoho Recruit", "mail": "Zoho Mail", "fsm": "Zoho FSM", "writer": "Zoho Writer",
"subscriptions": "Zoho Billing", "billing": "Zoho Billing",
    "bookings": "Zoho Bookings", "invoice": "Zoho Invoice", "accounts": "Zoho Accounts (OAuth)",
    "sprints": "Zoho Sprints", "survey": "Zoho Survey", "forms": "Zoho Forms", "flow": "Zoho Flow",
}
_COMPILED = tuple((route, re.compile(route.host.replace("{dc}", "") + r"\." + _DC + "$")) for route in ROUTES)
_ZOHO_HOST = re.compile(r"^(?:(?P<sub>[a-z0-9-]+)\.)*?(?P<name>[a-z0-9-]+)\.(?:zoho|zohoapis|zohocloud)\." + _DC
                        + "$")
_API_HOST = re.compile(r"^(?:www\.)?zohoapis\." + _DC + "$")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def find_route(url: str) -> tuple[HostRoute, str] | None:
    """The route of a Zoho API URL and the URL's path on the fake, or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for route, pattern in _COMPILED:
        if pattern.fullmatch(host) and parts.path.startswith(route.path):
            return route, route.local + parts.path[len(route.path):]
    return None


def zoho_product(host: str, path: str = "") -> str | None:
    """The Zoho product of a Zoho URL ('Zoho SalesIQ' for salesiq.zoho.com, 'Zoho Writer' for
    www.zohoapis.com/writer/...), or None for a host that is not Zoho's."""
    first = next((part for part in path.lower().split("/") if part), "")
    if _API_HOST.match(host.lower()):
        return NOT_FAKED.get(first) or (f"Zoho's /{first}/ API" if first else "Zoho's API")
    match = _ZOHO_HOST.match(host.lower())
    if match is None:
        return None
    return NOT_FAKED.get(match.group("name")) or NOT_FAKED.get(match.group("sub") or "") or \
        f"Zoho ({match.group('name')}.{match.group('dc')})"


class Router:
    """``runtime.url_router``: where a script's request really goes under ``--sandbox``."""

    def __init__(self, local_url: str, *, stubs: list[tuple[str, Any]] = (),  # type: ignore[assignment]
                 bind: Callable[[str, str], None] | None = None, offline: bool = True) -> None:
        self.local = urlsplit(local_url)
        self.stubs = list(stubs)
        self.bind = bind
        self.offline = offline  # False: a URL the fakes do not serve is left as it is

    def __call__(self, url: str, connection: str | None = None) -> str:
        for index, (prefix, _answer) in enumerate(self.stubs):
            if url.startswith(prefix):
                return self._local(f"/__stub/{index}", "")
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host in LOOPBACK:
            return url
        found = find_route(url)
        if found is not None:
            route, path = found
            if connection is not None and self.bind is not None:
                self.bind(connection, route.service)
            return self._local(path, parts.query)
        if not self.offline:
            return url
        product = zoho_product(host, parts.path)
        shown = parts.hostname or url
        prefix = f"{parts.scheme}://{parts.netloc}{'/'.join(parts.path.split('/')[:2])}"
        if product is not None:
            raise DelugeRuntimeError(
                f"the sandbox does not fake {product} ({shown}); answer this call locally with "
                f"--stub {prefix}=FILE.json (a JSON file with the answer), or http_stub in a test")
        raise DelugeRuntimeError(
            f"offline: the sandbox does not reach {shown}; answer this call locally with "
            f"--stub {prefix}=FILE.json (a JSON file with the answer), or http_stub in a test")

    def _local(self, path: str, query: str) -> str:
        return urlunsplit((self.local.scheme, self.local.netloc, path, query, ""))
