"""Authorization flows: how a user grants a connection its first tokens.

- OAuth 2 authorization code: a loopback redirect server on 127.0.0.1 (random port, or a
  fixed one since Zoho matches the redirect URI exactly), PKCE S256 via
  ``authlib.oauth2.rfc7636``, a random ``state`` checked on return, the browser opened,
  or with no browser the URL printed and the redirect URL pasted back.
- Zoho's self client: a grant code from the API console exchanged without a redirect URI.
- OAuth 2 client credentials: simply fetch a token.
- OAuth 1: request token, user authorization, verifier, access token.

Owns the interaction and the token exchange; saving goes through the `TokenKeeper`.
"""

from __future__ import annotations

import http.server
import secrets
import socket
import threading
from collections.abc import Callable
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from ..fieldclass import fieldclass
from ..net.client import httpx
from .auth import OAuth1Auth
from .errors import ConnectionAuthError, ConnectionConfigError
from .keeper import TokenKeeper
from .models import AuthType, Connection, Credentials, GrantType
from .redact import mask_url

CALLBACK_PATH = "/callback"
Say = Callable[[str], None]


@fieldclass
class Interaction:
    """How a flow talks to the user: open a URL, print a line, read a pasted line."""

    say: Say
    open_url: Callable[[str], object] | None = None  # None: do not open a browser, ask for a paste
    read_line: Callable[[str], str] = input
    timeout: float = 300.0


def authorize(connection: Connection, keeper: TokenKeeper, ui: Interaction, *, port: int = 0,
              code: str | None = None) -> Credentials:
    """Run the flow that fits the connection and save what it grants."""
    kind, grant = connection.auth_type, connection.service.grant_type
    if code is not None:
        if kind is not AuthType.OAUTH2 or grant is not GrantType.AUTHORIZATION_CODE:
            raise ConnectionConfigError("--code applies only to OAuth 2 authorization-code connections")
        return exchange_code(connection, keeper, code)
    if kind is AuthType.OAUTH2 and grant is GrantType.CLIENT_CREDENTIALS:
        return keeper.access(force=True)
    if kind is AuthType.OAUTH2:
        return authorization_code_flow(connection, keeper, ui, port=port)
    if kind is AuthType.OAUTH1:
        return oauth1_flow(connection, keeper, ui, port=port)
    raise ConnectionConfigError(f"connection '{connection.link}' uses {kind.label}: there is nothing to "
                                f"authorize; its credentials are sent as they are")


def exchange_code(connection: Connection, keeper: TokenKeeper, code: str, *,
                  redirect_uri: str | None = None, verifier: str | None = None) -> Credentials:
    """Exchange a grant code for tokens (Zoho self client: no redirect URI, no verifier)."""
    data = {"grant_type": "authorization_code", "code": code.strip(),
            "client_id": connection.effective_client_id or ""}
    if connection.effective_client_secret:
        data["client_secret"] = connection.effective_client_secret
    if redirect_uri:
        data["redirect_uri"] = redirect_uri
    if verifier:
        data["code_verifier"] = verifier
    url = connection.token_url
    assert url is not None
    return keeper.store_answer(keeper.request(url, data, "code"))


def authorization_code_flow(connection: Connection, keeper: TokenKeeper, ui: Interaction, *,
                            port: int = 0) -> Credentials:
    """The browser flow with PKCE and a loopback redirect; returns the saved credentials."""
    if not connection.authorize_url:
        raise ConnectionConfigError(f"service '{connection.service.name}' has no authorize_url; add one, "
                                    f"or use --code with a code from the provider's console")
    verifier = secrets.token_urlsafe(64)
    state = secrets.token_urlsafe(24)
    with _Loopback(port, serve=ui.open_url is not None) as loop:
        params = {"response_type": "code", "client_id": connection.effective_client_id or "",
                  "redirect_uri": loop.redirect_uri, "state": state,
                  "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"}
        if connection.scopes:
            params["scope"] = connection.scope_string()
        params.update(dict(connection.service.authorize_params))
        url = _with_query(connection.authorize_url, params)
        query = _ask_user(url, loop, ui, "code")
    if query.get("error"):
        detail = query.get("error_description") or query["error"]
        raise ConnectionAuthError(f"authorization of '{connection.link}' was refused: {detail}")
    if not query.get("_bare") and query.get("state") != state:
        raise ConnectionAuthError("the redirect carried the wrong state; the authorization was not "
                                  "started here (or was tampered with), so it was ignored")
    if not query.get("code"):
        raise ConnectionAuthError("the redirect carried no authorization code")
    return exchange_code(connection, keeper, query["code"], redirect_uri=loop.redirect_uri, verifier=verifier)


