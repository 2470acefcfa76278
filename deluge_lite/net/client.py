"""The one place deluge-lite imports httpx (design: keep it movable in one line).

Every other module takes httpx from here (``from ..net.client import httpx``); this module
also builds the one pooled client per run.
"""

from __future__ import annotations

import httpx

from ..connections.hosts import redirect_guard
from ..connections.redact import install_log_redaction

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Auth = httpx.Auth
Response = httpx.Response
HTTPError = httpx.HTTPError
TimeoutException = httpx.TimeoutException
TooManyRedirects = httpx.TooManyRedirects
InvalidURL = httpx.InvalidURL
BaseTransport = httpx.BaseTransport
MockTransport = httpx.MockTransport
Request = httpx.Request

MAX_REDIRECTS = 10

__all__ = ["Auth", "BaseTransport", "HTTPError", "InvalidURL", "MAX_REDIRECTS", "MockTransport", "Request",
           "Response", "TimeoutException", "TooManyRedirects", "httpx", "make_client"]


def make_client(*, timeout: float, transport: Any = None) -> httpx.Client:
    """A pooled client: redirects followed (up to 10), the given timeout for every phase; a
    redirect of a request with a connection goes only to that connection's allowed hosts."""
    install_log_redaction()  # httpx logs each URL at INFO: secret-looking query values are masked there
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=MAX_REDIRECTS,
                        transport=transport, headers={"User-Agent": "deluge-lite"},
                        event_hooks={"request": [redirect_guard]})
