"""The connection registry: link name -> connection, and the `httpx.Auth` for each.

Owns assembling what is defined (default services from the catalog, custom services and
connections from the store and from the config file, the config winning on a clash),
looking links up with did-you-mean, one `TokenKeeper` per link (so one in-process lock per
connection), and the `Redactor` that knows every secret. The runtime builds one registry
per run with `ConnectionRegistry.load`, asks `auth_for(link)` for each request, and passes
its output through `registry.redactor`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ..net.client import httpx
from .auth import auth_for_connection
from .backend import LOCK_TIMEOUT, open_store, store_url
from .catalog import Catalog, load_catalog
from .config import ConnectionsConfig, find_config, load_config, parse_connection, parse_service
from .errors import ConnectionConfigError, UnknownConnectionError, did_you_mean
from .keeper import TokenKeeper
from .models import AuthType, Connection, Service
from .redact import Redactor, install_log_redaction
from .tokens import ClientFactory, SharedClient, default_client

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ConnectionRegistry:
    """Every connection a run can use, by link name."""

    def __init__(self, connections: Mapping[str, Connection], *, services: Mapping[str, Service] | None = None,
                 store: Any = None, catalog: Catalog | None = None,
                 defaults: Mapping[str, str] | None = None, config_path: Path | None = None,
                 client_factory: ClientFactory = default_client, margin: float | None = None,
                 clock: Callable[[], float] = time.time, redactor: Redactor | None = None,
                 broken: Mapping[str, str] | None = None, lock_timeout: float = LOCK_TIMEOUT,
                 shadowed: list[str] | None = None) -> None:
        self.connections = dict(connections)
        self.broken = dict(broken or {})  # link -> why it cannot be used (an unset ${VAR})
        self.lock_timeout = lock_timeout
        self.shadowed = list(shadowed or [])  # links defined in the config and also added to the store
        self.trace: Callable[[str], None] | None = None  # --trace: token requests are traced too
        self.catalog = catalog
        self.services = dict(services or {})
        self.store = store
        self.defaults = dict(defaults or {})
        self.config_path = config_path
        self.http = SharedClient(client_factory)
        self.margin = margin
        self.clock = clock
        self.redactor = redactor if redactor is not None else Redactor()
        self._keepers: dict[str, TokenKeeper] = {}
        self._lock = threading.Lock()
        for connection in self.connections.values():
            self.redactor.add(*connection.secret_values())
            if connection.auth_type is AuthType.BASIC:
                self.redactor.add_basic(connection.seeds.username, connection.seeds.password)
        install_log_redaction(self.redactor)  # httpx/httpcore log lines carry URLs and headers

    def __repr__(self) -> str:
        return f"ConnectionRegistry({sorted(self.connections)})"

    @classmethod
    def load(cls, config: str | os.PathLike[str] | None = None, *, cwd: Path | None = None,
             env: Mapping[str, str] | None = None, home: Path | None = None,
             client_factory: ClientFactory = default_client, use_store: bool = True,
             margin: float | None = None, lock_timeout: float = LOCK_TIMEOUT) -> ConnectionRegistry:
        """Build the registry: catalog + store + config (``config``, $DELUGE_LITE_CONFIG or ./deluge.toml).

        The store is SQLite under the home folder, or the backend named by $DELUGE_LITE_STORE
        or ``[store] url`` (`backend.store_url`)."""
        env = os.environ if env is None else env
        catalog = load_catalog()
        path = find_config(config, cwd=cwd, env=env)
        store = open_store(store_url(path, env), home, env) if use_store else None
        stored_services, stored_connections = _stored_definitions(store, catalog)
        parsed = load_config(path, catalog, env=env, extra_services=stored_services)
        services = {**catalog.services, **stored_services, **parsed.services}
        connections: dict[str, Connection] = {}
        for link, raw in stored_connections.items():
            if link not in parsed.connections:
                connections[link] = parse_connection(link, raw, services, catalog,
                                                     where=f"stored connection '{link}'", source="store")
        connections.update(parsed.connections)
        broken = {link: why for link, why in parsed.broken.items() if link not in connections}
        shadowed = sorted(set(stored_connections) & (set(parsed.connections) | set(parsed.broken)))
        return cls(connections, services=services, store=store, catalog=catalog, defaults=parsed.defaults,
                   config_path=path, client_factory=client_factory, margin=margin, broken=broken,
                   lock_timeout=lock_timeout, shadowed=shadowed)

    # ---- lookup
    def __contains__(self, link: object) -> bool:
        return link in self.connections

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.connections))

    def __len__(self) -> int:
        return len(self.connections)

    def links(self) -> list[str]:
        return sorted(self.connections)

    def get(self, link: str) -> Connection:
        """The connection of a link name; an unknown one is an error naming the closest link."""
        try:
            return self.connections[link]
        except KeyError:
            pass
        if link in self.broken:
            raise ConnectionConfigError(self.broken[link])
        hint = did_you_mean(link, [*self.connections, *self.broken])
        if not self.connections:
            hint = "; no connections are defined: add one to deluge.toml or run deluge-lite connections add"
        raise UnknownConnectionError(f"unknown connection '{link}'{hint}")

    def link_for_service(self, service: str) -> str | None:
        """The connection a ``zoho.*`` task uses when none is named: [defaults], else one named like the service."""
        if service in self.defaults:
            return self.defaults[service]
        if service in self.connections and self.connections[service].service.name == service:
            return service
        return None

    # ---- auth
    def keeper(self, link: str) -> TokenKeeper:
        """The token keeper of a link (one per registry, so one lock per connection)."""
        connection = self.get(link)
        with self._lock:
            keeper = self._keepers.get(link)
            if keeper is None:
                keeper = TokenKeeper(connection, self.store, self.redactor, http=self.http,
                                     margin=self.margin, clock=self.clock, lock_timeout=self.lock_timeout,
                                     trace=self._trace)
                self._keepers[link] = keeper
            return keeper

    def _trace(self, line: str) -> None:
        if self.trace is not None:
            self.trace(self.redactor.redact(line))

    def auth_for(self, link: str) -> httpx.Auth:
        """The `httpx.Auth` that authenticates a request as the connection ``link``."""
        return auth_for_connection(self.get(link), self.keeper(link))

    def close(self) -> None:
        """Close the HTTP client used for token requests (a registry stays usable: it reopens)."""
        self.http.close()

    def api_domain(self, link: str) -> str | None:
        """Where a connection's API lives (Zoho services: by data centre, or the override)."""
        return self.get(link).api_domain


def _stored_definitions(store: Any, catalog: Catalog) -> tuple[dict[str, Service], dict[str, dict]]:
    if store is None:
        return {}, {}
    services = {}
    for name, raw in store.services().items():
        if name in catalog.services:
            raise ConnectionConfigError(f"stored service '{name}' clashes with a default service")
        services[name] = parse_service(name, raw, where=f"stored service '{name}'", source="store")
    return services, store.connections()


__all__ = ["ConnectionRegistry", "ConnectionsConfig"]