def oauth1_flow(connection: Connection, keeper: TokenKeeper, ui: Interaction, *, port: int = 0) -> Credentials:
    """OAuth 1.0a three-legged flow; saves the access token and its secret."""
    service = connection.service
    for key in ("request_token_url", "authorize_url", "access_token_url"):
        if not getattr(service, key):
            raise ConnectionConfigError(f"service '{service.name}' needs '{key}' to authorize")
    empty = Credentials()
    with _Loopback(port, serve=ui.open_url is not None) as loop:
        callback = loop.redirect_uri if ui.open_url is not None else "oob"
        first = _oauth1_post(keeper, service.request_token_url or "",
                             OAuth1Auth(connection, empty, callback=callback, token="", token_secret=""),
                             connection.link, "request token")
        request_token_value, request_secret = first["oauth_token"], first.get("oauth_token_secret", "")
        keeper.redactor.add(request_secret)
        url = _with_query(service.authorize_url or "", {"oauth_token": request_token_value})
        query = _ask_user(url, loop, ui, "oauth_verifier")
    if query.get("oauth_token", request_token_value) != request_token_value:
        raise ConnectionAuthError("the redirect carried another request token; the authorization was ignored")
    verifier = query.get("oauth_verifier")
    if not verifier:
        raise ConnectionAuthError(f"authorization of '{connection.link}' was refused (no verifier came back)")
    final = _oauth1_post(keeper, service.access_token_url or "",
                         OAuth1Auth(connection, empty, verifier=verifier, token=request_token_value,
                                    token_secret=request_secret),
                         connection.link, "access token")
    creds = Credentials.from_dict(keeper.load().to_dict())
    creds.token, creds.token_secret = final["oauth_token"], final.get("oauth_token_secret", "")
    keeper.save(creds)
    return creds


def _oauth1_post(keeper: TokenKeeper, url: str, auth: OAuth1Auth, link: str, what: str) -> dict[str, str]:
    try:
        response = keeper.http.get().post(url, auth=auth)
    except httpx.TransportError as exc:
        raise ConnectionAuthError(f"cannot reach {mask_url(url)} for the {what} of '{link}' "
                                  f"({type(exc).__name__})") from None
    except httpx.InvalidURL:
        raise ConnectionAuthError(f"the {what} URL of '{link}' is not a valid URL: {mask_url(url)}") from None
    data = dict(parse_qsl(response.text.strip()))
    if response.status_code >= 400 or "oauth_token" not in data:
        raise ConnectionAuthError(f"the {what} request of '{link}' failed (HTTP {response.status_code}): "
                                  f"{response.text.strip()[:200]}")
    keeper.redactor.add(data.get("oauth_token_secret"), data.get("oauth_token"))
    return data


def _ask_user(url: str, loop: _Loopback, ui: Interaction, wanted: str) -> dict[str, str]:
    """Send the user to ``url``; return the query of the redirect (caught or pasted)."""
    if ui.open_url is None:
        ui.say(f"Open this URL in a browser and approve access:\n\n  {url}\n")
        ui.say("Your browser will then fail to load a page on 127.0.0.1; copy that page's full URL.")
        pasted = ui.read_line("Paste the redirect URL here: ").strip()
        return _query_of(pasted, wanted)
    ui.say(f"Opening your browser to approve access. If it does not open, visit:\n\n  {url}\n")
    if ui.open_url(url) is False:
        ui.say("No browser could be opened here: open the URL above yourself (or use --no-browser).")
    query = loop.wait(ui.timeout)
    if query is None:
        raise ConnectionAuthError(f"no answer from the browser within {ui.timeout:g} seconds; try again, "
                                  f"or use --no-browser")
    return query


def _query_of(pasted: str, wanted: str) -> dict[str, str]:
    if "?" in pasted or pasted.startswith(("http://", "https://")):
        raw = urlsplit(pasted).query
    elif "=" in pasted:
        raw = pasted
    else:  # just the code (or verifier) itself
        return {wanted: pasted, "state": "", "_bare": "1"}
    return {k: v[0] for k, v in parse_qs(raw).items()}


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if urlsplit(url).query else "?") + urlencode(params)


class _Loopback:
    """A one-shot HTTP server on 127.0.0.1 that catches the provider's redirect."""

    def __init__(self, port: int, *, serve: bool) -> None:
        self._serve = serve
        self._result: dict[str, str] | None = None
        self._done = threading.Event()
        self._server: http.server.HTTPServer | None = None
        self._thread: threading.Thread | None = None
        if serve:
            try:
                self._server = http.server.HTTPServer(("127.0.0.1", port), self._handler())
            except OSError as exc:
                raise ConnectionAuthError(f"cannot listen on 127.0.0.1:{port} for the redirect "
                                          f"({exc.strerror}); pick another --port") from None
            self.port = self._server.server_address[1]
        else:
            self.port = port or _free_port()
        self.redirect_uri = f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    def __enter__(self) -> _Loopback:
        if self._server is not None:
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                            daemon=True, name="deluge-lite-oauth-callback")
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str] | None:
        return self._result if self._done.wait(timeout) else None

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        loop = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH or loop._done.is_set():
                    self.send_error(404)
                    return
                loop._result = {k: v[0] for k, v in parse_qs(parts.query).items()}
                ok = "error" not in loop._result
                body = (b"<html><body><h1>deluge-lite</h1><p>"
                        + (b"Access granted. You can close this window." if ok else b"Access was refused.")
                        + b"</p></body></html>")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                loop._done.set()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep URLs out of stderr
                return

        return Handler


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
