"""The auth layer: one `httpx.Auth` per auth type, applying credentials where the service says.

- `ApiKeyAuth`: each named parameter to the query string, a form body or a header.
- `BasicAuth`: ``Authorization: Basic base64(username:password)`` (RFC 7617; reference 7b).
- `OAuth1Auth`: signs with authlib's framework-free ``ClientAuth`` (HMAC-SHA1 by default),
  parameters in the header, the query or the form body.
- `OAuth2Auth`: ``<prefix> <token>`` in the Authorization header or ``access_token`` in
  the query; gets a token through its `TokenKeeper` before expiry, and once more after a
  401 (or a 400/403 whose JSON body is one of Zoho's token failures, `ZOHO_TOKEN_FAILURES`)
  when the keeper's policy allows, then retries the request once.

Every class first checks the request's host against the connection's allowed hosts
(`hosts`): credentials are never sent elsewhere. Owns applying credentials to a request;
token bookkeeping is `keeper`, choosing the class for a connection is `auth_for_connection`.
Reprs never show a secret.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Generator
from urllib.parse import parse_qsl, urlencode

from authlib.oauth1 import ClientAuth

from ..net.client import httpx
from .errors import ConnectionAuthError, ConnectionConfigError
from .hosts import EXTENSION, check_request_host
from .keeper import TokenKeeper
from .models import AuthType, Connection, Credentials, ParamType

log = logging.getLogger("deluge_lite.connections")
FORM_TYPE = "application/x-www-form-urlencoded"
# Error codes in Zoho API answers that mean "this access token is not (or no longer) good",
# whatever the HTTP status: CRM (INVALID_TOKEN, AUTHENTICATION_FAILURE), older APIs and
# Creator (INVALID_OAUTHTOKEN), Desk (INVALID_OAUTH). Read from small JSON error bodies only.
ZOHO_TOKEN_FAILURES = frozenset({"INVALID_OAUTHTOKEN", "INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTH"})
_BODY_LIMIT = 65536
_OAUTH1_TYPES = {ParamType.HEADER: "HEADER", ParamType.QUERY: "QUERY", ParamType.FORM: "BODY"}


def with_body(request: httpx.Request, body: bytes, content_type: str | None = None) -> httpx.Request:
    """A copy of ``request`` with a new body (Content-Length recomputed)."""
    headers = httpx.Headers(request.headers)
    headers.pop("content-length", None)
    if content_type:
        headers["Content-Type"] = content_type
    return httpx.Request(request.method, request.url, headers=headers, content=body,
                         extensions=request.extensions)


def add_form_fields(request: httpx.Request, fields: list[tuple[str, str]], what: str) -> httpx.Request:
    """Add fields to a form-encoded body (an empty body becomes one); other bodies are an error."""
    body = request.content
    content_type = request.headers.get("content-type", "")
    if body and FORM_TYPE not in content_type:
        raise ConnectionAuthError(f"{what} must be sent as form data, but the request body is "
                                  f"{content_type or 'not form data'}; send a map body or no body")
    pairs = parse_qsl(body.decode(), keep_blank_values=True) if body else []
    return with_body(request, urlencode(pairs + fields).encode(), FORM_TYPE)


def header_value(value: str, what: str) -> str:
    """``value`` if it can travel in a header; else an error that says why without quoting it."""
    if value != value.strip():
        raise ConnectionAuthError(f"{what} starts or ends with whitespace or a line break (a secret read from "
                                  f"a file often ends with a newline); remove it. The value was not sent.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or not value.isascii():
        raise ConnectionAuthError(f"{what} contains a line break, a control character or non-ASCII text, "
                                  f"which a header cannot carry. The value was not sent.")
    return value


class _ConnectionAuth(httpx.Auth):
    """The shared front of every auth type: refuse a host outside the connection's allowed hosts."""

    _connection: Connection

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        url = request.url
        check_request_host(self._connection, url.raw_host.decode("ascii", "replace"), url.port, url.scheme)
        request.extensions = {**request.extensions, EXTENSION: self._connection}  # redirects keep it
        return (yield from self.flow(request))

    def flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise NotImplementedError


class ApiKeyAuth(_ConnectionAuth):
    """API key parameters, each to the place its service names."""

    requires_request_body = True

    def __init__(self, connection: Connection, credentials: Credentials) -> None:
        self._connection = connection
        self._values = dict(credentials.values)

    def __repr__(self) -> str:
        return f"ApiKeyAuth(link={self._connection.link!r})"

    def flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        form: list[tuple[str, str]] = []
        for param in self._connection.service.params:
            value = self._values[param.name]
            if param.param_type is ParamType.HEADER:
                what = f"the API key '{param.name}' of connection '{self._connection.link}'"
                request.headers[param.name] = header_value(value, what)
            elif param.param_type is ParamType.QUERY:
                request.url = request.url.copy_add_param(param.name, value)
            else:
                form.append((param.name, value))
        if form:
            request = add_form_fields(request, form, f"the API key of '{self._connection.link}'")
        yield request


