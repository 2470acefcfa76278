"""Refresh that cannot storm: short lifetimes, always-401 resources, throttling, Zoho's budget, lock waits.

All against the fake OAuth provider over real HTTP, counting the token requests it saw.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from connhelpers import HTTP, PYTHON, cli_env, oauth2_service
from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite.connections import ConnectionAuthError, ConnectionRegistry
from deluge_lite.connections.policy import BACKOFF, RefreshState, refresh_margin
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]


def _acme(provider: FakeOAuthProvider, refresh: str, link: str = "acme_main", **service: str) -> str:
    return oauth2_service(provider, **service) + f'[connections.{link}]\nservice = "acme"\nrefresh_token = "{refresh}"\n'


def _zoho(provider: FakeOAuthProvider, refresh: str, center: str = "com") -> str:
    """A default Zoho CRM connection whose accounts server is the fake (Zoho's budget applies)."""
    return (f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\nclient_secret = "test-secret"\n'
            f'data_center = "{center}"\naccounts_server = "{provider.url}"\nscopes = ["ZohoCRM.modules.ALL"]\n'
            f'refresh_token = "{refresh}"\n')


def test_margin_is_a_fraction_of_the_lifetime_capped_at_a_minute() -> None:
    assert refresh_margin(3600) == 60
    assert refresh_margin(30) == pytest.approx(3)
    assert refresh_margin(None) == 60
    assert refresh_margin(0) == 60


def test_a_30_second_token_is_not_refreshed_on_every_request(provider: FakeOAuthProvider, load: Load,
                                                           write: Write) -> None:
    provider.access_token_lifetime = 30
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    codes = {HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code for _ in range(40)}
    assert codes == {200}
    assert provider.refresh_count == 1  # before: 40 (the 60 s margin swallowed the whole lifetime)


def test_a_resource_that_always_answers_401_costs_two_refreshes_not_one_per_request(
        provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.resource_mode = "always_401"
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    codes = [HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code for _ in range(30)]
    assert codes == [401] * 30  # the script gets the 401
    # the first token, one refresh after its 401; the token got after a 401 is never refreshed for a 401
    assert provider.refresh_count == 2
    again = load(write(_acme(provider, refresh)))  # a new run remembers it through the store
    HTTP.get(provider.echo_url, auth=again.auth_for("acme_main"))
    assert provider.refresh_count == 2


def test_zoho_invalid_oauthtoken_bodies_count_as_a_refused_token(provider: FakeOAuthProvider, load: Load,
                                                                write: Write) -> None:
    provider.resource_mode = "zoho_errors"  # HTTP 400 {"code": "INVALID_OAUTHTOKEN"}
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200
    provider.expire_access_tokens()
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200
    assert provider.refresh_count == 2 and provider.counters.rejected == 1


def test_a_throttling_token_endpoint_backs_off_across_runs(provider: FakeOAuthProvider, load: Load,
                                                          write: Write) -> None:
    provider.token_mode = "throttle"  # HTTP 200 with an error body, as Zoho answers
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    messages = []
    for _ in range(20):
        with pytest.raises(ConnectionAuthError) as info:
            HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
        messages.append(info.value.message)
    assert provider.refresh_count == 1  # before: 20
    assert "too many requests" in messages[0]
    assert "paused after 1 failed attempt" in messages[1] and "next attempt is allowed at" in messages[1]
    from deluge_lite.connections.explain import status_of

    assert status_of(registry.get("acme_main"), registry.keeper("acme_main")).startswith("token requests paused")
    other = load(write(_acme(provider, refresh)))  # another process: the back-off is in the store
    with pytest.raises(ConnectionAuthError, match="paused"):
        HTTP.get(provider.echo_url, auth=other.auth_for("acme_main"))
    assert provider.refresh_count == 1
    keeper = other.keeper("acme_main")
    keeper.clock = lambda: time.time() + BACKOFF["throttled"][0] + 1  # the first back-off is over
    with pytest.raises(ConnectionAuthError, match="too many requests"):
        HTTP.get(provider.echo_url, auth=other.auth_for("acme_main"))
    state = keeper.refresh_state()
    assert provider.refresh_count == 2 and state.failures == 2
    first, _ = BACKOFF["throttled"]
    assert first * 2 * 0.5 <= state.until - keeper.clock() <= first * 2  # doubled, with jitter
    provider.token_mode = "json"
    keeper.clock = lambda: time.time() + 1000
    assert HTTP.get(provider.echo_url, auth=other.auth_for("acme_main")).status_code == 200
    assert keeper.refresh_state().failures == 0


def test_zoho_budget_refuses_the_eleventh_token_before_asking(provider: FakeOAuthProvider, load: Load,
                                                             write: Write) -> None:
    _, refresh = provider.issue_tokens(scope="ZohoCRM.modules.ALL")
    registry = load(write(_zoho(provider, refresh)))
    keeper = registry.keeper("crm")
    for _ in range(10):
        keeper.access(force=True)  # as `connections test --refresh` does
    assert provider.refresh_count == 10
    with pytest.raises(ConnectionAuthError) as info:
        load(write(_zoho(provider, refresh))).keeper("crm").access(force=True)  # another run: shared count
    message = info.value.message
    assert "used its token budget: 10 access tokens per 10 minutes" in message
    assert "access-token-expiry.html" in message and "frees up at" in message
    assert provider.refresh_count == 10  # Zoho was not asked the eleventh time
    from deluge_lite.connections.flows import exchange_code

    exchange_code(keeper.connection, keeper, provider.issue_code(scope="ZohoCRM.modules.ALL"))  # re-authorized
    keeper.access(force=True)  # a new refresh token: a new budget (Zoho counts per refresh token)
    assert provider.refresh_count == 11


def test_a_lock_held_too_long_names_the_holder(provider: FakeOAuthProvider, load: Load, write: Write,
                                              home: Path) -> None:
    access, refresh = provider.issue_tokens(expires_in=-1)
    path = write(_acme(provider, refresh))
    registry = load(path, lock_timeout=1.0)
    holder = subprocess.Popen(
        [PYTHON, "-c", "import sys, time\nfrom deluge_lite.connections.store import Store\n"
                       "s = Store.open()\nlease = s.try_lease('acme_main')\nprint('held', flush=True)\n"
                       "time.sleep(30)\n"],
        env=cli_env(home), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ConnectionAuthError) as info:
            HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
        assert f"process {holder.pid} on" in info.value.message
        assert "gave up waiting for the token refresh of 'acme_main' after 1 s" in info.value.message
    finally:
        holder.kill()
        holder.wait()
    assert provider.refresh_count == 0
    assert HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code == 200


def test_state_from_a_clock_that_went_backwards_is_clamped() -> None:
    now = 1_000_000.0
    # written an hour "later" (the clock then went back an hour): a 60 s back-off stays 60 s
    state = RefreshState.from_dict({"requests": [now + 3600, now - 10], "failures": 3, "kind": "throttled",
                                    "until": now + 3660, "since": now + 3600}, now)
    assert max(state.requests) <= now  # a request "in the future" counts as now, for one window only
    assert state.until == pytest.approx(now + 60)
    assert RefreshState.from_dict({"kind": "throttled", "until": now + 10 ** 9}, now).until <= now + 86400


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
                        ["requests", "failures", "kind", "until", "since", "last_error", "x"]), inner, max_size=6),
                    max_leaves=12))
