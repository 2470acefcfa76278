"""Tokens: asking a token endpoint and understanding its answer, failures included.

Owns `request_token` (a form POST to a token endpoint, client credentials in the body),
`parse_token_response` (JSON or form-encoded answers, ``expires_in`` as seconds, text or
milliseconds, HTTP 200 with an ``error`` body as Zoho's throttle sends), the wording of
token errors per grant (a revoked refresh token, an expired code, bad client
credentials; ``invalid_client`` from the wrong Zoho data centre names the likely one),
each error's kind for the back-off (`failure_kind`), and comparing granted scopes with
configured ones (`missing_scopes`). When to refresh is `keeper` and `policy`.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import parse_qsl

from ..fieldclass import fieldclass
from ..net.client import httpx
from .errors import ConnectionAuthError, ReauthorizeError
from .models import Connection
from .redact import mask_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logging.getLogger("deluge_lite.connections")

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


@fieldclass
class TokenAnswer:
    """What a token endpoint granted. ``expires_at`` is epoch seconds or None."""

    access_token: str
    refresh_token: str | None
    expires_at: float | None
    scope: str | None = None
    api_domain: str | None = None  # Zoho says where the account's APIs live (its data centre)

    def __repr__(self) -> str:
        return f"TokenAnswer(access_token=****, refresh_token={'****' if self.refresh_token else None})"


def _failed(message: str, kind: str | None, cls: type[ConnectionAuthError] = ConnectionAuthError
            ) -> ConnectionAuthError:
    """A token error with its kind for the back-off (`policy.BACKOFF`; None: no back-off)."""
    error = cls(message)
    error.backoff_kind = kind  # type: ignore[attr-defined]
    return error


def failure_kind(error: ConnectionAuthError) -> str | None:
    """The back-off kind of a token error: throttled, unavailable, rejected, or None."""
    return getattr(error, "backoff_kind", None)


def retry_after(error: ConnectionAuthError) -> float | None:
    """Seconds the token endpoint asked us to wait (its ``Retry-After`` header), if it said."""
    return getattr(error, "retry_after", None)


def _retry_after_of(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after", "").strip()
    if raw.isdigit():
        return float(raw)
    if raw:
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(raw).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return None


def request_token(client: httpx.Client, url: str, data: Mapping[str, str], *, link: str,
                  purpose: str, now: float | None = None, connection: Connection | None = None,
                  previous: Mapping[str, Any] | None = None) -> TokenAnswer:
    """POST a form to a token endpoint and parse the answer (raises a user error on failure)."""
    try:
        response = client.post(url, data=dict(data), headers={"Accept": "application/json"})
    except httpx.InvalidURL:
        raise _failed(f"the token endpoint URL of '{link}' is not a valid URL: {mask_url(url)}", None) from None
    except httpx.TransportError as exc:
        raise _failed(f"cannot reach the token endpoint {mask_url(url)} of '{link}' ({type(exc).__name__}); "
                      f"is the service up and the URL right?", "unavailable") from None
    try:
        return parse_token_response(response, link=link, purpose=purpose, now=now, connection=connection,
                                    previous=previous)
    except ConnectionAuthError as exc:
        exc.retry_after = _retry_after_of(response)  # type: ignore[attr-defined]
        raise


def parse_token_response(response: httpx.Response, *, link: str, purpose: str, now: float | None = None,
                         connection: Connection | None = None,
                         previous: Mapping[str, Any] | None = None) -> TokenAnswer:
    """Understand a token endpoint's answer, however odd; raise a plain-words error if it is no token."""
    data = _decode(response, link)
    now = time.time() if now is None else now
    if "error" in data:
        raise _token_error(data, link, purpose, response.status_code, connection, previous)
    if response.status_code >= 400:
        kind = "throttled" if response.status_code == 429 else "unavailable" if response.status_code >= 500 \
            else "rejected"
        raise _failed(f"the token endpoint of '{link}' answered HTTP {response.status_code} without a token", kind)
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        keys = ", ".join(sorted(data)) or "nothing"
        raise _failed(f"the token endpoint of '{link}' answered without an access_token (it sent: {keys})",
                      "unavailable")
    refresh = data.get("refresh_token")
    scope, domain = data.get("scope"), data.get("api_domain")
    return TokenAnswer(token, refresh if isinstance(refresh, str) and refresh else None, _expiry(data, now),
                       scope if isinstance(scope, str) else None, domain if isinstance(domain, str) else None)


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
        raise _failed(f"the token endpoint of '{link}' answered with an HTML page (HTTP {response.status_code}), "
                      f"not a token; check its token_url", "unavailable")
    if "=" in text and "<" not in text:
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            return dict(pairs)
    raise _failed(f"the token endpoint of '{link}' answered HTTP {response.status_code} with something that "
                  f"is not a token ({content_type or 'no content type'})", "unavailable")


