"""Shared helpers of the connections tests (a unique module name: tests/ is not a package)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from deluge_lite.connections.cli import main
from deluge_lite.testing import FakeOAuthProvider

KEY = "bXZrV0V0b2tlbi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="  # a Fernet key: no scrypt per process
ROOT = Path(__file__).resolve().parents[2]
# One client for the whole suite: a new httpx.Client per call costs an SSL context each time.
HTTP = httpx.Client(timeout=30)


def oauth2_service(provider: FakeOAuthProvider, name: str = "acme", **extra: str) -> str:
    """A [services.NAME] table for the fake provider's OAuth 2 endpoints."""
    lines = [f"[services.{name}]", 'auth_type = "oauth2"', 'client_id = "test-client"',
             'client_secret = "test-secret"', f'authorize_url = "{provider.authorize_url}"',
             f'token_url = "{provider.token_url}"']
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DELUGE_LITE_")}
    env.update(DELUGE_LITE_HOME=str(home), DELUGE_LITE_KEY=KEY, DELUGE_LITE_NO_KEYRING="1",
               PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


PYTHON = sys.executable


class Cli:
    """Runs the CLI and keeps every byte it printed: in-process by default (fast), or as a
    real subprocess (``proc=True``: ``python -m deluge_lite.connections``)."""

    def __init__(self, home: Path, cwd: Path, **env: str) -> None:
        self.env = cli_env(home, **env)
        self.cwd = cwd
        self.transcript: list[str] = []

    def __call__(self, *args: str, stdin: str = "", expect: int = 0, proc: bool = False) -> Result:
        result = self._subprocess(args, stdin) if proc else self._in_process(args, stdin)
        self.transcript += [result.stdout, result.stderr]
        assert result.returncode == expect, (args, result.stdout, result.stderr)
        return result

    def _subprocess(self, args: tuple[str, ...], stdin: str) -> Result:
        done = subprocess.run([PYTHON, "-m", "deluge_lite.connections", *args], input=stdin, text=True,
                              capture_output=True, env=self.env, cwd=self.cwd, timeout=60)
        return Result(done.returncode, done.stdout, done.stderr)

    def _in_process(self, args: tuple[str, ...], stdin: str) -> Result:
        saved_env, saved_cwd, saved_stdin = dict(os.environ), os.getcwd(), sys.stdin
        out, err = io.StringIO(), io.StringIO()
        os.environ.clear()
        os.environ.update(self.env)
        os.chdir(self.cwd)
        sys.stdin = io.StringIO(stdin)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:
                    code = int(exc.code or 0)
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
            sys.stdin = saved_stdin
        return Result(code, out.getvalue(), err.getvalue())

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([PYTHON, "-m", "deluge_lite.connections", *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
                                cwd=self.cwd)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
