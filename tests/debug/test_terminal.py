"""The terminal debugger: `deluge-lite debug` in a subprocess with piped commands, and prompt_toolkit's pipe input."""

from __future__ import annotations

import time
from pathlib import Path

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from deluge_lite.debug.engine import Engine, Stop
from deluge_lite.debug.terminal import TerminalDebugger
from deluge_lite.runtime import Limits, Runtime

from .conftest import debug_cli, target_for


def test_breakpoint_continue_vars_and_print(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="break 10\ncontinue\nvars\nprint x + 5\ncontinue\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert f"stopped at the first statement in the script ({script}:6)" in out
    assert "breakpoint 1 at line 10" in out
    assert f"stopped at breakpoint 1 in the script ({script}:10)" in out
    assert "x = 1\n" in out and 'm = {"k":1,"l":[1,2]}\n' in out
    assert "\n6\n" in out
    assert "\ny = " not in out  # line 10 has not run yet
    assert out.rstrip().endswith("the script finished")
    assert "3\n11\n" in out  # the script's own info lines


def test_step_into_a_function_where_next_and_finish(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="break 10\nc\nstep\nwhere\nnext\nprint total\nfinish\nwhere\nq\n")
    out = result.stdout
    assert f"stopped in add ({script}:3)" in out
    assert f"-> 0 add ({script}:3:5)\n   1 the script ({script}:10:5)" in out
    assert f"stopped in add ({script}:4)" in out
    assert "\n3\n" in out  # total after the step over line 3
    assert f"stopped in the script ({script}:11)" in out
    assert f"-> 0 the script ({script}:11:1)" in out
    assert "the run was stopped" in out
    assert result.returncode == 0


def test_assignment_changes_what_the_script_computes(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="b 10\nc\nx = 40\nset m = {\"a\": 2}\nc\n")
    assert "x = 40\n" in result.stdout
    assert 'm = {"a":2}\n' in result.stdout
    assert "42\n50\n" in result.stdout  # y = 40 + 2, then x = 40 + 1 + 2 + 3 + 4


def test_conditional_breakpoint_stops_when_the_deluge_condition_holds(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="break 14 if n == 3\nc\nprint n\nprint x\nbreak\nc\n")
    out = result.stdout
    assert "breakpoint 1 at line 14 if n == 3" in out
    assert out.count("stopped at breakpoint 1") == 1
    assert "\n3\n4\n" in out  # n, and x = 1 + 1 + 2 before the third pass
    assert "1: line 14 if n == 3, hit 1 time" in out


def test_a_condition_that_does_not_parse_leaves_the_breakpoint_disabled(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="break 14 if n ==\nc\n")
    assert "breakpoint 1 is disabled: the condition does not parse" in result.stderr
    assert "<condition>:1:" in result.stderr and "^" in result.stderr
    assert "stopped at breakpoint" not in result.stdout
    assert result.stdout.rstrip().endswith("the script finished")


def test_breakpoint_on_a_line_without_a_statement_moves_to_the_next_one(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="break 8\nc\nbreak 99\nc\n")
    assert "breakpoint 1 at line 10\n  note: line 8 has no statement; the breakpoint moved to line 10" in result.stdout
    assert f"stopped at breakpoint 1 in the script ({script}:10)" in result.stdout
    assert "breakpoint 2 is disabled: line 99" in result.stderr


def test_function_breakpoint_and_list(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="break add\nc\nlist\nc\n")
    out = result.stdout
    assert "breakpoint 1 at add (line 3)" in out
    assert f"stopped at breakpoint 1 in add ({script}:3)" in out
    assert "->    3      total = a + b;" in out
    assert "      1  int add(int a, int b)" in out and "      8  // a comment" in out


def test_post_mortem_at_the_failing_statement(tmp_path: Path) -> None:
    path = tmp_path / "bad.dg"
    path.write_text('count = 7;\nlabel = "c";\nresult = count / 0;\ninfo "never";\n', encoding="utf-8")
    result = debug_cli("debug", str(path), stdin="c\nwhere\nvars\nprint count * 2\ncount = 1\nc\n")
    out, err = result.stdout, result.stderr
    assert result.returncode == 1
    assert f"post-mortem in the script ({path}:3)" in out
    assert f"-> 0 the script ({path}:3:10)" in out
    assert 'count = 7\nlabel = c\n' in out
    assert "\n14\n" in out
    assert "can be read but not changed" in err
    assert err.count(f"{path}:3:10: error: division by zero") == 1
    assert "Traceback" not in err and "never" not in out


def test_errors_while_paused_are_shown_and_the_session_goes_on(script: Path) -> None:
    commands = "b 10\nc\nprint nothere + 1\nprint m.put(\"z\", 3)\nprint 1 +\nfoo\nprint m\nc\n"
    result = debug_cli("debug", str(script), stdin=commands)
    err = result.stderr
    assert "<expression>:1:1: error" in err and "Variable 'nothere' is not defined" in err
    assert "this expression changes 'm'" in err
    assert "<expression>:1:" in err
    assert "unknown command 'foo'" in err
    assert '{"k":1,"l":[1,2]}' in result.stdout  # m untouched by the refused put
    assert result.stdout.rstrip().endswith("the script finished")
    assert "Traceback" not in err


def test_an_expression_may_not_print_info(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="b 10\nc\nprint thisapp.add(1, 1)\nc\n")
    assert "\n2\n" in result.stdout  # calling a script function is fine


def test_end_of_input_stops_the_run(script: Path) -> None:
    result = debug_cli("debug", str(script), stdin="")
    assert "the run was stopped" in result.stdout
    assert "3\n" not in result.stdout  # no info line ran


def test_limits_hold_under_the_debugger(tmp_path: Path) -> None:
    path = tmp_path / "loop.dg"
    path.write_text("total = 0;\nfor each i in leftpad(\"\", 500).toList(\"\")\n{\n    total = total + 1;\n}\n",
                    encoding="utf-8")
    result = debug_cli("debug", str(path), "--max-statements", "50", stdin="c\nc\n")
    assert result.returncode == 1
    assert "50" in result.stderr and "statements" in result.stderr


def test_the_depth_limit_holds_under_the_debugger(tmp_path: Path) -> None:
    path = tmp_path / "deep.dg"
    path.write_text("int down(int n)\n{\n    return thisapp.down(n + 1);\n}\ninfo thisapp.down(0);\n",
                    encoding="utf-8")
    result = debug_cli("debug", str(path), "--max-depth", "20", stdin="c\nwhere\nc\n")
    assert result.returncode == 1
    assert "20" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.count(" down (") >= 20  # the post-mortem stack: every Deluge frame, no Python ones


def test_prompt_toolkit_pipe_input(script: Path) -> None:
    lines: list[str] = []
    with create_pipe_input() as pipe:
        pipe.send_text("break add\rcontinue\rprint a + b\rwhere\rcontinue\r")
        debugger = TerminalDebugger(target_for(script), input=pipe, output=DummyOutput(),
                                    write=lines.append, warn=lines.append)
        assert debugger.run() == 0
    assert "stopped at breakpoint 1 in add" in "\n".join(lines)
    assert "3" in lines
    assert any(line.startswith("   1 the script") for line in lines)
    assert lines[-1] == "the script finished"


class _SlowFrontend:
    """Stays paused longer than the run's whole time limit."""

    def __init__(self) -> None:
        self.stops: list[Stop] = []

    def paused(self, stop: Stop) -> str:
        self.stops.append(stop)
        time.sleep(1.2)
        return "continue"


def test_time_spent_paused_does_not_count(script: Path) -> None:
    runtime = Runtime(info=lambda line: None, limits=Limits(seconds=1.0))
    frontend = _SlowFrontend()
    engine = Engine(target_for(script, runtime=runtime), frontend)
    engine.add_breakpoint(None, 14)
    engine.run()
    assert len(frontend.stops) == 4
    assert engine.paused_seconds >= 4.0


def test_mail_is_shown_as_run_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "mail.dg"
    path.write_text('sendmail\n[\n    from: zoho.adminuserid\n    to: "ann@example.com"\n    subject: "Hi"\n'
                    '    message: "Hello"\n]\ninfo "sent";\n', encoding="utf-8")
    result = debug_cli("debug", str(path), stdin="c\n")
    assert "sent\n" in result.stdout
    assert "--- mail 1" in result.stderr and "subject: Hi" in result.stderr
