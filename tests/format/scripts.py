"""Scripts the formatter and concrete-view tests run over: every golden .dg file that parses,
plus the examples, each read as text (the golden expectation is a trailing comment, kept).

``DELUGE_LITE_CORPUS=FOLDER`` adds every parsing .dg file under FOLDER (real-world scripts
kept outside the repository) to the same tests."""

from __future__ import annotations

import os
from pathlib import Path

from deluge_lite.errors import DelugeError
from deluge_lite.parser import parse

ROOT = Path(__file__).resolve().parent.parent.parent


def parsing_scripts() -> list[Path]:
    """Golden scripts and examples whose text parses (some goldens hold syntax errors on purpose)."""
    found: list[Path] = []
    corpus = os.environ.get("DELUGE_LITE_CORPUS")
    extra = sorted(Path(corpus).rglob("*.dg")) if corpus else []
    for path in [*sorted([*ROOT.joinpath("tests", "golden").rglob("*.dg"), *ROOT.joinpath("examples").rglob("*.dg")]),
                 *extra]:
        try:
            parse(path.read_text(encoding="utf-8"), str(path))
        except (DelugeError, UnicodeDecodeError):
            continue
        found.append(path)
    return found


def script_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
