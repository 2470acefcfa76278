"""Differential test: the optimised compiler against the reference compilation, under many limits.

Usage: ``python benchmarks/differential.py [--quick] [--corpus DIR] [PATH ...]``

Every golden script (tests/golden), every example (examples/) and the benchmark scripts run
twice per statement limit: compiled with the fast paths (``optimize=True``, what users get)
and without them (``optimize=False``: every operator through its helper, one statement
tick per statement). For each run it compares the ``info`` lines, the return value, the
outbox, and any error: its class, message, position (line and column) and Deluge stack.
Any difference is printed with the script, the limit and both outcomes; the exit code is
1 when there is one. Limits: small ones (the limit falls on every early statement in
turn), a middle one and Zoho's default. ``--quick`` runs fewer limits. ``--corpus DIR``
adds the ``.dg`` files of DIR (real-world scripts; they are only run, never copied).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deluge_lite import DelugeError, Interpreter, Limits, Runtime
from deluge_lite.check import check
from deluge_lite.compiler import compile_program
from deluge_lite.interpreter import Script, quoted_literal, read_script
from deluge_lite.parser import parse
from deluge_lite.source import Source
from deluge_lite.testing.golden import GOLDEN_CLOCK

ROOT = Path(__file__).resolve().parent.parent
LIMITS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 17, 21, 30, 50, 100, 1000, 200_000)
QUICK_LIMITS = (1, 3, 6, 13, 50, 200_000)


@dataclass(frozen=True)
class Outcome:
    info: tuple[str, ...]
    value: str
    outbox: str
    error: tuple[Any, ...] | None

    def describe(self) -> str:
        lines = [f"    info: {list(self.info)[-5:]}", f"    value: {self.value}"]
        if self.error:
            lines.append(f"    error: {self.error}")
        return "\n".join(lines)


def scripts(extra: list[Path]) -> Iterator[Path]:
    for folder in (ROOT / "tests" / "golden", ROOT / "examples", ROOT / "benchmarks"):
        yield from sorted(folder.rglob("*.dg"))
    for path in extra:
        yield from (sorted(path.rglob("*.dg")) if path.is_dir() else [path])


def compiled(text: str, name: str, optimize: bool) -> Script | DelugeError:
    """Parse, check and compile as `Interpreter.load` does, with or without the fast paths."""
    source = Source(text, name)
    interpreter = Interpreter(Runtime(info=lambda _line: None))
    try:
        program = parse(source)
        problems = [problem for problem in check(program, source, interpreter.known, ())
                    if not problem.message.startswith(("unknown function", "unknown task", "unknown system"))]
        if problems:
            return problems[0]
        return Script(source, program, compile_program(program, source, quoted_literal=quoted_literal,
                                                       optimize=optimize))
    except DelugeError as error:
        return error


def outcome(script: Script | DelugeError, statements: int) -> Outcome:
    if isinstance(script, DelugeError):
        return Outcome((), "", "", _error(script))
    runtime = Runtime(info=lambda _line: None, clock=lambda: GOLDEN_CLOCK,
                      limits=Limits(statements=statements, seconds=30))
    runtime.random = random.Random(statements)  # type: ignore[attr-defined]  # randomNumber: same draws both ways
    interpreter = Interpreter(runtime)
    lines: list[str] = []
    runtime.info = lines.append
    try:
        result = interpreter.execute(script)
    except DelugeError as error:
        return Outcome(tuple(lines), "", repr([mail.fields for mail in runtime.outbox]), _error(error))
    finally:
        runtime.close()
    return Outcome(tuple(result.info), repr(result.value), repr([mail.fields for mail in result.outbox]), None)


def _error(error: DelugeError) -> tuple[Any, ...]:
    span = error.span
    where = (span.line, span.col) if span else None
    stack = tuple((name, file, frame.line, frame.col) for name, file, frame in getattr(error, "stack", []) or [])
    return type(error).__name__, error.message, where, stack


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer statement limits")
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="also run the .dg files here")
    parser.add_argument("paths", type=Path, nargs="*", help="only these scripts")
    options = parser.parse_args()
    limits = QUICK_LIMITS if options.quick else LIMITS
    paths = list(scripts(options.corpus)) if not options.paths else options.paths
    started = time.process_time()
    differences = runs = 0
    for path in paths:
        try:
            text = read_script(path)
        except DelugeError:
            continue
        fast, reference = compiled(text, str(path), True), compiled(text, str(path), False)
        for statements in limits:
            runs += 1
            got, want = outcome(fast, statements), outcome(reference, statements)
            if got != want:
                differences += 1
                print(f"DIFFERENT {path} at a limit of {statements} statements\n  optimised:\n"
                      f"{got.describe()}\n  reference:\n{want.describe()}")
                break
    print(f"{len(paths)} scripts x {len(limits)} limits: {runs} paired runs, {differences} different "
          f"({time.process_time() - started:.1f} CPU s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
