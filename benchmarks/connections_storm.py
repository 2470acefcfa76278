"""Token requests per request in the refresh-storm cases of issue 15, and the two store backends.

    .venv/bin/python benchmarks/connections_storm.py              # 5 s per case
    .venv/bin/python benchmarks/connections_storm.py --seconds 2

Each case runs requests in a loop against the fake OAuth provider (a real HTTP server on
127.0.0.1) and prints one JSON line: requests made, requests per second, token requests
the provider saw. Cases: a 30 s token (below the old fixed 60 s margin), a 1 h token, a
resource that always answers 401, a token endpoint that throttles (HTTP 200 with an error
body, as Zoho answers); then 8 threads on the SQLite store and, when a redis-server binary
is on PATH, on a Redis store. Run it from an older checkout (PYTHONPATH=that tree) for
"before" figures; the README's connections section has both. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable

import httpx

from deluge_lite.connections import ConnectionAuthError, ConnectionRegistry
from deluge_lite.testing import FakeOAuthProvider

KEY = "bXZrV0V0b2tlbi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="


class _Always401(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b'{"code": "INVALID_TOKEN"}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def _registry(provider: FakeOAuthProvider, store: str) -> ConnectionRegistry:
    home = tempfile.mkdtemp(prefix="dl-bench-")
    os.environ.update(DELUGE_LITE_HOME=home, DELUGE_LITE_KEY=KEY, DELUGE_LITE_NO_KEYRING="1",
                      DELUGE_LITE_STORE=store)
    _, refresh = provider.issue_tokens()
    path = os.path.join(home, "deluge.toml")
    with open(path, "w") as handle:
        handle.write(f'[services.acme]\nauth_type = "oauth2"\nclient_id = "test-client"\nclient_secret = "test-secret"\n'
                     f'token_url = "{provider.token_url}"\n'
                     f'[connections.acme_main]\nservice = "acme"\nrefresh_token = "{refresh}"\n')
    return ConnectionRegistry.load(path)


def case(name: str, seconds: float, configure: Callable[[FakeOAuthProvider], None], *, url: str | None = None,
         threads: int = 1, store: str = "sqlite") -> None:
    with FakeOAuthProvider() as provider:
        configure(provider)
        registry = _registry(provider, store)
        target = url or provider.echo_url
        client = httpx.Client(timeout=30)
        counts = {"requests": 0, "errors": 0}
        lock = threading.Lock()
        end = time.time() + seconds

        def work() -> None:
            while time.time() < end:
                try:
                    client.get(target, auth=registry.auth_for("acme_main"))
                except ConnectionAuthError:
                    with lock:
                        counts["errors"] += 1
                with lock:
                    counts["requests"] += 1

        workers = [threading.Thread(target=work) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stats = provider.stats()
        print(json.dumps({"case": name, "store": store.split(":")[0], "threads": threads, "seconds": seconds,
                          "requests": counts["requests"], "per_second": round(counts["requests"] / seconds),
                          "token_requests": stats["refresh"], "errors": counts["errors"]}), flush=True)


def _redis_server() -> tuple[subprocess.Popen[bytes], str] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    return server, f"redis://127.0.0.1:{port}/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    seconds = parser.parse_args().seconds
    always = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Always401)
    threading.Thread(target=always.serve_forever, daemon=True).start()
    case("30 s token", seconds, lambda p: setattr(p, "access_token_lifetime", 30))
    case("1 h token", seconds, lambda p: setattr(p, "access_token_lifetime", 3600))
    case("always 401", seconds, lambda p: None, url=f"http://127.0.0.1:{always.server_address[1]}/api")
    case("throttling token endpoint", seconds, lambda p: setattr(p, "token_mode", "throttle"))
    case("1 h token", seconds, lambda p: None, threads=8)
    redis = _redis_server()
    if redis is not None:
        try:
            case("1 h token", seconds, lambda p: None, threads=8, store=redis[1])
            case("5 s token", seconds, lambda p: setattr(p, "access_token_lifetime", 5), threads=8, store=redis[1])
        finally:
            redis[0].kill()
    always.shutdown()


if __name__ == "__main__":
    main()
