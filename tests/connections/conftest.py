"""Fixtures for the connections tests: a fake OAuth provider and an isolated home.

Every test gets DELUGE_LITE_HOME in a temp dir, a known DELUGE_LITE_KEY and no keyring,
so the real home and the OS keyring are never touched.
"""

from __future__ import annotations

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
