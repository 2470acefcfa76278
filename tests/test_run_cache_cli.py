"""``deluge-lite run`` from the program cache, end to end: same output, same errors, no front end loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = ("import sys\nfrom deluge_lite.cli import main\n"
         "try:\n    code = main(sys.argv[1:])\nexcept SystemExit as stop:\n    code = stop.code\n"
         "sys.stderr.write('loaded: ' + ' '.join(m for m in ('lark', 'deluge_lite.parser', 'deluge_lite.compiler')"
         " if m in sys.modules) + '\\n')\nsys.exit(code)\n")


def deluge(args: list[str], cache: Path, cwd: Path, probe: str = PROBE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DELUGE_LITE_CACHE": str(cache)}
    env.pop("DELUGE_LITE_NO_CACHE", None)
    return subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=cwd)


@pytest.fixture
def place(tmp_path: Path) -> tuple[Path, Path]:
    work = tmp_path / "work"
    work.mkdir()
    return work, tmp_path / "cache"


def test_second_run_comes_from_the_cache_with_the_same_output(place: tuple[Path, Path]) -> None:
    work, cache = place
    script = work / "hello.dg"
    script.write_text('total = 0;\nfor each n in {1, 2, 3}\n{\n\ttotal = total + n;\n}\ninfo "total " + total;\n'
                      "return total;\n")
    first, second = deluge(["run", str(script)], cache, work), deluge(["run", str(script)], cache, work)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout and "total 6" in first.stdout
    assert "deluge_lite.parser" in first.stderr.splitlines()[-1]
    assert second.stderr.splitlines()[-1] == "loaded: "  # no parser, no compiler, no lark
    assert len(list(cache.glob("program-*"))) == 1


# what a cached run of a small script must never load (each was once a measurable share of its
# start-up): the front end and the syntax tree, dataclasses (and inspect), the MIME table, the
# network and connections, the project and its settings, and standard modules only a path
# taken on demand needs (pathlib, hashlib's OpenSSL, zoneinfo, calendar, difflib, dis, copy, random), and
# argparse (``run FILE`` alone takes the options an earlier one got from it), typing (annotations are
# never evaluated: modules import its names under TYPE_CHECKING only), and re, json, calendar
# and html, which only the built-ins that need them import (module patterns are lazy_pattern's; the script
# rounds, so it needs decimal)
NOT_LOADED_WARM = ("lark", "deluge_lite.parser", "deluge_lite.parsing", "deluge_lite.builder", "deluge_lite.ast",
                   "deluge_lite.check", "deluge_lite.compiler", "deluge_lite.interpreter", "dataclasses", "inspect",
                   "mimetypes", "httpx", "deluge_lite.net", "deluge_lite.connections", "deluge_lite.project",
                   "tomllib", "platformdirs", "shutil", "pathlib", "hashlib", "_hashlib", "zoneinfo", "calendar",
                   "difflib", "dis", "copy", "argparse", "gettext", "deluge_lite.cli_run", "random",
                   "typing", "re", "json", "calendar", "html")
MODULES_PROBE = ("import sys\nfrom deluge_lite.cli import main\ncode = main(sys.argv[1:])\n"
                 "sys.stderr.write('modules: ' + ' '.join(sorted(sys.modules)) + '\\n')\nsys.exit(code)\n")


def test_a_cached_run_loads_none_of_the_start_up_weight(place: tuple[Path, Path]) -> None:
    work, cache = place
    script = work / "hello.dg"
    script.write_text('m = {"a": 1};\nfor each k in m.keys()\n{\n\tinfo "key " + k + " " + m.get(k);\n}\n'
                      'info "Average: " + (10 / 3).round(2);\n')
    cold = deluge(["run", str(script)], cache, work, MODULES_PROBE)
    warm = deluge(["run", str(script)], cache, work, MODULES_PROBE)
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert warm.stdout == cold.stdout == "key a 1\nAverage: 3.33\n"
    loaded = set(warm.stderr.splitlines()[-1].removeprefix("modules: ").split())
    assert "deluge_lite.executor" in loaded and "deluge_lite.parser" in cold.stderr  # the probe sees both paths
    assert sorted(name for name in NOT_LOADED_WARM if name in loaded) == []


def test_an_edited_script_is_compiled_again(place: tuple[Path, Path]) -> None:
    work, cache = place
    script = work / "edit.dg"
    script.write_text('info "one";\n')
    assert deluge(["run", str(script)], cache, work).stdout.strip() == "one"
    script.write_text('info "two";\n')
    again = deluge(["run", str(script)], cache, work)
    assert again.stdout.strip() == "two" and "deluge_lite.parser" in again.stderr


def test_errors_and_warnings_are_the_same_from_the_cache(place: tuple[Path, Path]) -> None:
    work, cache = place
    script = work / "fails.dg"
    script.write_text('x = 1;\nif(x = 1)\n{\n\tinfo "yes";\n}\ny = x + {1};\ninfo "never";\n')
    first, second = deluge(["run", str(script)], cache, work), deluge(["run", str(script)], cache, work)
    assert first.returncode == second.returncode != 0
    assert first.stdout == second.stdout == "yes\n"
    strip = lambda text: "\n".join(text.splitlines()[:-1])  # noqa: E731  (the probe's own last line)
    assert strip(first.stderr) == strip(second.stderr) and "fails.dg:6:" in first.stderr
    assert second.stderr.splitlines()[-1] == "loaded: "


def test_options_are_part_of_the_key(place: tuple[Path, Path]) -> None:
    work, cache = place
    script = work / "limit.dg"
    script.write_text("".join(f"x{n} = {n};\n" for n in range(20)) + 'info "done";\n')
    assert deluge(["run", str(script)], cache, work).stdout == "done\n"
    limited = deluge(["run", "--max-statements", "5", str(script)], cache, work)
    assert limited.returncode != 0 and "limit of 5 statements" in limited.stderr
    limited_again = deluge(["run", "--max-statements", "5", str(script)], cache, work)
    assert limited_again.stderr.splitlines()[:-1] == limited.stderr.splitlines()[:-1]


def test_runs_with_arguments_are_not_cached(place: tuple[Path, Path]) -> None:
    work, cache = place
    script = work / "args.dg"
    script.write_text('info "hi " + who;\n')
    for _ in range(2):
        result = deluge(["run", str(script), "--arg", "who=you"], cache, work)
        assert result.stdout == "hi you\n" and "deluge_lite.parser" in result.stderr
    assert list(cache.glob("program-*")) == []


def test_the_options_of_a_plain_run_are_those_argparse_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deluge_lite import run_cache
    from deluge_lite.cli import _build_parser

    monkeypatch.setenv("DELUGE_LITE_CACHE", str(tmp_path / "cache"))
    script = tmp_path / "plain.dg"
    script.write_text('info "x";\n')
    arguments = ["run", str(script)]
    parsed = _build_parser(arguments).parse_args(arguments)
    assert run_cache.plain_options(arguments) is None  # nothing stored yet
    run_cache.remember_plain_options(arguments, parsed)
    assert vars(run_cache.plain_options(arguments)) == vars(parsed)
    other = tmp_path / "other.dg"
    assert run_cache.plain_options(["run", str(other)]).files == [str(other)]
    for longer in (["run", str(script), "--trace"], ["run", "--trace", str(script)], ["check", str(script)]):
        assert run_cache.plain_options(longer) is None


def test_any_replayable_run_command_line_takes_the_options_argparse_gave_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deluge_lite import run_cache
    from deluge_lite.cli import _build_parser

    monkeypatch.setenv("DELUGE_LITE_CACHE", str(tmp_path / "cache"))
    script = tmp_path / "limits.dg"
    script.write_text('info "x";\n')
    arguments = ["run", "--max-statements", "5000", "--trace", str(script)]
    parsed = _build_parser(arguments).parse_args(arguments)
    run_cache.remember_plain_options(arguments, parsed)
    assert vars(run_cache.plain_options(arguments)) == vars(parsed)  # exactly that command line
    for other in (["run", "--max-statements", "6000", "--trace", str(script)], ["run", str(script)],
                  ["run", "--max-statements", "5000", str(script), "--trace"]):
        assert run_cache.plain_options(other) is None, other
    with_values = ["run", "--arg", "a=1", str(script)]  # values are not replayed: nothing kept
    run_cache.remember_plain_options(with_values, _build_parser(with_values).parse_args(with_values))
    assert run_cache.plain_options(with_values) is None
    for index in range(run_cache.REMEMBERED_COMMANDS):  # the newest are kept
        line = ["run", "--max-statements", str(index + 1), str(script)]
        run_cache.remember_plain_options(line, _build_parser(line).parse_args(line))
    assert run_cache.plain_options(arguments) is None
    assert run_cache.plain_options(["run", "--max-statements", "1", str(script)]) is not None
