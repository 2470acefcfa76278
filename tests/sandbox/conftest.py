"""Fixtures for the sandbox tests: the fake Zoho on 127.0.0.1, an HTTP client, and a sandboxed runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from deluge_lite import Interpreter, Runtime
from deluge_lite.sandbox import Sandbox
from deluge_lite.testing.fake_zoho import FakeZoho

TOKEN = "tok-sandbox"
AUTH = {"Authorization": f"Zoho-oauthtoken {TOKEN}"}
FIXED = datetime(2024, 5, 2, 10, 20, 30, tzinfo=UTC)


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho(accept_tokens={TOKEN}, clock=lambda: FIXED, connectors={"sms.send": {"sent": True}},
                  functions=lambda name, args: _function(name, args)) as server:
        yield server


def _function(name: str, args: dict[str, Any]) -> Any:
    if name != "double":
        raise LookupError(name)
    return {"twice": int(args.get("n", 0)) * 2}


@pytest.fixture
def web(zoho: FakeZoho) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=zoho.url, headers=AUTH, verify=False) as client:
        yield client


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    notices: list[str] = []
    with Sandbox(sample=6, config_dir=tmp_path / "sandbox", notice=notices.append) as running:
        running.notices = notices  # type: ignore[attr-defined]
        yield running


@pytest.fixture
def run_deluge(sandbox: Sandbox) -> Callable[[str], list[str]]:
    """Run Deluge text with the sandbox installed; returns its info lines."""

    def run(text: str) -> list[str]:
        lines: list[str] = []
        runtime = Runtime(info=lines.append)
        interpreter = Interpreter(runtime)
        sandbox.install(runtime)
        try:
            interpreter.run(text)
        finally:
            runtime.close()
        return lines

    return run
