"""Store backends: choosing one, the refresh lease they hand out, and waiting for it.

Two backends keep the same encrypted documents (definitions, tokens, refresh state):
`store.Store` (SQLite on local disk, the embedded default) and `redis_store.RedisStore`
(a Redis server shared by many hosts, ``deluge-lite[redis]``). This module owns:

- `store_url`: which backend a run uses: ``$DELUGE_LITE_STORE``, else ``[store] url`` in
  deluge.toml, else SQLite under ``$DELUGE_LITE_HOME``;
- `open_store`: the backend object for that URL;
- `Lease`: the right to refresh one link's tokens, with a fencing number (Redis) so a
  holder that stalled past its lease cannot overwrite a newer token;
- `acquire`: the one waiting loop both backends use: try the lease, and while another
  process holds it, re-read the tokens (a waiter that finds a fresh token stops waiting
  and never refreshes); past the limit, an error naming the holder's process.
"""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from ..fieldclass import fieldclass
from .errors import ConnectionAuthError, ConnectionConfigError
from .redact import mask_url

STORE_ENV = "DELUGE_LITE_STORE"
LOCK_TIMEOUT = 120.0  # seconds a refresh may wait for another process's refresh
LEASE_SECONDS = 60.0  # how long a Redis lease lives unless released: longer than a token request may take (30 s)
_POLL = (0.02, 0.1)  # seconds between tries while waiting (random in this range)


@fieldclass(frozen=True)
class Lease:
    """Held while one process refreshes one link. ``fence`` grows with every lease taken."""

    link: str
    owner: str  # "pid@host", shown to waiters that give up
    fence: int = 0
    nonce: str = ""


def holder_name() -> str:
    return f"process {os.getpid()} on {socket.gethostname()}"


class Backend(Protocol):
    """What the token keeper needs of a store (both backends implement it)."""

    description: str

    def tokens(self, link: str) -> dict[str, Any] | None: ...
    def put_tokens(self, link: str, data: Mapping[str, Any], lease: Lease | None = None) -> bool: ...
    def state(self, link: str) -> dict[str, Any] | None: ...
    def put_state(self, link: str, data: Mapping[str, Any]) -> None: ...
    def try_lease(self, link: str) -> Lease | None: ...
    def release(self, lease: Lease) -> None: ...
    def lease_holder(self, link: str) -> str | None: ...


def acquire(store: Backend, link: str, *, timeout: float, ready: Callable[[], bool],
            clock: Callable[[], float] = time.monotonic) -> Lease | None:
    """The lease of ``link``, or None as soon as ``ready()`` says another process refreshed."""
    deadline = clock() + timeout
    while True:
        lease = store.try_lease(link)
        if lease is not None:
            return lease
        if ready():
            return None
        if clock() >= deadline:
            holder = store.lease_holder(link) or "another process"
            raise ConnectionAuthError(
                f"gave up waiting for the token refresh of '{link}' after {timeout:g} s: {holder} holds "
                f"the refresh lock (in {store.description}); if that process hung, stop it, or wait for "
                f"its lock to expire")
        time.sleep(random.uniform(*_POLL))


def store_url(config_path: Path | None, env: Mapping[str, str]) -> str | None:
    """The backend URL of this run (None: the SQLite store under the home folder)."""
    if env.get(STORE_ENV):
        return env[STORE_ENV].strip()
    if config_path is None:
        return None
    from .config import read_toml

    table = read_toml(config_path).get("store")
    if table is None:
        return None
    where = f"{config_path.name}: [store]"
    if not isinstance(table, dict) or set(table) - {"url"}:
        raise ConnectionConfigError(f"{where} takes one key, url (\"sqlite\" or \"redis://host:6379/0\")")
    url = table.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ConnectionConfigError(f"{where}: url must be text such as \"redis://localhost:6379/0\"")
    return url.strip()


def open_store(url: str | None, home: Path | None, env: Mapping[str, str]) -> Any:
    """The store for ``url``: None or ``sqlite`` -> SQLite; ``redis://``/``rediss://``/``unix://`` -> Redis."""
    from .store import Store

    if url is None or url.lower() in ("sqlite", "sqlite:", "default"):
        return Store.open(home, env)
    if url.lower().startswith("sqlite:///"):
        return Store.open(Path(url[len("sqlite:///") - 1:]), env)
    if url.lower().startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore

        return RedisStore.open(url, home, env)
    raise ConnectionConfigError(f"unknown store backend '{mask_url(url)}' (from ${STORE_ENV} or [store] url); "
                                f"use sqlite or redis://host:6379/0")
