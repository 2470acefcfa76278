"""Connections: Zoho's named, authenticated links to services, run locally.

Public API (for the runtime, the net layer and the CLI):

    registry = ConnectionRegistry.load(config=None)   # catalog + store + deluge.toml
    auth = registry.auth_for("acme_main")             # an httpx.Auth
    text = registry.redactor.redact(text)             # secrets -> ****
    registry.api_domain("crm"); registry.link_for_service("zoho_crm")

Modules: `models` (data classes, name rules), `config` (deluge.toml), `catalog` (default
Zoho services), `backend` (choosing a store, the refresh lease), `store` (encrypted
SQLite), `redis_store` (the shared store), `tokens` (token requests and their errors),
`policy` (margin, 401s, back-off, budget), `keeper` (one refresh per expiry), `hosts`
(allowed hosts), `auth` (httpx.Auth per auth type), `flows` (authorization), `samples`,
`registry`, `redact`, `errors`, `cli` and `store_cli` (``deluge-lite connections ...``).
"""

from __future__ import annotations

from .errors import (
    ConnectionAuthError,
    ConnectionConfigError,
    ConnectionsError,
    ReauthorizeError,
    StoreError,
    StoreUnavailableError,
    UnknownConnectionError,
)
from .models import AuthType, Connection, Credentials, GrantType, ParamType, Service
from .redact import RedactingFilter, Redactor


def __getattr__(name: str) -> object:
    """`ConnectionRegistry` loads on first use: it pulls in httpx, authlib and the store, which a
    script that never names a connection does not need (start-up time of every run)."""
    if name == "ConnectionRegistry":
        from .registry import ConnectionRegistry

        return ConnectionRegistry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AuthType",
    "Connection",
    "ConnectionAuthError",
    "ConnectionConfigError",
    "ConnectionRegistry",
    "ConnectionsError",
    "Credentials",
    "GrantType",
    "ParamType",
    "ReauthorizeError",
    "RedactingFilter",
    "Redactor",
    "Service",
    "StoreError",
    "StoreUnavailableError",
    "UnknownConnectionError",
]
