"""Private folders and files: what deluge-lite keeps for one user is readable by that user only.

Owns the rule for ``$DELUGE_LITE_HOME`` (the store, its key and lock files, the REPL
history, the sandbox's config) and the other per-user folders deluge-lite writes (the
key file's config folder): folders are created 0700, missing parents included, and files
0600, created with that mode (never written first and narrowed after). A folder or file
that already exists is tightened to 0700 / 0600 when it is safe to: it is ours, it is not
a symbolic link, and it is not a folder others rely on (the user's home folder or one of
its ancestors, or a sticky shared folder such as /tmp). Anything else is left alone.

No knowledge of what the files hold; callers choose the paths.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _mine(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def _shared_folder(path: Path, info: os.stat_result) -> bool:
    """A folder whose mode is not ours to narrow: the home folder, its ancestors, sticky folders."""
    if info.st_mode & stat.S_ISVTX:
        return True
    try:
        home = Path.home().resolve()
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return True
    return resolved == home or resolved in home.parents


def tighten_dir(path: Path) -> None:
    """Make an existing folder 0700 when that is safe (see the module docstring)."""
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode) and _mine(info) and info.st_mode & 0o077 \
                and not _shared_folder(path, info):
            os.chmod(path, DIR_MODE)
    except OSError:
        pass  # a folder we cannot narrow still works; the files inside are 0600


def tighten_file(path: Path) -> None:
    """Make an existing regular file 0600 when it is ours and not a symbolic link."""
    try:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and _mine(info) and info.st_mode & 0o077:
            os.chmod(path, FILE_MODE)
    except OSError:
        pass


def private_dir(path: Path) -> Path:
    """``path`` as a folder, created 0700 with any missing parents (also 0700), tightened if it exists."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made meanwhile by someone else: tightened below only if it is the folder asked for
        os.chmod(folder, DIR_MODE)  # whatever the umask said
    tighten_dir(path)
    return path


def private_file(path: Path) -> Path:
    """``path`` as an existing file of mode 0600: created empty (never truncated) or tightened."""
    path = Path(path)
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | _NOFOLLOW, FILE_MODE)
        os.close(fd)
    except FileExistsError:
        pass
    tighten_file(path)
    return path


def write_private_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` with mode 0600 from the first byte."""
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | _NOFOLLOW, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tighten_file(path)
    return path


__all__ = ["DIR_MODE", "FILE_MODE", "private_dir", "private_file", "tighten_dir", "tighten_file",
           "write_private_text"]
