"""The grammar cache never loads a file another user could have written (issue 13, high).

Each test plants a pickle that would create a marker file when unpickled, in a place or
with a mode the cache must refuse, and checks the marker never appears. The parse runs
in a subprocess so the cache lookup really happens (the parser is built once per process).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from deluge_lite import private_cache


class _Bomb:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "pwned"))


def _parse_in_subprocess(cache: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, private_cache.CACHE_ENV: str(cache), "TMPDIR": str(tmp_path / "shared-tmp")}
    (tmp_path / "shared-tmp").mkdir(exist_ok=True)
    # the grammar cache belongs to the lark parser (the fallback and the tests' reference)
    code = "from deluge_lite.parsing import lark_backend; lark_backend.parse('info 1 + 2;'); print('parsed')"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.name.startswith("grammar-"))


@pytest.fixture
def warm_cache(tmp_path: Path) -> Path:
    """A private cache folder after one run has written the grammar into it."""
    cache = tmp_path / "cache"
    assert _parse_in_subprocess(cache, tmp_path).stdout.strip() == "parsed"
    return cache


def test_cache_folder_and_file_are_private(warm_cache: Path) -> None:
    assert warm_cache.stat().st_mode & 0o777 == 0o700
    files = _cache_files(warm_cache)
    assert len(files) == 1
    assert files[0].stat().st_mode & 0o777 == 0o600


def test_planted_file_in_shared_temp_is_never_read(tmp_path: Path) -> None:
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    marker = tmp_path / "marker"
    for name in (".lark_cache_root_x.tmp", "deluge-lite.lark"):
        (shared / name).write_bytes(pickle.dumps(_Bomb(marker)))
    result = _parse_in_subprocess(tmp_path / "cache", tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr
    assert not marker.exists()
    # nothing is written there either (Lark's own cache=True would put its pickle here)
    assert sorted(p.name for p in shared.iterdir()) == [".lark_cache_root_x.tmp", "deluge-lite.lark"]


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_writable_by_others_cache_file_is_ignored(warm_cache: Path, tmp_path: Path, mode: int) -> None:
    target = _cache_files(warm_cache)[0]
    marker = tmp_path / "marker"
    target.write_bytes(pickle.dumps(_Bomb(marker)))
    target.chmod(mode)
    result = _parse_in_subprocess(warm_cache, tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr
    assert not marker.exists()


def test_open_cache_folder_is_not_used(warm_cache: Path, tmp_path: Path) -> None:
    target = _cache_files(warm_cache)[0]
    marker = tmp_path / "marker"
    target.write_bytes(pickle.dumps(_Bomb(marker)))
    target.chmod(0o600)
    warm_cache.chmod(0o777)
    result = _parse_in_subprocess(warm_cache, tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr
    assert not marker.exists()


def test_symlinked_cache_file_is_not_followed(warm_cache: Path, tmp_path: Path) -> None:
    target = _cache_files(warm_cache)[0]
    marker = tmp_path / "marker"
    planted = tmp_path / "planted.pickle"
    planted.write_bytes(pickle.dumps(_Bomb(marker)))
    planted.chmod(0o600)
    target.unlink()
    target.symlink_to(planted)
    result = _parse_in_subprocess(warm_cache, tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown to another user needs root")
def test_cache_file_owned_by_another_user_is_ignored(warm_cache: Path, tmp_path: Path) -> None:
    target = _cache_files(warm_cache)[0]
    marker = tmp_path / "marker"
    target.write_bytes(pickle.dumps(_Bomb(marker)))
    target.chmod(0o600)
    os.chown(target, 65534, 65534)
    result = _parse_in_subprocess(warm_cache, tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr
    assert not marker.exists()


def test_corrupt_cache_file_is_only_a_miss(warm_cache: Path, tmp_path: Path) -> None:
    target = _cache_files(warm_cache)[0]
    target.write_bytes(b"not a pickle")
    result = _parse_in_subprocess(warm_cache, tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr


def test_unusable_cache_location_still_parses(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _parse_in_subprocess(blocker / "cache", tmp_path)
    assert result.stdout.strip() == "parsed", result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the folder is worked out by hand only on Linux")
@pytest.mark.parametrize("xdg", [None, "", "   ", "/somewhere/cache"])
def test_the_default_cache_folder_is_the_one_platformdirs_names(monkeypatch: pytest.MonkeyPatch,
                                                                xdg: str | None) -> None:
    import platformdirs

    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert Path(private_cache._platform_cache_dir()) == Path(platformdirs.user_cache_dir("deluge-lite"))
