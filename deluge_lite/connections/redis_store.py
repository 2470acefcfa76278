"""The shared store: the same encrypted records as the SQLite store, in a Redis server many hosts use.

Selected with ``[store] url = "redis://host:6379/0"`` or ``$DELUGE_LITE_STORE`` (`backend`);
needs the ``redis`` client (``pip install 'deluge-lite[redis]'``). Every value is a Fernet
token made with the store key before it leaves the process, so Redis never holds a
readable secret; every host must use the same key (``$DELUGE_LITE_KEY`` or a key file:
a shared store never generates one). Keys, under ``deluge-lite:``:

  check, schema                  the key check record and the record layout version
  services, connections          hashes of encrypted definitions (``connections add``)
  tokens:LINK                    hash: data (encrypted token document), fence (number)
  state:LINK                     encrypted refresh state (budget, back-off), shared by hosts
  lease:LINK                     the refresh lease: "fence|holder|nonce|since", SET NX PX
  fence:LINK                     the fencing counter, INCR per lease

Single-flight refresh across hosts: a lease (SET NX with an expiry, so a crashed holder
cannot block the fleet) carries a fencing number; the token write is a Lua script that
refuses a number lower than the stored one, so a holder that stalled past its lease
cannot overwrite the newer token. Redis errors become `StoreUnavailableError` naming the
URL (password masked). It knows nothing of HTTP or services.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from .backend import LEASE_SECONDS, Lease, holder_name
from .errors import StoreError, StoreUnavailableError
from .redact import mask_url
from .store import (
    _CHECK_TEXT,
    KEY_ENV,
    KEY_FILE_ENV,
    SCHEMA_VERSION,
    _key_from_text,
    _read_key_file,
    key_file_path,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PREFIX = "deluge-lite:"
# Write a token document only if its fence is not older than the stored one (KEYS[1] the
# tokens hash; ARGV[1] fence, ARGV[2] encrypted document). Returns 1 written, 0 refused.
_FENCED_WRITE = """
local stored = tonumber(redis.call('HGET', KEYS[1], 'fence') or '0')
if tonumber(ARGV[1]) < stored then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'fence', ARGV[1])
return 1
"""
# Delete the lease only if it is still ours (KEYS[1] the lease, ARGV[1] its value).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisStore:
    """The Redis backend; cheap to construct, connects on first use."""

    def __init__(self, url: str, client: Any, key: bytes, key_source: str, *,
                 lease_seconds: float = LEASE_SECONDS) -> None:
        self.url = url
        self.shown_url = mask_url(url)
        self.description = f"the Redis store {self.shown_url}"
        self.key_source = key_source
        self.lease_seconds = lease_seconds
        self._client = client
        self._fernet = Fernet(key)
        self._ready = False
        self._leases: dict[str, str] = {}
        self._write = client.register_script(_FENCED_WRITE)
        self._release = client.register_script(_RELEASE)

    def __repr__(self) -> str:
        return f"RedisStore(url={self.shown_url!r}, key_source={self.key_source!r})"

    @classmethod
    def open(cls, url: str, home: Path | None, env: Mapping[str, str], *,
             lease_seconds: float = LEASE_SECONDS) -> RedisStore:
        try:
            import redis
        except ImportError:
            raise StoreError(f"the store {mask_url(url)} is a Redis server, which needs the redis client: "
                             f"pip install 'deluge-lite[redis]'") from None
        key, source = _shared_key(home, env)
        try:
            client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5,
                                          health_check_interval=30)
        except ValueError as exc:
            raise StoreError(f"the store URL {mask_url(url)} is not a Redis URL ({exc})") from None
        return cls(url, client, key, source, lease_seconds=lease_seconds)

    # ---- documents (the same shape as `store.Store`)
    def services(self) -> dict[str, dict[str, Any]]:
        return self._hash_all("services")

    def put_service(self, name: str, data: Mapping[str, Any]) -> None:
        self._call(lambda r: r.hset(PREFIX + "services", name, self._encrypt(data)))

    def remove_service(self, name: str) -> bool:
        return bool(self._call(lambda r: r.hdel(PREFIX + "services", name)))

    def connections(self) -> dict[str, dict[str, Any]]:
        return self._hash_all("connections")

    def put_connection(self, link: str, data: Mapping[str, Any]) -> None:
        self._call(lambda r: r.hset(PREFIX + "connections", link, self._encrypt(data)))

    def remove_connection(self, link: str) -> bool:
        removed = bool(self._call(lambda r: r.hdel(PREFIX + "connections", link)))
        return self.remove_tokens(link) or removed

    def tokens(self, link: str) -> dict[str, Any] | None:
        blob = self._call(lambda r: r.hget(PREFIX + f"tokens:{link}", "data"))
        return self._decrypt(blob, f"the tokens of '{link}'") if blob else None

    def put_tokens(self, link: str, data: Mapping[str, Any], lease: Lease | None = None) -> bool:
        """Write unless a newer lease already wrote (fencing); a write outside a lease takes a new fence."""
        fence = lease.fence if lease is not None else self._next_fence(link)
        blob = self._encrypt(data)
        return bool(self._call(lambda r: self._write(keys=[PREFIX + f"tokens:{link}"], args=[fence, blob],
                                                     client=r)))

    def remove_tokens(self, link: str) -> bool:
        return bool(self._call(lambda r: r.delete(PREFIX + f"tokens:{link}", PREFIX + f"state:{link}")))

    def token_links(self) -> list[str]:
        keys = self._call(lambda r: list(r.scan_iter(match=PREFIX + "tokens:*", count=500)))
        return sorted(k.decode().removeprefix(PREFIX + "tokens:") for k in keys)

    def state(self, link: str) -> dict[str, Any] | None:
        blob = self._call(lambda r: r.get(PREFIX + f"state:{link}"))
        return self._decrypt(blob, f"the refresh state of '{link}'") if blob else None

    def put_state(self, link: str, data: Mapping[str, Any]) -> None:
        self._call(lambda r: r.set(PREFIX + f"state:{link}", self._encrypt(data), ex=86400))

    # ---- the lease (`backend.acquire` waits for it)
    def try_lease(self, link: str) -> Lease | None:
        fence = int(self._call(lambda r: r.incr(PREFIX + f"fence:{link}")))
        owner = holder_name()
        value = f"{fence}|{owner}|{secrets.token_hex(8)}|{time.time():.3f}"
        ms = max(1, int(self.lease_seconds * 1000))
        if not self._call(lambda r: r.set(PREFIX + f"lease:{link}", value, nx=True, px=ms)):
            return None
        self._leases[link] = value
        return Lease(link, owner, fence, value)

    def release(self, lease: Lease) -> None:
        self._leases.pop(lease.link, None)
        try:
            self._call(lambda r: self._release(keys=[PREFIX + f"lease:{lease.link}"], args=[lease.nonce], client=r))
        except StoreUnavailableError:
            pass  # the lease expires by itself

    def lease_holder(self, link: str) -> str | None:
        raw = self._call(lambda r: r.get(PREFIX + f"lease:{link}"))
        if not raw:
            return None
        parts = raw.decode().split("|")
        try:
            held = max(0.0, time.time() - float(parts[3]))
        except (IndexError, ValueError):
            return parts[1] if len(parts) > 1 else None
        return f"{parts[1]} (for {held:.0f} s, fence {parts[0]})"

    def lease_holders(self) -> dict[str, str]:
        """Every link whose refresh lease is held now, and by whom (``connections store status``)."""
        keys = self._call(lambda r: list(r.scan_iter(match=PREFIX + "lease:*", count=500)))
        found = {}
        for key in keys:
            link = key.decode().removeprefix(PREFIX + "lease:")
            holder = self.lease_holder(link)
            if holder:
                found[link] = holder
        return found

    # ---- internals
    def _next_fence(self, link: str) -> int:
        return int(self._call(lambda r: r.incr(PREFIX + f"fence:{link}")))

    def _hash_all(self, name: str) -> dict[str, dict[str, Any]]:
        raw = self._call(lambda r: r.hgetall(PREFIX + name))
        return {k.decode(): self._decrypt(v, f"'{k.decode()}'") for k, v in sorted(raw.items())}

    def _encrypt(self, data: Mapping[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(dict(data), sort_keys=True).encode())

    def _decrypt(self, blob: bytes, what: str) -> dict[str, Any]:
        try:
            return json.loads(self._fernet.decrypt(bytes(blob)))
        except (InvalidToken, ValueError, TypeError):
            raise StoreError(f"{what} in {self.description} cannot be decrypted: it was written with "
                             f"another key (every host must use the same {KEY_ENV})") from None

    def _call(self, action: Callable[[Any], Any]) -> Any:
        """Run one Redis command; any Redis trouble is a clear error naming the server."""
        import redis

        if not self._ready:
            self._prepare()
        try:
            return action(self._client)
        except redis.RedisError as exc:
            raise StoreUnavailableError(f"{self.description} is unreachable or failed ({type(exc).__name__}: "
                                        f"{mask_url(str(exc))}); the request was not completed, no stored "
                                        f"token was changed") from None

    def _prepare(self) -> None:
        import redis

        try:
            self._client.ping()
            self._client.set(PREFIX + "check", self._fernet.encrypt(_CHECK_TEXT), nx=True)
            check = self._client.get(PREFIX + "check")
            version = self._client.get(PREFIX + "schema")
        except redis.RedisError as exc:
            raise StoreUnavailableError(f"cannot reach {self.description} ({type(exc).__name__}); is the Redis "
                                        f"server running, and the URL in $DELUGE_LITE_STORE or [store] url "
                                        f"right?") from None
        try:
            ok = self._fernet.decrypt(check) == _CHECK_TEXT
        except (InvalidToken, TypeError):
            ok = False
        if not ok:
            raise StoreError(f"{self.description} was encrypted with another key (this one came from "
                             f"{self.key_source}); every host must use the same key. Nothing was changed.")
        found = int(version or SCHEMA_VERSION)
        if found > SCHEMA_VERSION:
            raise StoreError(f"{self.description} was written by a newer deluge-lite (store version {found}; "
                             f"this one knows up to {SCHEMA_VERSION}); upgrade deluge-lite. Nothing was changed.")
        if version is None:
            self._client.set(PREFIX + "schema", str(SCHEMA_VERSION))
        self._ready = True

    def keys(self) -> Iterator[str]:
        """Every key of this store in Redis (tests check none of them holds a readable secret)."""
        for key in self._call(lambda r: list(r.scan_iter(match=PREFIX + "*", count=500))):
            yield key.decode()


def _shared_key(home: Path | None, env: Mapping[str, str]) -> tuple[bytes, str]:
    """The store key for a shared store: given explicitly, never generated on one host."""
    if env.get(KEY_ENV):
        return _key_from_text(env[KEY_ENV]), f"${KEY_ENV}"
    path = key_file_path(Path(home) if home is not None else Path("."), env)
    if path.exists():
        return _read_key_file(path), f"the key file {path}"
    raise StoreError(f"a shared (Redis) store needs the same key on every host: set ${KEY_ENV} (a Fernet key "
                     f"or a passphrase) or ${KEY_FILE_ENV} to a key file; no key is generated for a shared store")