def _expiry(data: Mapping[str, Any], now: float) -> float | None:
    """Seconds from ``expires_in_sec`` or ``expires_in`` (number or text; milliseconds detected).

    None (unknown: used until the server answers 401) when the answer gives no expiry, or one
    of zero or less, which would otherwise mean a token request before every request."""
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
        if seconds <= 0:  # a token "already expired" when issued: its expiry is unknown, a 401 tells
            return None
        return now + seconds
    raw_at = data.get("expires_at")
    if isinstance(raw_at, int | float) or (isinstance(raw_at, str) and raw_at.isdigit()):
        return float(raw_at)
    return None


# What an error code means for each grant: (message after "the token endpoint of 'x' ...", kind).
_GRANT_WORDS: dict[tuple[str, str], str] = {
    ("invalid_grant", "refresh"): "says the refresh token was revoked or has expired",
    ("invalid_grant", "code"): "rejected the code: codes are short-lived and single-use (Zoho's last a few "
                               "minutes); get a new one and try again",
    ("invalid_grant", "client_credentials"): "rejected the client credentials grant: check client_id, "
                                             "client_secret and the scopes the client may request",
    ("invalid_client", "refresh"): "rejected the client id or secret",
    ("invalid_client", "code"): "rejected the client id or secret",
    ("invalid_client", "client_credentials"): "rejected the client credentials (client_id / client_secret)",
}
_REAUTHORIZE = {("invalid_grant", "refresh"), ("invalid_code", "refresh")}


def _token_error(data: Mapping[str, Any], link: str, purpose: str, status: int,
                 connection: Connection | None, previous: Mapping[str, Any] | None) -> ConnectionAuthError:
    error = str(data.get("error"))
    description = str(data.get("error_description") or data.get("message") or "").strip()
    detail = f"{error}: {description}" if description else error
    code = "invalid_grant" if error == "invalid_code" else error
    words = _GRANT_WORDS.get((code, purpose))
    if (code, purpose) in _REAUTHORIZE or (error, purpose) in _REAUTHORIZE:
        return _failed(f"the token endpoint of '{link}' {words} ({detail}); reauthorize with "
                       f"deluge-lite connections authorize {link}", "rejected", ReauthorizeError)
    if words is not None:
        hint = data_center_hint(connection, previous) if code == "invalid_client" else ""
        return _failed(f"the token endpoint of '{link}' {words} ({detail}){hint}", "rejected")
    if status in (200, 429) or "too many" in description.lower():
        return _failed(f"the token endpoint of '{link}' refused to issue a token ({detail}); it is throttling "
                       f"requests: token requests of '{link}' back off before the next try", "throttled")
    kind = "unavailable" if status >= 500 else "rejected"
    return _failed(f"the token endpoint of '{link}' answered HTTP {status}: {detail}", kind)


_ZOHO_HOST = re.compile(r"(?:^|\.)zoho(?:apis)?\.([a-z.]+)$")


def zoho_center_of(url: str | None) -> str | None:
    """The Zoho data centre a URL's host belongs to (``www.zohoapis.eu`` -> ``eu``), if any."""
    if not url:
        return None
    host = (httpx.URL(url).host if "://" in url else url).lower()
    match = _ZOHO_HOST.search(host)
    return match.group(1) if match else None


def data_center_hint(connection: Connection | None, previous: Mapping[str, Any] | None) -> str:
    """For ``invalid_client`` from Zoho: which data centre the client probably belongs to."""
    if connection is None or connection.service.source != "default":
        return ""
    here = connection.data_center or ""
    for where, url in (("this connection's earlier tokens", (previous or {}).get("api_domain")),
                       ("its api_domain", connection.api_domain)):
        center = zoho_center_of(url if isinstance(url, str) else None)
        if center and center != here and center in connection.service.data_centers:
            return (f"; the client likely belongs to the '{center}' data centre ({where}: {url}), not '{here}': "
                    f"set data_center = \"{center}\" for '{connection.link}'")
    others = ", ".join(c for c in connection.service.data_centers if c != here)
    return (f"; Zoho keeps a client in the data centre where it was made in the API console: this connection "
            f"asks the '{here}' one ({connection.accounts_server}); if the client was made in another "
            f"({others}), set data_center to it")


def _scope_words(text: str) -> list[str]:
    return [s for s in re.split(r"[,\s]+", text) if s]


def _covers(granted: str, wanted: str) -> bool:
    """Zoho's scope rule: ``X.ALL`` covers ``X.anything``; ``Svc.fullaccess.all`` covers ``Svc.*``."""
    g, w = granted.lower(), wanted.lower()
    if g == w:
        return True
    parts = g.split(".")
    if parts[-1] != "all" or len(parts) < 2:
        return False
    prefix = parts[0] if len(parts) >= 2 and parts[1] == "fullaccess" else ".".join(parts[:-1])
    return w.startswith(prefix + ".")


def missing_scopes(configured: Iterable[str], granted: str) -> list[str]:
    """The configured scopes the granted ones do not cover."""
    have = _scope_words(granted)
    return [scope for scope in configured if not any(_covers(g, scope) for g in have)]
