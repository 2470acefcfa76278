"""Tokens go only where they belong, and Zoho's real failure modes explained (issue 15, items 3-4)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from connhelpers import HTTP, oauth2_service
from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite.connections import ConnectionAuthError, ConnectionConfigError, ConnectionRegistry, StoreError
from deluge_lite.connections.explain import explain_lines
from deluge_lite.connections.hosts import allowed_hosts, check_pattern, host_allowed
from deluge_lite.connections.store import Store
from deluge_lite.connections.tokens import missing_scopes
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]


def _acme(provider: FakeOAuthProvider, refresh: str, extra: str = "") -> str:
    return oauth2_service(provider) + f'{extra}[connections.acme_main]\nservice = "acme"\nrefresh_token = "{refresh}"\n'


def _zoho(provider: FakeOAuthProvider, refresh: str, center: str = "com", scopes: str = '"ZohoCRM.modules.ALL"') -> str:
    return (f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\nclient_secret = "test-secret"\n'
            f'data_center = "{center}"\naccounts_server = "{provider.url}"\nscopes = [{scopes}]\n'
            f'refresh_token = "{refresh}"\n')


def test_a_token_is_never_sent_to_another_host(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    elsewhere = provider.echo_url.replace("127.0.0.1", "localhost")
    with pytest.raises(ConnectionAuthError) as info:
        HTTP.get(elsewhere, auth=registry.auth_for("acme_main"))
    message = info.value.message
    assert f"may not be sent to localhost:{provider.port}" in message and "allowed_hosts" in message
    assert provider.counters.echo == 0 and provider.refresh_count == 0  # nothing was sent, no token fetched
    widened = load(write(_acme(provider, refresh).replace('[connections.acme_main]',
                                                          '[connections.acme_main]\nallowed_hosts = ["localhost"]')))
    assert HTTP.get(elsewhere, auth=widened.auth_for("acme_main")).status_code == 200


def test_default_zoho_services_reach_their_own_data_centre_only(provider: FakeOAuthProvider, load: Load,
                                                                write: Write) -> None:
    registry = load(write(_zoho(provider, "rt-x", center="eu")))
    conn = registry.get("crm")
    patterns = allowed_hosts(conn)
    assert "*.zohoapis.eu" in patterns and "*.zoho.eu" in patterns and "127.0.0.1" in patterns
    assert host_allowed(patterns, "www.zohoapis.eu", None) and host_allowed(patterns, "desk.zoho.eu", None)
    assert not host_allowed(patterns, "www.zohoapis.com", None)  # another data centre
    assert not host_allowed(patterns, "zohoapis.eu.evil.example", None)
    with pytest.raises(ConnectionAuthError, match="may not be sent to www.zohoapis.com"):
        HTTP.get("https://www.zohoapis.com/crm/v8/Leads", auth=registry.auth_for("crm"))
    lines = "\n".join(explain_lines(conn, registry.keeper("crm")))
    assert "Allowed hosts: *.zohoapis.eu, *.zoho.eu, 127.0.0.1" in lines


@pytest.mark.parametrize("entry", ["https://api.example.com", "*", "api.example.com/path", "exa mple.com",
                                   "*.*.example.com", "host:99999", ""])
def test_an_allowed_hosts_entry_that_is_no_host_pattern_is_an_error(entry: str, load: Load, write: Write,
                                                                    provider: FakeOAuthProvider) -> None:
    text = _acme(provider, "rt-x", extra="").replace("[connections.acme_main]",
                                                      f'[connections.acme_main]\nallowed_hosts = ["{entry}"]')
    with pytest.raises(ConnectionConfigError) as info:
        load(write(text))
    assert "[connections.acme_main]" in info.value.message and "is not a host pattern" in info.value.message


def test_invalid_client_from_the_wrong_data_centre_names_the_likely_one(provider: FakeOAuthProvider, load: Load,
                                                                       write: Write) -> None:
    _, refresh = provider.issue_tokens(scope="ZohoCRM.modules.ALL")
    first = load(write(_zoho(provider, refresh, center="com")))
    assert HTTP.get(provider.echo_url, auth=first.auth_for("crm")).status_code == 200  # tokens from com
    provider.data_center = "eu"  # now the accounts server answers as Zoho's EU one would
    provider.client_data_centers = {"test-client": "com"}
    provider.expire_access_tokens()
    moved = load(write(_zoho(provider, refresh, center="eu")))
    keeper = moved.keeper("crm")
    keeper.save(keeper.current().merged(type(keeper.current())(expires_at=1.0)), api_domain="https://www.zohoapis.com")
    with pytest.raises(ConnectionAuthError) as info:
        HTTP.get(provider.echo_url, auth=moved.auth_for("crm"))
    assert "rejected the client id or secret (invalid_client)" in info.value.message
    assert "likely belongs to the 'com' data centre" in info.value.message
    assert 'set data_center = "com"' in info.value.message


def test_invalid_client_with_no_evidence_lists_the_other_data_centres(provider: FakeOAuthProvider, load: Load,
                                                                     write: Write) -> None:
    provider.data_center = "eu"
    provider.client_data_centers = {"test-client": "in"}
    registry = load(write(_zoho(provider, "rt-unknown", center="eu")))
    with pytest.raises(ConnectionAuthError) as info:
        HTTP.get(provider.echo_url, auth=registry.auth_for("crm"))
    message = info.value.message
    assert "asks the 'eu' one" in message and "com, in, com.au, jp, com.cn" in message


def test_narrowed_scopes_say_reauthorize_and_show_the_difference(provider: FakeOAuthProvider, load: Load,
                                                                 write: Write) -> None:
    provider.granted_scope = "ZohoCRM.modules.READ"
    _, refresh = provider.issue_tokens()
    registry = load(write(_zoho(provider, refresh, scopes='"ZohoCRM.modules.ALL", "ZohoCRM.users.READ"')))
    with pytest.raises(ConnectionAuthError) as info:
        HTTP.get(provider.echo_url, auth=registry.auth_for("crm"))
    message = info.value.message
    assert "missing ZohoCRM.modules.ALL, ZohoCRM.users.READ (granted: ZohoCRM.modules.READ)" in message
    assert "deluge-lite connections authorize crm" in message
    assert registry.store.tokens("crm")["access_token"]  # type: ignore[index,union-attr]  # no token lost


def test_zoho_scope_coverage_rules() -> None:
    assert missing_scopes(["ZohoCRM.modules.leads.READ", "ZohoCRM.users.READ"], "ZohoCRM.modules.ALL") \
        == ["ZohoCRM.users.READ"]
    assert missing_scopes(["ZohoBooks.contacts.CREATE"], "ZohoBooks.fullaccess.all") == []
    assert missing_scopes(["a", "b"], "b,a") == []
    assert missing_scopes(["Read"], "read") == []


@pytest.mark.parametrize(("grant", "words"), [
    ("client_credentials", "rejected the client credentials grant: check client_id, client_secret"),
    ("authorization_code", "says the refresh token was revoked or has expired"),
])
def test_invalid_grant_is_worded_for_the_grant_in_use(grant: str, words: str, provider: FakeOAuthProvider,
                                                      load: Load, write: Write) -> None:
    provider.token_mode = "invalid_grant"
    text = oauth2_service(provider, grant_type=grant) + '[connections.acme_main]\nservice = "acme"\n'
    if grant == "authorization_code":
        text += 'refresh_token = "rt-revoked"\n'
    registry = load(write(text))
    with pytest.raises(ConnectionAuthError, match=words):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))


def test_a_store_from_a_newer_version_is_refused_untouched(home: Path) -> None:
    store = Store.open()
    store.put_tokens("acme", {"access_token": "at-1"})
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (b"99",))
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match="written by a newer deluge-lite .store version 99"):
        Store.open().tokens("acme")
    assert store.path.read_bytes() == before


def test_two_zoho_services_cannot_claim_one_link(load: Load, write: Write) -> None:
    text = ('[connections.crm_main]\nservice = "zoho_crm"\nclient_id = "c"\n'
            '[defaults]\nzoho_crm = "crm_main"\nzoho_books = "crm_main"\n')
    with pytest.raises(ConnectionConfigError) as info:
        load(write(text))
    assert "[defaults] zoho_books names 'crm_main', a connection of zoho_crm" in info.value.message


def test_a_config_connection_hiding_a_stored_one_is_shown(home: Path, tmp_path: Path) -> None:
    from connhelpers import Cli

    cli = Cli(home, tmp_path)
    cli("add", "--link", "crm", "--service", "zoho_crm", "--client-id", "c", "--client-secret", "s",
        "--data-center", "eu", "--no-input")
    (tmp_path / "deluge.toml").write_text('[connections.crm]\nservice = "zoho_books"\nclient_id = "c"\n')
    row = next(line for line in cli("list").stdout.splitlines() if line.startswith("crm "))
    assert "zoho_books" in row and "config (hides a stored one)" in row


def test_a_redirect_to_another_host_does_not_take_the_credentials_along(
        provider: FakeOAuthProvider, load: Load, write: Write, tmp_path: Path) -> None:
    """httpx drops Authorization on a cross-host redirect but keeps other headers (an API key header)."""
    import subprocess
    import sys

    from connhelpers import ROOT, cli_env

    with FakeOAuthProvider() as other:
        target = other.echo_url.replace("127.0.0.1", "localhost")
        config = tmp_path / "deluge.toml"
        config.write_text(f'[services.keyed]\nauth_type = "api_key"\napi_domain = "{provider.url}"\n'
                          f'[[services.keyed.params]]\nname = "X-Api-Key"\nparam_type = "header"\n'
                          f'[connections.keyed]\nservice = "keyed"\nvalues = {{ "X-Api-Key" = "Key-Secret-31" }}\n')
        script = tmp_path / "r.dg"
        script.write_text(f'r = invokeurl [ url: "{provider.url}/redirect?to={target}" type: GET connection: "keyed" ];\n'
                          f'info r;\n')
        done = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--config", str(config), str(script)],
                              capture_output=True, text=True, timeout=60, env=cli_env(tmp_path / "home"),
                              cwd=ROOT)
        assert done.returncode == 1, done.stderr
        assert f"may not be sent to localhost:{other.port}" in done.stderr and "r.dg:1" in done.stderr
        assert other.counters.echo == 0  # the other host never saw the request, nor the key
        assert "Key-Secret-31" not in done.stdout + done.stderr


@pytest.mark.parametrize("url", [
    "https://www.zohoapis.com.evil.example/crm/v8/Leads",
    "https://www.zohoapis.com@evil.example/crm/v8/Leads",
    "https://evil.example/?next=https://www.zohoapis.com/",
    "https://evil.example/www.zohoapis.com/crm",
    "https://zohoapis.com.evil.example/",
    "https://xn--zohoapis-8za.com/",
    "https://www.zohoapis.eu/crm/v8/Leads",
])
def test_lookalike_hosts_are_refused(url: str, load: Load, write: Write, provider: FakeOAuthProvider) -> None:
    registry = load(write(_zoho(provider, "rt-x", center="com")))
    with pytest.raises(ConnectionAuthError, match="may not be sent to"):
        HTTP.get(url, auth=registry.auth_for("crm"))
    assert provider.refresh_count == 0  # refused before even a token was fetched


def test_the_data_centres_own_hosts_pass(load: Load, write: Write, provider: FakeOAuthProvider) -> None:
    conn = load(write(_zoho(provider, "rt-x", center="com"))).get("crm")
    for host in ("www.zohoapis.com", "WWW.ZOHOAPIS.COM", "desk.zoho.com", "zohoapis.com", "accounts.zoho.com"):
        assert host_allowed(allowed_hosts(conn), host, None), host


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_allowed_hosts_entry_is_a_pattern_or_a_clear_error(text: str) -> None:
    try:
        pattern = check_pattern(text, "deluge.toml: [connections.x]")
    except ConnectionConfigError as exc:
        assert "allowed_hosts" in exc.message
    else:
        assert pattern == pattern.strip().lower() and "/" not in pattern and pattern != "*"
