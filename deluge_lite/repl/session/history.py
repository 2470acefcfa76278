"""The REPL's history file under ``DELUGE_LITE_HOME``, and what happens when it is broken.

`repl_home(env)` is ``$DELUGE_LITE_HOME``, else ``platformdirs.user_data_dir("deluge-lite")``.
`open_history(home, warn)` returns a prompt_toolkit history kept in ``home/repl_history``
in prompt_toolkit's `FileHistory` format. A file that cannot be read or that is not in
that format (undecodable bytes, NUL bytes, lines that are neither ``#`` comments nor
``+`` entries) is renamed to ``repl_history.corrupt`` (``.corrupt-2``, ...) with a warning
and a fresh file is started; when even that fails the session keeps its history in
memory only. A history that cannot be written warns once and the REPL carries on. The
folder is kept 0700 and the file 0600 (`connections.private_files`): history holds
whatever was typed, secrets included.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from ...connections.private_files import private_dir, private_file, tighten_file

__all__ = ["HISTORY_FILE", "open_history", "problem_with", "repl_home"]

HISTORY_FILE = "repl_history"
MAX_HISTORY_BYTES = 20_000_000


def repl_home(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    configured = env.get("DELUGE_LITE_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("deluge-lite"))


def problem_with(path: Path) -> str | None:
    """Why a history file cannot be used, or None when it is fine (or absent)."""
    try:
        if not path.exists():
            return None
        if not path.is_file():
            return "it is not a regular file"
        if path.stat().st_size > MAX_HISTORY_BYTES:
            return f"it is larger than {MAX_HISTORY_BYTES:,} bytes"
        data = path.read_bytes()
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    if b"\x00" in data:
        return "it contains binary data"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    for number, line in enumerate(text.split("\n"), start=1):
        if line and not line.startswith(("#", "+")):
            return f"line {number} is not in the history format"
    return None


class _SafeFileHistory(FileHistory):
    """A FileHistory whose read and write failures warn instead of ending the REPL."""

    def __init__(self, filename: Path, warn: Callable[[str], None]) -> None:
        super().__init__(str(filename))
        self._warn = warn
        self._write_failed = False

    def load_history_strings(self) -> Iterable[str]:
        try:
            return list(super().load_history_strings())
        except OSError as error:
            self._warn(f"warning: could not read the history file {self.filename}: {error}")
            return []

    def store_string(self, string: str) -> None:
        if self._write_failed:
            return
        try:
            super().store_string(string)
        except OSError as error:
            self._write_failed = True
            self._warn(f"warning: could not write the history file {self.filename}: {error}; "
                       "history is kept for this session only")


def _set_aside(path: Path) -> Path:
    target = path.with_name(path.name + ".corrupt")
    number = 2
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{number}")
        number += 1
    path.rename(target)
    return target


def open_history(home: Path, warn: Callable[[str], None]) -> History:
    """The history for a REPL session (see the module docstring)."""
    path = home / HISTORY_FILE
    try:
        private_dir(home)
    except OSError as error:
        warn(f"warning: cannot create {home} ({error.strerror or error}); history is kept for this session only")
        return InMemoryHistory()
    problem = problem_with(path)
    if problem is not None:
        try:
            moved = _set_aside(path)
        except OSError as error:
            warn(f"warning: the history file {path} is unusable ({problem}) and could not be moved "
                 f"({error.strerror or error}); history is kept for this session only")
            return InMemoryHistory()
        tighten_file(moved)
        warn(f"warning: the history file {path} was unusable ({problem}); "
             f"moved it to {moved.name} and started a new one")
    try:
        private_file(path)  # 0600 before prompt_toolkit appends to it (it would create it 0644)
    except OSError:
        pass  # _SafeFileHistory warns when it cannot write
    return _SafeFileHistory(path, warn)
