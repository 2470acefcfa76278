"""A planted secret never leaves deluge-lite, in any encoding (issue 13, secrets).

The secrets are planted in a real config and travel in real requests to a server on
127.0.0.1 that echoes them back raw, JSON-escaped and base64-encoded. Then every way text
leaves is searched for every encoding of each secret: the redactor itself, ``info``
output, errors, ``--trace``, the HTTP call log, httpx/httpcore log records (caplog), a
saved cassette, ``connections show/explain`` and the reprs of connection objects.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import httpx
import pytest

from deluge_lite import Interpreter, Runtime
from deluge_lite.connections import ConnectionRegistry, Redactor
from deluge_lite.errors import DelugeError
from deluge_lite.testing.cassette import Cassette, Stripper

KEY = "bXZrV0V0b2tlbi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="
ROOT = Path(__file__).resolve().parents[2]

# Secrets that are not random-looking (so the cassette's own "looks like a secret" check
# cannot be what catches them) and that exercise every escape: quotes, backslash, slash,
# plus, space, non-ASCII, an apostrophe.
PLAIN = "Plant3d-Secret-Alpha"
ODD = 'pä"ss\\wörd/+ k\'ey 42'
SECRETS = [PLAIN, ODD]


def _b64(text: str, alphabet: str = "std", pad: bool = True, prefix: str = "") -> str:
    data = (prefix + text).encode()
    encoded = (base64.urlsafe_b64encode if alphabet == "url" else base64.b64encode)(data).decode()
    return encoded if pad else encoded.rstrip("=")


ENCODINGS: dict[str, Callable[[str], str]] = {
    "raw": lambda s: s,
    "json": lambda s: json.dumps(s)[1:-1],
    "json-unicode": lambda s: json.dumps(s, ensure_ascii=False)[1:-1],
    "json-slash-escaped": lambda s: json.dumps(s)[1:-1].replace("/", "\\/"),
    "quote": lambda s: quote(s),
    "quote-all": lambda s: quote(s, safe=""),
    "quote-lower-hex": lambda s: quote(s, safe="").lower(),
    "quote_plus": lambda s: quote_plus(s),
    "base64": lambda s: _b64(s),
    "base64-unpadded": lambda s: _b64(s, pad=False),
    "base64-urlsafe": lambda s: _b64(s, "url"),
    "base64-urlsafe-unpadded": lambda s: _b64(s, "url", pad=False),
    "basic-user:secret": lambda s: _b64(s, prefix="alice:"),
    "basic-u:secret": lambda s: _b64(s, prefix="al:"),
    "basic-uu:secret": lambda s: _b64(s, prefix="a:"),
    "repr": lambda s: repr(s),
    "repr-bytes": lambda s: repr(s.encode()),
    "upper": lambda s: s.upper(),
    "lower": lambda s: s.lower(),
}


def leaks(text: str, secrets: list[str] = SECRETS) -> list[str]:
    """Every (secret, encoding) whose encoded form shows in ``text``."""
    found = []
    for secret in secrets:
        for name, encode in ENCODINGS.items():
            form = encode(secret)
            core = form.strip("'\"=b")  # repr quotes and base64 padding are not the secret
            if core and core in text:
                found.append(f"{secret!r} as {name}")
    return found


# ---- the redactor alone
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("secret", SECRETS + ["trailing-newline-key\n"], ids=["plain", "odd", "newline"])
def test_redactor_masks_every_encoding(secret: str, encoding: str) -> None:
    redactor = Redactor([secret])
    form = ENCODINGS[encoding](secret)
    out = redactor.redact(f"before {form} after")
    assert "****" in out
    assert not leaks(out, [secret, secret.strip()]), out


def test_redactor_masks_an_escaped_secret_inside_a_longer_base64_blob() -> None:
    redactor = Redactor([ODD])
    blob = base64.b64encode(f"header:{ODD}:trailer and more".encode()).decode()
    out = redactor.redact(blob)
    assert "****" in out and not leaks(out, [ODD])


def test_redactor_leaves_ordinary_text_alone() -> None:
    redactor = Redactor(SECRETS)
    text = "GET https://example.com/crm/v2/Leads?page=2 -> 200 (12 ms) the quick brown fox"
    assert redactor.redact(text) == text


# ---- a real server and real requests
class _Echo(BaseHTTPRequestHandler):
    """Echoes the query and the Authorization header back: JSON-escaped, unescaped and base64."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        echoed = {"query": query, "raw_query": parts.query, "authorization": self.headers.get("Authorization"),
                  "b64": base64.b64encode(json.dumps(query).encode()).decode()}
        body = json.dumps(echoed, ensure_ascii=parts.path != "/unicode").encode()
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


