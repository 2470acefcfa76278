"""Which files make a project, and the functions they define together.

A project is the script being run or checked (the entry) plus every other ``.dg`` file
named on the command line, found in a folder given, or in the ``[project] sources``
folders of deluge.toml. Functions from every file are visible to every other as
``standalone.NAME`` / ``thisapp.NAME`` (or by their bare name); a function defined in two
places is an error naming both. Each file keeps its own Source, so every message points
into the file it is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import ast
from ..diagnostics import Diagnostic
from ..errors import UsageError
from ..fieldclass import field, fieldclass
from ..parser import parse
from ..source import Source
from .settings import Settings

MAX_FILES = 2000


@fieldclass
class ProjectFile:
    path: str
    source: Source
    program: ast.Program

    @property
    def stem(self) -> str:
        return Path(self.path).stem


@fieldclass
class Project:
    """The files of a project, parsed; ``entry`` is the one whose body runs."""

    files: list[ProjectFile]
    settings: Settings = field(default_factory=Settings)

    @property
    def entry(self) -> ProjectFile:
        return self.files[0]

    def functions(self) -> list[ast.FunctionDef]:
        return [fn for file in self.files for fn in file.program.functions]

    def sources(self) -> dict[int, Source]:
        """id(FunctionDef) -> the Source of the file that defines it."""
        return {id(fn): file.source for file in self.files for fn in file.program.functions}

    def program_for(self, file: ProjectFile) -> ast.Program:
        """``file``'s body with every function of the project visible (first definition wins)."""
        seen: dict[str, ast.FunctionDef] = {}
        for fn in [*file.program.functions, *self.functions()]:
            seen.setdefault(fn.full_name.lower(), fn)
        return ast.Program(file.program.span, tuple(seen.values()), file.program.statements)

    def owner(self, fn: ast.FunctionDef) -> ProjectFile:
        return next(file for file in self.files if any(f is fn for f in file.program.functions))

    def duplicates(self) -> list[Diagnostic]:
        """A DL303 error for every function defined again in another file, naming the first place."""
        first: dict[str, tuple[ast.FunctionDef, ProjectFile]] = {}
        found: list[Diagnostic] = []
        for file in self.files:
            for fn in file.program.functions:
                key = fn.full_name.lower()
                if key in first and first[key][1] is not file:  # twice in one file: check.py says so
                    other, where = first[key]
                    found.append(Diagnostic("DL303", f"function {fn.full_name} is defined twice (first at "
                                            f"{where.path}:{other.name_span.line})", fn.name_span, file.source))
                elif key not in first:
                    first[key] = (fn, file)
        return found


def script_paths(arguments: Sequence[str], settings: Settings) -> list[str]:
    """The files a command line names: files as given, folders' ``.dg`` files, then the settings' folders."""
    paths: list[str] = []
    for argument in arguments:
        place = Path(argument)
        if place.is_dir():
            found = _dg_files(place)
            if not found:
                raise UsageError(f"no .dg files in the folder {argument}")
            paths.extend(found)
        else:
            paths.append(argument)
    for folder in settings.sources:
        if not folder.is_dir():
            raise UsageError(f"{settings.path}: [project] sources names '{folder}', which is not a folder")
        paths.extend(_dg_files(folder))
    unique: list[str] = []
    seen: set[Path] = set()
    for path in paths:
        key = Path(path).resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    if len(unique) > MAX_FILES:
        raise UsageError(f"a project of {len(unique)} files is more than deluge-lite reads ({MAX_FILES})")
    return unique


def _dg_files(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.rglob("*.dg") if path.is_file())


def load(paths: Iterable[str], settings: Settings | None = None) -> Project:
    """Read and parse every file (a syntax error stops with that file's diagnostic)."""
    from ..interpreter import read_script

    files: list[ProjectFile] = []
    for path in paths:
        source = Source(read_script(path), path)
        files.append(ProjectFile(path, source, parse(source)))
    if not files:
        raise UsageError("no script given")
    return Project(files, settings or Settings())


__all__ = ["Project", "ProjectFile", "load", "script_paths"]
