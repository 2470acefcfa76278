"""What deluge-lite keeps for a user is readable by that user only (issue 13, permissions).

``$DELUGE_LITE_HOME`` and the folders under it are 0700, missing parents included; the
store, its key, its lock files, the REPL history and the sandbox's ``deluge.toml`` are
0600. Existing folders and files that are too open are tightened when opened, but never
the user's home folder itself. Modes are read with ``os.stat``; the store is a real SQLite
file and the history a real prompt_toolkit file.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from deluge_lite.connections.private_files import private_dir, private_file
from deluge_lite.connections.store import Store
from deluge_lite.repl.session.history import HISTORY_FILE, open_history

KEY = "bXZrV0V0b2tlbi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="
ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def _open_umask() -> object:
    """A permissive umask, as many systems have: modes must not depend on it."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_store_home_and_its_parents_are_created_0700_and_files_0600(tmp_path: Path) -> None:
    home = tmp_path / "a" / "b" / "home"
    env = {"DELUGE_LITE_HOME": str(home), "DELUGE_LITE_NO_KEYRING": "1"}  # no key: a key file is made
    store = Store.open(home, env)
    store.put_tokens("crm", {"access_token": "x"})
    with store.lock("crm"):
        pass
    for folder in (tmp_path / "a", tmp_path / "a" / "b", home, home / "keys", home / "locks"):
        assert mode(folder) == 0o700, folder
    for file in (home / "connections.db", home / "keys" / "store.key", home / "locks" / "crm.lock"):
        assert mode(file) == 0o600, file


def test_existing_open_home_and_store_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    Store.open(home, {"DELUGE_LITE_KEY": KEY, "DELUGE_LITE_NO_KEYRING": "1"}).put_tokens("crm", {"a": "b"})
    os.chmod(home / "connections.db", 0o644)
    Store.open(home, {"DELUGE_LITE_KEY": KEY, "DELUGE_LITE_NO_KEYRING": "1"}).tokens("crm")
    assert mode(home) == 0o700
    assert mode(home / "connections.db") == 0o600


def test_repl_history_is_0600_in_a_0700_home_and_an_open_one_is_tightened(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    history = open_history(home, warn=lambda line: None)
    history.append_string('info "typed with a secret";')
    assert mode(home) == 0o700 and mode(home.parent) == 0o700
    assert mode(home / HISTORY_FILE) == 0o600

    old = tmp_path / "old"
    old.mkdir()
    os.chmod(old, 0o755)
    (old / HISTORY_FILE).write_text("\n# 2024-01-01\n+info 1;\n")
    os.chmod(old / HISTORY_FILE, 0o644)
    history = open_history(old, warn=lambda line: None)
    assert list(history.load_history_strings()) == ["info 1;"]
    assert mode(old) == 0o700 and mode(old / HISTORY_FILE) == 0o600


def test_a_corrupt_history_set_aside_is_private_too(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / HISTORY_FILE).write_bytes(b"\x00binary")
    os.chmod(home / HISTORY_FILE, 0o644)
    warnings: list[str] = []
    open_history(home, warnings.append)
    assert warnings and mode(home / f"{HISTORY_FILE}.corrupt") == 0o600


def test_the_users_home_folder_is_never_narrowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_home = tmp_path / "user"
    user_home.mkdir()
    os.chmod(user_home, 0o755)
    monkeypatch.setenv("HOME", str(user_home))
    private_dir(user_home)
    assert mode(user_home) == 0o755
    private_dir(user_home / ".deluge-lite")
    assert mode(user_home) == 0o755 and mode(user_home / ".deluge-lite") == 0o700


def test_private_file_never_truncates_and_never_follows_a_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    os.chmod(target, 0o644)
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(OSError):
        private_file(tmp_path / "link")
    assert target.read_text() == "keep me" and mode(target) == 0o644
    existing = tmp_path / "existing"
    existing.write_text("data")
    os.chmod(existing, 0o664)
    private_file(existing)
    assert existing.read_text() == "data" and mode(existing) == 0o600


def test_connections_add_through_the_cli_leaves_a_private_home(tmp_path: Path) -> None:
    home = tmp_path / "cli-home"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DELUGE_LITE_")},
           "DELUGE_LITE_HOME": str(home), "DELUGE_LITE_NO_KEYRING": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "deluge_lite", "connections", "add", "--no-input", "--link", "keyed",
         "--auth-type", "api_key", "--param", "appid:query", "--value", "appid=abcd-1234"],
        capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path, umask=0o022)
    assert result.returncode == 0, result.stderr
    assert mode(home) == 0o700 and mode(home / "connections.db") == 0o600
    assert mode(home / "keys") == 0o700 and mode(home / "keys" / "store.key") == 0o600


def test_sandbox_config_folder_and_file_are_private(tmp_path: Path) -> None:
    from deluge_lite.sandbox import Sandbox

    folder = tmp_path / "home" / "sandbox"
    with Sandbox(config_dir=folder, sample=2) as sandbox:
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
        assert mode(sandbox.config_path) == 0o600
        assert "refresh_token" in sandbox.config_path.read_text()
