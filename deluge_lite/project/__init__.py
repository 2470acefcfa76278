"""Projects: the files of a project, their platform context, their arguments (see each module).

- `contexts`: the Zoho products as data (stdlib/contexts.toml) and their detection;
- `arguments`: declared arguments (``// @arg``, ``[functions.NAME]``), --arg values and types;
- `settings`: the project tables of deluge.toml;
- `files`: which files make a project, the functions they define together;
- `runner`: the static pass of a file and the values a run gets.

`diagnose()` is the one call editors need: every finding for one file's text.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..diagnostics import Diagnostic, from_error
from ..errors import DelugeError, DelugeSyntaxError, UsageError
from ..source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def diagnose(text: str, path: str, *, context: str | None = None,
             project_files: Mapping[str, str] | None = None, known: Any = None) -> list[Diagnostic]:
    """Every finding for ``text`` (the file at ``path``), with the project's other files visible.

    ``project_files`` maps other paths to their texts (an editor's open buffers or the files
    on disk); a file that does not parse contributes nothing. A syntax error in ``text`` is
    the only finding (DL001). Settings come from the deluge.toml beside ``path``.
    """
    from ..interpreter import Interpreter
    from . import settings as project_settings
    from .files import Project, ProjectFile
    from .runner import check_file

    source = Source(text, path)
    try:
        from ..parser import parse  # lark loads only when a file is parsed (the program cache skips it)

        program = parse(source)
    except DelugeSyntaxError as error:
        return [from_error(error, "DL001")]
    entry = ProjectFile(path, source, program)
    files = [entry]
    for other_path, other_text in (project_files or {}).items():
        if other_path == path:
            continue
        other_source = Source(other_text, other_path)
        try:
            files.append(ProjectFile(other_path, other_source, parse(other_source)))
        except DelugeSyntaxError:
            continue
    try:
        settings = project_settings.load(project_settings.find(None, [path]))
    except (UsageError, DelugeError):  # a broken deluge.toml: check the file without its settings
        settings = project_settings.Settings()
    known = known if known is not None else Interpreter().known
    return check_file(Project(files, settings), entry, known, context=context).diagnostics


__all__ = ["diagnose"]
