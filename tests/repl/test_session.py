"""The interactive session through prompt_toolkit's pipe input and DummyOutput (no terminal).

Keys: "\\r" is Enter, "\\x1b\\r" is Esc Enter, "\\x03" is Ctrl-C, "\\x04" is Ctrl-D.
`info` lines and REPL messages go to sys.stdout/sys.stderr, read back with capsys.
"""

from __future__ import annotations

import sys

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from deluge_lite.repl import start_repl
from deluge_lite.repl.session.history import HISTORY_FILE
from deluge_lite.runtime import Limits, Runtime

ENTER, CTRL_C, CTRL_D = "\r", "\x03", "\x04"


def _print_info(line: str) -> None:
    sys.stdout.write(line + "\n")


def drive(capsys, *entries: str, runtime: Runtime | None = None, end: str = CTRL_D) -> tuple[int, str, str]:
    """Type each entry followed by Enter (entries may hold their own keys), then Ctrl-D."""
    capsys.readouterr()
    with create_pipe_input() as pipe:
        pipe.send_text("".join(entry + ENTER for entry in entries) + end)
        code = start_repl(runtime or Runtime(info=_print_info), input=pipe, output=DummyOutput())
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.startswith("deluge-lite ")]


def test_statements_keep_variables(capsys):
    code, out, _err = drive(capsys, "x = 40;", "y = x + 2;", "info y;")
    assert code == 0
    assert lines(out) == ["42"]


def test_bare_expression_prints_in_info_format(capsys):
    _code, out, _err = drive(capsys, 'm = {"a": {1, 2}, "b": "t"};', 'm.get("a")', "m", "1 + 2;")
    assert lines(out) == ["1,2", '{"a":[1,2],"b":"t"}', "3"]


def test_multi_line_input_continues_until_complete(capsys):
    _code, out, _err = drive(
        capsys,
        "if (true)", "{", 'info "inside";', "}",
        "void standalone.twice(int a)", "{", "return a * 2;", "}",
        "standalone.twice(21)",
        'x = "a,b"', ";",  # the missing ';' arrives on the next line
        "info x;")
    assert lines(out) == ["inside", "42", "a,b"]


def test_else_on_the_line_after_the_closing_brace(capsys):
    # Zoho's editor lays out if/else with 'else' on its own line after '}'
    _code, out, err = drive(
        capsys,
        "x = 1;",
        "if (x > 1)", "{", 'info "big";', "}", "else if (x < 0)", "{", 'info "negative";', "}",
        "else", "{", 'info "small";', "}",
        "if (x == 1)", "{", 'info "one";', "}", "",  # no else: Enter on the empty line runs it
        "info x;")
    assert lines(out) == ["small", "one", "1"]
    assert "error" not in err


def test_pasted_function_in_one_go(capsys):
    pasted = "\x1b[200~void standalone.hello(string who)\n{\n    return \"hi \" + who;\n}\x1b[201~"
    _code, out, _err = drive(capsys, pasted, 'standalone.hello("there")')
    assert lines(out) == ["hi there"]


def test_escape_enter_adds_a_line_break(capsys):
    _code, out, _err = drive(capsys, "x = 1;\x1b\rinfo x + 1;")
    assert lines(out) == ["2"]


def test_errors_show_the_caret_and_keep_state(capsys):
    _code, out, err = drive(capsys, "x = 5;", "y = x / 0;", "z = nope + 1;", "info x;", "x = = 1;", "info x * 2;")
    assert lines(out) == ["5", "10"]
    assert "division by zero" in err
    assert "<repl>:1:5" in err and "^" in err
    assert "'nope' is not defined" in err
    assert "    x = = 1;" in err  # the syntax error's caret display


def test_error_in_bare_expression_points_at_what_was_typed(capsys):
    _code, _out, err = drive(capsys, 'm = {"a": 1};', 'm.get("a") + "x" / 2')
    assert "<repl>:1:14" in err
    assert '    m.get("a") + "x" / 2' in err
    assert "info" not in err


def test_meta_commands(capsys, tmp_path):
    script = tmp_path / "lib.dg"
    script.write_text('loaded = "from file";\nvoid standalone.f() { return 7; }\n', encoding="utf-8")
    _code, out, err = drive(capsys, "n = 3;", 'note = "hello";', ":vars", f":load {script}", "info loaded;",
                            "standalone.f()", ":trace on", ":trace", ":trace off", ":reset", ":vars", ":help",
                            ":vras")
    text = lines(out)
    assert any(line.split() == ["n", "Number", "3"] for line in text)
    assert any(line.split()[:2] == ["note", "Text"] and "hello" in line for line in text)
    assert "from file" in text and "7" in text
    assert "trace is on" in text and "trace is off" in text
    assert "session reset: variables and functions cleared" in text
    assert "no variables yet" in text
    assert any(":connections" in line for line in text)
    assert "did you mean ':vars'" in err


def test_vars_truncates_long_values(capsys):
    _code, out, _err = drive(capsys, 'long = "' + "x" * 200 + '";', ":vars")
    (row,) = [line for line in lines(out) if line.startswith("long")]
    assert row.endswith("...") and len(row) < 100


def test_load_missing_file_keeps_session(capsys):
    _code, out, err = drive(capsys, "a = 1;", ":load nowhere.dg", ":load", "info a;")
    assert "no such file" in err and "needs a file name" in err
    assert lines(out) == ["1"]


