"""The stdlib's TOML tables (data.read_table): the cached copy is the parse, and a bad or stale copy is a miss."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from deluge_lite import data


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DELUGE_LITE_CACHE", str(folder))
    return folder


@pytest.mark.parametrize("name", ["contexts.toml", "tasks.toml", "unsimulated.toml", "services.toml"])
def test_the_cached_table_is_the_parsed_file(cache: Path, name: str) -> None:
    parsed = tomllib.loads(data.data_path("stdlib", name).read_text(encoding="utf-8"))
    assert data.read_table("stdlib", name) == parsed  # parsed, then stored
    stored = cache / f"table-stdlib-{name}.marshal"
    assert stored.stat().st_mode & 0o077 == 0
    assert data.read_table("stdlib", name) == parsed  # read back


def test_a_corrupt_or_foreign_copy_is_parsed_again(cache: Path) -> None:
    parsed = data.read_table("stdlib", "contexts.toml")
    stored = cache / "table-stdlib-contexts.toml.marshal"
    stored.write_bytes(b"\x00garbage")
    assert data.read_table("stdlib", "contexts.toml") == parsed
    stored.write_bytes(b"")
    stored.chmod(0o666)  # writable by others: never read
    assert data.read_table("stdlib", "contexts.toml") == parsed


def test_each_call_returns_its_own_copy(cache: Path) -> None:
    first = data.read_table("stdlib", "contexts.toml")
    first.clear()
    assert data.read_table("stdlib", "contexts.toml")
