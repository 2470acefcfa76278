"""Owns the argparse classes of the ``deluge-lite`` command: one-line usage errors, help with the context names.

Imported (with argparse) only when a command line needs reading: ``run FILE`` of an unchanged
file is answered from the program cache without either (`cli._cached_plain_run`).
The commands and their options are defined in `cli`.
"""

from __future__ import annotations

import argparse
import sys

from .errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, where ``%(contexts)s`` lists the Zoho products (read only when help is shown).

    argparse makes a formatter for every option it defines; the terminal width is read here
    as shutil reads it (``$COLUMNS``, else the terminal, else 80), without importing shutil."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = super()._get_help_string(action) or ""
        if "%(contexts)s" in text:
            from .project import contexts

            text = text.replace("%(contexts)s", "|".join(contexts.names()))
        return text


def terminal_columns() -> int:
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")
