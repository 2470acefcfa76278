"""The editor's view of a project: which files belong with an open script, their texts (an
open buffer wins over the file on disk), their indexes (cached by text), the connection link
names of deluge.toml, and a problem in deluge.toml (its project tables or its connections and
services) as a diagnostic rather than a crash.

A script's project is every ``.dg`` file under the folder of the nearest deluge.toml above
it (and its ``[project] sources``), or else the ``.dg`` files beside it (not below: a script
in the home folder must not make the server walk the whole home); up to ``MAX_FILES``
files of at most ``MAX_FILE_BYTES`` each, hidden folders and node_modules skipped.
"""

from __future__ import annotations

import os
import re
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from ..fieldclass import fieldclass
from .index import Index, build_index

CONFIG_FILE = "deluge.toml"
MAX_FILES = 500
LISTING_SECONDS = 2.0
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
MAX_FILE_BYTES = 1_000_000
_TOML_LINE = re.compile(r"line (\d+)")


@fieldclass(frozen=True)
class ConfigProblem:
    """deluge.toml could not be used: where and why (line 1-based, when known)."""

    path: str
    message: str
    line: int


class Projects:
    """Projects of the open scripts; ``open_texts`` gives the editor's buffers by path."""

    def __init__(self, open_texts: Callable[[], dict[str, str]]) -> None:
        self.open_texts = open_texts
        self._indexes: dict[str, tuple[str, Index]] = {}
        self._disk: dict[str, tuple[float, str | None]] = {}
        self._listings: dict[tuple[str, bool], tuple[float, list[str]]] = {}

    # ---- files
    def config_for(self, path: str) -> Path | None:
        folder = Path(path).resolve().parent
        for place in (folder, *folder.parents):
            candidate = place / CONFIG_FILE
            if candidate.is_file():
                return candidate
        return None

    def files_for(self, path: str) -> list[str]:
        """Every script of the project of ``path`` (``path`` itself included, first). The
        folder listing is kept for ``LISTING_SECONDS`` (or until ``forget_listings``)."""
        config = self.config_for(path)
        own = str(Path(path).resolve())
        root = config.parent if config is not None else Path(own).parent
        key = (str(root), config is not None)
        now = time.monotonic()
        cached = self._listings.get(key)
        if cached is None or now - cached[0] > LISTING_SECONDS:
            scripts = _scan(root, recursive=config is not None)
            for folder in self._source_folders(config):
                scripts += [name for name in _scan(folder, recursive=True) if name not in scripts]
            cached = (now, scripts[:MAX_FILES])
            self._listings[key] = cached
        found = [own, *(name for name in cached[1] if name != own)]
        for name in self.open_texts():  # open buffers in the same folder (tree) belong too
            place = Path(name).resolve()
            if name not in found and (place.parent == root or config is not None and place.is_relative_to(root)):
                found.append(name)
        return found

    def forget_listings(self) -> None:
        """Files were created or deleted: list the folders again on the next request."""
        self._listings.clear()

    def _source_folders(self, config: Path | None) -> list[Path]:
        raw = self._read_config(config) if config is not None else None
        project = raw.get("project") if isinstance(raw, dict) else None
        sources = project.get("sources") if isinstance(project, dict) else None
        if not isinstance(sources, list) or config is None:
            return []
        return [config.parent / folder for folder in sources if isinstance(folder, str)]

    def text_of(self, path: str) -> str | None:
        """An open buffer's text, else the file's (None when unreadable, binary or too big)."""
        buffers = self.open_texts()
        if path in buffers:
            return buffers[path]
        file = Path(path)
        try:
            stat = file.stat()
        except OSError:
            return None
        cached = self._disk.get(path)
        if cached is not None and cached[0] == stat.st_mtime:
            return cached[1]
        text: str | None = None
        if stat.st_size <= MAX_FILE_BYTES:
            try:
                data = file.read_bytes()
                text = None if b"\x00" in data[:8192] else data.decode("utf-8").removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError):
                text = None
        self._disk[path] = (stat.st_mtime, text)
        return text

    def texts(self, path: str) -> dict[str, str]:
        """The texts of the other files of the project of ``path``."""
        found: dict[str, str] = {}
        for name in self.files_for(path)[1:]:
            text = self.text_of(name)
            if text is not None:
                found[name] = text
        return found

    # ---- indexes
    def index(self, path: str, text: str) -> Index:
        cached = self._indexes.get(path)
        if cached is not None and cached[0] == text:
            return cached[1]
        built = build_index(text, path)
        self._indexes[path] = (text, built)
        return built

    def indexes_under(self, folder: str) -> dict[str, Index]:
        """Indexes of the scripts under a folder (a workspace folder), as far as MAX_FILES."""
        key = (str(Path(folder).resolve()), True)
        now = time.monotonic()
        cached = self._listings.get(key)
        if cached is None or now - cached[0] > LISTING_SECONDS:
            cached = (now, _scan(Path(folder), recursive=True))
            self._listings[key] = cached
        found: dict[str, Index] = {}
        for name in cached[1]:
            text = self.text_of(name)
            if text is not None:
                found[name] = self.index(name, text)
        return found

    def latest(self, path: str) -> Index | None:
        """The index last built for ``path``, whatever text it was built from."""
        cached = self._indexes.get(path)
        return cached[1] if cached else None

    def indexes(self, path: str, budget: int | None = None) -> dict[str, Index]:
        """Indexes of the files of the project (``path`` itself included). With a ``budget``,
        at most that many files not indexed yet are parsed; the others are left out (the
        caller says whether that is complete enough: see ``complete``)."""
        found: dict[str, Index] = {}
        for name in self.files_for(path):
            text = self.text_of(name)
            if text is None:
                continue
            cached = self._indexes.get(name)
            if cached is not None and cached[0] == text:
                found[name] = cached[1]
            elif budget is None or budget > 0:
                found[name] = self.index(name, text)
                budget = None if budget is None else budget - 1
        return found

    def complete(self, path: str) -> bool:
        """Whether every file of the project of ``path`` has an up-to-date index."""
        for name in self.files_for(path):
            text = self.text_of(name)
            cached = self._indexes.get(name)
            if text is not None and (cached is None or cached[0] != text):
                return False
        return True

    # ---- deluge.toml
    def _read_config(self, config: Path) -> dict[str, object] | None:
        try:
            return tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None

    def connection_names(self, path: str) -> list[str]:
        config = self.config_for(path)
        raw = self._read_config(config) if config is not None else None
        connections = raw.get("connections") if isinstance(raw, dict) else None
        return sorted(connections) if isinstance(connections, dict) else []

    def config_problem(self, path: str) -> ConfigProblem | None:
        """What is wrong with the deluge.toml of ``path``'s project, if anything."""
        config = self.config_for(path)
        if config is None:
            return None
        from ..connections.catalog import load_catalog
        from ..connections.config import load_config
        from ..connections.errors import ConnectionsError
        from ..errors import UsageError
        from ..project import settings

        try:
            settings.load(config)
            load_config(config, load_catalog(), env={})  # unset ${VARS} only disable a connection
        except (UsageError, ConnectionsError) as error:
            message = str(error)
            return ConfigProblem(str(config), message, _line_of(config, message))
        return None


_TABLE_NAMED = re.compile(r"\[([A-Za-z0-9_.\"-]+)\]")


def _line_of(config: Path, message: str) -> int:
    """The line a config message is about: TOML's 'line N', else the table it names, else 1."""
    match = _TOML_LINE.search(message)
    if match:
        return int(match.group(1))
    table = _TABLE_NAMED.search(message)
    if table:
        try:
            lines = config.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 1
        header = f"[{table.group(1)}]"
        for number, line in enumerate(lines, start=1):
            if line.strip().replace(" ", "") == header:
                return number
    return 1


def _scan(folder: Path, *, recursive: bool) -> list[str]:
    """The .dg files of a folder (and below it), sorted, at most MAX_FILES, hidden folders skipped."""
    found: list[str] = []
    if not folder.is_dir():
        return found
    for where, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in _SKIPPED_FOLDERS)
        for name in sorted(files):
            if name.endswith(".dg"):
                found.append(str((Path(where) / name).resolve()))
                if len(found) >= MAX_FILES:
                    return found
        if not recursive:
            break
    return found
