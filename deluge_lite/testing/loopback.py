"""The lifecycle shared by the fake services: an HTTP server on 127.0.0.1 in a daemon thread.

`LoopbackServer` owns start/stop, the port (0 picks a free one), the URL and the context
manager; a fake supplies its request handler class through `handler_class()`.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer:
    """Base of the fakes: ``start()`` serves on 127.0.0.1:``port``; ``stop()`` ends it."""

    thread_name = "loopback-server"

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):  # type: ignore[no-untyped-def]  # returns the subclass
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler_class())
        server.daemon_threads = True
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name=self.thread_name)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def close(self) -> None:
        """Stop serving and release everything else the fake holds."""
        self.stop()

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r})"
