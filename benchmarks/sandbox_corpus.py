"""How far real scripts get under ``deluge-lite run --sandbox``: one outcome per script, and a table.

Usage: ``python benchmarks/sandbox_corpus.py FOLDER [--jobs N] [--timeout S] [--show KIND] [--json FILE]``

Every ``*.dg`` / ``*.deluge`` file of FOLDER (read in place, never copied) runs in a fresh
``deluge-lite run --sandbox`` process with its arguments: a header-less body gets the
arguments ``check --format json`` infers (note DL102), a file that only defines functions
gets ``--call`` of its first function with that function's parameters. Each argument gets a
sample value by its declared type and its name (an id is the id of a sample record of the
module the script uses it with, e.g. ``getRecordById("Deals", dealId)``, else of the module
its name suggests), written to an ``--input`` JSON file. The run is then classified:

  clean end            exit 0
  parse error          a syntax error (the script is not Deluge deluge-lite reads)
  unknown connection   a link name the sandbox could not bind
  missing task         a zoho.* task or built-in deluge-lite does not have or does not simulate
  offline host         a call to a non-Zoho host (answer it with --stub)
  Zoho route not faked a Zoho URL or product the fakes do not answer
  missing record       the script stopped after a lookup found nothing or named a module the fakes do not
                       have (needs seed data: --seed, --module)
  script error         any other Deluge error: the script's own logic, on the sample values
  internal error       a Python traceback, exit 3, or a hang past the timeout: a deluge-lite bug

The first matching rule of `RULES` (over the run's stderr) wins, so each outcome has one
kind. Nothing here asserts; the figures go into the README's sandbox section by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deluge_lite.check import diagnose
from deluge_lite.errors import DelugeError
from deluge_lite.parser import parse
from deluge_lite.source import Source
from deluge_lite.testing.fake_crm_store import CrmStore

SAMPLE = 25  # the sandbox's default sample size (run --sandbox without --seed)
KINDS = ("clean end", "script error", "unknown connection", "missing task", "offline host",
         "Zoho route not faked", "missing record", "parse error", "internal error")
# (kind, regex over stderr): the first that matches classifies a failed run.
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
    ("internal error", r"Traceback \(most recent call last\)|internal error|timed out after the benchmark"),
    ("parse error", r"\[DL001\]|syntax error|unexpected (character|token|end)|expected one of"),
    ("unknown connection", r"unknown connection|not a valid connection link name|needs a connection"),
    ("offline host", r"offline: the sandbox does not reach"),
    ("Zoho route not faked", r"the sandbox does not fake|INVALID_URL_PATTERN|API answers \w+ /|does not answer method"),
    ("missing task", r"unknown (task|function|built-in)|not simulated|is not available in deluge-lite|"
                     r"needs Zoho \w+|no such task|\[DL2\d\d\]|unknown integration|not a known task"),
))
_ID_NAME = re.compile(r"(?:^|_)id$|Id$|ID$|^id_|^rec(?:ord)?id", re.IGNORECASE)
_MODULE_HINTS = {"deal": "Deals", "opportunit": "Deals", "potential": "Deals", "lead": "Leads", "contact": "Contacts",
                 "account": "Accounts", "compan": "Accounts", "quote": "Quotes", "invoice": "Invoices",
                 "product": "Products", "order": "Sales_Orders", "vendor": "Vendors", "task": "Tasks", "case": "Cases",
                 "campaign": "Campaigns", "call": "Calls", "meeting": "Meetings", "event": "Meetings"}
_USED_WITH = r'(?:getRecordById|updateRecord|getRelatedRecords|deleteRecord)\s*\(\s*"(\w+)"\s*,\s*(?:"\w+"\s*,\s*)?{name}\b'
_URL_WITH = r'/crm/v\d+(?:\.\d+)?/(\w+)/"\s*\+\s*{name}\b'
# a record or module lookup on the fakes that found nothing (204), or a module the fakes do not have (400)
_EMPTY_LOOKUP = re.compile(r"trace: GET \S+/crm/v[\d.]+/\w+(/\w+)?(\?\S*)? -> (204|400|404)|"
                           r"trace: GET \S+/(books|inventory|desk)/\S+ -> (204|404)")


def sample_ids() -> dict[str, str]:
    """Module -> the id of its first sample record (the sandbox seeds the same records every run)."""
    store = CrmStore(":memory:")
    store.seed_sample(SAMPLE, seed=7)
    ids = {}
    for module in store.modules():
        records = store.all(module)
        if records:
            ids[module] = records[0]["id"]
    return ids


def _module_of(name: str, text: str, ids: dict[str, str]) -> str:
    for pattern in (_USED_WITH, _URL_WITH):
        found = re.search(pattern.format(name=re.escape(name)), text)
        if found:
            module = next((m for m in ids if m.lower() == found.group(1).lower()), None)
            if module:
                return module
    lowered = name.lower()
    hinted = next((module for hint, module in _MODULE_HINTS.items() if hint in lowered and module in ids), None)
    return hinted or "Deals"


def sample_value(name: str, type_name: str, text: str, ids: dict[str, str]) -> Any:
    """A plausible value for an argument of this name and declared type."""
    kind = type_name.lower()
    lowered = name.lower()
    if _ID_NAME.search(name):
        record_id = ids.get(_module_of(name, text, ids), next(iter(ids.values())))
        return int(record_id) if kind in ("int", "bigint", "long", "number") else record_id
    if kind in ("int", "bigint", "long", "number"):
        return 1
    if kind in ("decimal", "float", "double"):
        return 10.5
    if kind in ("bool", "boolean"):
        return True
    used = re.escape(name)
    if not kind and re.search(rf"\b{used}\s*\.\s*(get|getJSON|keys|put|containKey)\s*\(", text, re.IGNORECASE):
        kind = "map"  # the script reads fields off it: a record Map
    elif not kind and re.search(rf"for\s+each\s+\w+\s+in\s+{used}\b", text, re.IGNORECASE):
        kind = "list"
    if kind in ("map", "collection"):
        return {"id": ids.get("Deals"), "Email": "ada@example.com", "Last_Name": "Lovelace"}
    if kind == "list":
        return []
    if kind == "date" or lowered.endswith("date"):
        return "2026-01-15"
    if "mail" in lowered:
        return "ada@example.com"
    if "amount" in lowered or "price" in lowered or "total" in lowered:
        return 100
    return "sample"


@dataclass
class Plan:
    call: str | None
    arguments: dict[str, Any]
    problem: str | None = None  # the script does not parse


def plan_for(path: Path, ids: dict[str, str]) -> Plan:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        program = parse(Source(text, str(path)))
    except DelugeError as error:
        return Plan(None, {}, f"[DL001] {error.message}")
    if not program.statements and program.functions:
        function = program.functions[0]
        full = f"{function.category}.{function.name}" if function.category else function.name
        return Plan(full, {p.name.name: sample_value(p.name.name, p.type_name, text, ids) for p in function.params})
    names: list[str] = []
    for finding in diagnose(text, str(path)):  # what check --format json reports, in process
        if finding.code == "DL102":
            names = finding.message.split(": ", 1)[1].split(";", 1)[0].split(", ")
    return Plan(None, {name: sample_value(name, "", text, ids) for name in names})


def classify(returncode: int | None, stderr: str, empty_lookup: bool = False) -> str:
    if returncode == 0:
        return "clean end"
    if returncode is None or returncode == 3:
        return "internal error"
    for kind, pattern in RULES:
        if pattern.search(stderr):
            return kind
    if empty_lookup and re.search(r"null|not work on|cannot call|Map", stderr):
        return "missing record"
    return "script error"


def run_one(path: Path, ids: dict[str, str], timeout: float, work: Path) -> tuple[str, str]:
    plan = plan_for(path, ids)
    if plan.problem:
        return "parse error", plan.problem
    inputs = work / f"{path.stem}.input.json"
    inputs.write_text(json.dumps(plan.arguments), encoding="utf-8")
    command = [sys.executable, "-m", "deluge_lite", "run", "--sandbox", "--trace", "--input", str(inputs)]
    if plan.call:
        command += ["--call", plan.call]
    command.append(str(path))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=work)
    except subprocess.TimeoutExpired:
        return "internal error", f"timed out after the benchmark's {timeout:g} s"
    lines = done.stderr.splitlines()
    first = next((i for i, line in enumerate(lines) if " error: " in line or line.startswith(("Traceback",
                                                                                              "deluge-lite: error"))),
                 None)
    if first is None:  # no error line: the whole stderr, less the trace and the notices
        first = next((i for i, line in enumerate(lines) if not line.startswith(("trace:", "sandbox:", "---",
                                                                                "deluge-lite: Zoho"))), len(lines))
    failure = "\n".join(lines[first:])
    # a lookup that found nothing (204/404 from the fake) is in the trace, before the error
    empty = [line for line in lines[:first] if _EMPTY_LOOKUP.search(line)]
    return classify(done.returncode, failure, bool(empty)), (lines[first] if first < len(lines) else "")[:220]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--show", action="append", default=[], help="list the scripts of this kind with their error")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    options = parser.parse_args()
    scripts = sorted(p for p in options.folder.iterdir() if p.suffix in (".dg", ".deluge"))
    ids = sample_ids()
    with tempfile.TemporaryDirectory(prefix="sandbox-corpus-") as folder, \
            ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        outcomes = list(pool.map(lambda p: run_one(p, ids, options.timeout, Path(folder)), scripts))
    counts = Counter(kind for kind, _ in outcomes)
    print(f"{len(scripts)} scripts in {options.folder}")
    for kind in KINDS:
        print(f"  {kind:<22} {counts.get(kind, 0):>4}")
    for wanted in options.show:
        print(f"\n{wanted}:")
        for path, (kind, detail) in zip(scripts, outcomes, strict=True):
            if kind == wanted:
                print(f"  {path.name}: {detail}")
    if options.json:
        options.json.write_text(json.dumps({p.name: {"kind": k, "detail": d} for p, (k, d) in
                                            zip(scripts, outcomes, strict=True)}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
