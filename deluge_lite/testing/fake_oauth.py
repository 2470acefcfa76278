"""A fake OAuth provider: a real HTTP server on 127.0.0.1 for tests and for trying things by hand.

Endpoints (all under `FakeOAuthProvider.url`):
  GET  /oauth/authorize, /oauth/v2/auth   authorization endpoint; auto-approves by default
  POST /oauth/token, /oauth/v2/token      authorization_code (PKCE checked), refresh_token
                                          (optional rotation), client_credentials
  POST /oauth1/request_token, GET /oauth1/authorize, POST /oauth1/access_token
                                          OAuth 1.0a, HMAC-SHA1 signatures verified with authlib
  ANY  /echo[/...]                        protected resource: reports the method, headers, query
                                          and form that arrived; bad or expired tokens get 401
  GET  /redirect?to=URL                   302 to URL (a resource that sends clients elsewhere)
  GET  /stats                             counters as JSON

Tests steer it through attributes (``token_mode``, ``rotate_refresh_tokens``,
``access_token_lifetime``, ``resource_mode``: "normal", "always_401" (every bearer token
refused) or "zoho_errors" (a bad token gets HTTP 400 with Zoho's ``INVALID_OAUTHTOKEN``
code instead of a 401), ``granted_scope`` (narrower scopes
than asked), ``data_center`` with ``client_data_centers`` (a client made in another Zoho
data centre gets ``invalid_client``, as Zoho answers), ``token_delay`` (a slow token
endpoint)) and helpers (``issue_code``, ``issue_tokens``, ``expire_access_tokens``). The ``/oauth/v2/*`` paths mirror Zoho's accounts server, so a
default Zoho service pointed here with ``accounts_server`` works. It owns no client logic.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth1 import OAuth1Request
from authlib.oauth1.rfc5849.signature import verify_hmac_sha1
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from ..fieldclass import field, fieldclass
from .loopback import LoopbackServer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_CLIENTS = {"test-client": "test-secret"}
DEFAULT_CONSUMERS = {"test-consumer": "consumer-secret"}
# Odd answers the token endpoint can give, for the client's parser to cope with.
TOKEN_MODES = ("json", "form", "ms", "text", "throttle", "invalid_grant", "invalid_code", "html", "429")


@fieldclass
class _Grant:
    client_id: str
    scope: str = ""
    redirect_uri: str | None = None
    challenge: str | None = None


@fieldclass
class _AccessToken:
    client_id: str
    expires_at: float
    scope: str = ""


@fieldclass
class _OAuth1Token:
    consumer: str
    secret: str
    callback: str | None = None
    verifier: str | None = None
    authorized: bool = False


@fieldclass
class Counters:
    code: int = 0
    refresh: int = 0
    client_credentials: int = 0
    rejected: int = 0
    echo: int = 0
    oauth1_request: int = 0
    oauth1_access: int = 0
    grants: list[str] = field(default_factory=list)
    token_times: list[float] = field(default_factory=list)  # when each token request arrived


class FakeOAuthProvider(LoopbackServer):
    thread_name = "fake-oauth"
    """An in-process OAuth 1 / OAuth 2 provider on 127.0.0.1 (port 0 picks a free port)."""

    def __init__(self, *, port: int = 0, clients: dict[str, str] | None = None,
                 consumers: dict[str, str] | None = None, auto_approve: bool = True,
                 access_token_lifetime: int = 3600, rotate_refresh_tokens: bool = False) -> None:
        super().__init__(port)
        self.clients = dict(DEFAULT_CLIENTS if clients is None else clients)
        self.consumers = dict(DEFAULT_CONSUMERS if consumers is None else consumers)
        self.auto_approve = auto_approve
        self.access_token_lifetime = access_token_lifetime
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.token_mode = "json"
        self.next_token_modes: list[str] = []
        self.resource_mode = "normal"
        self.granted_scope: str | None = None
        self.data_center = "com"
        self.client_data_centers: dict[str, str] = {}
        self.token_delay = 0.0
        self.counters = Counters()
        self.lock = threading.Lock()
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, _AccessToken] = {}
        self._refresh: dict[str, _Grant] = {}
        self._oauth1_temp: dict[str, _OAuth1Token] = {}
        self._oauth1_access: dict[str, _OAuth1Token] = {}

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _make_handler(self)

    # ---- addresses
    @property
    def authorize_url(self) -> str:
        return self.url + "/oauth/authorize"

    @property
    def token_url(self) -> str:
        return self.url + "/oauth/token"

    @property
    def echo_url(self) -> str:
        return self.url + "/echo"

    # ---- helpers for tests
    @property
    def refresh_count(self) -> int:
        return self.counters.refresh

    def issue_code(self, client_id: str = "test-client", scope: str = "") -> str:
        """A grant code as Zoho's self-client console hands out (no redirect URI, no PKCE)."""
        code = "code-" + secrets.token_urlsafe(12)
        with self.lock:
            self._codes[code] = _Grant(client_id, scope)
        return code

    def issue_tokens(self, client_id: str = "test-client", *, expires_in: float | None = None,
                     scope: str = "") -> tuple[str, str]:
        """An (access token, refresh token) pair, as if the user had authorized already."""
        with self.lock:
            refresh = self._new_refresh(_Grant(client_id, scope))
            access = self._new_access(client_id, scope, expires_in)
        return access, refresh

    def issue_oauth1_token(self, consumer: str = "test-consumer") -> tuple[str, str]:
        """An authorized OAuth 1 (token, token secret) pair."""
        token, secret = "o1-" + secrets.token_urlsafe(10), "o1s-" + secrets.token_urlsafe(16)
        with self.lock:
            self._oauth1_access[token] = _OAuth1Token(consumer, secret, authorized=True)
        return token, secret

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token in self._access.values():
                token.expires_at = 0.0

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self._refresh.clear()

    def stats(self) -> dict[str, Any]:
        with self.lock:
            data = dict(vars(self.counters))
            data["grants"] = list(self.counters.grants)
            data["token_times"] = list(self.counters.token_times)
            return data

    # ---- token endpoint internals (called with self.lock held)
    def _new_access(self, client_id: str, scope: str, expires_in: float | None = None) -> str:
        token = "at-" + secrets.token_urlsafe(18)
        lifetime = self.access_token_lifetime if expires_in is None else expires_in
        self._access[token] = _AccessToken(client_id, time.time() + lifetime, scope)
        return token

    def _new_refresh(self, grant: _Grant) -> str:
        token = "rt-" + secrets.token_urlsafe(18)
        self._refresh[token] = grant
        return token

    def _token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, str, bytes]:
        if self.token_delay:
            time.sleep(self.token_delay)
        with self.lock:
            mode = self.next_token_modes.pop(0) if self.next_token_modes else self.token_mode
            grant_type = form.get("grant_type", "")
            self.counters.grants.append(grant_type)
            self.counters.token_times.append(time.time())
            if grant_type == "refresh_token":
                self.counters.refresh += 1
            elif grant_type == "client_credentials":
                self.counters.client_credentials += 1
            elif grant_type == "authorization_code":
                self.counters.code += 1
            if mode == "html":
                return 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            if mode == "429":  # a plain HTTP rate limit with Retry-After (see the handler)
                return 429, "application/json", b'{"error": "rate_limited"}'
            if mode == "throttle":  # Zoho: HTTP 200 with an error body
                return _json(200, {"error": "Access Denied", "error_description":
                                   "You have made too many requests continuously. Please try again after some time."})
            if mode in ("invalid_grant", "invalid_code"):
                return _json(400 if mode == "invalid_grant" else 200, {"error": mode})
            client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
            if client_id not in self.clients:
                return _json(401, {"error": "invalid_client", "error_description": "unknown client"})
            if self.client_data_centers.get(client_id, self.data_center) != self.data_center:
                return _json(200, {"error": "invalid_client"})  # Zoho: a client lives in one data centre
            if grant_type != "authorization_code" or secret:
                if self.clients[client_id] != secret:
                    return _json(401, {"error": "invalid_client", "error_description": "bad client secret"})
            answer: dict[str, Any]
            if grant_type == "authorization_code":
                grant = self._codes.pop(form.get("code", ""), None)
                if grant is None or grant.client_id != client_id:
                    return _json(400, {"error": "invalid_grant", "error_description": "unknown or used code"})
                if grant.redirect_uri is not None and grant.redirect_uri != form.get("redirect_uri"):
                    return _json(400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"})
                if grant.challenge is not None:
                    verifier = form.get("code_verifier", "")
                    if not verifier or create_s256_code_challenge(verifier) != grant.challenge:
                        return _json(400, {"error": "invalid_grant", "error_description": "PKCE check failed"})
                answer = {"refresh_token": self._new_refresh(grant), "scope": grant.scope}
                scope = grant.scope
            elif grant_type == "refresh_token":
                old = form.get("refresh_token", "")
                grant = self._refresh.get(old)
                if grant is None or grant.client_id != client_id:
                    return _json(400, {"error": "invalid_grant", "error_description": "refresh token revoked"})
                answer = {}
                if self.rotate_refresh_tokens:
                    del self._refresh[old]
                    answer["refresh_token"] = self._new_refresh(grant)
                scope = grant.scope
            elif grant_type == "client_credentials":
                answer, scope = {}, form.get("scope", "")
            else:
                return _json(400, {"error": "unsupported_grant_type"})
            lifetime = self.access_token_lifetime
            if self.granted_scope is not None:
                scope = self.granted_scope
                answer["scope"] = scope
            answer.update(access_token=self._new_access(client_id, scope), token_type="Bearer",
                          expires_in=lifetime, api_domain=f"https://www.zohoapis.{self.data_center}")
            if mode == "ms":
                answer["expires_in"] = lifetime * 1000
            elif mode == "text":
                answer["expires_in"] = str(lifetime)
            if mode == "form":
                body = urlencode({k: str(v) for k, v in answer.items()}).encode()
                return 200, "application/x-www-form-urlencoded", body
            return _json(200, answer)

    def _authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        redirect = query.get("redirect_uri", "")
        client_id = query.get("client_id", "")
        if client_id not in self.clients or not redirect:
            return 400, {"Content-Type": "text/plain"}, b"unknown client_id or missing redirect_uri"
        if not self.auto_approve:
            back = _with_query(redirect, {"error": "access_denied", "state": query.get("state", "")})
            return 302, {"Location": back}, b""
        if query.get("response_type") != "code":
            return 400, {"Content-Type": "text/plain"}, b"response_type must be code"
        challenge = query.get("code_challenge")
        if challenge and query.get("code_challenge_method", "plain") != "S256":
            return 400, {"Content-Type": "text/plain"}, b"only S256 PKCE is supported"
        code = "code-" + secrets.token_urlsafe(12)
        with self.lock:
            self._codes[code] = _Grant(client_id, query.get("scope", ""), redirect, challenge)
        return 302, {"Location": _with_query(redirect, {"code": code, "state": query.get("state", "")})}, b""

    # ---- OAuth 1
    def _verify_oauth1(self, method: str, uri: str, headers: dict[str, str], body: str,
                       tokens: dict[str, _OAuth1Token] | None) -> tuple[OAuth1Request | None, str]:
        try:
            request = OAuth1Request(method, uri, body=body or None, headers=headers)
        except Exception as exc:  # malformed header, duplicated params, ...
            return None, f"malformed OAuth 1 request: {type(exc).__name__}"
        consumer_secret = self.consumers.get(request.client_id or "")
        if consumer_secret is None:
            return None, "unknown consumer key"
        token_secret = ""
        if tokens is not None:
            entry = tokens.get(request.token or "")
            if entry is None or entry.consumer != request.client_id:
                return None, "unknown token"
            token_secret = entry.secret
        if request.signature_method != "HMAC-SHA1":
            return None, "only HMAC-SHA1 is supported"
        request.client = _Secret(consumer_secret)
        request.credential = _Secret(token_secret)
        if not verify_hmac_sha1(request):
            return None, "bad signature"
        return request, ""

    def _oauth1_request_token(self, uri: str, headers: dict[str, str], body: str) -> tuple[int, str, bytes]:
        request, problem = self._verify_oauth1("POST", uri, headers, body, None)
        if request is None:
            return 401, "text/plain", problem.encode()
        with self.lock:
            self.counters.oauth1_request += 1
            token, secret = "tmp-" + secrets.token_urlsafe(10), "tmps-" + secrets.token_urlsafe(16)
            self._oauth1_temp[token] = _OAuth1Token(request.client_id or "", secret, request.redirect_uri)
        body_out = urlencode({"oauth_token": token, "oauth_token_secret": secret,
                              "oauth_callback_confirmed": "true"})
        return 200, "application/x-www-form-urlencoded", body_out.encode()

    def _oauth1_authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            entry = self._oauth1_temp.get(query.get("oauth_token", ""))
            if entry is None:
                return 400, {"Content-Type": "text/plain"}, b"unknown oauth_token"
            if not self.auto_approve:
                return 403, {"Content-Type": "text/plain"}, b"access denied"
            entry.verifier, entry.authorized = "v-" + secrets.token_urlsafe(8), True
        if not entry.callback or entry.callback == "oob":
            return 200, {"Content-Type": "text/plain"}, f"verifier: {entry.verifier}".encode()
        back = _with_query(entry.callback, {"oauth_token": query["oauth_token"], "oauth_verifier": entry.verifier})
        return 302, {"Location": back}, b""

    def _oauth1_access_token(self, uri: str, headers: dict[str, str], body: str) -> tuple[int, str, bytes]:
        with self.lock:
            request, problem = self._verify_oauth1("POST", uri, headers, body, self._oauth1_temp)
            if request is None:
                return 401, "text/plain", problem.encode()
            entry = self._oauth1_temp[request.token or ""]
            verifier = request.oauth_params.get("oauth_verifier")
            if not entry.authorized or verifier != entry.verifier:
                return 401, "text/plain", b"bad verifier"
            del self._oauth1_temp[request.token or ""]
            self.counters.oauth1_access += 1
        token, secret = self.issue_oauth1_token(entry.consumer)
        return 200, "application/x-www-form-urlencoded", urlencode(
            {"oauth_token": token, "oauth_token_secret": secret}).encode()

    # ---- the protected resource
    def _echo(self, method: str, uri: str, headers: dict[str, str], query: dict[str, list[str]],
              body: str) -> tuple[int, dict[str, Any]]:
        content_type = headers.get("content-type", "")
        form = {k: v[0] for k, v in parse_qs(body).items()} if "x-www-form-urlencoded" in content_type else {}
        report: dict[str, Any] = {"method": method, "path": urlsplit(uri).path, "headers": headers,
                                  "query": {k: v[0] for k, v in query.items()}, "form": form, "body": body,
                                  "auth": None}
        authorization = headers.get("authorization", "")
        scheme, _, value = authorization.partition(" ")
        bearer = None
        if scheme.lower() in ("bearer", "zoho-oauthtoken"):
            bearer = value.strip()
        elif "access_token" in report["query"]:
            scheme, bearer = "query", report["query"]["access_token"]
        with self.lock:
            self.counters.echo += 1
        if bearer is not None:
            with self.lock:
                entry = self._access.get(bearer)
                if entry is None or entry.expires_at <= time.time() or self.resource_mode == "always_401":
                    self.counters.rejected += 1
                    if self.resource_mode == "zoho_errors":
                        return 400, {"code": "INVALID_OAUTHTOKEN", "message": "invalid oauth token",
                                     "status": "error"}
                    return 401, {"error": "invalid_token", "auth": {"type": "oauth2", "prefix": scheme}}
            report["auth"] = {"type": "oauth2", "prefix": scheme, "client_id": entry.client_id}
        elif scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value).decode().partition(":")
            except ValueError:
                return 401, {"error": "malformed basic credentials"}
            report["auth"] = {"type": "basic", "username": user, "password": password}
        elif scheme.lower() == "oauth" or "oauth_signature" in report["query"] or "oauth_signature" in form:
            raw_headers = {"Authorization": authorization} if authorization else {}
            if form:
                raw_headers["Content-Type"] = "application/x-www-form-urlencoded"
            with self.lock:
                request, problem = self._verify_oauth1(method, uri, raw_headers, body if form else "",
                                                       self._oauth1_access)
            if request is None:
                with self.lock:
                    self.counters.rejected += 1
                return 401, {"error": problem, "auth": {"type": "oauth1"}}
            report["auth"] = {"type": "oauth1", "signature_type": request.signature_type,
                              "consumer_key": request.client_id, "token": request.token}
        return 200, report