CONFIG = """
[services.keyq]
auth_type = "api_key"
[[services.keyq.params]]
name = "api_key"
param_type = "query"

[services.bearer]
auth_type = "oauth2"
grant_type = "client_credentials"
client_id = "client-1"
client_secret = "${CLIENT_SECRET}"
token_url = "https://token-user:${URL_PASSWORD}@127.0.0.1:9/oauth/token?client_secret=${CLIENT_SECRET}"
param_type = "query"

[services.basicsvc]
auth_type = "basic"

[connections.keyed]
service = "keyq"
values = { api_key = "${API_KEY}" }

[connections.tokened]
service = "bearer"
access_token = "${ACCESS_TOKEN}"
expires_at = 4102444800

[connections.basic]
service = "basicsvc"
username = "alice"
password = "${PASSWORD}"
"""

ENV = {"API_KEY": ODD, "ACCESS_TOKEN": PLAIN, "CLIENT_SECRET": "Client-Secret-Bravo",
       "URL_PASSWORD": "Url-Password-Charlie", "PASSWORD": "Basic-Password-Delta"}
ALL = SECRETS + ["Client-Secret-Bravo", "Url-Password-Charlie", "Basic-Password-Delta"]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "deluge.toml"
    path.write_text(CONFIG, encoding="utf-8")
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DELUGE_LITE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DELUGE_LITE_KEY", KEY)
    monkeypatch.setenv("DELUGE_LITE_NO_KEYRING", "1")
    return path


SCRIPT = """
for each link in {"keyed", "tokened", "basic"}
{
    plain = invokeurl [ url: "%(url)s/ascii" type: GET connection: link ];
    info plain;
    wide = invokeurl [ url: "%(url)s/unicode" type: GET connection: link ];
    info wide;
    info wide.get("raw_query");
}
"""


