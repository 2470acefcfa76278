"""The shared Redis store (issue 19) against a real redis-server: encryption, fencing, failures, CLI.

Each test starts its own redis-server on a free port (`redis_server` in conftest) and skips
with the reason when the machine has none; CI installs one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from connhelpers import HTTP, KEY, Cli, oauth2_service

from deluge_lite.connections import ConnectionAuthError, ConnectionRegistry, StoreError, StoreUnavailableError
from deluge_lite.connections.redis_store import RedisStore
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]


def _acme(provider: FakeOAuthProvider, refresh: str) -> str:
    return oauth2_service(provider) + f'[connections.acme_main]\nservice = "acme"\nrefresh_token = "{refresh}"\n'


def _redis(url: str, **options: float) -> RedisStore:
    return RedisStore.open(url, None, {"DELUGE_LITE_KEY": KEY}, **options)


def test_tokens_live_encrypted_in_redis(redis_server, provider: FakeOAuthProvider, load: Load, write: Write,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    monkeypatch.setenv("DELUGE_LITE_STORE", redis_server.url)
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200
    access = registry.keeper("acme_main").current().access_token
    raw = redis.Redis.from_url(redis_server.url)
    dump = b"".join(raw.dump(key) or b"" for key in raw.keys("*"))
    assert b"deluge-lite:tokens:acme_main" in b"".join(raw.keys("*"))
    for secret in (access, refresh, "test-secret"):
        assert secret.encode() not in dump  # type: ignore[union-attr]
    again = load(write(_acme(provider, refresh)))  # another run (host) reads the same token
    assert again.keeper("acme_main").current().access_token == access
    assert provider.refresh_count == 1


def test_config_store_url_and_an_unreachable_server(redis_server, load: Load, write: Write,
                                                    provider: FakeOAuthProvider, tmp_path: Path) -> None:
    text = '[store]\nurl = "redis://:Pass-Word-9@127.0.0.1:9/0"\n' + _acme(provider, "rt-x")
    with pytest.raises(StoreUnavailableError) as info:
        load(write(text)).keeper("acme_main").load()
    assert "cannot reach the Redis store redis://****@127.0.0.1:9/0" in info.value.message
    assert "Pass-Word-9" not in info.value.message
    with pytest.raises(StoreError, match="needs the same key on every host"):
        RedisStore.open(redis_server.url, None, {"DELUGE_LITE_KEY_FILE": str(tmp_path / "no.key")})


def test_a_stalled_holder_cannot_overwrite_the_newer_token(redis_server) -> None:
    store = _redis(redis_server.url, lease_seconds=0.3)
    stalled = store.try_lease("crm")
    assert stalled is not None and store.try_lease("crm") is None  # single flight
    time.sleep(0.5)  # the stalled holder's lease expires
    other = _redis(redis_server.url, lease_seconds=5)
    fresh = other.try_lease("crm")
    assert fresh is not None and fresh.fence > stalled.fence
    assert other.put_tokens("crm", {"access_token": "newer"}, fresh)
    assert not store.put_tokens("crm", {"access_token": "older"}, stalled)  # fenced out
    assert other.tokens("crm") == {"access_token": "newer"}
    assert "fence" in (other.lease_holder("crm") or "")
    store.release(stalled)  # not its lease any more: the newer holder keeps it
    assert other.lease_holder("crm") is not None
    other.release(fresh)
    assert other.lease_holder("crm") is None


def test_redis_lost_mid_run_fails_the_request_and_the_next_run_recovers(
        redis_server, provider: FakeOAuthProvider, load: Load, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELUGE_LITE_STORE", redis_server.url)
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200
    redis_server.stop()
    # a valid token in memory keeps working while Redis is away
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200
    registry.keeper("acme_main").clock = lambda: time.time() + 7200  # now it must refresh: the store is needed
    with pytest.raises(StoreUnavailableError, match="is unreachable or failed"):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    redis_server.start()  # persistence off: everything was lost
    later = load(write(_acme(provider, refresh)))
    assert HTTP.get(provider.echo_url, auth=later.auth_for("acme_main")).status_code == 200
    assert provider.refresh_count == 2  # re-obtained once from the refresh token in the config


def test_a_token_got_while_redis_went_away_is_kept(redis_server, provider: FakeOAuthProvider, load: Load,
                                                   write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setenv("DELUGE_LITE_STORE", redis_server.url)
    provider.rotate_refresh_tokens = True  # the hard case: losing the new refresh token would be fatal
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    provider.token_delay = 1.0
    stopper = threading.Timer(0.4, redis_server.stop)  # Redis dies while the token request is on its way
    stopper.start()
    with pytest.raises(StoreUnavailableError):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    stopper.join()
    provider.token_delay = 0
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200  # from memory
    redis_server.start()
    HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))  # saved as soon as Redis is back
    stored = _redis(redis_server.url).tokens("acme_main")
    assert stored is not None and stored["refresh_token"] == registry.keeper("acme_main").current().refresh_token
    assert stored["refresh_token"] != refresh and provider.refresh_count == 1


def test_store_migrate_and_status(redis_server, home: Path, tmp_path: Path, provider: FakeOAuthProvider) -> None:
    _, refresh = provider.issue_tokens()
    (tmp_path / "deluge.toml").write_text(_acme(provider, refresh))
    cli = Cli(home, tmp_path)
    cli("add", "--link", "basic_one", "--auth-type", "basic", "--username", "u", "--password", "Basic-Pass-7",
        "--api-domain", "https://api.example.com", "--no-input")
    cli("test", "acme_main")
    moved = cli("store", "migrate", "--to", redis_server.url).stdout
    assert "copied 1 services, 1 connections and 1 token records" in moved
    cli.env["DELUGE_LITE_STORE"] = redis_server.url
    status = cli("store", "status").stdout
    assert f"backend:      the Redis store {redis_server.url}" in status
    assert "2 usable" in status and "token records: 1" in status
    assert "acme_main" in status and "basic_one" in status
    assert "ready" in cli("list").stdout
    cli("test", "acme_main")
    assert provider.refresh_count == 1  # the migrated token was used, not a new one
    lease = _redis(redis_server.url).try_lease("acme_main")
    assert lease is not None
    assert "process" in cli("store", "status").stdout.split("acme_main", 1)[1].splitlines()[0]
    assert "Basic-Pass-7" not in "".join(cli.transcript)


def test_zoho_budget_is_shared_by_hosts(redis_server, provider: FakeOAuthProvider, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELUGE_LITE_STORE", redis_server.url)
    _, refresh = provider.issue_tokens(scope="ZohoCRM.modules.ALL")
    config = tmp_path / "shared.toml"
    config.write_text(f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\n'
                      f'client_secret = "test-secret"\naccounts_server = "{provider.url}"\n'
                      f'scopes = ["ZohoCRM.modules.ALL"]\nrefresh_token = "{refresh}"\n')
    hosts = [ConnectionRegistry.load(config, home=tmp_path / f"host{i}") for i in range(2)]
    for index in range(10):
        keeper = hosts[index % 2].keeper("crm")
        keeper.load()  # see the other host's latest token, so the forced refresh is a real one
        keeper.access(force=True)
    assert provider.refresh_count == 10
    hosts[1].keeper("crm").load()
    with pytest.raises(ConnectionAuthError, match="used its token budget"):
        hosts[1].keeper("crm").access(force=True)
    assert provider.refresh_count == 10


def test_without_the_redis_client_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "redis", None)  # as if deluge-lite[redis] was not installed
    with pytest.raises(StoreError, match=r"pip install 'deluge-lite\[redis\]'"):
        RedisStore.open("redis://127.0.0.1:6379/0", None, {"DELUGE_LITE_KEY": KEY})
