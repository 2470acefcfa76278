"""Owns the per-user cache of derived artefacts (the pre-built grammar tables).

A cache that holds pickled data is code: whoever can write the file can run code as
the next reader. So this module never reads a file another user could have written:

- the cache lives in a folder of the current user's (``$DELUGE_LITE_CACHE``, else the
  platform's per-user cache folder), created 0700; a folder that is not owned by the
  user, is open to group or others, or sits in a folder others can rename it out of,
  is not used;
- a cache file is opened without following symbolic links, and read only when it is a
  regular file owned by the user and writable by nobody else;
- files are written 0600 under a temporary name and renamed into place, so a reader
  never sees half a file.

Anything unsafe or unreadable means "no cache": the caller builds the artefact afresh.
Nothing here ever touches the shared temp folder.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, TypeVar

    T = TypeVar("T")

CACHE_ENV = "DELUGE_LITE_CACHE"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def cache_dir(env: dict[str, str] | None = None) -> str | None:
    """The user's private cache folder, created if missing; None when it is not safe to use.

    Paths here are plain strings (`os.path`): importing pathlib is a share of a cached run's start-up."""
    env = os.environ if env is None else env
    folder = env[CACHE_ENV] if env.get(CACHE_ENV) else _platform_cache_dir()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return folder if _is_private_dir(folder) else None


def _platform_cache_dir() -> str:
    """platformdirs' per-user cache folder for deluge-lite.

    On Linux it is worked out here by the XDG rule platformdirs applies there
    (``$XDG_CACHE_HOME``, else ``~/.cache``; a test checks both agree), because importing
    platformdirs costs a cached run a noticeable share of its start-up; elsewhere (and on
    Android, where platformdirs has its own rule) platformdirs answers."""
    if sys.platform == "linux" and not os.environ.get("ANDROID_ROOT"):
        base = os.environ.get("XDG_CACHE_HOME", "")
        return os.path.join(base if base.strip() else os.path.expanduser("~/.cache"), "deluge-lite")
    import platformdirs

    return str(platformdirs.user_cache_dir("deluge-lite"))


def _is_private_dir(folder: str) -> bool:
    try:
        info = os.lstat(folder)
        parent = os.stat(os.path.dirname(os.path.abspath(folder)))
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or not _owned_by_me(info) or info.st_mode & 0o077:
        return False
    # Others may not be able to swap the folder out: its parent is theirs to write only
    # when the sticky bit keeps them from renaming what they do not own.
    parent_open = parent.st_mode & 0o022
    return not parent_open or bool(parent.st_mode & stat.S_ISVTX)


def _owned_by_me(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def load(name: str, reader: Callable[[IO[bytes]], T], env: dict[str, str] | None = None) -> T | None:
    """Read cache file ``name`` with ``reader`` if it is safe to; None when absent or unsafe."""
    folder = cache_dir(env)
    if folder is None:
        return None
    try:
        fd = os.open(os.path.join(folder, name), os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or not _owned_by_me(info) or info.st_mode & 0o022:
            return None
        try:
            return reader(handle)
        except Exception:  # a truncated or stale file is only a cache miss
            return None


def store(name: str, writer: Callable[[IO[bytes]], None], env: dict[str, str] | None = None) -> bool:
    """Write cache file ``name`` (0600, atomically); False when there is no safe place for it."""
    folder = cache_dir(env)
    if folder is None:
        return False
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.replace(temporary, os.path.join(folder, name))
        return True
    except Exception:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False
