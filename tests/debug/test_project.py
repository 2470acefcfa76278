"""Stepping into a function defined in another file of the project (each file keeps its own name and lines)."""

from __future__ import annotations

from pathlib import Path

from deluge_lite.debug.engine import Engine, Stop, Target
from deluge_lite.interpreter import Interpreter
from deluge_lite.parser import parse
from deluge_lite.runtime import Runtime
from deluge_lite.source import Source

MAIN = "x = 4;\ny = thisapp.helper(x);\ninfo y;\n"
HELPER = "int helper(int n)\n{\n    doubled = n * 2;\n    return doubled;\n}\n"


class _Script:
    """A frontend that answers each stop with the next action and records where it stopped."""

    def __init__(self, actions: list[str]) -> None:
        self.actions = actions
        self.stops: list[tuple[str, list[tuple[str, str, int]]]] = []
        self.engine: Engine | None = None
        self.values: list[dict[str, object]] = []

    def paused(self, stop: Stop) -> str:
        self.stops.append((stop.reason, [(f.name, Path(f.file).name, f.line) for f in stop.frames]))
        assert self.engine is not None
        self.values.append(self.engine.variables(0))
        return self.actions.pop(0) if self.actions else "continue"


def _project_target(tmp_path: Path) -> Target:
    interpreter = Interpreter(Runtime(info=lambda line: None))
    main, helper = tmp_path / "main.dg", tmp_path / "helper.dg"
    main.write_text(MAIN, encoding="utf-8")
    helper.write_text(HELPER, encoding="utf-8")
    main_source, helper_source = Source(MAIN, str(main)), Source(HELPER, str(helper))
    main_program, helper_program = parse(main_source), parse(helper_source)
    import dataclasses

    every = dataclasses.replace(main_program, functions=helper_program.functions)
    script = interpreter.compile_project(every, main_source, [(helper_source, helper_program)])
    return Target(interpreter, script)


def test_step_into_a_function_of_another_file(tmp_path: Path) -> None:
    target = _project_target(tmp_path)
    frontend = _Script(["step", "step", "next", "finish"])
    engine = Engine(target, frontend)
    frontend.engine = engine
    engine.add_breakpoint(str(tmp_path / "main.dg"), 2)
    engine.run()
    assert frontend.stops[0] == ("breakpoint", [("the script", "main.dg", 2)])
    assert frontend.stops[1] == ("step", [("helper", "helper.dg", 3), ("the script", "main.dg", 2)])
    assert frontend.values[1] == {"n": 4}
    assert frontend.stops[2][1][0] == ("helper", "helper.dg", 4)
    assert frontend.values[2] == {"n": 4, "doubled": 8}
    assert frontend.stops[3] == ("step", [("the script", "main.dg", 3)])


def test_breakpoint_in_the_other_file(tmp_path: Path) -> None:
    target = _project_target(tmp_path)
    frontend = _Script([])
    engine = Engine(target, frontend)
    frontend.engine = engine
    placed = engine.add_breakpoint(str(tmp_path / "helper.dg"), 2)
    assert placed.verified and placed.line == 3
    by_name = engine.add_function_breakpoint("helper")
    assert by_name.verified and by_name.line == 3
    engine.run()
    assert [stop[1][0] for stop in frontend.stops] == [("helper", "helper.dg", 3)]


def test_terminal_debugger_on_project_files(tmp_path: Path) -> None:
    from .conftest import debug_cli

    (tmp_path / "main.dg").write_text(MAIN, encoding="utf-8")
    (tmp_path / "helper.dg").write_text(HELPER, encoding="utf-8")
    result = debug_cli("debug", str(tmp_path / "main.dg"), str(tmp_path / "helper.dg"),
                       stdin="break helper\nc\nwhere\nvars\nnext\nprint doubled + 1\nc\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert f"stopped at breakpoint 1 in helper ({tmp_path / 'helper.dg'}:3)" in out
    assert f"   1 the script ({tmp_path / 'main.dg'}:2:5)" in out
    assert "n = 4\n" in out and "\n9\n" in out and "\n8\n" in out


def test_dap_steps_into_another_project_file(tmp_path: Path) -> None:
    from .dap_client import DapClient

    (tmp_path / "main.dg").write_text(MAIN, encoding="utf-8")
    (tmp_path / "helper.dg").write_text(HELPER, encoding="utf-8")
    client = DapClient()
    try:
        client.start(str(tmp_path / "main.dg"), [{"line": 2}], files=[str(tmp_path / "helper.dg")])
        client.stopped()
        client.request("stepIn", threadId=1)
        stop = client.stopped()
        top = stop["frames"][0]
        assert (top["name"], top["line"], top["source"]["path"]) == ("helper", 3, str(tmp_path / "helper.dg"))
        assert client.scope_variables(top["id"], "Arguments")["n"]["value"] == "4"
        client.request("continue", threadId=1)
        assert client.event("exited") == {"exitCode": 0}
        assert client.output() == "8\n"
    finally:
        client.close()
