"""Allowed hosts: a connection's credentials go only to the hosts of its own service.

Owns the host patterns (``api.example.com``, ``*.example.com``, ``127.0.0.1:8080``), their
validation for ``allowed_hosts`` in the config, the default list of each connection, and
the check made before every request with a connection:

- a default Zoho service: that data centre's Zoho API and accounts hosts (``*.zohoapis.eu``,
  ``*.zoho.eu``, plus the hosts of any ``accounts_server`` / ``api_domain`` override);
- a custom service: the hosts of its own URLs (API domain, token, authorize, OAuth 1 URLs);
- ``allowed_hosts`` on the service or the connection widens the list;
- a custom service that names no host at all (an API-key or Basic service without
  ``api_domain``): this machine only (`LOOPBACK`), until it names one.

A request to any other host is refused before anything is sent, naming the host and the
setting. Redirects too: the auth marks each request with its connection (`EXTENSION`, which
httpx carries over to a redirect), and `redirect_guard`, a request hook of the run's HTTP
client, checks every hop, so a redirect cannot carry a custom credential header (which
httpx keeps across hosts) elsewhere. It knows nothing of auth types or tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .errors import ConnectionAuthError, ConnectionConfigError
from .models import Connection

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
EXTENSION = "deluge_lite.connection"  # request.extensions key: the connection whose credentials it carries
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PATTERN = re.compile(rf"^(?:\*\.)?{_LABEL}(?:\.{_LABEL})*(?::\d{{1,5}})?$|^\[[0-9a-f:.]+\](?::\d{{1,5}})?$")


def check_pattern(value: object, where: str) -> str:
    """One ``allowed_hosts`` entry, lower-cased; anything that is not a host pattern is an error."""
    text = value.strip().lower() if isinstance(value, str) else None
    port = text.rsplit("]", 1)[-1].rpartition(":")[2] if text and ":" in text.rsplit("]", 1)[-1] else ""
    if not text or not _PATTERN.match(text) or (port and not 0 < int(port) <= 65535):
        shown = value if isinstance(value, str) else "a value that is not text"
        raise ConnectionConfigError(
            f"{where}: allowed_hosts entry {shown!r} is not a host pattern; write a host name "
            f"(api.example.com), a wildcard for its subdomains (*.example.com) or a host with a port "
            f"(127.0.0.1:8080); no scheme, path or bare '*'")
    return text


def check_patterns(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConnectionConfigError(f"{where}: allowed_hosts must be a list of host patterns, "
                                    f"e.g. [\"api.example.com\", \"*.example.com\"]")
    return tuple(check_pattern(item, where) for item in value)


def _host_of(url: str) -> str | None:
    """The host of one of the service's URLs (any port: hosts, not ports, are what is pinned)."""
    if "{" in url:
        return None  # an unresolved placeholder
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if not host:
        return None
    return f"[{host}]" if ":" in host else host


def allowed_hosts(conn: Connection) -> tuple[str, ...]:
    """The host patterns a request with ``conn`` may go to, in a stable order."""
    found: list[str] = []
    if conn.service.source == "default" and conn.data_center:
        found += [f"*.zohoapis.{conn.data_center}", f"*.zoho.{conn.data_center}"]
    found += [host for host in (_host_of(url) for url in conn.urls()) if host]
    found += list(conn.service.allowed_hosts) + list(conn.allowed_hosts)
    return tuple(dict.fromkeys(found)) or LOOPBACK


def _matches(pattern: str, host: str, port: int | None) -> bool:
    name, _, want_port = pattern.rpartition(":") if not pattern.endswith("]") and ":" in pattern \
        else (pattern, "", "")
    if want_port and (port is None or int(want_port) != port):
        return False
    if name.startswith("*."):  # the domain itself and every subdomain
        return host == name[2:] or host.endswith(name[1:])
    return host == name.strip("[]")


def host_allowed(patterns: Iterable[str], host: str, port: int | None) -> bool:
    host = host.lower().strip("[]")
    return any(_matches(pattern, host, port) for pattern in patterns)


def check_request_host(conn: Connection, host: str, port: int | None, scheme: str) -> None:
    """Refuse (before sending) a request with ``conn`` to a host outside its allowed hosts."""
    default = {"http": 80, "https": 443}.get(scheme)
    if not _PATTERN.match(host.lower() if ":" not in host else f"[{host.strip('[]')}]"):
        raise ConnectionAuthError(f"not a valid URL: its host {host!r} is not a host name; nothing was sent "
                                  f"with connection '{conn.link}'")
    patterns = allowed_hosts(conn)
    if host_allowed(patterns, host, None if port == default else port):
        return
    shown = host + (f":{port}" if port and port != default else "")
    where = f"[connections.{conn.link}] or its service's"
    listed = ", ".join(patterns)
    unpinned = " (its service names no host: set api_domain or allowed_hosts)" if patterns == LOOPBACK else ""
    raise ConnectionAuthError(
        f"connection '{conn.link}' may not be sent to {shown}: its credentials go only to its service's "
        f"hosts ({listed}){unpinned}; if {shown} is right, add it to allowed_hosts in {where} table "
        f"(wildcards such as *.example.com work). Nothing was sent.")


def redirect_guard(request: Any) -> None:
    """An httpx request hook: a request (or a redirect of one) carrying a connection's credentials
    goes only to that connection's allowed hosts."""
    conn = request.extensions.get(EXTENSION)
    if conn is not None:
        url = request.url  # raw_host: the ASCII (punycode) form, as the DNS lookup will use it
        check_request_host(conn, url.raw_host.decode("ascii", "replace"), url.port, url.scheme)