class BasicAuth(_ConnectionAuth):
    """RFC 7617 Basic credentials (not the base64-per-part variant Zoho's page describes)."""

    def __init__(self, connection: Connection, credentials: Credentials) -> None:
        self._connection = connection
        self._link = connection.link
        raw = f"{credentials.username or ''}:{credentials.password or ''}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode()

    def __repr__(self) -> str:
        return f"BasicAuth(link={self._link!r})"

    def flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class OAuth1Auth(_ConnectionAuth):
    """OAuth 1.0a request signing through authlib's ClientAuth (no authlib HTTP client)."""

    requires_request_body = True

    def __init__(self, connection: Connection, credentials: Credentials, *,
                 callback: str | None = None, verifier: str | None = None,
                 token: str | None = None, token_secret: str | None = None) -> None:
        service = connection.service
        self._connection = connection
        self._link = connection.link
        self._client = ClientAuth(
            service.consumer_key, service.consumer_secret,
            token=token if token is not None else credentials.token,
            token_secret=token_secret if token_secret is not None else credentials.token_secret,
            redirect_uri=callback, verifier=verifier, signature_method=service.signature_method,
            signature_type=_OAUTH1_TYPES[service.param_type])
        self._form = service.param_type is ParamType.FORM

    def __repr__(self) -> str:
        return f"OAuth1Auth(link={self._link!r})"

    def flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        body = request.content
        content_type = request.headers.get("content-type", "")
        is_form = FORM_TYPE in content_type or (self._form and not body)
        if self._form and body and not is_form:
            raise ConnectionAuthError(f"OAuth 1 parameters of '{self._link}' go in a form body, but the "
                                      f"request body is {content_type or 'not form data'}")
        headers = {"Content-Type": FORM_TYPE} if is_form else {}
        uri, signed, new_body = self._client.prepare(request.method, str(request.url), headers,
                                                     body.decode() if is_form else b"")
        request.url = httpx.URL(uri)
        if "Authorization" in signed:
            request.headers["Authorization"] = signed["Authorization"]
        if is_form:
            text = new_body.decode() if isinstance(new_body, bytes) else (new_body or "")
            request = with_body(request, text.encode(), FORM_TYPE)
        yield request


class OAuth2Auth(_ConnectionAuth):
    """A bearer-style token with the service's prefix, refreshed by the keeper as needed."""

    requires_request_body = True  # so a request can be sent again after a 401

    def __init__(self, connection: Connection, keeper: TokenKeeper) -> None:
        self._connection = connection
        self._keeper = keeper

    def __repr__(self) -> str:
        return f"OAuth2Auth(link={self._connection.link!r})"

    def flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._keeper.access().access_token or ""
        self._apply(request, token)
        response = yield request
        if not token_refused(response):
            return
        fresh = self._keeper.access(stale=token).access_token or ""
        if fresh == token:  # the keeper's policy: this 401 is the script's answer, not a reason to refresh
            return
        self._apply(request, fresh)
        yield request  # once only: a second 401 is the caller's answer

    def _apply(self, request: httpx.Request, token: str) -> None:
        if self._connection.service.param_type is ParamType.QUERY:
            request.url = request.url.copy_set_param("access_token", token)
        else:
            what = f"the access token of connection '{self._connection.link}'"
            request.headers["Authorization"] = f"{self._connection.service.token_prefix} {header_value(token, what)}"


def token_refused(response: httpx.Response) -> bool:
    """A 401, or a 400/403 whose small JSON body carries one of Zoho's token failure codes."""
    if response.status_code == 401:
        return True
    if response.status_code not in (400, 403) or "json" not in response.headers.get("content-type", ""):
        return False
    length = response.headers.get("content-length", "")
    if not length.isdigit() or int(length) > _BODY_LIMIT:
        return False
    try:
        data = json.loads(response.read())
    except (ValueError, httpx.HTTPError):
        return False
    codes = {str(data.get(key)).upper() for key in ("code", "errorCode", "error")} if isinstance(data, dict) else set()
    if codes & ZOHO_TOKEN_FAILURES:
        log.debug("a Zoho token failure (%s) in an HTTP %s answer", ", ".join(sorted(codes & ZOHO_TOKEN_FAILURES)),
                  response.status_code)
        return True
    return False


def auth_for_connection(connection: Connection, keeper: TokenKeeper) -> httpx.Auth:
    """The `httpx.Auth` of a connection, built from its current credentials."""
    kind = connection.auth_type
    if kind is AuthType.OAUTH2:
        return OAuth2Auth(connection, keeper)
    creds = keeper.current()
    if kind is AuthType.API_KEY:
        return ApiKeyAuth(connection, creds)
    if kind is AuthType.BASIC:
        return BasicAuth(connection, creds)
    if kind is AuthType.OAUTH1:
        if not creds.token:
            raise ConnectionAuthError(f"connection '{connection.link}' is not authorized yet; authorize it "
                                      f"with deluge-lite connections authorize {connection.link}")
        return OAuth1Auth(connection, creds)
    raise ConnectionConfigError(f"unknown auth type {kind!r}")
