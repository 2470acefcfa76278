"""The long fuzz run of issue 13: mutated scripts and built-in calls with edge values.

Part 1 mutates real scripts (the golden tests and examples, plus any folder given with
``--corpus``) at the character, token and line level, splicing in edge fragments (huge
literals, ``x = {x, x}``, unbalanced brackets, quotes, keywords), and runs each through
parse, check, compile and execute with small limits and a fake HTTP transport. Part 2 calls
every built-in, in method and function form, with arguments drawn from the edge catalogue
(tests/hardening/edge_values.py); calls that mutate their receiver (``add``, ``put``) make the
catalogue's values grow and even cycle as the run goes on, and a RecursionError from a
cyclic value counts as what a script gets for it (the executor's "nests calls or values too
deeply" error). A *failure* is any other exception that is not a Deluge error,
a Deluge error whose message is deluge-lite's "internal error" wrapper, or a run that
outlives its time limit by more than a second. Figures and the first failures of each kind
go to stdout and, with ``--report``, to a JSON file.

    nice -n 19 python benchmarks/fuzz/run.py --scripts 100000 --calls 50000 --max-seconds 3000
    python benchmarks/fuzz/run.py --scripts 300 --calls 300      # a quick look
"""

from __future__ import annotations

import argparse
import json
import random
import reprlib
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402  (after the path: the benchmark runs from a checkout)

from deluge_lite.builtins import REGISTRY  # noqa: E402
from deluge_lite.errors import DelugeError, UsageError  # noqa: E402
from deluge_lite.interpreter import Interpreter  # noqa: E402
from deluge_lite.runtime import Limits, Runtime  # noqa: E402
from tests.hardening.edge_values import edge_values  # noqa: E402

LIMITS = Limits(statements=20_000, call_depth=40, seconds=2.0, value_size=2_000_000)
SLACK = 1.0  # a run may outlive its time limit by this much
INTERNAL = "internal error in deluge-lite"

FRAGMENTS = (
    "9" * 4301, "-" + "9" * 30, "1." + "9" * 400, "9223372036854775808", "0.0", "1e5", "{", "}", "(", ")", "[", "]",
    '"', "'", ";", ",", ".", "==", "=", "+", "%", "/", "&&", "||", "!", "null", "true", "if", "else", "for each",
    "in", "return", "try", "catch", "info", "void", "map", "list", "x = {x, x};", "x = {1};", "s = s + s;",
    'leftpad("", 9000000)', 's.replaceAll("", s, true)', ".toList()", ".toMap()", ".toString()", ".get(0)",
    ".addAll(l)", "'01-Jan-0001'", "'31-Dec-9999 23:59:59'", ".addBusinessDay(999999)", '.matches("(a|a)+$")',
    "invokeurl [ url: \"https://example.com\" type: GET ];", "sendmail [ from: zoho.adminuserid to: \"a@b.c\" "
    "subject: \"s\" message: \"m\" ];", "zoho.crm.getRecords(\"Leads\")", "thisapp.f()", "standalone.f(1)",
    "\u201c", "\u00a0", "\t", "\n", "\\", "/*", "*/", "//", "input.id", "x.y.z", "a[0]", "..", "$1",
)


def seed_scripts(extra: list[Path]) -> list[str]:
    files = sorted((ROOT / "tests" / "golden").rglob("*.dg")) + sorted((ROOT / "examples").rglob("*.dg"))
    for folder in extra:
        files += sorted(folder.rglob("*.dg"))
    texts = []
    for file in files:
        try:
            texts.append(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return [text for text in texts if text.strip()]


def mutate(text: str, seeds: list[str], chooser: random.Random) -> str:
    """One to four edits: delete, duplicate or swap a span; insert a fragment; splice a line from another seed."""
    for _ in range(chooser.randint(1, 4)):
        size = len(text)
        at = chooser.randint(0, size)
        kind = chooser.randrange(7)
        if kind == 0 and size:
            text = text[:at] + text[at + chooser.randint(1, 12):]
        elif kind == 1:
            text = text[:at] + chooser.choice(FRAGMENTS) + text[at:]
        elif kind == 2 and size:
            span = text[at:at + chooser.randint(1, 40)]
            text = text[:at] + span * chooser.randint(2, 6) + text[at:]
        elif kind == 3:
            lines = chooser.choice(seeds).splitlines() or [""]
            text = text[:at] + "\n" + chooser.choice(lines) + "\n" + text[at:]
        elif kind == 4 and size > 2:
            other = chooser.randint(0, size - 1)
            a, b = sorted((at if at < size else size - 1, other))
            text = text[:a] + text[b] + text[a + 1:b] + text[a] + text[b + 1:]
        elif kind == 5:
            lines = text.splitlines()
            if lines:
                line = chooser.randrange(len(lines))
                lines.insert(line, lines[line] if chooser.random() < 0.5 else chooser.choice(FRAGMENTS))
                text = "\n".join(lines)
        else:
            text = text[:at] + chr(chooser.choice((0x20, 0x22, 0x27, 0x7B, 0x7D, 0x3B, 0x00, 0xA0, 0x2028,
                                                   chooser.randint(0x21, 0x7E)))) + text[at:]
    return text


def _fake_server(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"data": [{"id": "1", "Last_Name": "x"}], "status": "success"})


def _runtime() -> Runtime:
    return Runtime(info=lambda _line: None, limits=LIMITS, transport=httpx.MockTransport(_fake_server),
                   http_timeout=2.0)


STOP = False  # set by SIGTERM: finish the current case and report


