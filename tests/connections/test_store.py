"""The encrypted store: no plain secret on disk, 0600 files, clear errors for a wrong key or damage."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from connhelpers import HTTP, oauth2_service

from deluge_lite.connections import ConnectionRegistry, StoreError
from deluge_lite.connections.store import Store, resolve_key
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_no_plain_secret_on_disk_or_in_logs(provider: FakeOAuthProvider, load: Load, write: Write, home: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    provider.rotate_refresh_tokens = True
    _, refresh = provider.issue_tokens()
    registry = load(write(oauth2_service(provider) + f'[connections.acme_main]\nservice = "acme"\n'
                          f'refresh_token = "{refresh}"\n'))
    store = registry.store
    assert store is not None
    store.put_connection("stored_one", {"service": "zoho_crm", "client_id": "cid",
                                        "client_secret": "client-secret-abc123", "refresh_token": "rt-known-xyz"})
    HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    creds = registry.keeper("acme_main").current()
    secrets = [refresh, creds.access_token, creds.refresh_token, "client-secret-abc123", "rt-known-xyz",
               "test-secret"]
    assert all(secrets)
    on_disk = _all_bytes(home)
    for secret in secrets:
        assert secret.encode() not in on_disk  # type: ignore[union-attr]
        assert secret not in caplog.text  # type: ignore[operator]
    assert "acme_main" in caplog.text  # the logs do talk about the refresh
    assert _mode(store.path) == 0o600
    assert _mode(home) == 0o700
    assert store.connections()["stored_one"]["client_secret"] == "client-secret-abc123"


def test_wrong_key_is_an_error_and_nothing_changes(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open()
    store.put_tokens("acme", {"access_token": "at-1"})
    before = store.path.read_bytes()
    monkeypatch.setenv("DELUGE_LITE_KEY", "another key entirely")
    other = Store.open()
    with pytest.raises(StoreError, match="encrypted with another key") as info:
        other.tokens("acme")
    assert "DELUGE_LITE_KEY" in info.value.message
    with pytest.raises(StoreError):
        other.put_tokens("acme", {"access_token": "at-2"})
    assert store.path.read_bytes() == before


def test_corrupt_store_is_an_error_and_left_alone(home: Path) -> None:
    home.mkdir(parents=True)
    path = home / "connections.db"
    garbage = b"this is not a database at all" * 100
    path.write_bytes(garbage)
    store = Store.open()
    for action in (store.connections, lambda: store.tokens("x"), lambda: store.put_tokens("x", {})):
        with pytest.raises(StoreError, match="damaged"):
            action()
    assert path.read_bytes() == garbage


def test_damaged_row_is_an_error(home: Path) -> None:
    import sqlite3

    store = Store.open()
    store.put_tokens("acme", {"access_token": "at-1"})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE tokens SET data = ? WHERE link = 'acme'", (b"gAAAAAbroken",))
    with pytest.raises(StoreError, match="cannot be decrypted"):
        Store.open().tokens("acme")


def test_generated_key_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DELUGE_LITE_KEY")
    store = Store.open()
    store.put_tokens("acme", {"access_token": "at-secret-1"})
    key_file = home / "keys" / "store.key"
    assert _mode(key_file) == 0o600
    assert key_file.parent != store.path.parent  # kept apart from the store
    assert Store.open().tokens("acme") == {"access_token": "at-secret-1"}
    key_file.unlink()
    with pytest.raises(StoreError, match="no key found"):
        Store.open().tokens("acme")
    assert not key_file.exists()  # an existing store never gets a fresh key


def test_fernet_key_in_env(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    monkeypatch.setenv("DELUGE_LITE_KEY", key.decode())
    assert resolve_key(home, {"DELUGE_LITE_KEY": key.decode()})[0] == key
    Store.open().put_tokens("a", {"x": 1})
    assert Store.open().tokens("a") == {"x": 1}


def test_keyring_used_when_it_works(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    memory = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        env = {"DELUGE_LITE_HOME": str(home)}
        key, source = resolve_key(home, env)
        assert source == "the OS keyring" and len(memory.items) == 1
        assert resolve_key(home, env)[0] == key
        assert not (home / "keys").exists()
    finally:
        keyring.set_keyring(previous)


def test_reprs_never_show_secrets(load: Load, write: Write) -> None:
    registry = load(write('[services.b]\nauth_type = "basic"\n[connections.bas]\nservice = "b"\n'
                          'username = "alice"\npassword = "hunter2-pass"\n'))
    conn = registry.get("bas")
    keeper = registry.keeper("bas")
    texts = [repr(conn), repr(conn.seeds), repr(keeper.current()), repr(registry.auth_for("bas")), repr(keeper),
             repr(registry), repr(conn.service), repr(registry.store)]
    assert all("hunter2-pass" not in text for text in texts)
    assert "password=****" in repr(conn.seeds)
