"""Tokens: asking a token endpoint, understanding its answer, and one refresh per expiry.

Owns `request_token` (a form POST to a token endpoint, client credentials in the body),
`parse_token_response` (JSON or form-encoded answers, ``expires_in`` as seconds, text or
milliseconds, HTTP 200 with an ``error`` body as Zoho's throttle sends) and the
`TokenKeeper` of one connection: it loads tokens (seeded by config, kept in the store),
decides when to refresh (a margin before expiry, or after a 401), and makes sure many
threads and processes produce exactly one refresh: a thread lock, then the store's file
lock, then a re-read of the store before any token request. Rotated refresh tokens are
saved at once. It does not apply credentials to requests: that is `auth`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from ..net.client import httpx
from .errors import ConnectionAuthError, ReauthorizeError
from .models import AuthType, Connection, Credentials, GrantType
from .redact import Redactor, mask_url
from .store import Store

log = logging.getLogger("deluge_lite.connections")

REFRESH_MARGIN = 60.0  # seconds before expiry when a token counts as expired
ClientFactory = Callable[[], httpx.Client]


def default_client() -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(30.0), follow_redirects=False)


class SharedClient:
    """One httpx.Client for token requests, made on first use and shared by a registry's keepers."""

    def __init__(self, factory: ClientFactory = default_client) -> None:
        self._factory = factory
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "SharedClient()"

    def get(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = self._factory()
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


@dataclass
class TokenAnswer:
    """What a token endpoint granted. ``expires_at`` is epoch seconds or None."""

    access_token: str
    refresh_token: str | None
    expires_at: float | None
    scope: str | None = None

    def __repr__(self) -> str:
        return f"TokenAnswer(access_token=****, refresh_token={'****' if self.refresh_token else None})"


def request_token(client: httpx.Client, url: str, data: Mapping[str, str], *, link: str,
                  purpose: str, now: float | None = None) -> TokenAnswer:
    """POST a form to a token endpoint and parse the answer (raises a user error on failure)."""
    try:
        response = client.post(url, data=dict(data), headers={"Accept": "application/json"})
    except httpx.InvalidURL:
        raise ConnectionAuthError(f"the token endpoint URL of '{link}' is not a valid URL: "
                                  f"{mask_url(url)}") from None
    except httpx.TransportError as exc:
        raise ConnectionAuthError(
            f"cannot reach the token endpoint {mask_url(url)} of '{link}' ({type(exc).__name__}); "
            f"is the service up and the URL right?") from None
    return parse_token_response(response, link=link, purpose=purpose, now=now)


def parse_token_response(response: httpx.Response, *, link: str, purpose: str,
                         now: float | None = None) -> TokenAnswer:
    """Understand a token endpoint's answer, however odd; raise a plain-words error if it is no token."""
    data = _decode(response, link)
    now = time.time() if now is None else now
    if "error" in data:
        raise _token_error(data, link, purpose, response.status_code)
    if response.status_code >= 400:
        raise ConnectionAuthError(f"the token endpoint of '{link}' answered HTTP {response.status_code} "
                                  f"without a token")
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        keys = ", ".join(sorted(data)) or "nothing"
        raise ConnectionAuthError(f"the token endpoint of '{link}' answered without an access_token "
                                  f"(it sent: {keys})")
    refresh = data.get("refresh_token")
    return TokenAnswer(token, refresh if isinstance(refresh, str) and refresh else None,
                       _expiry(data, now), data.get("scope") if isinstance(data.get("scope"), str) else None)


def _decode(response: httpx.Response, link: str) -> dict[str, Any]:
    text = response.text.strip()
    content_type = response.headers.get("content-type", "").lower()
    if "json" in content_type or text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return data
    if "html" in content_type or text.lower().startswith(("<!doctype", "<html")):
        raise ConnectionAuthError(f"the token endpoint of '{link}' answered with an HTML page "
                                  f"(HTTP {response.status_code}), not a token; check its token_url")
    if "=" in text and "<" not in text:
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            return dict(pairs)
    raise ConnectionAuthError(f"the token endpoint of '{link}' answered HTTP {response.status_code} "
                              f"with something that is not a token ({content_type or 'no content type'})")


def _expiry(data: Mapping[str, Any], now: float) -> float | None:
    """Seconds from ``expires_in_sec`` or ``expires_in`` (number or text; milliseconds detected)."""
    for key in ("expires_in_sec", "expires_in"):
        raw = data.get(key)
        if raw is None or raw == "":
            continue
        try:
            seconds = float(str(raw).strip())
        except ValueError:
            continue
        # Zoho's v2 endpoint once sent milliseconds ("expires_in": 3600000). A large whole
        # multiple of 1000 is read as ms; misreading real seconds only refreshes early.
        if key == "expires_in" and seconds >= 1_000_000 and seconds % 1000 == 0:
            seconds /= 1000
        return now + seconds
    raw_at = data.get("expires_at")
    if isinstance(raw_at, int | float) or (isinstance(raw_at, str) and raw_at.isdigit()):
        return float(raw_at)
    return None


def _token_error(data: Mapping[str, Any], link: str, purpose: str, status: int) -> ConnectionAuthError:
    error = str(data.get("error"))
    description = str(data.get("error_description") or data.get("message") or "").strip()
    detail = f"{error}: {description}" if description else error
    if error in ("invalid_grant", "invalid_code") and purpose == "refresh":
        return ReauthorizeError(f"the refresh token of '{link}' was revoked or has expired ({detail}); "
                                f"reauthorize with deluge-lite connections authorize {link}")
    if error in ("invalid_grant", "invalid_code"):
        return ConnectionAuthError(f"the token endpoint of '{link}' rejected the code ({detail}); codes are "
                                   f"short-lived and single-use: get a new one and try again")
    if error == "invalid_client":
        return ConnectionAuthError(f"the token endpoint of '{link}' rejected the client id or secret ({detail})")
    if status == 200 or "too many" in description.lower():
        return ConnectionAuthError(f"the token endpoint of '{link}' refused to issue a token ({detail}); "
                                   f"it may be throttling requests: wait a few minutes and try again")
    return ConnectionAuthError(f"the token endpoint of '{link}' answered HTTP {status}: {detail}")


class TokenKeeper:
    """The tokens of one connection, and the only place that refreshes them."""

    def __init__(self, connection: Connection, store: Store | None, redactor: Redactor, *,
                 http: SharedClient | None = None, margin: float = REFRESH_MARGIN,
                 clock: Callable[[], float] = time.time) -> None:
        self.connection = connection
        self.store = store
        self.redactor = redactor
        self.http = http if http is not None else SharedClient()
        self.margin = margin
        self.clock = clock
        self._lock = threading.Lock()
        self._cached: Credentials | None = None
        self.refreshes = 0  # token requests made by this keeper (tests and `test` report it)

    def __repr__(self) -> str:
        return f"TokenKeeper(link={self.connection.link!r})"

    @property
    def link(self) -> str:
        return self.connection.link

    # ---- reading and saving
    def load(self) -> Credentials:
        """Seeds from the definition, overlaid with the stored tokens when they belong to these seeds."""
        creds = self.connection.seeds
        doc = self.store.tokens(self.link) if self.store is not None else None
        if doc and doc.get("seed") == self.connection.seed_fingerprint():
            creds = creds.merged(Credentials.from_dict(doc))
        elif self._cached is not None and self.store is None:
            creds = self._cached
        self.redactor.add(*creds.secret_values())
        self._cached = creds
        return creds

    def save(self, creds: Credentials) -> None:
        """Persist tokens at once (a rotated refresh token must never be lost)."""
        self.redactor.add(*creds.secret_values())
        self._cached = creds
        if self.store is None:
            return
        doc = {k: getattr(creds, k) for k in ("access_token", "refresh_token", "expires_at", "token",
                                             "token_secret") if getattr(creds, k) is not None}
        doc["seed"] = self.connection.seed_fingerprint()
        self.store.put_tokens(self.link, doc)

    def current(self) -> Credentials:
        return self._cached if self._cached is not None else self.load()

    def usable(self, creds: Credentials) -> bool:
        if not creds.access_token:
            return False
        left = creds.expires_in(self.clock())
        return left is None or left > self.margin

    # ---- the one refresh
    def access(self, *, stale: str | None = None) -> Credentials:
        """Credentials with a usable access token; ``stale`` is a token the server just refused."""
        creds = self.current()
        if stale is None and self.usable(creds):
            return creds
        with self._lock:
            creds = self.load()
            if self._fresh(creds, stale):
                return creds
            lock = self.store.lock(self.link) if self.store is not None else None
            if lock is not None:
                lock.acquire()
            try:
                creds = self.load()  # another process may have refreshed while we waited
                if self._fresh(creds, stale):
                    return creds
                creds = self._fetch(creds)
                self.save(creds)
                return creds
            finally:
                if lock is not None:
                    lock.release()

    def _fresh(self, creds: Credentials, stale: str | None) -> bool:
        return self.usable(creds) and (stale is None or creds.access_token != stale)

    def _fetch(self, creds: Credentials) -> Credentials:
        conn = self.connection
        if conn.auth_type is not AuthType.OAUTH2:
            raise ConnectionAuthError(f"connection '{self.link}' ({conn.auth_type.label}) has no token to refresh")
        data = {"client_id": conn.effective_client_id or ""}
        if conn.effective_client_secret:
            data["client_secret"] = conn.effective_client_secret
        if conn.service.grant_type is GrantType.CLIENT_CREDENTIALS:
            url, purpose = conn.token_url, "client_credentials"
            data["grant_type"] = "client_credentials"
            if conn.scopes:
                data["scope"] = conn.scope_string()
        else:
            if not creds.refresh_token:
                raise ReauthorizeError(f"connection '{self.link}' is not authorized yet (no refresh token); "
                                       f"authorize it with deluge-lite connections authorize {self.link}")
            url, purpose = conn.refresh_url, "refresh"
            data.update(grant_type="refresh_token", refresh_token=creds.refresh_token)
        assert url is not None  # validated by config: token_url is required
        log.debug("requesting a new access token for '%s' (%s)", self.link, purpose)
        self.refreshes += 1
        answer = request_token(self.http.get(), url, data, link=self.link, purpose=purpose,
                               now=self.clock())
        return _updated(creds, answer)

    def store_answer(self, answer: TokenAnswer) -> Credentials:
        """Save tokens from an authorization (code exchange); the old refresh token is replaced."""
        with self._lock:
            creds = _updated(self.load(), answer)
            self.save(creds)
            return creds


def _updated(creds: Credentials, answer: TokenAnswer) -> Credentials:
    fresh = Credentials.from_dict(creds.to_dict())
    fresh.access_token = answer.access_token
    fresh.expires_at = answer.expires_at
    if answer.refresh_token:  # rotation: the new one replaces the old at once
        fresh.refresh_token = answer.refresh_token
    return fresh
