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

`for_fakes` builds the registry in memory from the fakes themselves (one connection per
faked service, `CONFIG_SERVICES`, authorized by a refresh token the provider issued): the
CLI's ``run --sandbox`` and the pytest plugin's fakes both use it, so a link name resolves
the same way in both. `is_fake` tells a link bound to the fakes from one the user configured.
"""

from __future__ import annotations

from collections.abc import Callable

from ..connections import ConnectionRegistry
from ..connections.catalog import load_catalog
from ..connections.config import parse_connection
from ..connections.errors import UnknownConnectionError
from ..connections.models import Connection, check_link_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ZOHO_API_DOMAIN = "https://www.zohoapis.com"
SCOPES = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCreator.report.ALL,ZohoBooks.fullaccess.all," \
         "Desk.tickets.ALL,ZohoCliq.Channels.ALL,WorkDrive.files.ALL"
# The connections the sandbox defines: service -> (display name, path of its fake on the server).
# Desk and Cliq tasks use paths (/api/v1, /api/v2) that the fake serves under their own prefix.
CONFIG_SERVICES: dict[str, tuple[str, str]] = {
    "zoho_crm": ("Sandbox CRM", ""), "zoho_books": ("Sandbox Books", ""), "zoho_inventory": ("Sandbox Inventory", ""),
    "zoho_creator": ("Sandbox Creator", ""), "zoho_workdrive": ("Sandbox WorkDrive", ""),
    "zoho_desk": ("Sandbox Desk", "/desk"), "zoho_cliq": ("Sandbox Cliq", "/cliq"),
}
# A default service's display name, for the notice when a task binds a link.
SERVICE_NAMES = {"zoho_crm": "Zoho CRM", "zoho_books": "Zoho Books", "zoho_creator": "Zoho Creator",
                 "zoho_desk": "Zoho Desk", "zoho_cliq": "Zoho Cliq", "zoho_workdrive": "Zoho WorkDrive",
                 "zoho_inventory": "Zoho Inventory", "zoho_bigin": "Zoho CRM", "zoho_sheet": "Zoho Sheet",
                 "zoho_projects": "Zoho Projects", "zoho_salesiq": "Zoho SalesIQ"}


def fake_template(oauth: Any, fake_url: str) -> dict[str, Any]:
    """The connection table of a link to the fakes: the provider's client and a fresh refresh token."""
    client_id, client_secret = next(iter(oauth.clients.items()))
    _, refresh_token = oauth.issue_tokens(client_id, scope=SCOPES)
    return {"service": "zoho_crm", "client_id": client_id, "client_secret": client_secret,
            "refresh_token": refresh_token, "accounts_server": oauth.url, "api_domain": fake_url}


def service_tables(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Link name -> connection table, one per faked service (`CONFIG_SERVICES`), from the template."""
    return {service: {"display_name": display, **template, "service": service,
                      "api_domain": template["api_domain"] + suffix}
            for service, (display, suffix) in CONFIG_SERVICES.items()}


class SandboxRegistry(ConnectionRegistry):
    """A registry in which every link name resolves (see the module docstring)."""

    template: dict[str, Any] = {}
    notice: Callable[[str], None] | None = None

    @classmethod
    def for_fakes(cls, oauth: Any, fake_url: str, notice: Callable[[str], None] | None = None) -> SandboxRegistry:
        """The registry of the fakes at ``fake_url`` (a `FakeZoho`), authorized by ``oauth``."""
        template = fake_template(oauth, fake_url)
        catalog = load_catalog()
        connections = {link: parse_connection(link, table, catalog.services, catalog, source="sandbox",
                                              where=f"sandbox connection '{link}'")
                       for link, table in service_tables(template).items()}
        return cls(connections, services=catalog.services, catalog=catalog).configure(template, notice)

    def configure(self, template: dict[str, Any], notice: Callable[[str], None] | None) -> SandboxRegistry:
        """The connection table new links copy (client, refresh token, fake hosts) and the notice sink."""
        self.template = dict(template)
        self.notice = notice
        self._bound: dict[str, str] = {}
        self._defined: set[str] = set(self.connections)  # links named after their service: no notice
        return self

    def is_fake(self, link: str) -> bool:
        """Whether ``link`` leads to the fakes (every link of this registry does)."""
        return link in self.connections

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
        if self.notice is not None and link in self.connections and link not in self._defined:
            self.notice(f"sandbox: connection '{link}' is bound to the fake {name}")

    def bound(self) -> dict[str, str]:
        """Link name -> the fake service it was used for, in the order first used."""
        return dict(self._bound)
