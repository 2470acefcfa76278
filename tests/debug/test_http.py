"""Stopping before HTTP calls (--break-on-http, DAP breakOnHttp): method, URL and connection, secrets masked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import debug_cli
from .dap_client import DapClient

SECRET = "Sekret-Key-Alpha-42"
LITERAL = "Literal-Key-Hotel"
CONFIG = """
[services.keyq]
auth_type = "api_key"
[[services.keyq.params]]
name = "api_key"
param_type = "query"

[connections.keyed]
service = "keyq"
values = { api_key = "${DEBUG_TEST_KEY}" }
"""
SCRIPT = """\
key = "%(secret)s";
r = invokeurl [ url: "%(url)s/x?token=%(literal)s&page=2" type: GET connection: "keyed" ];
info r.get("seen");
"""


class _Echo(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = json.dumps({"seen": "yes"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path, echo_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "deluge.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "call.dg").write_text(SCRIPT % {"secret": SECRET, "url": echo_url, "literal": LITERAL},
                                      encoding="utf-8")
    monkeypatch.setenv("DEBUG_TEST_KEY", SECRET)
    monkeypatch.setenv("DELUGE_LITE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DELUGE_LITE_NO_KEYRING", "1")
    return tmp_path


def test_terminal_stops_before_each_http_call_with_secrets_masked(project: Path, echo_url: str) -> None:
    result = debug_cli("debug", str(project / "call.dg"), "--break-on-http", "--config", str(project / "deluge.toml"),
                       stdin="c\nvars\nprint key + \"!\"\nlist\nc\n", home=project / "home")
    out, err = result.stdout, result.stderr
    assert result.returncode == 0, err
    assert f"stopped before an HTTP call: GET {echo_url}/x?token=****&page=2 (connection: keyed)" in out
    assert "key = ****\n" in out and "****!\n" in out
    assert "yes\n" in out  # the call went ahead after continue
    for text in (out, err):
        assert SECRET not in text and LITERAL not in text


def test_without_the_flag_http_calls_do_not_stop(project: Path) -> None:
    result = debug_cli("debug", str(project / "call.dg"), "--config", str(project / "deluge.toml"),
                       stdin="c\n", home=project / "home")
    assert "before an HTTP call" not in result.stdout
    assert "yes\n" in result.stdout


def test_dap_break_on_http(project: Path, echo_url: str) -> None:
    client = DapClient()
    try:
        client.start(str(project / "call.dg"), config=str(project / "deluge.toml"), breakOnHttp=True)
        stop = client.stopped()
        assert stop["reason"] == "breakpoint"
        assert stop["description"] == f"GET {echo_url}/x?token=****&page=2 (connection: keyed)"
        assert stop["frames"][0]["line"] == 2
        local = client.scope_variables(stop["frames"][0]["id"], "Locals")
        assert local["key"]["value"] == "****"
        assert client.request("evaluate", expression="key", frameId=1)["result"] == "****"
        client.request("continue", threadId=1)
        assert client.event("exited") == {"exitCode": 0}
        assert client.output() == "yes\n"
        assert SECRET not in json.dumps(client.raw) and LITERAL not in json.dumps(client.raw)
    finally:
        client.close()