def test_any_stored_state_reads_without_crashing(data: object) -> None:
    state = RefreshState.from_dict(data if isinstance(data, dict) else None, 1_000_000.0)
    try:
        state.check("x", (10, 600.0), 1_000_000.0)
    except ConnectionAuthError as exc:  # paused or over budget: said in words, never a crash
        assert "'x'" in exc.message
    assert state.until <= 1_000_000.0 + 86400 and all(t <= 1_000_000.0 for t in state.requests)


def test_a_token_answer_without_expiry_is_used_until_refused(provider: FakeOAuthProvider, load: Load,
                                                             write: Write) -> None:
    provider.access_token_lifetime = 0  # "expires_in": 0: no usable expiry
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    assert registry.keeper("acme_main").access().expires_at is None
    for _ in range(5):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert provider.refresh_count == 2  # the first, one after its 401; then the 401s are the script's


def test_a_429_with_retry_after_is_honoured(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    provider.token_mode = "429"  # HTTP 429, Retry-After: 120
    _, refresh = provider.issue_tokens()
    registry = load(write(_acme(provider, refresh)))
    with pytest.raises(ConnectionAuthError, match="throttling requests"):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    keeper = registry.keeper("acme_main")
    state = keeper.refresh_state()
    assert state.kind == "throttled" and 119 <= state.until - time.time() <= 121  # longer than the 15-30 s
    keeper.clock = lambda: time.time() + 60
    with pytest.raises(ConnectionAuthError, match="paused"):
        HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main"))
    assert provider.refresh_count == 1
