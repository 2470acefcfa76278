"""One HTTP exchange made by a script: auth by connection, limits, trace, errors in user words.

`send()` is shared by ``invokeurl``, ``getUrl``/``postUrl`` and the ``zoho.*`` tasks. It
resolves the connection's `httpx.Auth`, streams the response up to the runtime's size
limit, records the call (method, URL, connection, status) for the embedding API, writes
one ``--trace`` line, and turns network failures into Deluge runtime errors that name the
URL with its secrets masked. A 4xx or 5xx answer is returned, never raised.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .. import values
from ..connections.redact import mask_url, mask_urls_in
from ..errors import DelugeRuntimeError
from ..fieldclass import fieldclass
from . import client as _client

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HTTP_LOG_LIMIT = 10_000


@fieldclass
class HttpCall:
    """A record of one request, as tests and the embedding API see it (secrets masked)."""

    method: str
    url: str
    connection: str | None
    status: int | None
    milliseconds: float
    line: int | None


@fieldclass
class Reply:
    status: int
    headers: dict[str, str]
    content: bytes
    content_type: str
    encoding: str | None

    def text(self, encoding: str | None = None) -> str:
        """The body as text: the asked encoding (a bad name is an error), else the server's, else UTF-8."""
        if encoding:
            try:
                return self.content.decode(encoding, errors="replace")
            except (LookupError, UnicodeError):  # unknown, not a text encoding ('hex'), or 'undefined'
                raise DelugeRuntimeError(f"response-decoding: unknown character set '{encoding}'") from None
        try:
            return self.content.decode(self.encoding or "utf-8", errors="replace")
        except (LookupError, UnicodeError):  # the server named a character set that does not exist
            return self.content.decode("utf-8", errors="replace")


def send(rt: Any, method: str, url: str, *, connection: str | None = None, params: Any = None,
         data: Any = None, json_body: Any = None, content: Any = None, headers: dict[str, str] | None = None,
         files: Any = None, what: str = "invokeurl") -> Reply:
    """Make one request for the script; see the module docstring."""
    if not isinstance(url, str) or not url.strip():
        raise DelugeRuntimeError(f"{what} needs a url")
    if not url.lower().startswith(("http://", "https://")):
        raise DelugeRuntimeError(f"{what}: the url must start with http:// or https://, got '{rt.redact(url)}'")
    auth = _auth(rt, connection, what)
    if params:
        url, params = _merge_query(url, params)
    shown = mask_url(url if not params else f"{url}{'&' if '?' in url else '?'}{urlencode(params)}", rt.redact)
    if getattr(rt, "on_effect", None) is not None:  # a debugger may stop here (--break-on-http)
        rt.on_effect("http", {"method": method, "url": shown, "connection": connection})
    started = time.perf_counter()
    status: int | None = None
    try:
        if getattr(rt, "url_router", None) is not None:  # --sandbox: Zoho URLs go to the local fakes
            url = rt.url_router(url, connection)
        http = rt.http_client()
        request_kwargs: dict[str, Any] = {"params": params, "headers": headers, "auth": auth}
        if files:
            request_kwargs.update(files=files, data=data)
        elif json_body is not None:  # Deluge's own JSON: dates as Zoho prints them, keys in order
            request_kwargs["content"] = values.to_json(json_body).encode("utf-8")
            if not any(key.lower() == "content-type" for key in (headers or {})):
                request_kwargs["headers"] = {**(headers or {}), "Content-Type": "application/json"}
        elif content is not None:
            request_kwargs["content"] = content
        elif data is not None:
            request_kwargs["data"] = data
        with http.stream(method, url, **request_kwargs) as response:
            status = response.status_code
            body = _read_limited(response, rt.max_response_bytes, shown, what)
            return Reply(status, server_case_headers(response.headers.raw), body,
                         response.headers.get("content-type", ""), response.charset_encoding)
    except _client.TimeoutException:
        raise DelugeRuntimeError(f"{what} to {shown} timed out after {rt.http_timeout:g} seconds") from None
    except _client.TooManyRedirects:
        raise DelugeRuntimeError(f"{what} to {shown} was redirected more than {_client.MAX_REDIRECTS} times") from None
    except _client.HTTPError as error:
        raise DelugeRuntimeError(f"{what} to {shown} failed: {_reason(error, rt.redact)}") from None
    except (_client.InvalidURL, UnicodeError, ValueError) as error:  # a request httpx cannot even build
        raise DelugeRuntimeError(f"{what}: invalid request to {shown}: {_reason(error, rt.redact)}") from None
    finally:
        elapsed = (time.perf_counter() - started) * 1000
        line = rt.script_line() if rt.script_line is not None else None
        rt.http_log.append(HttpCall(method, shown, connection, status, elapsed, line))
        if len(rt.http_log) > HTTP_LOG_LIMIT:  # a long REPL session keeps the most recent calls only
            del rt.http_log[:-HTTP_LOG_LIMIT]
        if rt.trace is not None:
            rt.trace(f"{method} {shown} -> {status if status is not None else 'failed'} ({elapsed:.0f} ms)"
                     f" connection={connection or '-'} line={line if line is not None else '-'}")


# Errors whose text quotes a header value (h11 and httpx print the bytes, an API key or a
# token included): their message is replaced, never redacted and shown.
_HEADER_VALUE_ERRORS = ("header value", "header name", "illegal header", "invalid header")


def server_case_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers as a Map with the names as the server wrote them ("Content-Type"), so
    ``responseHeader.get("Content-Type")`` works as in Zoho; a repeated header's values are
    joined with ", " under its first spelling."""
    headers: dict[str, str] = {}
    spelling: dict[str, str] = {}
    for raw_name, raw_value in raw:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        first = spelling.setdefault(name.lower(), name)
        headers[first] = f"{headers[first]}, {value}" if first in headers else value
    return headers


def _reason(error: Exception, redact: Any) -> str:
    """Why a request failed, in words that never quote a header value; known secrets masked."""
    text = str(error)
    if any(marker in text.lower() for marker in _HEADER_VALUE_ERRORS):
        return ("a header name or value contains a character headers may not carry (a line break, a "
                "control character, or text that is not ASCII); check the connection's secrets and the "
                "headers of the request")
    return mask_urls_in(text, redact) or type(error).__name__


def _merge_query(url: str, params: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Keep a query string written in the URL and add the parameters after it."""
    parts = urlsplit(url)
    existing = parse_qsl(parts.query, keep_blank_values=True)
    return urlunsplit(parts._replace(query="")), existing + list(params.items())


def _auth(rt: Any, connection: str | None, what: str) -> Any:
    if connection is None:
        return None
    if not isinstance(connection, str):
        raise DelugeRuntimeError(f"{what}: connection must be the link name as Text")
    registry = rt.connection_registry()
    if registry is None:
        raise DelugeRuntimeError(f"{what}: connection '{connection}' is not available: no connections are "
                                 "configured (add deluge.toml or run deluge-lite connections add)")
    from ..connections import ConnectionsError

    try:
        return registry.auth_for(connection)
    except ConnectionsError as error:  # the connections layer's own errors are user errors with clear text
        raise DelugeRuntimeError(rt.redact(error.message)) from None


def _read_limited(response: Any, limit: int, shown: str, what: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise DelugeRuntimeError(f"the response of {what} to {shown} is larger than the limit of "
                                     f"{limit:,} bytes; nothing was kept")
        chunks.append(chunk)
    return b"".join(chunks)
