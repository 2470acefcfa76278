"""Side-by-side CLI benchmark: deluge-lite against deluge-compat and plain Python, start-up included.

Usage: ``python benchmarks/cli.py [--repeat N] [--only NAME]``

Every measurement is a fresh process, as a user runs it: ``deluge-lite run FILE``, the
peer's ``deluge-run FILE`` and ``python FILE.py`` (the same work written by hand). Within
each repetition the engines run one after another (alternating), and the table shows the
median over the repetitions of each process's CPU seconds (user + system, from
``wait4``; on a shared machine wall time mostly measures the neighbours) and of its wall
time. deluge-lite is measured twice: *cold* (``DELUGE_LITE_NO_CACHE=1``: parse, check and
compile every time) and *warm* (the program cache primed by one untimed run). Before
timing, each workload's deluge-lite output is compared with Python's (and the run stops
if they differ); the peer is run once to see whether it can run the script at all, and
its failure is printed instead of a time when it cannot. Nothing here asserts on time.

Every process runs with bytecode, as an installed package does (pip writes ``.pyc`` files at
install time): ``PYTHONDONTWRITEBYTECODE`` is dropped and ``PYTHONPYCACHEPREFIX`` points into
the benchmark's private temporary folder, so the untimed first runs compile each module once
and the source tree stays clean. ``--no-bytecode`` measures the other case, every module
compiled from source at every start (what a checkout with ``PYTHONDONTWRITEBYTECODE=1`` pays).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "workloads"
BIN = Path(sys.executable).parent
LIMIT = ["--max-statements", "100000000"]


@dataclass
class Workload:
    name: str
    script: Path
    python: list[str] | None  # the hand-written Python command, if any
    peer: bool  # try the peer on it


def workloads() -> list[Workload]:
    hello = WORK / "hello.dg"
    return [
        Workload("start-up: hello", hello, [sys.executable, "-c", "print('Hello, World')"], True),
        Workload("loop: arithmetic + branches", WORK / "arith_branches.dg",
                 [sys.executable, str(WORK / "arith_branches.py")], True),
        Workload("loop: text + maps (compat cut)", HERE / "loop_heavy_compat.dg",
                 [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); import loop_heavy; "
                                        "loop_heavy.run_compat()"], True),
        Workload("loop: text + maps (natural)", HERE / "loop_heavy.dg",
                 [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); import loop_heavy; "
                                        "info, value = loop_heavy.run(); [print(line) for line in info]; print(value)"], True),
        Workload("toString of 10,000 records", WORK / "json_payload.dg", [sys.executable, str(WORK / "json_payload.py")],
                 True),
        Workload("toMap of 2,000 records, walked", WORK / "parse_walk.dg", [sys.executable, str(WORK / "parse_walk.py")],
                 True),
        Workload("date formatting, 15,000 calls", WORK / "dates_format.dg",
                 [sys.executable, str(WORK / "dates_format.py")], True),
        Workload("CSV split and clean, 3,000 lines", WORK / "csv_clean.dg", [sys.executable, str(WORK / "csv_clean.py")],
                 True),
    ]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, str, int]:
    """(CPU seconds, wall seconds, stdout, exit code) of one fresh process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace")
        if process.returncode:
            text += err.read().decode("utf-8", "replace")
    return usage.ru_utime + usage.ru_stime, wall, text, process.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (default 5)")
    parser.add_argument("--only", help="only workloads whose name contains this")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module from source at every start (PYTHONDONTWRITEBYTECODE=1)")
    options = parser.parse_args(argv)
    cache = Path(tempfile.mkdtemp(prefix="deluge-bench-"))
    os.chmod(cache, 0o700)
    base = {**os.environ, "DELUGE_LITE_CACHE": str(cache)}
    base.pop("PYTHONPYCACHEPREFIX", None)
    if options.no_bytecode:
        base["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    cold_env = {**base, "DELUGE_LITE_NO_CACHE": "1"}
    warm_env = {key: value for key, value in base.items() if key != "DELUGE_LITE_NO_CACHE"}
    lite = str(BIN / "deluge-lite")
    peer = shutil.which("deluge-run", path=str(BIN)) or shutil.which("deluge-run")
    (WORK / "hello.dg").exists() or (WORK / "hello.dg").write_text('info "Hello, World";\n')
    rows = []
    for workload in workloads():
        if options.only and options.only not in workload.name:
            continue
        engines: dict[str, tuple[list[str], dict[str, str]]] = {
            "lite cold": ([lite, "run", *LIMIT, str(workload.script)], cold_env),
            "lite warm": ([lite, "run", *LIMIT, str(workload.script)], warm_env),
        }
        _, _, lite_out, code = measure(*engines["lite warm"])  # primes the cache
        if code:
            print(f"{workload.name}: deluge-lite failed:\n{lite_out}")
            return 1
        if workload.python:
            engines["python"] = (workload.python, base)
            _, _, python_out, _ = measure(workload.python, base)
            if "compat" not in workload.name and python_out.strip() != lite_out.strip():
                print(f"{workload.name}: deluge-lite and Python disagree (not timed):\n{lite_out}\n---\n{python_out}")
                continue
        peer_note = "not installed"
        if workload.peer and peer:
            _, _, peer_out, code = measure([peer, str(workload.script)], base)
            if code == 0 and "Error" not in peer_out:
                engines["peer"] = ([peer, str(workload.script)], base)
                peer_note = ""
            else:
                peer_note = "cannot run it: " + (peer_out.strip().splitlines() or ["?"])[-1][:70]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
        for _ in range(options.repeat):
            for name, (command, env) in engines.items():
                cpu, wall, _, _ = measure(command, env)
                times[name].append((cpu, wall))
        medians = {name: (statistics.median(c for c, _ in found), statistics.median(w for _, w in found))
                   for name, found in times.items()}
        rows.append((workload.name, medians, peer_note))
        print_row(workload.name, medians, peer_note)
    shutil.rmtree(cache, ignore_errors=True)
    return 0


def print_row(name: str, medians: dict[str, tuple[float, float]], peer_note: str) -> None:
    def cell(engine: str) -> str:
        if engine not in medians:
            return f"{'-':>15}"
        cpu, wall = medians[engine]
        return f"{cpu:6.3f}s {wall:6.2f}w"

    print(f"\n{name}")
    print("   " + "  ".join(f"{engine:>15}" for engine in ("lite cold", "lite warm", "peer", "python")))
    print("   " + "  ".join(cell(engine) for engine in ("lite cold", "lite warm", "peer", "python")))
    ratios = []
    for lite in ("lite cold", "lite warm"):
        for other in ("peer", "python"):
            if other in medians:
                ratios.append(f"{lite}/{other} {medians[lite][0] / medians[other][0]:.2f}x cpu "
                              f"{medians[lite][1] / medians[other][1]:.2f}x wall")
    print("   " + "; ".join(ratios))
    if peer_note:
        print(f"   peer: {peer_note}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
