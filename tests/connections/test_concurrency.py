"""One refresh per expiry: many threads and many processes with an expired token make one token request."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from connhelpers import HTTP, PYTHON, cli_env, oauth2_service

from deluge_lite.connections import ConnectionRegistry
from deluge_lite.testing import FakeOAuthProvider

Load = Callable[..., ConnectionRegistry]
Write = Callable[[str], Path]

WORKER = """
import sys, threading, httpx
from deluge_lite.connections import ConnectionRegistry
registry = ConnectionRegistry.load()
http = httpx.Client()
barrier = threading.Barrier(4)
codes = []
def work():
    barrier.wait()
    codes.append(http.get(sys.argv[1], auth=registry.auth_for("acme_main")).status_code)
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(" ".join(map(str, codes)))
sys.exit(0 if len(codes) == 4 else 3)
"""


def _expired_setup(provider: FakeOAuthProvider, load: Load, write: Write) -> tuple[ConnectionRegistry, Path]:
    provider.rotate_refresh_tokens = True  # the hard case: a second refresh would use a dead token
    access, refresh = provider.issue_tokens(expires_in=-1)
    path = write(oauth2_service(provider) + f'[connections.acme_main]\nservice = "acme"\n'
                 f'refresh_token = "{refresh}"\naccess_token = "{access}"\n')
    registry = load(path)
    keeper = registry.keeper("acme_main")
    creds = keeper.current()
    creds.expires_at = time.time() - 30  # stored as expired
    keeper.save(creds)
    return registry, path


def test_threads_make_one_refresh(provider: FakeOAuthProvider, load: Load, write: Write) -> None:
    registry, _ = _expired_setup(provider, load, write)
    barrier = threading.Barrier(8)
    codes: list[int] = []

    def work() -> None:
        barrier.wait()
        codes.append(HTTP.get(provider.echo_url, auth=registry.auth_for("acme_main")).status_code)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [200] * 8
    assert provider.refresh_count == 1


def test_processes_make_one_refresh(provider: FakeOAuthProvider, load: Load, write: Write, home: Path) -> None:
    _, path = _expired_setup(provider, load, write)
    env = cli_env(home, DELUGE_LITE_CONFIG=str(path))
    workers = [subprocess.Popen([PYTHON, "-c", WORKER, provider.echo_url], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for (out, err), worker in zip(outputs, workers, strict=True):
        assert worker.returncode == 0, err
        assert out.split() == ["200"] * 4
    assert provider.refresh_count == 1
    assert provider.counters.rejected == 0


FLEET_WORKER = """
import sys, threading, time, httpx
from deluge_lite.connections import ConnectionRegistry
registry = ConnectionRegistry.load()
http = httpx.Client()
barrier = threading.Barrier(8)
codes = []
def work():
    barrier.wait()
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        codes.append(http.get(sys.argv[1], auth=registry.auth_for("acme_main")).status_code)
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(len(codes), sum(1 for c in codes if c != 200))
"""


def test_8_processes_x_8_threads_with_a_30_s_token_make_one_token_request(
        provider: FakeOAuthProvider, load: Load, write: Write, home: Path) -> None:
    provider.access_token_lifetime = 30  # below the old 60 s margin: every request used to refresh
    _, path = _expired_setup(provider, load, write)
    env = cli_env(home, DELUGE_LITE_CONFIG=str(path))
    workers = [subprocess.Popen([PYTHON, "-c", FLEET_WORKER, provider.echo_url, "1"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    total = 0
    for (out, err), worker in zip(outputs, workers, strict=True):
        assert worker.returncode == 0, err
        made, failed = map(int, out.split())
        assert made > 0 and failed == 0
        total += made
    assert total >= 64
    assert provider.refresh_count == 1  # one token request for the whole lifetime, across 64 threads
    assert provider.counters.rejected == 0
