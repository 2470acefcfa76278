"""The sandbox's connections: every link name a script uses is a connection to the local fakes.

`SandboxRegistry` is a `ConnectionRegistry` built from the config the sandbox writes (one
``zoho_crm`` connection) that also answers for any other valid link name: it makes the
same kind of connection (an OAuth 2 client of the fake OAuth provider, so each fake sees a
live token) under that name, the first time the name is used. The CLI prints one notice
per such link, naming the fake it was bound to (`bind`, called by the router with the
service of the first URL, or by a task with its service). A real config is never loaded
into it: the CLI refuses ``--config`` with ``--sandbox``.

API domains: a sandbox connection's own API domain is the local fake (so the credential
host check passes after the router rewrites a URL), while `api_domain()`, which builds the
URLs of ``zoho.*`` tasks, gives Zoho's real one so tasks go through the same routing as a
script's own ``invokeurl``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..connections import ConnectionRegistry
from ..connections.config import parse_connection
from ..connections.errors import UnknownConnectionError
from ..connections.models import Connection, check_link_name

ZOHO_API_DOMAIN = "https://www.zohoapis.com"
# A default service's display name, for the notice when a task binds a link.
SERVICE_NAMES = {"zoho_crm": "Zoho CRM", "zoho_books": "Zoho Books", "zoho_creator": "Zoho Creator",
                 "zoho_desk": "Zoho Desk", "zoho_cliq": "Zoho Cliq", "zoho_workdrive": "Zoho WorkDrive",
                 "zoho_inventory": "Zoho Inventory", "zoho_bigin": "Zoho CRM", "zoho_sheet": "Zoho Sheet",
                 "zoho_projects": "Zoho Projects", "zoho_salesiq": "Zoho SalesIQ"}


class SandboxRegistry(ConnectionRegistry):
    """A registry in which every link name resolves (see the module docstring)."""

    template: dict[str, Any] = {}
    notice: Callable[[str], None] | None = None

    def configure(self, template: dict[str, Any], notice: Callable[[str], None] | None) -> SandboxRegistry:
        """The connection table new links copy (client, refresh token, fake hosts) and the notice sink."""
        self.template = dict(template)
        self.notice = notice
        self._bound: dict[str, str] = {}
        return self

    def get(self, link: str) -> Connection:
        found = self.connections.get(link)
        if found is not None:
            return found
        try:
            check_link_name(link)
        except Exception:
            raise UnknownConnectionError(f"'{link}' is not a valid connection link name (lower-case letters, "
                                         "digits and _, starting with a letter)") from None
        connection = parse_connection(link, {**self.template, "display_name": link}, self.services,
                                      self.catalog, where=f"sandbox connection '{link}'", source="sandbox")
        self.redactor.add(*connection.secret_values())
        self.connections[link] = connection
        return connection

    def link_for_service(self, service: str) -> str | None:
        return super().link_for_service(service) or "zoho_crm"

    def api_domain(self, link: str) -> str | None:
        self.get(link)
        return ZOHO_API_DOMAIN

    def bind(self, link: str, service: str) -> None:
        """Note which fake a link name serves; one notice the first time (for links the config lacks)."""
        name = SERVICE_NAMES.get(service, service if service.startswith("Zoho ") else None)
        if link in self._bound or name is None:  # a service with no fake: its call fails offline instead
            return
        self._bound[link] = name
        if self.notice is not None and self.connections.get(link) is not None and \
                self.connections[link].source == "sandbox":
            self.notice(f"sandbox: connection '{link}' is bound to the fake {name}")

    def bound(self) -> dict[str, str]:
        """Link name -> the fake service it was used for, in the order first used."""
        return dict(self._bound)
