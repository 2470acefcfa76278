"""invokeurl and getUrl/postUrl against a real server on 127.0.0.1: every key, every failure."""

from __future__ import annotations

import json

import pytest

from deluge_lite import DelugeError, DelugeRuntimeError


def test_get_sends_map_parameters_as_query_and_keeps_the_url_query(echo_server, make_runner) -> None:
    runner = make_runner()
    lines = runner.run(f'''
r = invokeurl [ url: "{echo_server.url}/items?fixed=1" type: GET parameters: {{"a": 1, "b": "x y"}} ];
info r.get("method");
info r.get("query");
''')
    assert lines == ["GET", '{"fixed":"1","a":"1","b":"x y"}']


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_map_parameters_are_form_encoded_for_other_methods(method, echo_server, make_runner) -> None:
    runner = make_runner()
    runner.run(f'r = invokeurl [ url: "{echo_server.url}/x" type: {method} parameters: {{"a": "1 2"}} ];')
    seen = echo_server.seen[-1]
    assert seen.method == method
    if method == "DELETE":
        assert seen.query == [("a", "1 2")]
    else:
        assert seen.body == b"a=1+2"
        assert seen.headers["content-type"] == "application/x-www-form-urlencoded"


def test_json_content_type_sends_a_map_as_json(echo_server, make_runner) -> None:
    runner = make_runner()
    runner.run(f'''r = invokeurl [ url: "{echo_server.url}/x" type: POST parameters: {{"n": 5, "l": {{1, 2}}}}
                   headers: {{"Content-Type": "application/json"}} ];''')
    assert json.loads(echo_server.seen[-1].body) == {"n": 5, "l": [1, 2]}


def test_content_type_key_and_text_body(echo_server, make_runner) -> None:
    runner = make_runner()
    runner.run(f'r = invokeurl [ url: "{echo_server.url}/x" type: POST body: "<a/>" content-type: "text/xml" ];')
    seen = echo_server.seen[-1]
    assert seen.body == b"<a/>"
    assert seen.headers["content-type"] == "text/xml"


def test_headers_and_files(echo_server, make_runner) -> None:
    runner = make_runner()
    runner.run(f'''r = invokeurl [ url: "{echo_server.url}/up" type: POST headers: {{"X-Trace": 7}}
                   files: {{"paramName": "doc", "fileName": "a.txt", "content": "hello"}} ];''')
    seen = echo_server.seen[-1]
    assert seen.headers["x-trace"] == "7"
    assert b'name="doc"; filename="a.txt"' in seen.body and b"hello" in seen.body


def test_detailed_and_error_status_is_returned_not_thrown(echo_server, make_runner) -> None:
    runner = make_runner()
    lines = runner.run(f'''
r = invokeurl [ url: "{echo_server.url}/status/404" type: GET detailed: true ];
info r.get("responseCode");
info r.get("responseText").get("error");
info r.get("responseHeader").get("Content-Type");
info r.get("responseHeader").containKey("content-type");
plain = invokeurl [ url: "{echo_server.url}/status/500" type: GET ];
info plain;
''')
    # header names keep the server's case (Zoho's responseHeader map is case-sensitive)
    assert lines == ["404", "404", "application/json", "false", '{"error":500}']


def test_repeated_response_headers_join_under_the_first_spelling() -> None:
    from deluge_lite.net.http import server_case_headers

    raw = [(b"Set-Cookie", b"a=1"), (b"X-Id", b"7"), (b"set-cookie", b"b=2")]
    assert server_case_headers(raw) == {"Set-Cookie": "a=1, b=2", "X-Id": "7"}


def test_text_answers_stay_text_and_response_decoding(echo_server, make_runner) -> None:
    runner = make_runner()
    lines = runner.run(f'''
r = invokeurl [ url: "{echo_server.url}/text" type: GET ];
info r;
j = invokeurl [ url: "{echo_server.url}/x" type: GET response-format: "TEXT" ];
info j.startsWith("{{");
''')
    assert lines == ["plain answer é", "true"]


def test_legacy_get_and_post_url(echo_server, make_runner) -> None:
    runner = make_runner()
    lines = runner.run(f'''
info getUrl("{echo_server.url}/g").toMap().get("method");
info postUrl("{echo_server.url}/p", {{"k": "v"}}).toMap().get("body");
''')
    assert lines == ["GET", "k=v"]


def test_api_key_connection_in_header_and_query(make_registry, echo_server, make_runner) -> None:
    registry = make_registry('''
[services.acme]
display_name = "Acme"
auth_type = "api_key"
[[services.acme.params]]
name = "X-Api-Key"
param_type = "header"
[[services.acme.params]]
name = "appid"
param_type = "query"

[connections.acme_main]
display_name = "Acme main"
service = "acme"
values = { "X-Api-Key" = "sekret-header-value", appid = "sekret-query-value" }
''')
    runner = make_runner(registry)
    lines = runner.run(f'''
r = invokeurl [ url: "{echo_server.url}/a" type: GET connection: "acme_main" ];
info r.get("x_api_key");
info r.get("query");
''')
    assert lines == ["****", '{"appid":"****"}']  # secrets never reach info output
    seen = echo_server.seen[-1]
    assert seen.headers["x-api-key"] == "sekret-header-value"
    assert ("appid", "sekret-query-value") in seen.query
    assert all("sekret" not in call.url for call in runner.runtime.http_log)


