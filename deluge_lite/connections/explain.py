"""Human descriptions of a connection: its status, its fields, and where each credential goes.

Owns the text of ``connections list`` (status), ``show`` (fields, secrets as ``****``) and
``explain`` (what a request will carry). It reads tokens through the `TokenKeeper` but
never prints a secret: every secret value is replaced by ``****`` here, and every URL
goes through `redact.mask_url` (userinfo, secret-looking query values), before the
redactor's second pass in the CLI.
"""

from __future__ import annotations

from .hosts import LOOPBACK, allowed_hosts
from .keeper import TokenKeeper
from .models import MASK, AuthType, Connection, GrantType, ParamType
from .redact import mask_url

_WHERE = {ParamType.HEADER: "header", ParamType.QUERY: "query parameter", ParamType.FORM: "form field"}


def _mask(value: str | None) -> str:
    return MASK if value else "(not set)"


def _url(url: str | None) -> str:
    """A URL as shown: userinfo and secret-looking query values as ``****``."""
    return mask_url(url) if url else "(none)"


def _left(seconds: float | None) -> str:
    if seconds is None:
        return "expiry unknown"
    if seconds <= 0:
        return "expired"
    return f"expires in {int(seconds // 60)} min" if seconds >= 120 else f"expires in {int(seconds)} s"


def status_of(conn: Connection, keeper: TokenKeeper) -> str:
    """One word or phrase: is this connection ready to use?"""
    creds = keeper.current()
    if conn.auth_type is AuthType.OAUTH2:
        state, now = keeper.refresh_state(), keeper.clock()
        if state.until > now:  # a throttled or failing token endpoint: say so before the next run finds out
            return f"token requests paused {int(state.until - now) + 1} s ({state.kind})"
        if conn.service.grant_type is GrantType.CLIENT_CREDENTIALS:
            return "ready (fetches its own token)"
        if creds.refresh_token:
            return "authorized"
        if creds.access_token:
            return "token only (no refresh)"
        return "needs authorization"
    if conn.auth_type is AuthType.OAUTH1:
        return "authorized" if creds.token else "needs authorization"
    return "ready"


def describe(conn: Connection, keeper: TokenKeeper) -> list[tuple[str, str]]:
    """The fields of a connection for ``show``; secrets masked."""
    service = conn.service
    creds = keeper.current()
    rows = [("link", conn.link), ("display name", conn.display_name),
            ("service", f"{service.name} ({service.display_name}, {service.source})"),
            ("auth type", conn.auth_type.label), ("defined in", conn.source)]
    if conn.data_center:
        rows.append(("data centre", conn.data_center))
    if conn.api_domain:
        rows.append(("api domain", _url(conn.api_domain)))
    if conn.auth_type is AuthType.OAUTH2:
        rows += [("grant type", service.grant_type.value), ("client id", conn.effective_client_id or "(not set)"),
                 ("client secret", _mask(conn.effective_client_secret)),
                 ("authorize url", _url(conn.authorize_url)), ("token url", _url(conn.token_url)),
                 ("refresh url", _url(conn.refresh_url)), ("param type", service.param_type.value),
                 ("token prefix", service.token_prefix), ("scopes", conn.scope_string() or "(none)"),
                 ("scope delimiter", repr(conn.scope_delimiter)),
                 ("access token", f"{_mask(creds.access_token)}"
                  + (f" ({_left(creds.expires_in())})" if creds.access_token else "")),
                 ("refresh token", _mask(creds.refresh_token))]
    elif conn.auth_type is AuthType.OAUTH1:
        rows += [("consumer key", service.consumer_key or "(not set)"),
                 ("consumer secret", _mask(service.consumer_secret)),
                 ("request token url", _url(service.request_token_url)),
                 ("authorize url", _url(service.authorize_url)),
                 ("access token url", _url(service.access_token_url)),
                 ("param type", service.param_type.value), ("signature", service.signature_method),
                 ("token", _mask(creds.token)), ("token secret", _mask(creds.token_secret))]
    elif conn.auth_type is AuthType.BASIC:
        rows += [("username", creds.username or "(not set)"), ("password", _mask(creds.password))]
    else:
        for param in service.params:
            rows.append((f"{param.name}", f"{_mask(creds.values.get(param.name))} "
                                          f"(sent as {_WHERE[param.param_type]})"))
    rows.append(("status", status_of(conn, keeper)))
    return rows


