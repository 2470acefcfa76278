"""The project part of deluge.toml: source folders, the context, declared arguments, check settings.

::

    [project]
    sources = ["functions", "shared"]   # folders (relative to deluge.toml) whose .dg files form the project
    context = "books"                   # the platform context of its functions

    [functions.lead_score]              # a function's full or short name, or a file's stem
    args = ["record_id int", "mode string = fast"]
    context = "crm"

    [check]
    ignore = ["DL204"]                  # codes (or names) silenced in the whole project

The same file holds the connections (see connections/config.py); each part reads its own
tables. Which file: ``--config``, else $DELUGE_LITE_CONFIG, else deluge.toml beside the
first script (or in the folder given), else ./deluge.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import unknown_codes
from ..errors import UsageError
from ..fieldclass import field, fieldclass
from .arguments import ArgSpec, parse_spec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass(frozen=True)
class FunctionSettings:
    args: tuple[ArgSpec, ...] = ()
    context: str | None = None


@fieldclass(frozen=True)
class Settings:
    """What deluge.toml says about the project (all empty without a file)."""

    path: Path | None = None
    sources: tuple[Path, ...] = ()
    context: str | None = None
    ignore: tuple[str, ...] = ()
    functions: dict[str, FunctionSettings] = field(default_factory=dict)

    def for_function(self, *names: str) -> FunctionSettings:
        """The [functions.X] table matching any of ``names`` (full name, short name, file stem)."""
        for name in names:
            found = self.functions.get(name.lower())
            if found is not None:
                return found
        return FunctionSettings()


# connections.config's names for the settings file, repeated so that finding the project settings
# imports no connections module (tests/test_program_cache.py keeps them equal)
CONFIG_FILE = "deluge.toml"
CONFIG_ENV = "DELUGE_LITE_CONFIG"


def find(explicit: str | None, scripts: Sequence[str]) -> Path | None:
    """The deluge.toml that holds the project settings (see the module docstring)."""
    import os

    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    for script in scripts[:1]:
        place = Path(script)
        folder = place if place.is_dir() else place.parent
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
    cwd = Path.cwd() / CONFIG_FILE
    return cwd if cwd.is_file() else None


def load(path: Path | None) -> Settings:
    """Read and check the project tables of ``path``; a wrong value is a usage error naming its key."""
    if path is None or not path.is_file():
        return Settings()
    from ..connections.config import read_toml

    raw = read_toml(path)  # an unreadable file is the same error the connections part gives
    where = path.name
    project = _table(raw, "project", where)
    sources = tuple(path.parent / folder for folder in _texts(project, "sources", f"{where}: [project]"))
    context = _text(project, "context", f"{where}: [project]")
    check = _table(raw, "check", where)
    ignore = tuple(_texts(check, "ignore", f"{where}: [check]"))
    wrong = unknown_codes(ignore)
    if wrong:
        raise UsageError(f"{where}: [check] ignore names no diagnostic code: {', '.join(wrong)} "
                         f"(codes look like DL204; 'deluge-lite check --codes' lists them)")
    functions: dict[str, FunctionSettings] = {}
    for name, table in _table(raw, "functions", where).items():
        here = f"{where}: [functions.{name}]"
        if not isinstance(table, dict):
            raise UsageError(f"{here} must be a table")
        args = tuple(parse_spec(spec, here) for spec in _texts(table, "args", here))
        functions[name.lower()] = FunctionSettings(args, _text(table, "context", here))
    return Settings(path, sources, context, ignore, functions)


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise UsageError(f"{where}: [{key}] must be a table")
    return value


def _texts(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UsageError(f"{where}: {key} must be a list of texts")
    return value


def _text(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise UsageError(f"{where}: {key} must be a text")
    return value


__all__ = ["FunctionSettings", "Settings", "find", "load"]
