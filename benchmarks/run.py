"""Side-by-side benchmark: deluge-lite vs deluge-compat vs plain Python on a loop-heavy script.

Usage: ``python benchmarks/run.py [--repeat N]``

Times, in one process:
  (a) deluge-lite: ``Interpreter.load`` (parse + check + compile) once, then
      ``Interpreter.execute`` of the compiled script N times;
  (b) deluge-compat's ``run_deluge_script`` (its translate + exec; it has no separate
      compile step) on the same kind of script, N times;
  (c) the same work hand-written in Python (loop_heavy.py), N times.
Each result is checked against the others before any number is printed. Prints the
median and min of each and the ratios. Never asserts on time: the numbers are for
reading, not for CI.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deluge_lite import Interpreter, Limits, Runtime

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import loop_heavy  # noqa: E402  (the plain-Python side, next to this file)

# loop_heavy.dg runs about 950,000 statements: far above Zoho's default 200,000.
LIMITS = Limits(statements=10_000_000, seconds=600)

# Natural Deluge constructs probed against deluge-compat (each returns a value;
# deluge-lite's value is the reference).
PROBES = {
    "Text + Number (\"k\" + 5)": 'return "k" + 5;',
    "method on concatenated Text": 't = "a" + "b";\nreturn t.length();',
    "Number to Text (n.toString())": "n = 5;\nreturn n.toString();",
    "info with a Number": 'n = 5;\ninfo "n=" + n;\nreturn n;',
    "List literal {3,1,2}": "l = {3,1,2};\nl.add(4);\nreturn l;",
    "one-line if block": "x = 1;\nif(x == 1) { x = 2; }\nreturn x;",
    "for each over a Text": 'c = 0;\nfor each p in "a,b,c"\n{\n\tc = c + 1;\n}\nreturn c;',
}


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> tuple[list[float], Any]:
    """Run ``fn`` ``warmup`` times untimed, then ``repeat`` times timed; the last result.

    Times are CPU seconds of this process (``time.process_time``): on a shared 2-core
    machine, wall-clock time mostly measures the other jobs; CPU time measures the work.
    """
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return times, result


def plain(value: Any) -> Any:
    """deluge-compat's Map/List/DelugeString subclasses as plain dict/list/str (a set stays a set)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in dict.items(value)}
    if isinstance(value, list):
        return [plain(item) for item in list.__iter__(value)]
    return value


def compat_run(text: str) -> Any:
    from deluge_compat import run_deluge_script
    with contextlib.redirect_stdout(io.StringIO()):  # its info prints "INFO: ..."
        return run_deluge_script(text)


