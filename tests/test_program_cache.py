"""The compiled-program cache: round trip, private files only, forged or stale entries refused."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from deluge_lite import program_cache, run_cache
from deluge_lite.compiler import compile_program
from deluge_lite.executor import Execution
from deluge_lite.interpreter import quoted_literal
from deluge_lite.parser import parse
from deluge_lite.runtime import Runtime
from deluge_lite.source import Source

SCRIPT = """string standalone.greet(string who)
{
	return "Hello, " + who + "!";
}
d = '12-Jan-2020 10:30:00';
info standalone.greet("cache");
info d.addDay(1);
info {"k": [1, 2]}.toString() + " " + "a,b".toList(",").size();
x = {"k": 1}.get("k");
y = x;
info x == y;
"""


def compiled(text: str = SCRIPT, name: str = "cached.dg"):  # type: ignore[no-untyped-def]
    source = Source(text, name)
    return compile_program(parse(source), source, quoted_literal=quoted_literal)


def run(program) -> list[str]:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    Execution(program, Runtime(info=lines.append)).run_main()
    return lines


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DELUGE_LITE_CACHE": str(tmp_path / "cache")}


def test_a_stored_program_runs_the_same_after_loading(env: dict[str, str]) -> None:
    program = compiled()
    key = program_cache.key(["test", SCRIPT])
    assert program_cache.store(key, [program], {"note": "x"}, env)
    loaded = program_cache.load(key, env)
    assert loaded is not None
    programs, record = loaded
    assert record == {"note": "x"}
    assert run(programs[0]) == run(program) == ["Hello, cache!", "13-Jan-2020 10:30:00", '{"k":[1,2]} 2',
                                                    "true"]
    assert any(type(value) is tuple for value in program.constants.values())  # (list, dict): a type test
    assert programs[0].typed_callers == program.typed_callers != set()  # "a,b".toList: a Text receiver
    assert programs[0].function_names == program.function_names
    assert programs[0].bulk == program.bulk is True


def test_cache_files_are_private(env: dict[str, str]) -> None:
    key = program_cache.key(["private"])
    assert program_cache.store(key, [compiled()], {}, env)
    folder = Path(env["DELUGE_LITE_CACHE"])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.glob("program-*"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600


def test_an_entry_others_could_write_is_never_loaded(env: dict[str, str]) -> None:
    key = program_cache.key(["writable"])
    assert program_cache.store(key, [compiled()], {}, env)
    entry = next(Path(env["DELUGE_LITE_CACHE"]).glob("program-*"))
    os.chmod(entry, 0o666)
    assert program_cache.load(key, env) is None
    os.chmod(entry, 0o600)
    assert program_cache.load(key, env) is not None


def test_a_cache_folder_open_to_others_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    env = {"DELUGE_LITE_CACHE": str(folder)}
    assert not program_cache.store(program_cache.key(["open"]), [compiled()], {}, env)
    assert list(folder.iterdir()) == []


def test_an_entry_moved_under_another_key_is_refused(env: dict[str, str]) -> None:
    first, second = program_cache.key(["one"]), program_cache.key(["two"])
    assert program_cache.store(first, [compiled()], {}, env)
    folder = Path(env["DELUGE_LITE_CACHE"])
    os.replace(next(folder.glob("program-*")), folder / f"program-{second[:40]}.marshal")
    assert program_cache.load(second, env) is None


def test_a_truncated_entry_is_a_miss(env: dict[str, str]) -> None:
    key = program_cache.key(["truncated"])
    assert program_cache.store(key, [compiled()], {}, env)
    entry = next(Path(env["DELUGE_LITE_CACHE"]).glob("program-*"))
    entry.write_bytes(entry.read_bytes()[:100])
    assert program_cache.load(key, env) is None


def test_keys_separate_their_parts_and_depend_on_every_part() -> None:
    assert program_cache.key(["ab", "c"]) != program_cache.key(["a", "bc"])
    assert program_cache.key(["x"]) == program_cache.key(["x"])
    assert program_cache.key(["x"]) != program_cache.key(["y"])


def test_the_cache_can_be_turned_off(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(program_cache.NO_CACHE_ENV, "1")
    assert not program_cache.store(program_cache.key(["off"]), [compiled()], {}, env)


def test_run_cache_names_for_the_settings_file_match_the_connections_config() -> None:
    from deluge_lite.connections import config

    assert (run_cache.CONFIG_FILE, run_cache.CONFIG_ENV) == (config.CONFIG_FILE, config.CONFIG_ENV)
    from deluge_lite.project import settings

    assert (settings.CONFIG_FILE, settings.CONFIG_ENV) == (config.CONFIG_FILE, config.CONFIG_ENV)


def test_importing_the_package_loads_no_front_end_or_network() -> None:
    code = ("import sys, deluge_lite\n"
            "print(sorted(m for m in ('lark', 'httpx', 'regex', 'deluge_lite.parser', 'deluge_lite.interpreter')"
            " if m in sys.modules))\n"
            "print(deluge_lite.run('info 1 + 1;').info, deluge_lite.Limits().statements)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines() == ["[]", "['2'] 200000"], result.stderr


def test_every_public_name_resolves() -> None:
    import deluge_lite

    for name in deluge_lite.__all__:
        assert getattr(deluge_lite, name) is not None
    with pytest.raises(AttributeError):
        deluge_lite.no_such_name  # noqa: B018


def test_the_cache_keeps_only_the_newest_entries(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(program_cache, "MAX_ENTRIES", 3)
    program = compiled()
    keys = [program_cache.key([f"entry {n}"]) for n in range(5)]
    for index, key in enumerate(keys):
        assert program_cache.store(key, [program], {}, env)
        entry = Path(env["DELUGE_LITE_CACHE"]) / f"program-{key[:40]}.marshal"
        os.utime(entry, ns=(index * 10**9, index * 10**9))
    assert len(list(Path(env["DELUGE_LITE_CACHE"]).glob("program-*"))) == 3
    assert program_cache.load(keys[0], env) is None and program_cache.load(keys[-1], env) is not None


def test_pruning_survives_an_entry_that_vanishes_under_it(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # Two runs prune the same folder at once: a file listed by one may be gone when it looks at it
    # (a dangling link stands for that file here). The run must go on, not fail with an internal error.
    monkeypatch.setattr(program_cache, "MAX_ENTRIES", 1)
    folder = Path(env["DELUGE_LITE_CACHE"])
    program = compiled()
    assert program_cache.store(program_cache.key(["first"]), [program], {}, env)
    (folder / "program-gone.marshal").symlink_to(folder / "no-such-file")
    newest = program_cache.key(["second"])
    assert program_cache.store(newest, [program], {}, env)
    assert program_cache.load(newest, env) is not None