def test_quit(capsys):
    code, out, _err = drive(capsys, "info 1;", ":quit", "info 2;", end="")
    assert code == 0
    assert lines(out) == ["1"]


def test_ctrl_c_cancels_typed_input(capsys):
    _code, out, _err = drive(capsys, "info 1;", "if (true) {" + ENTER + "info 2;" + CTRL_C + "info 3;")
    assert lines(out) == ["1", "3"]


def test_ctrl_c_while_running_keeps_the_session(capsys):
    def info(line: str) -> None:
        if line == "boom":
            raise KeyboardInterrupt
        _print_info(line)

    code, out, err = drive(capsys, "x = 9;", 'info "boom";', "info x;", runtime=Runtime(info=info))
    assert code == 0
    assert "interrupted" in err
    assert lines(out) == ["9"]


def test_statement_limit_stops_a_long_loop(capsys):
    runtime = Runtime(info=_print_info, limits=Limits(statements=500))
    loop = ('l = "a,b,c,d,e,f,g,h,i,j".toList(); for each a in l { for each b in l { for each c in l '
            '{ x = 1; } } }')
    _code, out, err = drive(capsys, "keep = 1;", loop, "info keep;", runtime=runtime)
    assert "limit of 500 statements" in err
    assert lines(out) == ["1"]


def test_connections_without_the_connections_package(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "deluge_lite.connections", None)  # import fails
    _code, out, _err = drive(capsys, ":connections")
    assert "no connections configured" in lines(out)


def test_connections_with_nothing_configured(capsys):
    _code, out, _err = drive(capsys, ":connections")
    assert "no connections configured" in lines(out)


def test_history_file_is_written_under_home(capsys, repl_home):
    drive(capsys, "info 123;")
    history = (repl_home / HISTORY_FILE).read_text(encoding="utf-8")
    assert "+info 123;" in history


def test_history_is_offered_again_next_time(capsys, repl_home):
    drive(capsys, 'info "remembered";')
    # Up arrow recalls the previous session's entry
    _code, out, _err = drive(capsys, "\x1b[A")
    assert lines(out) == ["remembered"]


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8", b"garbage line\n+info 1;\n", b"\x00\x01binary"])
def test_corrupt_history_is_set_aside(capsys, repl_home, content):
    repl_home.mkdir(parents=True)
    (repl_home / HISTORY_FILE).write_bytes(content)
    code, out, err = drive(capsys, "info 5;")
    assert code == 0 and lines(out) == ["5"]
    assert "warning: the history file" in err and "repl_history.corrupt" in err
    assert (repl_home / (HISTORY_FILE + ".corrupt")).read_bytes() == content
    assert "+info 5;" in (repl_home / HISTORY_FILE).read_text(encoding="utf-8")


def test_history_that_is_a_directory_is_set_aside(capsys, repl_home):
    (repl_home / HISTORY_FILE).mkdir(parents=True)
    code, out, err = drive(capsys, "info 6;")
    assert code == 0 and lines(out) == ["6"]
    assert "not a regular file" in err


def test_unusable_home_keeps_history_in_memory(capsys, repl_home):
    repl_home.parent.mkdir(parents=True, exist_ok=True)
    repl_home.write_text("a file where the home directory should be")
    code, out, err = drive(capsys, "info 7;")
    assert code == 0 and lines(out) == ["7"]
    assert "history is kept for this session only" in err


def test_text_spanning_lines_keeps_its_content(capsys):
    _code, out, _err = drive(capsys, "if (true)", "{", 'x = "one', 'two";', "}", "info x.length();")
    assert lines(out) == ["7"]


def test_errors_inside_functions_from_earlier_entries_show_their_own_line() -> None:
    """A function keeps the source of the entry that defined it; its errors point there."""
    import pytest

    from deluge_lite import DelugeError, Limits, Runtime
    from deluge_lite.interpreter import Interpreter, Session

    session = Session(Interpreter(Runtime(info=lambda _line: None, limits=Limits(statements=50))))
    session.execute("x = 1;\n\n\nint standalone.div(int a)\n{\n  return 10 / a;\n}")
    for _ in range(10):  # each entry has its own statement budget, also inside old functions
        assert session.execute("y = standalone.div(2); info y;").info == ["5"]
    with pytest.raises(DelugeError) as caught:
        session.execute("x = 1;\ny = standalone.div(0);")
    rendered = caught.value.render()
    assert caught.value.line == 6
    assert "return 10 / a;" in rendered


def test_mail_an_entry_writes_is_shown_after_it_and_outbox_lists_it_all(capsys):
    mail = 'sendmail [ from: zoho.adminuserid to: "a@example.com" subject: "Hi %s" message: "body" ];'
    _code, out, err = drive(capsys, ":outbox", mail % 1, "info 1;",
                            mail % 2 + " x = 1 / 0;",  # written, then the entry fails: the mail still shows
                            ":outbox")
    assert "no mail written in this session" in lines(out)
    first, second = err.index("--- mail 1 ("), err.index("--- mail 2 (")
    assert first < second < err.index("division by zero")
    assert "subject: Hi 1" in err and "to: a@example.com" in err
    # :outbox repeats both, numbered as in the session
    assert err.count("--- mail 1 (") == 2 and err.count("--- mail 2 (") == 2
    assert err.rindex("--- mail 1 (") > err.index("division by zero")
