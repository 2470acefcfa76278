"""A tiny "real" API on 127.0.0.1 for the plugin's record/replay tests (shared by conftest and tests)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A long random-looking token, as a careless API might put in a body.
RANDOM_TOKEN = "Zq8Kx2Lw9Vb4Nm7Tp1Rs6Yd3Hf5Jg0Qe8Uc2Wa"
ANSWERS = {
    "/api/user": {"name": "Ada", "id": 42},
    "/api/login": {"access_token": "ya29.a0AfB_byDq", "expires_in": 3600, "user": "ada"},
    "/api/report": {"note": "signed " + RANDOM_TOKEN},
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        self.server.seen.append((self.command, self.path, self.headers.get("Authorization")))  # type: ignore[attr-defined]
        body = json.dumps(ANSWERS.get(path, {"error": "not found"})).encode()
        self.send_response(200 if path in ANSWERS else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815


class LocalApi:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.seen = []  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    @property
    def seen(self) -> list[tuple[str, str, str | None]]:
        return self.server.seen  # type: ignore[attr-defined,no-any-return]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
