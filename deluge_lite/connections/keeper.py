"""The token keeper of one connection: the only place that refreshes its tokens.

It loads tokens (seeded by config, kept in the store), decides when to refresh (the
margin of `policy`, or after a 401 when `policy` says a 401 earns one), and makes sure
many threads, processes and hosts produce exactly one refresh: a thread lock, then the
store's lease (`backend.acquire`: waiters re-read instead of refreshing), then a re-read
of the store, then the budget and back-off check, and only then a token request. Rotated
refresh tokens are saved at once; a write refused by the fencing check (a holder that
stalled past its lease) gives way to the newer token. Granted scopes that do not cover
the configured ones are an error that says to re-authorize. It does not apply
credentials to requests (`auth`) nor parse token answers (`tokens`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from .backend import LOCK_TIMEOUT, Lease, acquire
from .errors import ConnectionAuthError, ReauthorizeError, StoreError
from .models import AuthType, Connection, Credentials, GrantType
from .policy import RefreshState, may_refresh_after_401, refresh_margin
from .redact import Redactor, mask_url
from .tokens import SharedClient, TokenAnswer, failure_kind, missing_scopes, request_token, retry_after

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logging.getLogger("deluge_lite.connections")
Trace = Callable[[str], None]
_DOC_KEYS = ("access_token", "refresh_token", "expires_at", "token", "token_secret")


class TokenKeeper:
    """The tokens of one connection, and the only place that refreshes them."""

    def __init__(self, connection: Connection, store: Any | None, redactor: Redactor, *,
                 http: SharedClient | None = None, margin: float | None = None,
                 clock: Callable[[], float] = time.time, lock_timeout: float = LOCK_TIMEOUT,
                 trace: Trace | None = None) -> None:
        self.connection = connection
        self.store = store
        self.redactor = redactor
        self.http = http if http is not None else SharedClient()
        self.fixed_margin = margin
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.trace = trace
        self._lock = threading.Lock()
        self._cached: Credentials | None = None
        self._doc: dict[str, Any] = {}
        self._state: RefreshState | None = None  # kept here when there is no store
        self._pending: tuple[Credentials, dict[str, Any]] | None = None  # got, but the store was down
        self.refreshes = 0  # token requests made by this keeper (tests and `test` report it)

    def __repr__(self) -> str:
        return f"TokenKeeper(link={self.connection.link!r})"

    @property
    def link(self) -> str:
        return self.connection.link

    @property
    def margin(self) -> float:
        if self.fixed_margin is not None:
            return self.fixed_margin
        lifetime = self._doc.get("lifetime")
        return refresh_margin(float(lifetime) if isinstance(lifetime, int | float) else None)

    # ---- reading and saving
    def load(self) -> Credentials:
        """Seeds from the definition, overlaid with the stored tokens when they belong to these seeds."""
        if self._pending is not None and self.store is not None:
            self._flush_pending()
        creds = self.connection.seeds
        doc = self.store.tokens(self.link) if self.store is not None else None
        if doc and doc.get("seed") == self.connection.seed_fingerprint():
            creds = creds.merged(Credentials.from_dict(doc))
            self._doc = doc
        elif self._cached is not None and self.store is None:
            creds = self._cached
        else:
            self._doc = {}
        self.redactor.add(*creds.secret_values())
        self._cached = creds
        return creds

    def _flush_pending(self) -> None:
        """Save a token obtained while the store was unreachable, unless the store has a newer one."""
        assert self._pending is not None and self.store is not None
        creds, facts = self._pending
        doc = self.store.tokens(self.link)
        if doc is None or float(doc.get("obtained_at") or 0) < float(facts.get("obtained_at") or 0):
            self.save(creds, **facts)
        self._pending = None

    def save(self, creds: Credentials, *, lease: Lease | None = None, **facts: Any) -> bool:
        """Persist tokens at once (a rotated refresh token must never be lost); False if fenced out."""
        self.redactor.add(*creds.secret_values())
        doc: dict[str, Any] = {k: getattr(creds, k) for k in _DOC_KEYS if getattr(creds, k) is not None}
        doc["seed"] = self.connection.seed_fingerprint()
        doc.update({k: v for k, v in facts.items() if v is not None})
        if self.store is not None and not self.store.put_tokens(self.link, doc, lease):
            log.debug("a newer token of '%s' was saved by another holder; using it", self.link)
            return False
        self._cached, self._doc = creds, doc
        return True

    def current(self) -> Credentials:
        return self._cached if self._cached is not None else self.load()

    def usable(self, creds: Credentials) -> bool:
        if not creds.access_token:
            return False
        left = creds.expires_in(self.clock())
        return left is None or left > self.margin

    def refresh_state(self) -> RefreshState:
        """The budget and back-off of this link; a new refresh token (re-authorized, or another
        one in the config) starts a new budget: Zoho counts per refresh token."""
        raw = self.store.state(self.link) if self.store is not None else None
        if raw is None and self._state is not None:
            return self._state
        if raw is not None and raw.get("seed") != self._grant_fingerprint():
            raw = None
        return RefreshState.from_dict(raw, self.clock())

    def _grant_fingerprint(self) -> str:
        import hashlib

        refresh = (self._cached or self.connection.seeds).refresh_token or ""
        return hashlib.sha256(f"{self.connection.seed_fingerprint()}\x00{refresh}".encode()).hexdigest()[:16]

    # ---- the one refresh
    def access(self, *, stale: str | None = None, force: bool = False) -> Credentials:
        """Credentials with a usable access token; ``stale`` is a token the server just refused;
        ``force`` asks for a new token whatever the current one (``connections test --refresh``).

        After a 401 that does not earn a refresh (see `policy.may_refresh_after_401`) the
        refused credentials come back unchanged: the caller returns the 401 to the script."""
        if self._pending is not None and self.store is not None:
            try:
                with self._lock:
                    self._flush_pending()
            except StoreError:
                pass  # still down: the token stays in memory
        creds = self.current()
        if force:
            stale = creds.access_token or ""
        elif stale is None and self.usable(creds):
            self._check_scopes()
            return creds
        with self._lock:
            creds = self.load()
            if self._fresh(creds, stale):
                return creds
            if force and creds.access_token != stale:
                stale = creds.access_token or ""
            if stale is not None and not force and not may_refresh_after_401(self._doc, stale):
                log.debug("'%s': a 401 on a token obtained after a 401; returned to the script", self.link)
                return creds
            lease = None
            if self.store is not None:
                lease = acquire(self.store, self.link, timeout=self.lock_timeout,
                                ready=lambda: self._fresh(self.load(), stale))
                if lease is None:  # another process refreshed while we waited
                    return self.current()
            try:
                creds = self.load()  # another process may have refreshed just before we got the lease
                if self._fresh(creds, stale):
                    return creds
                return self._refresh(creds, lease, after_401=stale is not None and not force)
            finally:
                if lease is not None:
                    self.store.release(lease)

    def _fresh(self, creds: Credentials, stale: str | None) -> bool:
        return self.usable(creds) and (stale is None or creds.access_token != stale)

    def _refresh(self, creds: Credentials, lease: Lease | None, *, after_401: bool) -> Credentials:
        now = self.clock()
        state = self.refresh_state()
        budget = self.connection.service.token_budget
        state.check(self.link, budget, now)
        state.record_request(budget, now)
        try:
            answer = self._fetch(creds)
        except ConnectionAuthError as exc:
            kind = failure_kind(exc)
            if kind is not None:
                state.record_failure(kind, exc.message, self.clock(), retry_after=retry_after(exc))
            self._put_state(state)
            raise
        fresh = _updated(creds, answer)
        lifetime = answer.expires_at - now if answer.expires_at is not None else None
        facts = {"obtained_at": now, "lifetime": lifetime, "scope": answer.scope or self._doc.get("scope"),
                 "api_domain": answer.api_domain or self._doc.get("api_domain"),
                 "after_401": True if after_401 else None}
        try:
            saved = self.save(fresh, lease=lease, **facts)
        except StoreError:  # the request fails, but the token is kept and saved when the store is back
            self.redactor.add(*fresh.secret_values())
            self._cached, self._pending = fresh, (fresh, facts)
            raise
        state.record_success()
        try:
            self._put_state(state)
        except StoreError:
            log.debug("could not save the refresh state of '%s'", self.link)
        if not saved:
            return self.load()
        self._check_scopes()
        return fresh

    def _put_state(self, state: RefreshState) -> None:
        self._state = state
        if self.store is not None:
            self.store.put_state(self.link, {**state.to_dict(), "seed": self._grant_fingerprint()})

    def scope_gap(self) -> str | None:
        """Why the granted scopes (from the token answer) do not cover the configured ones, or None."""
        granted = self._doc.get("scope")
        if not isinstance(granted, str) or not self.connection.scopes:
            return None
        missing = missing_scopes(self.connection.scopes, granted)
        if not missing:
            return None
        return (f"the token of '{self.link}' does not cover the configured scopes: missing {', '.join(missing)} "
                f"(granted: {granted or 'none'}); scopes are fixed when a connection is authorized, so "
                f"re-authorize with deluge-lite connections authorize {self.link}")

    def _check_scopes(self) -> None:
        gap = self.scope_gap()
        if gap is not None:
            raise ReauthorizeError(gap)

    def _fetch(self, creds: Credentials) -> TokenAnswer:
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
        return self.request(url, data, purpose)

    def request(self, url: str, data: dict[str, str], purpose: str) -> TokenAnswer:
        """One token request, traced (endpoint, grant, status, ms; nothing secret)."""
        started = time.perf_counter()
        status = "failed"
        try:
            answer = request_token(self.http.get(), url, data, link=self.link, purpose=purpose,
                                   now=self.clock(), connection=self.connection, previous=self._doc)
            status = "ok"
            return answer
        except ConnectionAuthError as exc:
            status = f"refused ({failure_kind(exc) or 'error'})"
            raise
        finally:
            if self.trace is not None:
                elapsed = (time.perf_counter() - started) * 1000
                self.trace(f"token POST {mask_url(url, self.redactor.redact)} grant={data.get('grant_type')} "
                           f"-> {status} ({elapsed:.0f} ms) connection={self.link}")

    def store_answer(self, answer: TokenAnswer) -> Credentials:
        """Save tokens from an authorization (code exchange); the old refresh token is replaced."""
        with self._lock:
            now = self.clock()
            creds = _updated(self.load(), answer)
            lifetime = answer.expires_at - now if answer.expires_at is not None else None
            self.save(creds, obtained_at=now, lifetime=lifetime, scope=answer.scope, api_domain=answer.api_domain)
            return creds  # a scope gap is reported by the caller (`connections authorize` warns)


def _updated(creds: Credentials, answer: TokenAnswer) -> Credentials:
    fresh = Credentials.from_dict(creds.to_dict())
    fresh.access_token = answer.access_token
    fresh.expires_at = answer.expires_at
    if answer.refresh_token:  # rotation: the new one replaces the old at once
        fresh.refresh_token = answer.refresh_token
    return fresh


__all__ = ["TokenKeeper"]
