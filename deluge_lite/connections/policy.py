"""Refresh policy: when to refresh, when a 401 earns a refresh, back-off and Zoho's token budget.

Pure decisions over plain data, so every backend (SQLite, Redis) shares them and the tests
can drive them with a fake clock:

- `refresh_margin`: how early a token counts as expired: a fraction of its lifetime,
  capped at `MARGIN_CAP` (a 30 s token is renewed 3 s early, not on every request).
- `may_refresh_after_401`: a 401 earns one refresh; a 401 on a token that was itself
  obtained by a refresh after a 401 does not (the script gets the 401), so a resource
  that always answers 401 costs one refresh per token lifetime, not one per request.
- `RefreshState`: what the store keeps per link beside the tokens (not secret): the times of
  recent token requests (the budget) and the back-off after failures. `check` raises before
  a token request that the budget or the back-off forbids; `record_success` and
  `record_failure` update it. Times from a clock that went backwards are clamped.

It makes no HTTP request and knows no store; `keeper` calls it under the refresh lock.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Mapping

from ..fieldclass import field, fieldclass
from .errors import ConnectionAuthError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MARGIN_CAP = 60.0  # seconds: never refresh more than a minute early
MARGIN_FRACTION = 0.1  # of the token's lifetime
# Zoho: "Using a refresh token, your app can create up to ten access tokens in a span of ten
# minutes. If the limit is reached, the access token creation will be blocked for the rest of
# the ten minutes." (https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html)
ZOHO_BUDGET = (10, 600.0)
ZOHO_BUDGET_PAGE = "https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html"

# Back-off per kind of failure: (first delay, longest delay) in seconds; the delay doubles
# with each failure in a row and a random 50-100 % of it is used (jitter), so a fleet of
# clients that failed together does not retry together.
BACKOFF: dict[str, tuple[float, float]] = {
    "throttled": (30.0, 600.0),  # Zoho's "too many requests" (HTTP 200 with an error body)
    "unavailable": (1.0, 300.0),  # network errors, 5xx, HTML error pages
    "rejected": (5.0, 600.0),  # invalid_client, invalid_grant: retrying will not help soon
}


MAX_WAIT = 86400.0  # the longest pause honoured (a server's Retry-After included)


def refresh_margin(lifetime: float | None) -> float:
    """Seconds before expiry at which a token is renewed."""
    if lifetime is None or lifetime <= 0:
        return MARGIN_CAP
    return min(MARGIN_CAP, lifetime * MARGIN_FRACTION)


def may_refresh_after_401(doc: Mapping[str, Any] | None, token: str) -> bool:
    """Whether a 401 on ``token`` is worth one refresh (see the module docstring)."""
    if not doc or doc.get("access_token") != token:
        return True  # a token we did not obtain (a seed, an older one): it may well be revoked
    return not doc.get("after_401")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value and abs(value) < 1e12


def _clock_text(at: float) -> str:
    return _dt.datetime.fromtimestamp(at, _dt.UTC).strftime("%H:%M:%S UTC")


def _wait_text(at: float, now: float) -> str:
    return f"at {_clock_text(at)} (in {max(1, int(at - now + 0.999))} s)"


@fieldclass
class RefreshState:
    """The budget and back-off of one link, as kept in the store."""

    requests: list[float] = field(default_factory=list)  # times of token requests, oldest first
    failures: int = 0
    kind: str = ""
    until: float = 0.0  # no token request before this time
    last_error: str = ""
    since: float = 0.0  # when the back-off was set (to survive a clock that jumps backwards)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, now: float) -> RefreshState:
        data = data if isinstance(data, Mapping) else {}
        raw = data.get("requests")
        times = [min(float(t), now) for t in raw if _is_number(t)] if isinstance(raw, list) else []
        failures, until = data.get("failures"), data.get("until")
        state = cls(sorted(times)[-1000:], int(failures) if _is_number(failures) and 0 <= failures < 1e6 else 0,
                    str(data.get("kind") or ""), float(until) if _is_number(until) else 0.0,
                    str(data.get("last_error") or "")[:300])
        if state.kind not in BACKOFF:  # a record from another version: no back-off we cannot explain
            state.kind, state.until = "", 0.0
        since = data.get("since")
        state.since = float(since) if _is_number(since) else now
        if state.since > now:  # the clock went backwards: the back-off keeps its length, not its end
            state.until, state.since = now + (state.until - state.since), now
        state.until = min(state.until, now + MAX_WAIT)
        return state

    def to_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "failures": self.failures, "kind": self.kind, "until": self.until,
                "last_error": self.last_error, "since": self.since}

    def used(self, budget: tuple[int, float] | None, now: float) -> int:
        if budget is None:
            return 0
        return sum(1 for t in self.requests if t > now - budget[1])

    def check(self, link: str, budget: tuple[int, float] | None, now: float) -> None:
        """Raise if a token request now would break the back-off or the budget."""
        if self.until > now:
            raise ConnectionAuthError(
                f"token requests of '{link}' are paused after {self.failures} failed attempt"
                f"{'s' if self.failures != 1 else ''} in a row (last: {self.last_error or self.kind}); "
                f"the next attempt is allowed {_wait_text(self.until, now)}")
        if budget is None:
            return
        limit, window = budget
        recent = [t for t in self.requests if t > now - window]
        if len(recent) >= limit:
            frees = recent[len(recent) - limit] + window
            raise ConnectionAuthError(
                f"'{link}' has used its token budget: {limit} access tokens per {int(window // 60)} minutes "
                f"per refresh token ({ZOHO_BUDGET_PAGE}); nothing was asked, so Zoho does not block it. "
                f"The budget frees up {_wait_text(frees, now)}")

    def record_request(self, budget: tuple[int, float] | None, now: float) -> None:
        window = budget[1] if budget is not None else ZOHO_BUDGET[1]
        self.requests = [t for t in self.requests if t > now - window] + [now]

    def record_success(self) -> None:
        self.failures, self.kind, self.until, self.last_error, self.since = 0, "", 0.0, "", 0.0

    def record_failure(self, kind: str, message: str, now: float, *, retry_after: float | None = None,
                       rng: random.Random | None = None) -> None:
        """Count a failure of ``kind``; a server's ``Retry-After`` (seconds) is honoured when longer."""
        first, longest = BACKOFF[kind]
        self.failures = self.failures + 1 if self.kind == kind else 1
        self.kind = kind
        delay = min(longest, first * 2 ** (self.failures - 1)) * (rng or random).uniform(0.5, 1.0)
        if retry_after is not None and 0 < retry_after <= MAX_WAIT:
            delay = max(delay, retry_after)
        self.until, self.since = now + delay, now
        self.last_error = message[:300]


def parse_budget(value: Any, where: str) -> tuple[int, float] | None:
    """A ``token_budget`` setting: ``"10/600"`` (tokens per seconds), ``false`` for none, or a table."""
    from .errors import ConnectionConfigError

    if value is False or value == "none":
        return None
    if isinstance(value, dict):
        tokens, seconds = value.get("tokens"), value.get("seconds")
    elif isinstance(value, str) and "/" in value:
        tokens, _, seconds = value.partition("/")
    else:
        tokens = seconds = None
    try:
        budget = (int(str(tokens)), float(str(seconds)))
    except (TypeError, ValueError):
        budget = (0, 0.0)
    if budget[0] < 1 or not 0 < budget[1] <= 86400:
        raise ConnectionConfigError(f"{where}: token_budget must be \"TOKENS/SECONDS\" such as \"10/600\" "
                                    f"(or false for none), not {value!r}")
    return budget
