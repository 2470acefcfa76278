"""Record and replay: secrets stripped, suspicious recordings refused, replays offline."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from pluginhelpers import RANDOM_TOKEN, LocalApi


def _dg(pytester: pytest.Pytester, api: LocalApi, path: str = "/api/user", expect: str = "Ada") -> None:
    pytester.makefile(".dg", test_api=f"""\
// name: fetch user
user = invokeurl [ url: "{api.url}{path}?api_key=k-123456&page=1" type: GET
                   headers: {{"Authorization": "Bearer sk-local-secret-value"}} ];
info user.get("name");   // expect: {expect}
""")


def _cassette(pytester: pytest.Pytester, name: str = "fetch_user", ext: str = "yaml") -> Path:
    return pytester.path / "cassettes" / "test_api" / f"{name}.{ext}"


def test_record_then_replay_offline(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    _dg(pytester, local_api)
    live = pytester.runpytest()  # without a cassette the local "real" API is not reachable
    live.assert_outcomes(failed=1)
    live.stdout.fnmatch_lines([f"*unstubbed HTTP request GET {local_api.url}/api/user?api_key=****&page=1*"])

    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    assert local_api.seen[-1][2] == "Bearer sk-local-secret-value"  # the real call carried it ...
    text = _cassette(pytester).read_text()
    assert "sk-local-secret-value" not in text and "k-123456" not in text  # ... the cassette does not
    recorded = yaml.safe_load(text)["interactions"][0]
    assert recorded["request"]["url"] == f"{local_api.url}/api/user?api_key=****&page=1"
    assert recorded["response"]["json"] == {"name": "Ada", "id": 42}  # JSON answers stay data in the YAML
    assert "\n    json:\n      name: Ada\n" in text  # block style: one field a line, for review

    local_api.stop()
    calls = len(local_api.seen)
    pytester.runpytest("--deluge-replay").assert_outcomes(passed=1)
    pytester.runpytest().assert_outcomes(passed=1)  # a cassette is replayed by default
    assert len(local_api.seen) == calls


def test_json_cassettes_by_ini_option(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    pytester.makeini("[pytest]\ndeluge_cassette_format = json\n")
    _dg(pytester, local_api)
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    saved = json.loads(_cassette(pytester, ext="json").read_text())
    assert saved["interactions"][0]["response"]["json"] == {"name": "Ada", "id": 42}
    assert not _cassette(pytester).exists()
    local_api.stop()
    pytester.runpytest("--deluge-replay").assert_outcomes(passed=1)


def test_without_cassette_runs_live_or_is_skipped_when_strict(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_live="""\
// seed: Leads {"Last_Name": "Ng"}
---
// name: counts leads
info zoho.crm.getRecords("Leads").size();   // expect: 1
""")
    pytester.runpytest("--deluge-replay").assert_outcomes(passed=1)  # the fakes answer, no cassette needed
    strict = pytester.runpytest("--deluge-replay=strict", "-rs")
    strict.assert_outcomes(skipped=1)
    strict.stdout.fnmatch_lines(["*--deluge-replay=strict: no cassette at *counts_leads.yaml (or .json); "
                                 "record one with --deluge-record*"])


def test_fakes_stay_in_the_loop(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    """Only the call that left the sandbox is recorded; replayed, the fake CRM still holds the state."""
    pytester.makepyfile(test_mixed=f"""
        def test_mixed(deluge, fake_crm):
            result = deluge.run('user = invokeurl [ url: "{local_api.url}/api/user" type: GET ];\\n'
                                'zoho.crm.createRecord("Leads", {{"Last_Name": user.get("name")}});')
            assert [lead["Last_Name"] for lead in fake_crm.records("Leads")] == ["Ada"]
            assert [call.connection for call in result.http_calls] == [None, "zoho_crm"]
    """)
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    text = (pytester.path / "cassettes" / "test_mixed" / "test_mixed.yaml").read_text()
    assert "/api/user" in text and "Leads" not in text and "fake-crm" not in text
    local_api.stop()
    pytester.runpytest("--deluge-replay").assert_outcomes(passed=1)
    pytester.runpytest("--deluge-record").assert_outcomes(failed=1)  # the API is gone: recording fails ...
    assert (pytester.path / "cassettes" / "test_mixed" / "test_mixed.yaml").exists()  # ... and keeps nothing new


def test_record_without_outside_calls_removes_a_stale_cassette(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_api='// name: fetch user\ninfo 1;   // expect: 1\n')
    stale = _cassette(pytester, ext="json")
    stale.parent.mkdir(parents=True)
    stale.write_text('{"version": 1, "interactions": []}')
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    assert not stale.exists()


def test_replay_of_unrecorded_request_names_it(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    _dg(pytester, local_api)
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    _dg(pytester, local_api, path="/api/other")
    result = pytester.runpytest("--deluge-replay")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*GET {local_api.url}/api/other?api_key=****&page=1 is not in cassette*"])


def test_cassette_recorded_against_other_urls(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    _dg(pytester, local_api)
    cassette = _cassette(pytester)
    cassette.parent.mkdir(parents=True)
    cassette.write_text("version: 1\ninteractions:\n- request: {method: GET, url: 'https://staging.example.com/api/user'}"
                        "\n  response: {status: 200, json: {name: Ada}}\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the cassette holds calls to https://staging.example.com only: was it recorded "
                                 "against another set of URLs?*"])


@pytest.mark.parametrize(("content", "words"), [
    ("version: 1\ninteractions: [\n", "test_api/fetch_user.yaml:3: the cassette is not valid YAML"),
    ("- just\n- a list\n", "it is not a deluge-lite cassette"),
    ("version: 1\ninteractions:\n- request: {method: GET}\n  response: {status: 200}\n",
     "interaction 1 has no request with a method and a url"),
    ("version: 1\ninteractions:\n- request: {method: GET, url: 'http://x'}\n  response: {status: 9}\n",
     "no response with a status between 100 and 599"),
    ("\xff\xfe", "cannot read cassette"),
])
def test_invalid_cassette_fails_its_test_only(pytester: pytest.Pytester, local_api: LocalApi, content: str,
                                              words: str) -> None:
    _dg(pytester, local_api)
    pytester.makefile(".dg", test_other="info 2;   // expect: 2\n")
    cassette = _cassette(pytester)
    cassette.parent.mkdir(parents=True)
    cassette.write_bytes(content.encode("latin-1"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1, passed=1)
    assert words in result.stdout.str()
    assert "Traceback" not in result.stdout.str() and "INTERNALERROR" not in result.stdout.str()


def test_invalid_cassette_in_a_python_test_is_a_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_py="""
        def test_py(deluge):
            deluge.run('getUrl("https://api.example.com/x");')
    """)
    cassette = pytester.path / "cassettes" / "test_py" / "test_py.json"
    cassette.parent.mkdir(parents=True)
    cassette.write_text("{not json")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_py.json: the cassette is not valid JSON*"])


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
    result.stdout.fnmatch_lines(["*refusing to save cassette*test_leak.yaml*", f"*{words}*",
                                 "*deluge_scrub_fields*nothing was written*"])
    assert RANDOM_TOKEN not in result.stdout.str() and "ya29.a0AfB_byDq" not in result.stdout.str()
    assert not (pytester.path / "cassettes" / "test_leak" / "test_leak.yaml").exists()


def test_scrub_fields_make_a_recording_safe(pytester: pytest.Pytester, local_api: LocalApi) -> None:
    pytester.makeini("[pytest]\ndeluge_scrub_fields = access_token\n")
    pytester.makepyfile(test_login=f"""
        def test_login(deluge):
            assert deluge.run('return invokeurl [ url: "{local_api.url}/api/login" type: POST ];').value["user"] == "ada"
    """)
    pytester.runpytest("--deluge-record").assert_outcomes(passed=1)
    saved = yaml.safe_load((pytester.path / "cassettes" / "test_login" / "test_login.yaml").read_text())
    assert saved["interactions"][0]["response"]["json"]["access_token"] == "****"


def test_known_secret_in_any_encoding_is_refused(tmp_path: Path) -> None:
    from deluge_lite.connections.redact import Redactor
    from deluge_lite.testing.cassette import Cassette, CassetteSecretError, Stripper

    secret = "s3cr3t-v4lue"
    redactor = Redactor([secret])
    for ext in ("yaml", "json"):
        cassette = Cassette(tmp_path / f"c.{ext}", stripper=Stripper(redact=redactor.redact))
        # as if a server had echoed the secret base64-encoded into a field the stripper did not touch
        encoded = base64.b64encode(secret.encode()).decode()
        cassette.interactions.append({"request": {"method": "GET", "url": "https://x.example.com/"},
                                      "response": {"status": 200, "body": f"seen {encoded}"}})
        with pytest.raises(CassetteSecretError, match="a secret the connections know"):
            cassette.save()
        assert not cassette.path.exists()
