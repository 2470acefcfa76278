"""The encrypted store: connections added interactively, and every token, on local disk.

Owns the SQLite file ``connections.db`` under ``$DELUGE_LITE_HOME`` (default: the
platform's user data dir), its 0600 mode (0700 folders, via `private_files`), the encryption key and its sources, and the
per-link lock files used to serialise token refreshes across processes (with a holder file
naming the process, for waiters that give up). Every row is a Fernet token of a JSON
document, so plain-text secrets never touch the disk. It is the embedded backend; the
shared one is `redis_store` (both satisfy `backend.Backend`).

Key sources, first match wins:
  1. ``$DELUGE_LITE_KEY``: a Fernet key, or any passphrase (stretched with scrypt);
     explicit, so CI and tests are reproducible.
  2. an existing key file (``$DELUGE_LITE_KEY_FILE``, default ``$DELUGE_LITE_HOME/keys/store.key``
     or the platform's user config dir), kept apart from the store;
  3. the OS keyring, when a real backend is available (checked without waiting);
  4. a newly generated key file (mode 0600), only when there is no store yet.

A store made with another key, or a file that is not a store, is an error; nothing is
overwritten. This module knows nothing of services or HTTP: it keeps JSON documents.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from filelock import FileLock, Timeout

from .backend import Lease, holder_name
from .errors import StoreError
from .private_files import private_dir, private_file, tighten_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logging.getLogger("deluge_lite.connections")

HOME_ENV = "DELUGE_LITE_HOME"
KEY_ENV = "DELUGE_LITE_KEY"
KEY_FILE_ENV = "DELUGE_LITE_KEY_FILE"
NO_KEYRING_ENV = "DELUGE_LITE_NO_KEYRING"
STORE_FILE = "connections.db"
_KEYRING_SERVICE = "deluge-lite"
_CHECK_TEXT = b"deluge-lite connections store v1"
SCHEMA_VERSION = 2  # 1: definitions and tokens; 2: + refresh state (budget, back-off)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS services (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS connections (link TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (link TEXT PRIMARY KEY, data BLOB NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS state (link TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
_TABLES = {"services": "name", "connections": "link", "tokens": "link", "state": "link"}


def default_home(env: Mapping[str, str] | None = None) -> Path:
    """Where the store lives: ``$DELUGE_LITE_HOME`` or the user data dir."""
    env = os.environ if env is None else env
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("deluge-lite"))


class Store:
    """The encrypted SQLite store. Cheap to construct; each operation opens its own connection."""

    def __init__(self, home: Path, key: bytes | None = None, key_source: str = "given", *,
                 env: Mapping[str, str] | None = None) -> None:
        self.home = Path(home)
        self.path = self.home / STORE_FILE
        self.key_source = key_source
        self._env = dict(os.environ if env is None else env)
        self._key = key
        self._fernet_obj: Fernet | None = None
        self._ready = False
        self._locks: dict[str, FileLock] = {}
        self.description = f"the SQLite store {self.path}"

    @property
    def _fernet(self) -> Fernet:
        """The cipher; the key is looked up on first use, so reading no store needs no key."""
        if self._fernet_obj is None:
            if self._key is None:
                self._key, self.key_source = resolve_key(self.home, self._env)
            try:
                self._fernet_obj = Fernet(self._key)
            except ValueError:
                raise StoreError(f"the store key from {self.key_source} is not a valid key") from None
        return self._fernet_obj

    def __repr__(self) -> str:
        return f"Store(path={str(self.path)!r}, key_source={self.key_source!r})"

    @classmethod
    def open(cls, home: Path | None = None, env: Mapping[str, str] | None = None) -> Store:
        """Open (or prepare) the store under ``home``, finding its key as the module docstring says."""
        env = os.environ if env is None else env
        home = Path(home) if home is not None else default_home(env)
        return cls(home, None, "not looked up yet", env=env)

    # ---- documents
    def services(self) -> dict[str, dict[str, Any]]:
        return self._all("services")

    def put_service(self, name: str, data: Mapping[str, Any]) -> None:
        self._put("services", name, data)

    def remove_service(self, name: str) -> bool:
        return self._delete("services", name)

    def connections(self) -> dict[str, dict[str, Any]]:
        return self._all("connections")

    def put_connection(self, link: str, data: Mapping[str, Any]) -> None:
        self._put("connections", link, data)

    def remove_connection(self, link: str) -> bool:
        removed = self._delete("connections", link)
        return self._delete("tokens", link) or removed

    def tokens(self, link: str) -> dict[str, Any] | None:
        """The stored token document of a link, or None."""
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT data FROM tokens WHERE link = ?", (link,)).fetchone()
        return self._decrypt(row[0], f"the tokens of '{link}'") if row else None

    def put_tokens(self, link: str, data: Mapping[str, Any], lease: Lease | None = None) -> bool:
        """Save a token document (the file lock already excludes stale writers: always True)."""
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO tokens (link, data, updated) VALUES (?, ?, ?)",
                       (link, self._encrypt(data), time.time()))
        return True

    def remove_tokens(self, link: str) -> bool:
        self._delete("state", link)
        return self._delete("tokens", link)

    def token_links(self) -> list[str]:
        """The links that have stored tokens."""
        if not self.path.exists():
            return []
        with self._db() as db:
            return [row[0] for row in db.execute("SELECT link FROM tokens ORDER BY link")]

    def state(self, link: str) -> dict[str, Any] | None:
        """The refresh state (budget, back-off) of a link, or None."""
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT data FROM state WHERE link = ?", (link,)).fetchone()
        return self._decrypt(row[0], f"the refresh state of '{link}'") if row else None

    def put_state(self, link: str, data: Mapping[str, Any]) -> None:
        self._put("state", link, data)

    def lock(self, link: str) -> FileLock:
        """The cross-process lock that serialises token refreshes of one link."""
        folder = private_dir(self.home / "locks")
        return FileLock(str(folder / f"{link}.lock"), timeout=120, mode=0o600)

    # ---- the refresh lease (`backend.acquire` waits for it)
    def try_lease(self, link: str) -> Lease | None:
        lock = self._locks.get(link)
        if lock is None:
            lock = self._locks[link] = self.lock(link)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return None
        owner = holder_name()
        try:
            holder = self._holder_file(link)
            with open(private_file(holder), "w") as handle:
                handle.write(f"{owner}\n{time.time():.3f}\n")
        except OSError:
            pass  # the name of the holder is a courtesy to waiters
        return Lease(link, owner)

    def release(self, lease: Lease) -> None:
        lock = self._locks.get(lease.link)
        if lock is not None and lock.is_locked:
            try:
                self._holder_file(lease.link).unlink(missing_ok=True)
            except OSError:
                pass
            lock.release()

    def lease_holder(self, link: str) -> str | None:
        """Who holds the refresh lock of ``link``, and since when, as written by the holder."""
        try:
            owner, since = self._holder_file(link).read_text().split("\n")[:2]
            held = max(0.0, time.time() - float(since))
        except (OSError, ValueError):
            return None
        return f"{owner} (for {held:.0f} s)"

    def _holder_file(self, link: str) -> Path:
        return self.home / "locks" / f"{link}.holder"

    # ---- internals
    def _all(self, table: str) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        column = _TABLES[table]
        with self._db() as db:
            rows = db.execute(f"SELECT {column}, data FROM {table} ORDER BY {column}").fetchall()
        return {name: self._decrypt(data, f"'{name}'") for name, data in rows}

    def _put(self, table: str, name: str, data: Mapping[str, Any]) -> None:
        column = _TABLES[table]
        with self._db() as db:
            db.execute(f"INSERT OR REPLACE INTO {table} ({column}, data) VALUES (?, ?)",
                       (name, self._encrypt(data)))

    def _delete(self, table: str, name: str) -> bool:
        if not self.path.exists():
            return False
        with self._db() as db:
            return db.execute(f"DELETE FROM {table} WHERE {_TABLES[table]} = ?", (name,)).rowcount > 0

    def _encrypt(self, data: Mapping[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(dict(data), sort_keys=True).encode())

    def _decrypt(self, blob: bytes, what: str) -> dict[str, Any]:
        try:
            return json.loads(self._fernet.decrypt(bytes(blob)))
        except (InvalidToken, ValueError, TypeError):
            raise StoreError(f"{what} in the connections store {self.path} cannot be decrypted: "
                             f"the store is damaged or was written with another key") from None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self._prepare()
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the connections store {self.path}: {exc}") from None
        try:
            db.execute("BEGIN")
            yield db
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise self._damaged(exc) from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def _prepare(self) -> None:
        """Create the store on first use (mode 0600), or check an existing one's key once."""
        if self._ready:
            return
        self._fernet  # noqa: B018 - find the key before a new store file exists
        private_dir(self.home)
        private_file(self.path)
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                row = db.execute("SELECT value FROM meta WHERE key = 'check'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta (key, value) VALUES ('check', ?)",
                               (self._fernet.encrypt(_CHECK_TEXT),))
                version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                found = _schema_number(version[0] if version else None)
                if found > SCHEMA_VERSION:
                    db.execute("ROLLBACK")
                    raise StoreError(f"the connections store {self.path} was written by a newer deluge-lite "
                                     f"(store version {found}; this one knows up to {SCHEMA_VERSION}); upgrade "
                                     f"deluge-lite to use it. Nothing was changed.")
                if found < SCHEMA_VERSION:
                    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)",
                               (str(SCHEMA_VERSION).encode(),))
                db.execute("COMMIT")
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        if row is not None:
            try:
                ok = self._fernet.decrypt(bytes(row[0])) == _CHECK_TEXT
            except InvalidToken:
                ok = False
            if not ok:
                raise StoreError(
                    f"the connections store {self.path} was encrypted with another key (this one came "
                    f"from {self.key_source}); set {KEY_ENV} to the key it was made with. "
                    f"Nothing was changed.")
        self._ready = True

    def _damaged(self, exc: sqlite3.DatabaseError) -> StoreError:
        if "locked" in str(exc):
            return StoreError(f"the connections store {self.path} is locked by another program; try again")
        return StoreError(f"the connections store {self.path} is damaged ({exc}); it was left as it is. "
                          f"Move it aside to start with an empty store.")


