"""Fixtures for the connections tests: a fake OAuth provider and an isolated home.

Every test gets DELUGE_LITE_HOME in a temp dir, a known DELUGE_LITE_KEY and no keyring,
so the real home and the OS keyring are never touched.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from connhelpers import KEY

from deluge_lite.connections import ConnectionRegistry
from deluge_lite.testing import FakeOAuthProvider


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("DELUGE_LITE_HOME", str(folder))
    monkeypatch.setenv("DELUGE_LITE_KEY", KEY)
    monkeypatch.setenv("DELUGE_LITE_NO_KEYRING", "1")
    monkeypatch.delenv("DELUGE_LITE_CONFIG", raising=False)
    monkeypatch.delenv("DELUGE_LITE_KEY_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture
def provider() -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider() as fake:
        yield fake


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "deluge.toml"
        path.write_text(text)
        return path

    return write


@pytest.fixture
def write(write_config: Callable[[str], Path]) -> Callable[[str], Path]:
    return write_config


@pytest.fixture
def load(home: Path) -> Callable[..., ConnectionRegistry]:
    def build(config: Path | None = None, **kwargs: object) -> ConnectionRegistry:
        return ConnectionRegistry.load(config, **kwargs)  # type: ignore[arg-type]

    return build


class RedisServer:
    """A real redis-server on a free 127.0.0.1 port, persistence off (a restart loses everything)."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists()
                                              else None)
    if binary is None:
        pytest.skip("no redis-server binary on this machine (CI installs Debian's redis-server in .ci/run)")
    pytest.importorskip("redis", reason="the redis client is not installed: pip install 'deluge-lite[redis]'")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(binary, folder).start()
    try:
        yield server
    finally:
        server.stop()
