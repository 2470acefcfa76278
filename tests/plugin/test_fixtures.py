"""The plugin's fixtures, used directly (this suite runs with the plugin on) and through pytester."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from deluge_lite import DelugeRuntimeError, ThrownError
from deluge_lite.embed import Deluge, to_deluge
from deluge_lite.testing import FakeOAuthProvider, FakeZohoCRM, HttpStub


def test_deluge_runs_against_the_fake_crm(deluge: Deluge, fake_crm: FakeZohoCRM, fake_oauth: FakeOAuthProvider) -> None:
    fake_crm.seed_records("Leads", [{"Last_Name": "Ng", "Company": "Acme"}])
    result = deluge.run('''
        leads = zoho.crm.getRecords("Leads");
        info leads.size();
        created = zoho.crm.createRecord("Leads", {"Last_Name": who});
        return created.get("id");
    ''', {"who": "Ito"})
    assert result.info == ["1"]
    assert [record["Last_Name"] for record in fake_crm.records("Leads")] == ["Ng", "Ito"]
    assert fake_crm.records("Leads")[1]["id"] == result.value
    assert [(call.method, call.connection, call.status, call.line) for call in result.http_calls] == [
        ("GET", "zoho_crm", 200, 2), ("POST", "zoho_crm", 201, 4)]
    assert fake_oauth.refresh_count == 1  # authorized through the fake provider, once
    assert all(request.headers["Authorization"].startswith("Zoho-oauthtoken") for request in fake_crm.requests)


def test_http_stub_answers_and_records(deluge: Deluge, http_stub: HttpStub) -> None:
    route = http_stub.post("https://api.example.com/v1/*", status=201, json={"id": 7})
    result = deluge.run('return invokeurl [ url: "https://api.example.com/v1/items" type: POST body: {"n": n} ];',
                        {"n": 2})
    assert result.value == {"id": 7}
    assert route.call_count == 1 and route.last_json() == {"n": 2}
    assert result.http_calls[0].status == 201


def test_http_stub_patterns() -> None:
    stub = HttpStub()
    stub.get("https://a.example.com/users/*", json=[1])
    stub.any("https://b.example.com/x?mode=full", text="full")
    assert stub.transport.handle_request(httpx.Request("GET", "https://a.example.com/users/9?x=1")).json() == [1]
    assert stub.transport.handle_request(httpx.Request("PUT", "https://b.example.com/x?mode=full")).text == "full"
    with pytest.raises(httpx.ConnectError, match="unstubbed HTTP request PUT https://a.example.com/users/9"):
        stub.transport.handle_request(httpx.Request("PUT", "https://a.example.com/users/9"))
    idle = HttpStub()
    idle.post("https://c.example.com")
    with pytest.raises(AssertionError, match="never called"):
        idle.assert_all_called()


def test_errors_carry_line_and_message(deluge: Deluge) -> None:
    with pytest.raises(ThrownError) as thrown:
        deluge.run('x = 1;\nif(x == 1)\n{\n\tthrow "bad x";\n}')
    assert (thrown.value.line, thrown.value.message) == (4, "bad x")
    with pytest.raises(DelugeRuntimeError) as failed:
        deluge.run("a = 1;\nb = a / 0;")
    assert failed.value.line == 2 and "<script>:2:" in failed.value.render()


def test_clock_timezone_and_outbox() -> None:
    with Deluge(clock=dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC), timezone="Asia/Kolkata") as deluge:
        result = deluge.run('info zoho.currentdate;\nsendmail [ from: zoho.adminuserid to: "a@b.c" '
                            'subject: "hi" message: "x" ];\nreturn {"d": today};')
    assert result.info == ["02-Mar-2026"]
    assert result.outbox[0]["to"] == "a@b.c"
    assert result.value == {"d": dt.date(2026, 3, 2)}


def test_load_and_call_functions(deluge: Deluge, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.dg"
    path.write_text("int standalone.total(list items)\n{\n\tsum = 0;\n\tfor each i in items\n\t{\n\t\tsum = sum + i;"
                    "\n\t}\n\treturn sum;\n}\n")
    script = deluge.load_file(path)
    assert script.functions == ["standalone.total"]
    assert script.call("total", (1, 2, 3)).value == 6
    assert deluge.call(path, "standalone.total", [4]).value == 4
    assert to_deluge({"a": (1,), "b": frozenset()}) == {"a": [1], "b": []}


def test_injected_transport_and_connections() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"ok": True})

    with Deluge(transport=httpx.MockTransport(answer)) as deluge:
        deluge.run('getUrl("https://x.example.com/a");')
    assert seen == ["https://x.example.com/a"]
    with Deluge() as deluge, pytest.raises(DelugeRuntimeError, match="no connections are configured"):
        deluge.run('invokeurl [ url: "https://x.example.com" connection: "nope" ];')


def test_fixtures_through_pytester(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user="""
        def test_seeded(deluge, fake_crm):
            fake_crm.seed_records("Contacts", [{"Last_Name": "Ada"}])
            assert deluge.run('return zoho.crm.getRecords("Contacts").get(0).get("Last_Name");').value == "Ada"

        def test_own_fake_is_fresh(fake_crm):
            assert fake_crm.records("Contacts") == []

        def test_unstubbed_caught_still_fails(deluge):
            deluge.run('try { getUrl("https://quiet.example.com/ping"); } catch (e) { info "swallowed"; }')
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)  # the swallowed call fails the test, once
    result.stdout.fnmatch_lines(["*unstubbed HTTP request GET https://quiet.example.com/ping: nothing answers it*",
                                 "FAILED test_user.py::test_unstubbed_caught_still_fails - Failed: unstubbed HT*"])
    assert "ERROR" not in result.stdout.str() and "deluge_lite/net" not in result.stdout.str()
    assert 'http_stub.get("https://quiet.example.com/ping", json={...})' in result.stdout.str()


def test_deluge_errors_in_fixtures_and_tests_read_as_deluge(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_errors="""
        import pytest

        @pytest.fixture
        def script(deluge):
            return deluge.load("x = ;\\n", "broken.dg")

        def test_uses_a_broken_script(script):
            assert script

        def test_runtime_error(deluge):
            deluge.run('sendmail [ from: zoho.adminuserid to: "a@example.com" subject: "S" message: "M" ];\\n'
                       'x = 1 / 0;', name="calc.dg")

        def test_plain_assertion(deluge):
            assert deluge.run("return 1 + 1;").value == 3
    """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=2, errors=1)
    result.stdout.fnmatch_lines([
        "*ERROR at setup of test_uses_a_broken_script*",
        "test_errors.py:5: the Deluge script failed in a fixture",
        "broken.dg:1:5: error: unexpected ';'*", "    x = ;", "        ^",
        "*test_runtime_error*",
        "test_errors.py:1[12]: the Deluge script failed",
        "calc.dg:2:5: error: division by zero",
        "*sendmail outbox:*",
        "*test_plain_assertion*", "*assert 2 == 3*"])
    out = result.stdout.str()
    assert "deluge_lite/" not in out and "During handling" not in out and "Traceback" not in out
