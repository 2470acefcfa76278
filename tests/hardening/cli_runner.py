"""Running ``deluge-lite`` in a subprocess under a memory cap, and checking its errors read as Deluge's.

`PlainServer` is a loopback HTTP server for the scripts to call: every GET and POST gets a
short text reply whose Content-Type names the character set ``undefined``.

`run_cli` starts the real CLI (``python -m deluge_lite``) with its address space limited
to `MEMORY_CAP` (1 GB, the issue's bound with the default size budget) and a generous
wall-clock timeout that only catches hangs; `deluge_error` checks a run ended with exit 1
and a rendered ``file:line:col`` message naming no Python class.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from deluge_lite.testing.loopback import LoopbackServer

MEMORY_CAP = 1 << 30
ROOT = Path(__file__).resolve().parents[2]
# what a message must never show: Python's exception classes and tracebacks
PYTHON_WORDS = re.compile(r"Traceback|\b[A-Z]\w*(Error|Exception)\b|NoneType|<class |VisitError|lark\.")


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run_cli(args: Sequence[str], *, cwd: Path | None = None, timeout: float = 60.0,
            stdin: str | None = None, discard_output: bool = False, memory: int = MEMORY_CAP) -> Ran:
    """``deluge-lite ARGS`` in a subprocess capped at ``memory`` bytes of address space.

    ``discard_output`` sends stdout and stderr to /dev/null (for runs that print a lot).
    """

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "DELUGE_LITE_NO_CACHE": "1"}
    env.pop("DELUGE_LITE_CONFIG", None)
    sink = subprocess.DEVNULL if discard_output else subprocess.PIPE
    done = subprocess.run([sys.executable, "-m", "deluge_lite", *args], cwd=cwd, env=env, stdout=sink, stderr=sink,
                          timeout=timeout, preexec_fn=cap_memory, input=stdin,
                          text=True, encoding="utf-8", errors="replace")
    return Ran(done.returncode, done.stdout or "", done.stderr or "")


def run_script(tmp_path: Path, text: str, *options: str, timeout: float = 60.0, discard_output: bool = False,
               memory: int = MEMORY_CAP) -> Ran:
    """Write ``text`` to ``bomb.dg`` and run it (``options`` go after the file: ``--timeout 3``)."""
    script = tmp_path / "bomb.dg"
    script.write_text(text, encoding="utf-8")
    return run_cli(["run", str(script), *options], cwd=tmp_path, timeout=timeout,
                   discard_output=discard_output, memory=memory)


def deluge_error(ran: Ran, *fragments: str) -> str:
    """Assert the run failed as a script error (exit 1) with a Deluge message; returns stderr."""
    assert ran.code == 1, f"exit {ran.code}\nstdout: {ran.out[-500:]}\nstderr: {ran.err[-2000:]}"
    assert re.search(r"\.dg:\d+:\d+: error: ", ran.err), ran.err[-2000:]
    assert "^" in ran.err, ran.err[-2000:]
    assert not PYTHON_WORDS.search(ran.err), ran.err[-2000:]
    for fragment in fragments:
        assert fragment in ran.err, f"{fragment!r} not in: {ran.err[-2000:]}"
    return ran.err


def loop(times: int, var: str = "i") -> str:
    """A ``for each`` header running ``times`` iterations (Deluge has no counted loop)."""
    return f'for each {var} in (leftpad("", {times - 1}).replaceAll(" ", "a,") + "a").toList()'


class PlainServer(LoopbackServer):
    """Replies ``café {"a": 1}`` to every GET and POST (the body of a POST is read and dropped)."""

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = "caf\u00e9 {\"a\": 1}".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=undefined")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.do_GET()

            def log_message(self, *_args: object) -> None:
                pass
        return Handler