def _schema_number(value: object) -> int:
    try:
        return int(bytes(value).decode() if isinstance(value, bytes | memoryview) else str(value or 1))
    except ValueError:
        return SCHEMA_VERSION + 1  # unreadable: treat as newer, never overwrite it


# ---- the key
def resolve_key(home: Path, env: Mapping[str, str]) -> tuple[bytes, str]:
    """Find (or, for a new store, create) the store key; returns the key and where it came from."""
    if env.get(KEY_ENV):
        return _key_from_text(env[KEY_ENV]), f"${KEY_ENV}"
    key_file = key_file_path(home, env)
    if key_file.exists():
        tighten_file(key_file)
        return _read_key_file(key_file), f"the key file {key_file}"
    store_exists = (home / STORE_FILE).exists()
    if not env.get(NO_KEYRING_ENV):
        key = _keyring_key(home, create=not store_exists)
        if key is not None:
            return key, "the OS keyring"
    if store_exists:
        raise StoreError(f"no key found for the connections store {home / STORE_FILE}: set {KEY_ENV} "
                         f"or restore the key file {key_file}")
    key = Fernet.generate_key()
    private_dir(key_file.parent)
    try:
        fd = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another process just made it: use theirs
        return _read_key_file(key_file), f"the key file {key_file}"
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    log.debug("generated a new store key file %s", key_file)
    return key, f"the key file {key_file}"


