"""Fixtures for the network layer: a recording HTTP server on 127.0.0.1 and runtimes wired to it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from deluge_lite import Interpreter, Runtime
from deluge_lite.connections import ConnectionRegistry


@dataclass
class Seen:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class EchoServer:
    """Answers every request with JSON describing it; special paths misbehave on purpose."""

    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)


def _handler(state: EchoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            state.seen.append(Seen(self.command, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                                   {k.lower(): v for k, v in self.headers.items()}, body))
            if parts.path == "/hang":
                state.release.wait(10)
                return
            if parts.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if parts.path == "/big":
                payload = b"x" * 3_000_000
                self._send(200, payload, "text/plain")
                return
            if parts.path == "/text":
                self._send(200, "plain answer é".encode("latin-1"), "text/plain; charset=latin-1")
                return
            if parts.path.startswith("/files/"):  # a download: ?type= its content type, ?name= an attachment name
                options = dict(parse_qsl(parts.query))
                payload = b"%PDF-1.4 \x00\xff binary" if options.get("type") != "text/csv" else b"id,name\n1,Ana\n"
                self.send_response(200)
                self.send_header("Content-Type", options.get("type", "application/octet-stream"))
                if "name" in options:
                    self.send_header("Content-Disposition", f'attachment; filename="{options["name"]}"')
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if parts.path.startswith("/status/"):
                code = int(parts.path.rsplit("/", 1)[1])
                self._send(code, json.dumps({"error": code}).encode(), "application/json")
                return
            echo = {"method": self.command, "path": parts.path, "query": dict(parse_qsl(parts.query)),
                    "content_type": self.headers.get("Content-Type"), "body": body.decode("utf-8", "replace"),
                    "authorization": self.headers.get("Authorization"), "x_api_key": self.headers.get("X-Api-Key")}
            self._send(200, json.dumps(echo).encode(), "application/json")

        def _send(self, code: int, payload: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    return Handler


@pytest.fixture
def echo_server() -> Iterator[EchoServer]:
    state = EchoServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    time.sleep(0)


@pytest.fixture
def make_registry(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A connection registry from TOML text (no encrypted store, no environment)."""
    def make(toml: str) -> ConnectionRegistry:
        path = tmp_path / "deluge.toml"
        path.write_text(toml, encoding="utf-8")
        return ConnectionRegistry.load(path, use_store=False, env={})

    return make


@dataclass
class Runner:
    """Runs Deluge source with a runtime whose info lines are collected."""

    runtime: Runtime
    lines: list[str] = field(default_factory=list)

    def run(self, text: str) -> list[str]:
        self.lines.clear()
        Interpreter(self.runtime).run(text, "net_test.dg")
        return list(self.lines)


@pytest.fixture
def make_runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DELUGE_LITE_HOME", str(tmp_path / "home"))

    def make(connections: ConnectionRegistry | None = None, **options: Any) -> Runner:
        runner = Runner(Runtime())
        runner.runtime = Runtime(info=runner.lines.append, connections=connections, **options)
        return runner

    return make
