"""Record and replay: secrets stripped, suspicious recordings refused, replays offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pluginhelpers import RANDOM_TOKEN, LocalApi


def _dg(pytester: pytest.Pytester, api: LocalApi, path: str = "/api/user", expect: str = "Ada") -> None:
    pytester.makefile(".dg", test_api=f"""\
// name: fetch user
user = invokeurl [ url: "{api.url}{path}?api_key=k-123456&page=1" type: GET
                   headers: {{"Authorization": "Bearer sk-local-secret-value"}} ];
info user.get("name");   // expect: {expect}
""")


def _cassette(pytester: pytest.Pytester, name: str = "fetch_user") -> Path:
    return pytester.path / "cassettes" / "test_api" / f"{name}.json"


def test_record_then_replay_offline(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    _dg(pytester, local_api)
    live = pytester.runpytest()  # without a cassette the local "real" API is not reachable
    live.assert_outcomes(failed=1)
    live.stdout.fnmatch_lines([f"*unstubbed HTTP request GET {local_api.url}/api/user?api_key=****&page=1*"])

    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    assert local_api.seen[-1][2] == "Bearer sk-local-secret-value"  # the real call carried it ...
    text = _cassette(pytester).read_text()
    assert "sk-local-secret-value" not in text and "k-123456" not in text  # ... the cassette does not
    recorded = json.loads(text)["interactions"][0]
    assert recorded["request"]["url"] == f"{local_api.url}/api/user?api_key=****&page=1"
    assert recorded["response"]["json"] == {"name": "Ada", "id": 42}

    local_api.stop()
    calls = len(local_api.seen)
    pytester.runpytest("--deluge-replay").assert_outcomes(passed=1)
    pytester.runpytest().assert_outcomes(passed=1)  # a cassette is replayed by default
    assert len(local_api.seen) == calls


def test_replay_without_cassette_fails(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    _dg(pytester, local_api)
    result = pytester.runpytest("--deluge-replay")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no cassette at *fetch_user.json; record one first with --deluge-record*"])


def test_replay_of_unrecorded_request_names_it(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    _dg(pytester, local_api)
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    _dg(pytester, local_api, path="/api/other")
    result = pytester.runpytest("--deluge-replay")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*GET {local_api.url}/api/other?api_key=****&page=1 is not in cassette*"])


@pytest.mark.parametrize(("path", "words"), [
    ("/api/login", "field 'access_token' looks like a credential"),
    ("/api/report", "a long random token"),
])
def test_refuses_to_save_secrets(pytester: pytest.Pytester, local_api: LocalApi, path: str, words: str) -> None:
    pytester.makepyfile(test_leak=f"""
        def test_leak(deluge):
            deluge.run('invokeurl [ url: "{local_api.url}{path}" type: POST ];')
    """)
    result = pytester.runpytest("--deluge-record")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*refusing to save cassette*test_leak.json*", f"*{words}*",
                                 "*deluge_scrub_fields*nothing was written*"])
    assert RANDOM_TOKEN not in result.stdout.str() and "ya29.a0AfB_byDq" not in result.stdout.str()
    assert not (pytester.path / "cassettes" / "test_leak" / "test_leak.json").exists()


def test_scrub_fields_make_a_recording_safe(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    pytester.makeini("[pytest]\ndeluge_scrub_fields = access_token\n")
    pytester.makepyfile(test_login=f"""
        def test_login(deluge):
            assert deluge.run('return invokeurl [ url: "{local_api.url}/api/login" type: POST ];').value["user"] == "ada"
    """)
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    saved = json.loads((pytester.path / "cassettes" / "test_login" / "test_login.json").read_text())
    assert saved["interactions"][0]["response"]["json"]["access_token"] == "****"


def test_recording_the_fake_crm_keeps_no_token(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_crm="""
        def test_crm(deluge, fake_crm, fake_oauth):
            fake_crm.seed_records("Leads", [{"Last_Name": "Ng"}])
            assert deluge.run('return zoho.crm.getRecords("Leads").size();').value == 1

        def test_crm_replayed(deluge, fake_crm):
            # recorded with one lead; replayed, the (empty) fake is never asked
            assert deluge.run('return zoho.crm.getRecords("Leads").size();').value == 1
            assert fake_crm.requests == []
    """)
    pytester.runpytest("--deluge-record", "-k", "test_crm and not replayed").assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "test_crm" / "test_crm.json"
    text = cassette.read_text()
    assert "http://fake-crm.test/crm/v2/Leads" in text and "oauthtoken" not in text.lower()
    cassette.rename(cassette.with_name("test_crm_replayed.json"))
    pytester.runpytest("--deluge-replay", "-k", "replayed").assert_outcomes(passed=1)