def counting_statements(interpreter: Interpreter, script: Any) -> int:
    """Statements one run executes: an untimed run of the reference compilation with a counting tick.

    (The optimised code counts in bulk through ``__steps``; the reference counts one by one
    through ``Runtime.tick``, so replacing that tick counts every statement.)
    """
    from deluge_lite.compiler import compile_program
    from deluge_lite.interpreter import Script, quoted_literal

    reference = Script(script.source, script.program,
                       compile_program(script.program, script.source, quoted_literal=quoted_literal, optimize=False))
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1

    runtime = interpreter.runtime
    original = runtime.start_budget
    runtime.start_budget = lambda: setattr(runtime, "tick", tick)  # type: ignore[method-assign]
    try:
        interpreter.execute(reference)
    finally:
        runtime.start_budget = original  # type: ignore[method-assign]
        original()
    return count


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per engine (default 5, after 1 warm-up)")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    natural = (HERE / "loop_heavy.dg").read_text(encoding="utf-8")
    reduced = (HERE / "loop_heavy_compat.dg").read_text(encoding="utf-8")
    interpreter = Interpreter(Runtime(info=lambda _line: None, limits=LIMITS))
    rows: list[tuple[str, str, float | None, list[float]]] = []
    failures: list[str] = []

    # ---- loop_heavy.dg: deluge-lite vs plain Python
    start = time.perf_counter()
    script = interpreter.load(natural, "loop_heavy.dg")
    lite_compile = time.perf_counter() - start
    statements = counting_statements(interpreter, script)
    lite_times, lite_result = timed(lambda: interpreter.execute(script), repeat)
    py_times, (py_info, py_value) = timed(loop_heavy.run, repeat)
    if lite_result.info != py_info or lite_result.value != py_value:
        failures.append(f"loop_heavy: deluge-lite {lite_result.info!r} {lite_result.value!r} "
                        f"!= python {py_info!r} {py_value!r}")
    rows.append(("deluge-lite", "loop_heavy.dg", lite_compile, lite_times))
    rows.append(("python", "loop_heavy.py run()", None, py_times))

    # ---- deluge-compat on the natural script, then on the reduced one
    try:
        compat_run(natural)
        compat_natural = "ran"
    except Exception as error:  # noqa: BLE001 - reporting the peer's failure is the point
        compat_natural = f"FAILED: {error}"
    probe_lines = []
    for label, text in PROBES.items():
        want = Interpreter(Runtime(info=lambda _line: None)).run(text).value
        try:
            got = plain(compat_run(text))
            verdict = "ok" if got == want and type(got) is type(want) else f"wrong result {got!r}"
        except Exception as error:  # noqa: BLE001
            verdict = f"error: {str(error).removeprefix('Error executing Deluge script: ')}"
        probe_lines.append(f"  {label:<32} deluge-lite {want!r:<14} deluge-compat {verdict}")

    start = time.perf_counter()
    reduced_script = interpreter.load(reduced, "loop_heavy_compat.dg")
    lite2_compile = time.perf_counter() - start
    lite2_times, lite2_result = timed(lambda: interpreter.execute(reduced_script), repeat)
    from deluge_compat.translator import DelugeTranslator
    translate_times, _ = timed(lambda: DelugeTranslator().translate(reduced), repeat)
    compat_times, compat_result = timed(lambda: compat_run(reduced), repeat)
    py2_times, py2_result = timed(loop_heavy.run_compat, repeat)
    if not (lite2_result.value == plain(compat_result) == py2_result):
        failures.append(f"loop_heavy_compat: deluge-lite {lite2_result.value!r}, "
                        f"deluge-compat {plain(compat_result)!r}, python {py2_result!r} differ")
    rows.append(("deluge-lite", "loop_heavy_compat.dg", lite2_compile, lite2_times))
    rows.append(("deluge-compat", "loop_heavy_compat.dg", statistics.median(translate_times), compat_times))
    rows.append(("python", "loop_heavy.py run_compat()", None, py2_times))

    # ---- report
    print(f"Python {platform.python_version()} on {platform.machine()}, {repeat} timed runs each after 1 warm-up")
    print(f"deluge-lite limits: statements={LIMITS.statements:,} seconds={LIMITS.seconds:g}; "
          f"loop_heavy.dg executes {statements:,} statements per run (100,000 innermost iterations)")
    print()
    print(f"{'engine':<14} {'script':<27} {'compile':>12} {'exec median':>12} {'exec min':>12}")
    for engine, name, compile_time, times in rows:
        compile_text = fmt(compile_time) if compile_time is not None else f"{'-':>12}"
        print(f"{engine:<14} {name:<27} {compile_text} {fmt(statistics.median(times))} {fmt(min(times))}")
    print("  compile = deluge-lite: parse+check+compile (once); deluge-compat: its translate() alone, median "
          "(its exec column is a whole run_deluge_script: translate + Python compile + run)")
    print()

    def ratio(a: list[float], b: list[float]) -> str:
        return f"median {statistics.median(a) / statistics.median(b):5.2f}x   min {min(a) / min(b):5.2f}x"

    print("ratios (execution; lower is better for deluge-lite)")
    print(f"  deluge-lite / python         loop_heavy         {ratio(lite_times, py_times)}   (target <= 3x)")
    print(f"  deluge-lite / python         loop_heavy_compat  {ratio(lite2_times, py2_times)}")
    print(f"  deluge-lite / deluge-compat  loop_heavy_compat  {ratio(lite2_times, compat_times)}   (target <= 1x)")
    lite2_total = [lite2_compile + t for t in lite2_times]
    print(f"  same, deluge-lite incl. compile                 {ratio(lite2_total, compat_times)}")
    print()
    print(f"deluge-compat on loop_heavy.dg: {compat_natural}")
    print("  so deluge-compat is timed on loop_heavy_compat.dg, the closest script it can run "
          "(Number Map keys, no Text + Number, row != longest instead of .length(), no info, result is a List)")
    print("deluge-compat on natural Deluge constructs:")
    print("\n".join(probe_lines))
    print()
    if failures:
        print("RESULT MISMATCH:")
        print("\n".join(f"  {line}" for line in failures))
        return 1
    print("results: deluge-lite == python on loop_heavy; deluge-lite == deluge-compat == python on loop_heavy_compat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