def explain_lines(conn: Connection, keeper: TokenKeeper) -> list[str]:
    """What a request made with this connection will carry, and how tokens are kept fresh."""
    service = conn.service
    creds = keeper.current()
    lines = [f"{conn.link} ({conn.display_name}): service {service.name}, {conn.auth_type.label}"
             + (f", {service.grant_type.value.replace('_', ' ')}" if conn.auth_type is AuthType.OAUTH2 else ""),
             "Each request carries:"]
    if conn.auth_type is AuthType.API_KEY:
        for param in service.params:
            value = _mask(creds.values.get(param.name))
            if param.param_type is ParamType.HEADER:
                lines.append(f"  header {param.name}: {value}")
            elif param.param_type is ParamType.QUERY:
                lines.append(f"  query parameter ?{param.name}={value}")
            else:
                lines.append(f"  form field {param.name}={value} (the body must be form data or empty)")
    elif conn.auth_type is AuthType.BASIC:
        lines.append(f"  header Authorization: Basic {MASK}   (base64 of {creds.username or '?'}:{MASK}, RFC 7617)")
    elif conn.auth_type is AuthType.OAUTH1:
        place = {ParamType.HEADER: "the Authorization header", ParamType.QUERY: "the query string",
                 ParamType.FORM: "the form body"}[service.param_type]
        lines.append(f"  an OAuth 1 {service.signature_method} signature in {place}: consumer key "
                     f"{service.consumer_key}, token {_mask(creds.token)}, a fresh nonce and timestamp")
        if not creds.token:
            lines.append(f"  (not authorized yet: deluge-lite connections authorize {conn.link})")
    else:
        if service.param_type is ParamType.HEADER:
            lines.append(f"  header Authorization: {service.token_prefix} {MASK}")
        else:
            lines.append(f"  query parameter ?access_token={MASK}")
        lines.append("Tokens:")
        if creds.access_token:
            lines.append(f"  access token {MASK} ({_left(creds.expires_in())})")
        else:
            lines.append("  no access token yet: one is fetched on the first request")
        if service.grant_type is GrantType.CLIENT_CREDENTIALS:
            lines.append(f"  new tokens: POST {_url(conn.token_url)} (grant client_credentials, client id "
                         f"{conn.effective_client_id}, client secret {MASK})")
        else:
            lines.append(f"  refresh token: {'stored' if creds.refresh_token else 'none: authorize first'}")
            lines.append(f"  refresh: POST {_url(conn.refresh_url)} (grant refresh_token, client id "
                         f"{conn.effective_client_id}, client secret {MASK})")
        lines.append(f"  refreshed {keeper.margin:g} s before expiry (10 % of the lifetime, at most 60 s) and "
                     f"once after a 401, then the request is retried once")
        if conn.scopes:
            lines.append(f"Scopes: {conn.scope_string()}   (delimiter {conn.scope_delimiter!r})")
        budget = service.token_budget
        if budget is not None:
            used = keeper.refresh_state().used(budget, keeper.clock())
            lines.append(f"Token budget: {budget[0]} per {int(budget[1] // 60)} minutes per refresh token "
                         f"({used} used now)")
    hosts = allowed_hosts(conn)
    note = "   (the service names no host: this machine only)" if hosts == LOOPBACK else ""
    lines.append(f"Allowed hosts: {', '.join(hosts)}{note}")
    return lines