def test_no_secret_in_info_trace_call_log_or_httpx_logs(config: Path, echo_url: str,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    registry = ConnectionRegistry.load(config)
    lines: list[str] = []
    trace: list[str] = []
    runtime = Runtime(info=lines.append, connections=registry, trace=trace.append)
    with caplog.at_level(logging.DEBUG, logger="httpx"), caplog.at_level(logging.DEBUG, logger="httpcore"):
        Interpreter(runtime).run(SCRIPT % {"url": echo_url}, "leak.dg")
    runtime.close()
    assert len(lines) == 9 and all("****" in line for line in lines[:2])
    assert any("HTTP Request" in record.getMessage() for record in caplog.records)  # httpx logged the URLs
    for where, text in (("info", "\n".join(lines)), ("trace", "\n".join(trace)),
                        ("call log", "\n".join(call.url for call in runtime.http_log)), ("logs", caplog.text)):
        assert not leaks(text, ALL), (where, leaks(text, ALL), text[:2000])


def test_an_api_key_with_a_trailing_newline_is_never_quoted_in_the_error(config: Path, echo_url: str,
                                                                         tmp_path: Path) -> None:
    path = tmp_path / "header.toml"
    path.write_text('[services.h]\nauth_type = "api_key"\n[[services.h.params]]\nname = "X-Api-Key"\n'
                    'param_type = "header"\n[connections.h]\nservice = "h"\nvalues = { "X-Api-Key" = "${NL_KEY}" }\n')
    script = tmp_path / "s.dg"
    script.write_text(f'r = invokeurl [ url: "{echo_url}/x" type: GET connection: "h" ];\ninfo r;\n')
    env = {**os.environ, "NL_KEY": "Header-Key-Echo\n", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--trace", "--config", str(path), str(script)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1, result.stderr
    assert "X-Api-Key" in result.stderr and "line break" in result.stderr
    assert "Traceback" not in result.stderr
    assert not leaks(result.stdout + result.stderr, ["Header-Key-Echo"]), result.stderr


def test_network_errors_name_no_secret(config: Path) -> None:
    registry = ConnectionRegistry.load(config)
    runtime = Runtime(info=lambda line: None, connections=registry)
    for link in ("keyed", "tokened", "basic"):
        url = f"http://127.0.0.1:9/x?token={quote(ODD)}&api_key={quote_plus(PLAIN)}"
        with pytest.raises(DelugeError) as caught:
            Interpreter(runtime).run(f'r = invokeurl [ url: "{url}" type: GET connection: "{link}" ];', "e.dg")
        # the message only: the source excerpt under it shows the script line as the user wrote it
        assert "failed" in caught.value.message and not leaks(caught.value.message, ALL), caught.value.message
    runtime.close()


def test_cassettes_hold_no_secret_the_server_escaped(config: Path, echo_url: str, tmp_path: Path) -> None:
    registry = ConnectionRegistry.load(config)
    cassette = Cassette(tmp_path / "cassettes" / "leak.json", stripper=Stripper(redact=registry.redactor.redact))
    with httpx.Client() as client:
        for link in ("keyed", "tokened", "basic"):
            for path in ("/ascii", "/unicode"):
                response = client.get(echo_url + path, auth=registry.auth_for(link))
                cassette.record(response.request, response)
    assert cassette.save()
    text = cassette.path.read_text(encoding="utf-8")
    assert "****" in text
    assert not leaks(text, ALL), leaks(text, ALL)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deluge_lite", *args], capture_output=True, text=True,
                          timeout=60, env={**env, "PYTHONPATH": str(ROOT)})


def test_connections_show_and_explain_mask_credentials_in_urls(config: Path) -> None:
    env = dict(os.environ)
    outputs = []
    for command in ("show", "explain"):
        for link in ("keyed", "tokened", "basic"):
            result = _cli("connections", "--config", str(config), command, link, env=env)
            assert result.returncode == 0, result.stderr
            outputs.append(result.stdout + result.stderr)
    text = "\n".join(outputs)
    assert "token-user" not in text  # the whole userinfo of the token URL is masked
    assert "https://****@127.0.0.1:9/oauth/token?client_secret=****" in text
    assert not leaks(text, ALL), text


def test_token_url_credentials_stay_out_of_token_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         config: Path) -> None:
    registry = ConnectionRegistry.load(config)
    keeper = registry.keeper("tokened")
    keeper.save(keeper.current().merged(type(keeper.current())(expires_at=1.0)))  # expired: must refresh
    with pytest.raises(DelugeError) as caught:
        keeper.access()
    message = caught.value.message
    assert "token endpoint" in message and not leaks(message, ALL), message


def test_reprs_of_connection_objects_show_no_secret(config: Path) -> None:
    registry = ConnectionRegistry.load(config)
    shown = [repr(registry), repr(registry.redactor), repr(registry.store)]
    for link in registry.links():
        connection = registry.get(link)
        keeper = registry.keeper(link)
        shown += [repr(connection), repr(connection.service), repr(connection.seeds), repr(keeper),
                  repr(keeper.current()), repr(registry.auth_for(link)), str(connection.seeds)]
    assert not leaks("\n".join(shown), ALL), shown


def test_httpx_logs_mask_secret_query_values_even_without_connections(echo_url: str,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    trace: list[str] = []
    runtime = Runtime(info=lambda line: None, trace=trace.append)
    url = f"{echo_url}/x?access_token=Literal-Token-Golf&page=2&api_key=Literal-Key-Hotel"
    with caplog.at_level(logging.DEBUG, logger="httpx"), caplog.at_level(logging.DEBUG, logger="httpcore"):
        Interpreter(runtime).run(f'r = invokeurl [ url: "{url}" type: GET ];', "literal.dg")
    runtime.close()
    assert "HTTP Request" in caplog.text and "page=2" in caplog.text
    for text in (caplog.text, "\n".join(trace)):
        assert "Literal-Token-Golf" not in text and "Literal-Key-Hotel" not in text, text