def test_unknown_connection_suggests_the_nearest(make_registry, echo_server, make_runner) -> None:
    registry = make_registry('''
[services.acme]
display_name = "Acme"
auth_type = "basic"
[connections.acme_main]
display_name = "Acme"
service = "acme"
username = "u"
password = "p4ssword"
''')
    runner = make_runner(registry)
    with pytest.raises(DelugeRuntimeError, match="acme_main") as caught:
        runner.run(f'r = invokeurl [ url: "{echo_server.url}/a" type: GET connection: "acme_mian" ];')
    assert caught.value.line == 1


@pytest.mark.parametrize(("script", "message"), [
    ('r = invokeurl [ type: GET ];', "needs a url"),
    ('r = invokeurl [ url: "URL/x" type: FETCH ];', "type must be one of"),
    ('r = invokeurl [ url: "URL/x" typ: GET ];', "did you mean 'type'"),
    ('r = invokeurl [ url: "URL/x" type: POST parameters: "not json" content-type: "application/json" ];',
     "not valid JSON"),
    ('r = invokeurl [ url: "URL/loop" type: GET ];', "redirected more than"),
    ('r = invokeurl [ url: "ftp://example.com/x" ];', "must start with http"),
])
def test_bad_invokeurl_is_a_runtime_error_at_the_line(script, message, echo_server, make_runner) -> None:
    runner = make_runner()
    with pytest.raises(DelugeError, match=message) as caught:  # a check error for an unknown key
        runner.run("x = 1;\n" + script.replace("URL", echo_server.url))
    assert caught.value.line == 2


def test_hanging_server_times_out(echo_server, make_runner) -> None:
    runner = make_runner(http_timeout=0.5)
    with pytest.raises(DelugeRuntimeError, match="timed out after 0.5 seconds"):
        runner.run(f'r = invokeurl [ url: "{echo_server.url}/hang?token=abc" type: GET ];')
    assert "abc" not in runner.runtime.http_log[-1].url


def test_response_over_the_limit_is_refused(echo_server, make_runner) -> None:
    runner = make_runner(max_response_bytes=1_000_000)
    with pytest.raises(DelugeRuntimeError, match="larger than the limit"):
        runner.run(f'r = invokeurl [ url: "{echo_server.url}/big" type: GET ];')


def test_unreachable_host_names_the_url_without_secrets(make_runner) -> None:
    runner = make_runner()
    with pytest.raises(DelugeRuntimeError) as caught:
        runner.run('r = invokeurl [ url: "http://127.0.0.1:9/x?api_key=sekret" type: GET ];')
    assert "127.0.0.1:9/x" in caught.value.message and "sekret" not in caught.value.message


def test_try_catch_catches_network_errors(make_runner) -> None:
    runner = make_runner()
    lines = runner.run('''
try {
  r = invokeurl [ url: "http://127.0.0.1:9/x" type: GET ];
} catch (e) {
  info "caught at line " + e.lineNo;
}''')
    assert lines == ["caught at line 3"]


def test_trace_lines_and_http_log(echo_server, make_runner) -> None:
    traced: list[str] = []
    runner = make_runner(trace=traced.append)
    runner.run(f'x = 1;\nr = invokeurl [ url: "{echo_server.url}/t?password=hunter2" type: GET ];')
    assert len(traced) == 1
    assert traced[0].startswith(f"GET {echo_server.url}/t?password=**** -> 200 (")
    assert traced[0].endswith("connection=- line=2")
    call = runner.runtime.http_log[0]
    assert (call.method, call.status, call.line) == ("GET", 200, 2)


def test_json_bodies_carry_dates_as_zoho_prints_them(echo_server, make_runner) -> None:
    runner = make_runner()
    lines = runner.run(f'''
r = invokeurl [ url: "{echo_server.url}/j" type: POST parameters: {{"when": '15-Aug-1947', "n": 1.5}}
                content-type: "application/json" ];
info r.get("body");
info r.get("content_type");
''')
    assert lines == ['{"when":"15-Aug-1947 00:00:00","n":1.5}', "application/json"]


@pytest.mark.parametrize(("script", "message"), [
    ('r = invokeurl [ url: "http://[::1/x" ];', "invalid request"),
    ('r = invokeurl [ url: "URL/x" headers: {"X-A": "é"} ];', "invalid request"),
    ('r = invokeurl [ url: "URL/x" response-decoding: "no-such-charset" ];', "unknown character set"),
])
def test_requests_that_cannot_be_built_are_deluge_errors(script, message, echo_server, make_runner) -> None:
    runner = make_runner()
    with pytest.raises(DelugeRuntimeError, match=message):
        runner.run(script.replace("URL", echo_server.url))
