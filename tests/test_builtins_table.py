"""Table completeness for the built-in library: every name is exercised by a golden file and
every built-in names its Zoho help page (design.md, habit 2: a test checks each table is complete)."""

from __future__ import annotations

import re
from pathlib import Path

from deluge_lite.builtins import REGISTRY
from deluge_lite.collection_kind import PAIR_INSERT

GOLDEN = Path(__file__).parent / "golden"


def _golden_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(GOLDEN.rglob("*.dg"))).lower()


def _library_names() -> list[str]:
    """Names registered by the built-in library itself (``deluge_lite.builtins.*``); other
    packages (``net``) register their own functions and test them their own way."""
    return sorted({name for entry in REGISTRY.all if entry.impl.__module__.startswith("deluge_lite.builtins.")
                   for name in entry.all_names}, key=str.lower)


def test_every_registered_name_appears_in_a_golden_file():
    text = _golden_text()
    missing = [name for name in _library_names()
               if not re.search(rf"(?<![\w.]){re.escape(name.lower())}\s*\(", text)
               and f".{name.lower()}(" not in text]
    if re.search(r"\.insert\(\"\w+\"\s*:", text):  # what `c.insert("k": v)` is built into
        missing = [name for name in missing if name != PAIR_INSERT]
    assert not missing, f"no golden .dg file calls: {', '.join(missing)}"


def test_every_builtin_has_a_zoho_doc_url():
    wrong = [entry.name for entry in REGISTRY.all if not entry.doc.startswith("https://www.zoho.com/")]
    assert not wrong, f"doc= is not a Zoho help page for: {', '.join(wrong)}"
