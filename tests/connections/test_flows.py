"""Authorization flows over real HTTP: the test plays the browser with httpx."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from connhelpers import HTTP, oauth2_service

from deluge_lite.connections import ConnectionAuthError, ConnectionConfigError, ConnectionRegistry
from deluge_lite.connections.flows import Interaction, authorize
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]


def browser(opened: list[str]) -> Callable[[str], object]:
    """A browser that follows the provider's redirect to the loopback server."""
    def open_url(url: str) -> object:
        opened.append(url)
        return HTTP.get(url, follow_redirects=True, timeout=10)

    return open_url


def _registry(provider: FakeOAuthProvider, load: Load, write: Write) -> ConnectionRegistry:
    return load(write(oauth2_service(provider, name="acme") + '[connections.acme_main]\nservice = "acme"\n'
                      'scopes = ["read", "write"]\nscope_delimiter = ","\n'))


def test_authorization_code_with_loopback_and_pkce(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = _registry(provider, load, write)
    opened: list[str] = []
    lines: list[str] = []
    creds = authorize(registry.get("acme_main"), registry.keeper("acme_main"),
                      Interaction(say=lines.append, open_url=browser(opened), timeout=10))
    query = parse_qs(urlsplit(opened[0]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["read,write"]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert creds.refresh_token and creds.access_token
    assert provider.counters.code == 1
    # the tokens are stored: a new run uses them without any token request
    again = _registry(provider, load, write)
    assert HTTP.get(provider.echo_url, auth=again.auth_for("acme_main")).status_code == 200
    assert provider.stats()["grants"] == ["authorization_code"]


def test_fixed_port(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    registry = _registry(provider, load, write)
    opened: list[str] = []
    authorize(registry.get("acme_main"), registry.keeper("acme_main"),
              Interaction(say=lambda _: None, open_url=browser(opened), timeout=10), port=port)
    assert f"127.0.0.1%3A{port}%2Fcallback" in opened[0]


def test_state_mismatch_is_refused(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = _registry(provider, load, write)

    def forged(url: str) -> object:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        return HTTP.get(redirect + "?code=stolen&state=forged", timeout=10)

    with pytest.raises(ConnectionAuthError, match="wrong state"):
        authorize(registry.get("acme_main"), registry.keeper("acme_main"),
                  Interaction(say=lambda _: None, open_url=forged, timeout=10))
    assert provider.counters.code == 0


def test_denied_authorization(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.auto_approve = False
    registry = _registry(provider, load, write)
    with pytest.raises(ConnectionAuthError, match="refused: access_denied"):
        authorize(registry.get("acme_main"), registry.keeper("acme_main"),
                  Interaction(say=lambda _: None, open_url=browser([]), timeout=10))


def test_no_browser_paste(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = _registry(provider, load, write)
    printed: list[str] = []

    def paste(prompt: str) -> str:
        url = next(line for line in printed if "/oauth/authorize?" in line).split()[-1]
        response = HTTP.get(url, follow_redirects=False)  # the browser cannot reach the loopback
        return response.headers["location"]

    creds = authorize(registry.get("acme_main"), registry.keeper("acme_main"),
                      Interaction(say=printed.append, open_url=None, read_line=paste))
    assert creds.refresh_token


def test_self_client_code(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = load(write(f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\n'
                          f'client_secret = "test-secret"\naccounts_server = "{provider.url}"\n'))
    code = provider.issue_code(scope="ZohoCRM.modules.ALL")
    ui = Interaction(say=lambda _: None)
    creds = authorize(registry.get("crm"), registry.keeper("crm"), ui, code=code)
    assert creds.refresh_token
    with pytest.raises(ConnectionAuthError, match="rejected the code"):
        authorize(registry.get("crm"), registry.keeper("crm"), ui, code=code)  # single use


def test_nothing_to_authorize_for_basic(load: Load, write: Write) -> None:
    registry = load(write('[services.b]\nauth_type = "basic"\n[connections.bas]\nservice = "b"\n'
                          'username = "u"\npassword = "pppp"\n'))
    with pytest.raises(ConnectionConfigError, match="nothing to authorize"):
        authorize(registry.get("bas"), registry.keeper("bas"), Interaction(say=lambda _: None))


def _oauth1(provider: FakeOAuthProvider, load: Load, write: Write) -> ConnectionRegistry:
    return load(write(f'[services.o1]\nauth_type = "oauth1"\nconsumer_key = "test-consumer"\n'
                      f'consumer_secret = "consumer-secret"\n'
                      f'request_token_url = "{provider.url}/oauth1/request_token"\n'
                      f'authorize_url = "{provider.url}/oauth1/authorize"\n'
                      f'access_token_url = "{provider.url}/oauth1/access_token"\n'
                      f'[connections.tw]\nservice = "o1"\n'))


def test_oauth1_flow_with_loopback(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = _oauth1(provider, load, write)
    creds = authorize(registry.get("tw"), registry.keeper("tw"),
                      Interaction(say=lambda _: None, open_url=browser([]), timeout=10))
    assert creds.token and creds.token_secret
    assert provider.counters.oauth1_request == 1 and provider.counters.oauth1_access == 1
    later = _oauth1(provider, load, write)
    report = HTTP.get(provider.echo_url, auth=later.auth_for("tw")).json()
    assert report["auth"]["token"] == creds.token


def test_oauth1_flow_out_of_band(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry = _oauth1(provider, load, write)
    printed: list[str] = []

    def paste(prompt: str) -> str:
        url = next(line for line in printed if "/oauth1/authorize?" in line).split()[-1]
        return HTTP.get(url).text.removeprefix("verifier: ")  # the page shows the verifier

    creds = authorize(registry.get("tw"), registry.keeper("tw"),
                      Interaction(say=printed.append, open_url=None, read_line=paste))
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("tw")).status_code == 200
    assert creds.token


def test_busy_port_is_a_clear_error(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    import socket

    registry = _registry(provider, load, write)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(ConnectionAuthError, match="pick another --port"):
            authorize(registry.get("acme_main"), registry.keeper("acme_main"),
                      Interaction(say=lambda _: None, open_url=browser([]), timeout=10), port=port)


def test_auth_errors_are_catchable_runtime_errors() -> None:
    from deluge_lite.connections import ReauthorizeError, UnknownConnectionError
    from deluge_lite.errors import DelugeRuntimeError

    assert issubclass(ReauthorizeError, DelugeRuntimeError)
    assert issubclass(UnknownConnectionError, DelugeRuntimeError)
