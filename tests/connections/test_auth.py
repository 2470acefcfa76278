"""Every auth type and param type, end to end over real HTTP against the fake provider."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from connhelpers import HTTP, oauth2_service

from deluge_lite.connections import ConnectionAuthError, ConnectionRegistry, ReauthorizeError
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]

API_KEY_CONFIG = '''
[services.keyed]
auth_type = "api_key"
[[services.keyed.params]]
name = "appid"
param_type = "query"
[[services.keyed.params]]
name = "X-Api-Key"
param_type = "header"
[[services.keyed.params]]
name = "sig"
param_type = "form"

[connections.keyed_main]
service = "keyed"
values = { appid = "app-1111", "X-Api-Key" = "hdr-2222", sig = "form-3333" }
'''


def test_api_key_params_go_where_the_service_says(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = load(write(API_KEY_CONFIG))
    auth = registry.auth_for("keyed_main")
    seen = HTTP.post(provider.echo_url + "?page=2", data={"name": "Ann"}, auth=auth).json()
    assert seen["query"] == {"page": "2", "appid": "app-1111"}
    assert seen["headers"]["x-api-key"] == "hdr-2222"
    assert seen["form"] == {"name": "Ann", "sig": "form-3333"}
    empty = HTTP.get(provider.echo_url, auth=auth).json()  # no body: the form field makes one
    assert empty["form"] == {"sig": "form-3333"}
    with pytest.raises(ConnectionAuthError, match="form data"):
        HTTP.post(provider.echo_url, json={"a": 1}, auth=auth)


def test_basic_is_rfc7617(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = load(write('[services.b]\nauth_type = "basic"\n[connections.bas]\nservice = "b"\n'
                          'username = "alice"\npassword = "pa:ss-word"\n'))
    seen = HTTP.get(provider.echo_url, auth=registry.auth_for("bas")).json()
    assert seen["auth"] == {"type": "basic", "username": "alice", "password": "pa:ss-word"}
    assert seen["headers"]["authorization"] == "Basic YWxpY2U6cGE6c3Mtd29yZA=="
    assert registry.redactor.redact(seen["headers"]["authorization"]) == "Basic ****"


@pytest.mark.parametrize(("param_type", "signature_type"), [("header", "HEADER"), ("query", "QUERY"),
                                                            ("form", "BODY")])
def test_oauth1_signatures(param_type: str, signature_type: str, provider: FakeOAuthProvider, load: Load,
                           write: Write) -> None:
    token, secret = provider.issue_oauth1_token()
    registry = load(write(f'[services.o1]\nauth_type = "oauth1"\nconsumer_key = "test-consumer"\n'
                          f'consumer_secret = "consumer-secret"\nparam_type = "{param_type}"\n'
                          f'[connections.tw]\nservice = "o1"\ntoken = "{token}"\ntoken_secret = "{secret}"\n'))
    auth = registry.auth_for("tw")
    for response in (HTTP.get(provider.echo_url + "?q=a+b&x=%2F", auth=auth),
                     HTTP.post(provider.echo_url + "?q=1", data={"status": "hello world"}, auth=auth)):
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["auth"]["signature_type"] == signature_type
        assert report["auth"]["token"] == token
    assert report["form"]["status"] == "hello world"
    bad = load(write(f'[services.o1]\nauth_type = "oauth1"\nconsumer_key = "test-consumer"\n'
                     f'consumer_secret = "wrong"\nparam_type = "{param_type}"\n'
                     f'[connections.tw]\nservice = "o1"\ntoken = "{token}"\ntoken_secret = "{secret}"\n'))
    assert HTTP.get(provider.echo_url, auth=bad.auth_for("tw")).status_code == 401


@pytest.mark.parametrize(("param_type", "prefix"), [("header", "Bearer"), ("query", "query")])
def test_oauth2_param_types(param_type: str, prefix: str, provider: FakeOAuthProvider, load: Load,
                            write: Write) -> None:
    _, refresh = provider.issue_tokens()
    registry = load(write(oauth2_service(provider, param_type=param_type)
                          + f'[connections.acme_main]\nservice = "acme"\nrefresh_token = "{refresh}"\n'))
    seen = HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).json()
    assert seen["auth"]["prefix"] == prefix
    assert provider.refresh_count == 1
    HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert provider.refresh_count == 1  # the token is reused until it nears expiry


def test_zoho_default_service_against_fake(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    _, refresh = provider.issue_tokens()
    registry = load(write(f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\n'
                          f'client_secret = "test-secret"\nrefresh_token = "{refresh}"\n'
                          f'accounts_server = "{provider.url}"\napi_domain = "{provider.url}"\n'))
    seen = HTTP.get(registry.api_domain("crm") + "/echo/crm/v8/Leads", auth=registry.auth_for("crm")).json()
    assert seen["auth"]["prefix"] == "Zoho-oauthtoken"
    assert provider.stats()["grants"] == ["refresh_token"]


def test_client_credentials_fetches_its_own_token(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = load(write(oauth2_service(provider, grant_type="client_credentials")
                          + '[connections.machine]\nservice = "acme"\nscopes = ["read", "write"]\n'))
    for _ in range(3):
        assert HTTP.get(provider.echo_url, auth=registry.auth_for("machine")).status_code == 200
    assert provider.counters.client_credentials == 1
    # a new registry (a new run) finds the token in the store
    again = load(write(oauth2_service(provider, grant_type="client_credentials")
                       + '[connections.machine]\nservice = "acme"\nscopes = ["read", "write"]\n'))
    HTTP.get(provider.echo_url, auth=again.auth_for("machine"))
    assert provider.counters.client_credentials == 1


def _acme(provider: FakeOAuthProvider, refresh: str, **service: str) -> str:
    return (oauth2_service(provider, **service)
            + f'[connections.acme_main]\nservice = "acme"\nrefresh_token = "{refresh}"\n')


def test_refresh_before_expiry(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.access_token_lifetime = 30  # below the 60 s cap: the margin is 10 % of it (3 s)
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    keeper = registry.keeper("acme_main")
    HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert provider.refresh_count == 1
    assert keeper.margin == pytest.approx(3.0, abs=0.1)
    keeper.clock = lambda: time.time() + 27.5  # 2.5 s left: inside the margin, so renewed early
    HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert provider.refresh_count == 2
    assert provider.counters.rejected == 0  # never sent a token it knew was expiring


def test_refresh_once_after_401_then_retry(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    auth = registry.auth_for("acme_main")
    assert HTTP.post(provider.echo_url, data={"a": "1"}, auth=auth).status_code == 200
    provider.expire_access_tokens()  # the server revokes early; the client still thinks it valid
    response = HTTP.post(provider.echo_url, data={"a": "1"}, auth=auth)
    assert response.status_code == 200
    assert response.json()["form"] == {"a": "1"}  # the body was sent again
    assert provider.refresh_count == 2
    assert provider.counters.rejected == 1


def test_second_401_is_returned_not_looped(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.access_token_lifetime = -5  # every token is born expired at the resource
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)), margin=-3600.0)
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 401
    assert provider.refresh_count == 2  # the first token, then exactly one refresh after the 401


def test_rotated_refresh_token_saved_at_once(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.rotate_refresh_tokens = True
    _, refresh = provider.issue_tokens()
    text = _acme(provider, refresh)
    first = load(write(text))
    HTTP.get(provider.echo_url, auth=first.auth_for("acme_main"))
    stored = first.store.tokens("acme_main")  # type: ignore[union-attr]
    assert stored is not None and stored["refresh_token"] != refresh
    keeper = first.keeper("acme_main")
    keeper.save(keeper.current().merged(type(keeper.current())(expires_at=time.time() - 1)))
    second = load(write(text))  # a later run: the seed is revoked, the rotated token works
    assert HTTP.get(provider.echo_url, auth=second.auth_for("acme_main")).status_code == 200
    assert provider.refresh_count == 2


def test_changed_seed_replaces_stored_tokens(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    _, refresh = provider.issue_tokens()
    first = load(write(_acme(provider, refresh)))
    HTTP.get(provider.echo_url, auth=first.auth_for("acme_main"))
    provider.revoke_refresh_tokens()
    provider.expire_access_tokens()
    _, new_refresh = provider.issue_tokens()
    second = load(write(_acme(provider, new_refresh)))
    assert HTTP.get(provider.echo_url, auth=second.auth_for("acme_main")).status_code == 200


@pytest.mark.parametrize("mode", ["form", "ms", "text"])
def test_odd_token_responses(mode: str, provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.token_mode = mode
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200
    left = registry.keeper("acme_main").current().expires_in()
    assert left is not None and 3000 < left <= 3600  # an hour, however it was written


def test_zoho_throttle_is_an_error_and_nothing_is_saved(provider: FakeOAuthProvider, load: Load,
                                                        write: Write) -> None:
    provider.next_token_modes = ["throttle"]
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    with pytest.raises(ConnectionAuthError) as info:
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert "too many requests" in info.value.message and "back off" in info.value.message
    assert registry.store.tokens("acme_main") is None  # type: ignore[union-attr]
    with pytest.raises(ConnectionAuthError, match="paused after 1 failed attempt"):  # back-off: Zoho not asked
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert provider.refresh_count == 1
    registry.keeper("acme_main").clock = lambda: time.time() + 31  # the back-off (15-30 s) is over
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200


@pytest.mark.parametrize("mode", ["invalid_grant", "invalid_code"])
def test_revoked_refresh_token_says_reauthorize(mode: str, provider: FakeOAuthProvider, load: Load,
                                                write: Write) -> None:
    provider.token_mode = mode
    registry = load(write(_acme(provider, "rt-revoked")))
    with pytest.raises(ReauthorizeError) as info:
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert "reauthorize with deluge-lite connections authorize acme_main" in info.value.message


def test_html_and_down_token_endpoints(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.token_mode = "html"
    registry = load(write(_acme(provider, "rt-x")))
    with pytest.raises(ConnectionAuthError, match="HTML page"):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    down = load(write(_acme(provider, "rt-x").replace(provider.token_url, "http://127.0.0.1:9/oauth/token")
                      .replace("acme_main", "acme_down")))
    with pytest.raises(ConnectionAuthError, match="cannot reach the token endpoint"):
        HTTP.get(provider.echo_url, auth=down.auth_for("acme_down"))


def test_not_authorized_yet(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = load(write(oauth2_service(provider) + '[connections.fresh]\nservice = "acme"\n'))
    with pytest.raises(ReauthorizeError, match="deluge-lite connections authorize fresh"):
        HTTP.get(provider.echo_url, auth=registry.auth_for("fresh"))


def test_expired_stored_token_in_future_run(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    keeper = registry.keeper("acme_main")
    creds = keeper.access()
    creds.expires_at = time.time() - 10
    keeper.save(creds)
    later = load(write(_acme(provider, refresh)))
    assert HTTP.get(provider.echo_url, auth=later.auth_for("acme_main")).status_code == 200
    assert provider.refresh_count == 2
