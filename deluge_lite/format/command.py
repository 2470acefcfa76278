"""``deluge-lite fmt``: format files (or every .dg file in a folder) in place, check them (``--check``), show the changes
(``--diff``), or format standard input to standard output (``-``).

Exit codes follow cli.py: 0 when everything is formatted (or was rewritten); 1 when a file
does not parse, or with ``--check``/``--diff`` when a file would change; 2 for bad usage
(also a missing file or a folder among the names).
A file that fails is reported and left untouched; the others are still processed.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

from ..errors import DelugeError, UsageError
from ..fieldclass import fieldclass
from . import format_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

EXIT_OK, EXIT_CHANGES, EXIT_USAGE = 0, 1, 2


@fieldclass(frozen=True)
class Options:
    """What ``fmt`` was asked to do."""

    files: tuple[str, ...]
    check: bool = False
    diff: bool = False


def run(options: Options, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
        stderr: TextIO = sys.stderr) -> int:
    """Format every file named; '-' is standard input to standard output."""
    if "-" in options.files and len(options.files) > 1:
        raise UsageError("'-' (standard input) cannot be combined with file names")
    status = EXIT_OK
    for name in _expand(options.files):
        try:
            if name == "-":
                status |= _stdin(options, stdin, stdout)
            else:
                status |= _file(Path(name), options, stdout, stderr)
        except DelugeError as error:
            stderr.write(error.render() + "\n")
            status |= EXIT_CHANGES
        except UsageError as error:  # a missing file or a folder: report it, go on with the others
            stderr.write(f"deluge-lite: error: {error}\n")
            status |= EXIT_USAGE
    return EXIT_USAGE if status & EXIT_USAGE else status


def _expand(names: tuple[str, ...]) -> list[str]:
    """File names as given; a folder stands for every .dg file under it (hidden folders skipped)."""
    found: list[str] = []
    for name in names:
        folder = Path(name)
        if name != "-" and folder.is_dir():
            found += sorted(str(path) for path in folder.rglob("*.dg") if path.is_file() and not any(
                part.startswith(".") for part in path.relative_to(folder).parts))
        else:
            found.append(name)
    return found


def _stdin(options: Options, stdin: TextIO, stdout: TextIO) -> int:
    text = stdin.read()
    formatted = format_text(text, "<stdin>")
    if options.diff:
        stdout.write(_diff(text, formatted, "<stdin>"))
    elif not options.check:
        stdout.write(formatted)
    return EXIT_CHANGES if (options.check or options.diff) and formatted != text else EXIT_OK


def _file(path: Path, options: Options, stdout: TextIO, stderr: TextIO) -> int:
    text = _read(path)
    formatted = format_text(text, str(path))
    if formatted == text:
        return EXIT_OK
    if options.diff:
        stdout.write(_diff(text, formatted, str(path)))
    if options.check:
        stderr.write(f"{path}: would be reformatted\n")
    if options.check or options.diff:
        return EXIT_CHANGES
    _write(path, formatted)
    stderr.write(f"{path}: formatted\n")
    return EXIT_OK


def _read(path: Path) -> str:
    """The file's exact text, byte-order mark included (``read_script`` checks it is a UTF-8
    script and drops the mark; the formatter keeps what the file had)."""
    from ..interpreter import read_script

    text = read_script(path)
    with path.open("rb") as raw:
        return "\ufeff" + text if raw.read(3) == b"\xef\xbb\xbf" else text


def _write(path: Path, text: str) -> None:
    """Replace the file in one step (a crash never leaves half a script), keeping its mode."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fmt", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 f"{name} (before)", f"{name} (formatted)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