class Tally:
    """Outcome counts, and the first failure of each kind (also appended to ``log`` as it happens)."""

    def __init__(self, log: Path | None = None) -> None:
        self.outcomes: Counter[str] = Counter()
        self.failures: dict[str, dict[str, str]] = {}
        self.slowest = 0.0
        self.log = log

    def fail(self, kind: str, subject: str, detail: str) -> None:
        self.outcomes["failure"] += 1
        if kind not in self.failures:
            self.failures[kind] = {"subject": subject[:2000], "detail": detail[-3000:]}
            if self.log is not None:
                with self.log.open("a", encoding="utf-8") as out:
                    out.write(json.dumps({"kind": kind, **self.failures[kind]}) + "\n")


def fuzz_scripts(count: int, seeds: list[str], chooser: random.Random, tally: Tally, stop_at: float) -> int:
    """Run ``count`` mutated scripts through one interpreter (its budgets reset before each)."""
    interpreter = Interpreter(_runtime())
    rt = interpreter.runtime
    done = 0
    for done in range(1, count + 1):
        if time.monotonic() > stop_at or STOP:
            return done - 1
        text = mutate(chooser.choice(seeds), seeds, chooser)
        if done % 5000 == 0:
            print(f"... {done:,} scripts, {tally.outcomes['failure']} failures", file=sys.stderr, flush=True)
        rt.start_budget()
        rt.outbox.clear()
        rt.http_log.clear()
        started = time.process_time()
        try:
            interpreter.run(text, "fuzz.dg")
            tally.outcomes["script ran"] += 1
        except DelugeError as error:
            message = str(getattr(error, "message", error))
            if INTERNAL in message:
                tally.fail(f"script: {message[:80]}", text, message)
            else:
                tally.outcomes[f"script {type(error).__name__}"] += 1
        except UsageError:
            tally.outcomes["script usage error"] += 1
        except Exception as error:  # noqa: BLE001  (the bugs being hunted)
            tally.fail(f"script: {type(error).__name__}", text, traceback.format_exc())
        took = time.process_time() - started  # CPU seconds: a busy machine stretches wall time, not these
        tally.slowest = max(tally.slowest, took)
        if took > LIMITS.seconds + SLACK:
            tally.fail("script: outlived its time limit", text, f"{took:.2f} CPU seconds")
    interpreter.runtime.close()
    return done


def fuzz_calls(count: int, chooser: random.Random, tally: Tally, stop_at: float) -> int:
    catalogue = edge_values()
    entries = list(REGISTRY.all)
    rt = _runtime()
    done = 0
    for done in range(1, count + 1):
        if time.monotonic() > stop_at or STOP:
            return done - 1
        entry = chooser.choice(entries)
        high = entry.max_args if entry.max_args is not None else entry.min_args + 2
        argc = chooser.randint(entry.min_args, max(entry.min_args, min(high, 4)))
        if entry.receivers is not None and chooser.random() < 0.5:
            caller = REGISTRY.method_caller(entry.name, argc, rt)
            args = [chooser.choice(catalogue) for _ in range(argc + 1)]
        else:
            caller = REGISTRY.function_caller(entry.name, argc + (entry.receivers is not None), rt)
            args = [chooser.choice(catalogue) for _ in range(argc + (entry.receivers is not None))]
        rt.start_budget()
        started = time.process_time()
        try:
            caller(*args)
            tally.outcomes["call gave a result"] += 1
        except DelugeError:
            tally.outcomes["call gave a Deluge error"] += 1
        except RecursionError:  # a cyclic or very deep value (l.add(l)): a script gets the executor's
            tally.outcomes["call hit the nesting guard"] += 1  # "nests calls or values too deeply" error
        except Exception as error:  # noqa: BLE001
            tally.fail(f"call {entry.name}: {type(error).__name__}", _label(entry.name, args), traceback.format_exc())
        took = time.process_time() - started
        if took > LIMITS.seconds + SLACK:
            tally.fail(f"call {entry.name}: outlived the time limit", _label(entry.name, args), f"{took:.2f} CPU s")
    return done


def _stop(*_args: Any) -> None:
    global STOP
    STOP = True


def _label(name: str, args: list[Any]) -> str:
    return f"{name}({', '.join(reprlib.repr(arg) for arg in args)})"  # reprlib: shared nesting stays short


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scripts", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop both parts after this long")
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="more seed scripts (a folder)")
    parser.add_argument("--report", type=Path, help="write figures and failures as JSON here")
    parser.add_argument("--memory-gb", type=float, default=2.0, help="address-space cap for this process")
    options = parser.parse_args()
    cap = int(options.memory_gb * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    chooser = random.Random(options.seed)
    seeds = seed_scripts(options.corpus)
    tally = Tally(options.report.with_suffix(".failures.jsonl") if options.report else None)
    signal.signal(signal.SIGTERM, _stop)
    started = time.monotonic()
    stop_at = started + options.max_seconds
    calls = fuzz_calls(options.calls, chooser, tally, stop_at)
    call_seconds = time.monotonic() - started
    scripts = fuzz_scripts(options.scripts, seeds, chooser, tally, stop_at)
    figures = {
        "seed scripts": len(seeds), "mutated scripts run": scripts, "built-in calls": calls,
        "failures (non-Deluge exceptions, internal errors, overruns)": tally.outcomes["failure"],
        "distinct failure kinds": len(tally.failures), "slowest script (CPU s)": round(tally.slowest, 2),
        "seed": options.seed, "seconds (calls)": round(call_seconds, 1), "seconds (total)": round(time.monotonic() - started, 1),
        "peak memory (MB)": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "outcomes": dict(tally.outcomes.most_common()),
    }
    print(json.dumps(figures, indent=2))
    for kind, sample in tally.failures.items():
        print(f"--- {kind}\n{sample['subject'][:600]}\n{sample['detail'][-1500:]}")
    if options.report:
        options.report.write_text(json.dumps({"figures": figures, "failures": tally.failures}, indent=2))
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
