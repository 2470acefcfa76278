"""What the debugger costs: a run with no debugger, after a debug session, under the debugger, and before it existed.

Usage: ``python benchmarks/debugger_overhead.py [--repeat N] [--before REV [--at REV]]``

Times ``Interpreter.execute`` of loop_heavy.dg (about 950,000 statements) in CPU seconds:
  (a) no debugger: the ordinary run (the debug package is never imported);
  (b) after a debug session in the same process: the tracer must leave nothing behind;
  (c) under the debugger with no breakpoints (the cost of tracing Deluge lines);
  (d) with ``--before REV``: (a) in a checkout of REV (say, the commit before the debugger
      landed), in a subprocess, so "costs the same as before" is measured, not assumed;
      ``--at REV`` times (a) in a checkout of REV too (say HEAD, leaving out uncommitted
      work in the tree), alternating the two so that machine noise hits both alike.
Prints medians and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "loop_heavy.dg"


def _runner():  # type: ignore[no-untyped-def]
    from deluge_lite import Interpreter, Limits, Runtime

    interpreter = Interpreter(Runtime(info=lambda line: None, limits=Limits(statements=10_000_000, seconds=600)))
    script = interpreter.load(SCRIPT.read_text(encoding="utf-8"), str(SCRIPT))
    return interpreter, script


def time_plain(repeat: int) -> list[float]:
    interpreter, script = _runner()
    interpreter.execute(script)  # warm-up
    times = []
    for _ in range(repeat):
        started = time.process_time()
        interpreter.execute(script)
        times.append(time.process_time() - started)
    return times


def time_debugged(repeat: int) -> list[float]:
    from deluge_lite.debug.engine import Engine, Target

    class Continue:
        def paused(self, stop: object) -> str:
            return "continue"

    times = []
    for _ in range(repeat):
        interpreter, script = _runner()
        engine = Engine(Target(interpreter, script), Continue())
        started = time.process_time()
        engine.run()
        times.append(time.process_time() - started)
    return times


def time_revision(revision: str, repeat: int) -> list[float]:
    """time_plain in a checkout of ``revision``, in a subprocess."""
    root = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                               check=True, cwd=HERE).stdout.strip())
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "tree.tar"
        subprocess.run(["git", "archive", "-o", str(archive), revision], check=True, cwd=root)
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
        code = (f"import sys, json; sys.path.insert(0, {folder!r}); sys.path.insert(1, {str(HERE)!r}); "
                f"import debugger_overhead as b; print(json.dumps(b.time_plain({repeat})))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**_environ(), "PYTHONPATH": folder}).stdout
        return list(json.loads(out.strip().splitlines()[-1]))


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", metavar="REV", help="also time the plain run of this git revision")
    parser.add_argument("--at", metavar="REV", help="with --before: compare with this revision, not the tree")
    options = parser.parse_args()
    plain = statistics.median(time_plain(options.repeat))
    debugged = statistics.median(time_debugged(max(1, options.repeat // 2)))
    after = statistics.median(time_plain(options.repeat))
    print(f"{'run':<40} {'median CPU s':>12} {'ratio':>7}")
    print(f"{'(a) no debugger':<40} {plain:>12.3f} {1.0:>7.2f}")
    print(f"{'(b) no debugger, after a debug session':<40} {after:>12.3f} {after / plain:>7.2f}")
    print(f"{'(c) under the debugger, no breakpoints':<40} {debugged:>12.3f} {debugged / plain:>7.2f}")
    if options.before:
        befores: list[float] = []
        ats: list[float] = []
        for _ in range(options.repeat):
            befores += time_revision(options.before, 1)
            ats += time_revision(options.at, 1) if options.at else time_plain(1)
        before, at = statistics.median(befores), statistics.median(ats)
        label = options.at or "the working tree"
        print(f"{'(d) no debugger, ' + options.before:<40} {before:>12.3f}")
        print(f"{'    no debugger, ' + label:<40} {at:>12.3f} {at / before:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
