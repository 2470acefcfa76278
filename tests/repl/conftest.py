"""REPL tests: every test gets its own DELUGE_LITE_HOME (history file, connection store)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def repl_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DELUGE_LITE_HOME", str(home))
    monkeypatch.delenv("DELUGE_LITE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return home