def key_file_path(home: Path, env: Mapping[str, str]) -> Path:
    if env.get(KEY_FILE_ENV):
        return Path(env[KEY_FILE_ENV])
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]) / "keys" / "store.key"
    import platformdirs

    return Path(platformdirs.user_config_dir("deluge-lite")) / "store.key"


@functools.lru_cache(maxsize=8)
def _key_from_text(text: str) -> bytes:
    """A Fernet key as given, or one stretched from a passphrase (scrypt; cached per process)."""
    raw = text.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except (binascii.Error, ValueError):
        pass
    stretched = Scrypt(salt=b"deluge-lite store key v1", length=32, n=2**14, r=8, p=1).derive(raw)
    return base64.urlsafe_b64encode(stretched)


def _read_key_file(path: Path) -> bytes:
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise StoreError(f"cannot read the store key file {path}: {exc.strerror}") from None
    if not text:
        raise StoreError(f"the store key file {path} is empty")
    return _key_from_text(text)


def _keyring_key(home: Path, *, create: bool) -> bytes | None:
    """The key kept in the OS keyring, if a real backend answers; never blocks on a missing one."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
            return None
        account = f"store:{home.resolve()}"
        found = backend.get_password(_KEYRING_SERVICE, account)
        if found:
            return _key_from_text(found)
        if not create:
            return None
        key = Fernet.generate_key()
        backend.set_password(_KEYRING_SERVICE, account, key.decode())
        return key
    except Exception as exc:  # any keyring trouble means "no keyring here"
        log.debug("OS keyring unavailable: %s", type(exc).__name__)
        return None