@fieldclass
class _Secret:
    """What authlib's signature check asks of a client and a credential."""

    value: str

    def get_client_secret(self) -> str:
        return self.value

    def get_oauth_token_secret(self) -> str:
        return self.value


def _json(status: int, data: dict[str, Any]) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data).encode()


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if urlsplit(url).query else "?") + urlencode(params)


def _make_handler(provider: FakeOAuthProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeOAuth/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def _body(self) -> str:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length).decode() if length else ""

        def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def _uri(self) -> str:
            return f"http://{self.headers.get('Host', f'127.0.0.1:{provider.port}')}{self.path}"

        def _basic(self) -> tuple[str, str] | None:
            scheme, _, value = self.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "basic":
                return None
            user, _, password = base64.b64decode(value).decode().partition(":")
            return user, password

        def _route(self, method: str) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
            body = self._body()
            headers = {"Authorization": self.headers["Authorization"]} if self.headers.get("Authorization") else {}
            if self.headers.get("Content-Type"):
                headers["Content-Type"] = self.headers["Content-Type"]
            if path in ("/oauth/authorize", "/oauth/v2/auth") and method == "GET":
                status, extra, out = provider._authorize(query)
                self._send(status, extra.pop("Content-Type", "text/plain"), out, extra)
            elif path in ("/oauth/token", "/oauth/v2/token") and method == "POST":
                form = {k: v[0] for k, v in parse_qs(body).items()}
                status, kind, out = provider._token(form, self._basic())
                self._send(status, kind, out, {"Retry-After": "120"} if status == 429 else None)
            elif path == "/oauth1/request_token" and method == "POST":
                self._send(*provider._oauth1_request_token(self._uri(), headers, body))
            elif path == "/oauth1/authorize" and method == "GET":
                status, extra, out = provider._oauth1_authorize(query)
                self._send(status, extra.pop("Content-Type", "text/plain"), out, extra)
            elif path == "/oauth1/access_token" and method == "POST":
                self._send(*provider._oauth1_access_token(self._uri(), headers, body))
            elif path == "/echo" or path.startswith("/echo/"):
                lowered = {k.lower(): v for k, v in self.headers.items()}
                status, report = provider._echo(method, self._uri(), lowered, parse_qs(parts.query), body)
                self._send(status, "application/json", json.dumps(report).encode())
            elif path == "/redirect" and query.get("to"):
                self._send(302, "text/plain", b"", {"Location": query["to"]})
            elif path == "/stats":
                self._send(*_json(200, provider.stats()))
            else:
                self._send(*_json(404, {"error": "not_found", "path": path}))

        def do_GET(self) -> None:  # noqa: N802
            self._route("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._route("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._route("PUT")

        def do_PATCH(self) -> None:  # noqa: N802
            self._route("PATCH")

        def do_DELETE(self) -> None:  # noqa: N802
            self._route("DELETE")

    return Handler


@contextmanager
def running(**options: Any) -> Iterator[FakeOAuthProvider]:
    """``with running() as provider:`` a started provider, stopped afterwards."""
    provider = FakeOAuthProvider(**options).start()
    try:
        yield provider
    finally:
        provider.stop()


def serve_forever(port: int, say: Any = print) -> None:
    """Run a provider in the foreground (``deluge-lite fake-oauth --port N``) until Ctrl-C."""
    provider = FakeOAuthProvider(port=port).start()
    say(f"fake OAuth provider on {provider.url}")
    say(f"  OAuth 2: authorize {provider.authorize_url}, token {provider.token_url}; "
        f"client {next(iter(provider.clients))} / {next(iter(provider.clients.values()))}")
    say(f"  OAuth 1: {provider.url}/oauth1/request_token, /oauth1/authorize, /oauth1/access_token; "
        f"consumer {next(iter(provider.consumers))} / {next(iter(provider.consumers.values()))}")
    say(f"  protected echo resource: {provider.echo_url}   (Ctrl-C stops)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        provider.stop()
