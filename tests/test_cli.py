"""End-to-end tests of the ``deluge-lite`` command, run for real in a subprocess.

Each test writes a script to a temporary directory and runs ``python -m deluge_lite``:
stdout carries ``info`` lines, stderr the diagnostics; exit codes are 0 (ok), 1 (script
error), 2 (bad usage). No run may show a Python traceback, however bad the input.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds; a hang is a failure, but no test asserts how fast a run is


def deluge(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "deluge_lite", *args], capture_output=True, text=True,
                            timeout=TIMEOUT, cwd=cwd, encoding="utf-8", errors="replace")
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def script(tmp_path: Path, text: str | bytes, name: str = "script.dg") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def assert_script_error(result: subprocess.CompletedProcess[str], path: Path, line: int | None = None) -> str:
    """Exit 1 with ``file:line:col: error:`` on stderr, the source line and a caret."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    first = result.stderr.splitlines()[0]
    pattern = rf"{re.escape(str(path))}:(\d+):(\d+): error: .+"
    match = re.match(pattern, first)
    assert match, result.stderr
    if line is not None:
        assert int(match.group(1)) == line, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) >= 3, result.stderr
    assert re.fullmatch(r"\s*\^~*", lines[2]), result.stderr
    return result.stderr


def assert_usage_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("deluge-lite: error: "), result.stderr
    return lines[0]


# ---------------------------------------------------------------- run

def test_run_prints_info_lines(tmp_path: Path) -> None:
    path = script(tmp_path, 'info "Hello";\nx = 7 / 2;\ninfo x;\ninfo {"a": {1, 2}};\n')
    result = deluge("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'Hello\n3.5\n{"a":[1,2]}\n'
    assert result.stderr == ""


def test_run_script_error_is_rendered(tmp_path: Path) -> None:
    path = script(tmp_path, 'info "before";\nl = {1, 2};\nv = l.get(5);\ninfo "never";\n')
    result = deluge("run", str(path))
    stderr = assert_script_error(result, path, line=3)
    assert "Given index 5 is greater than the list size" in stderr
    assert "    v = l.get(5);" in stderr
    assert result.stdout == "before\n"


def test_run_error_caret_points_at_the_expression(tmp_path: Path) -> None:
    path = script(tmp_path, "a = 1;\nb = 0;\ntotal = a / b;\n")
    stderr = assert_script_error(deluge("run", str(path)), path, line=3)
    lines = stderr.splitlines()
    source, caret = lines[1], lines[2]
    assert source.strip() == "total = a / b;"
    assert source[caret.index("^"):].startswith("a / b")
    assert "division by zero" in lines[0]


def test_run_syntax_error(tmp_path: Path) -> None:
    path = script(tmp_path, "a = 1;\nb = 2\ninfo a;\n")
    stderr = assert_script_error(deluge("run", str(path)), path, line=2)
    assert "expected ';'" in stderr


def test_run_error_inside_function_shows_call_stack(tmp_path: Path) -> None:
    path = script(tmp_path, "int standalone.half(int n)\n{\n\treturn n / 0;\n}\ninfo standalone.half(4);\n")
    stderr = assert_script_error(deluge("run", str(path)), path, line=3)
    assert "in standalone.half" in stderr


def test_run_sendmail_goes_to_outbox_on_stderr(tmp_path: Path) -> None:
    path = script(tmp_path, 'sendmail [ from: zoho.adminuserid to: "a@example.com" subject: "Hi" '
                            'message: "Body" ];\ninfo "sent";\n')
    result = deluge("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "sent\n"
    assert "a@example.com" in result.stderr
    assert "Hi" in result.stderr


def test_empty_file_prints_nothing(tmp_path: Path) -> None:
    result = deluge("run", str(script(tmp_path, "")))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_comment_only_file(tmp_path: Path) -> None:
    result = deluge("run", str(script(tmp_path, "// nothing here\n/* nor here */\n")))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- usage errors

def test_version() -> None:
    result = deluge("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"deluge-lite \d+\.\d+\.\d+\S*\n", result.stdout), result.stdout


def test_missing_file(tmp_path: Path) -> None:
    line = assert_usage_error(deluge("run", str(tmp_path / "nope.dg")))
    assert "nope.dg" in line


def test_directory_instead_of_file(tmp_path: Path) -> None:
    line = assert_usage_error(deluge("run", str(tmp_path)))
    assert "directory" in line


def test_unknown_flag(tmp_path: Path) -> None:
    path = script(tmp_path, "info 1;\n")
    line = assert_usage_error(deluge("run", str(path), "--frobnicate"))
    assert "--frobnicate" in line


def test_unknown_command() -> None:
    line = assert_usage_error(deluge("frobnicate"))
    assert "frobnicate" in line


def test_run_without_file() -> None:
    assert_usage_error(deluge("run"))


@pytest.mark.parametrize("bad", ["noequals", "=5", "1abc=2", "a..b=1"])
def test_bad_arg(tmp_path: Path, bad: str) -> None:
    path = script(tmp_path, "info 1;\n")
    line = assert_usage_error(deluge("run", str(path), "--arg", bad))
    assert "--arg" in line


@pytest.mark.parametrize("flag", ["--max-statements", "--max-depth", "--timeout"])
def test_non_positive_limit_is_usage_error(tmp_path: Path, flag: str) -> None:
    path = script(tmp_path, "info 1;\n")
    line = assert_usage_error(deluge("run", str(path), flag, "0"))
    assert flag in line


def test_limit_flag_not_a_number(tmp_path: Path) -> None:
    path = script(tmp_path, "info 1;\n")
    assert_usage_error(deluge("run", str(path), "--max-statements", "lots"))


def test_unknown_timezone(tmp_path: Path) -> None:
    path = script(tmp_path, "info 1;\n")
    line = assert_usage_error(deluge("run", str(path), "--timezone", "Mars/Olympus"))
    assert "Mars/Olympus" in line


# ---------------------------------------------------------------- --arg and --call

def test_arg_number_text_and_map(tmp_path: Path) -> None:
    path = script(tmp_path, 'info count + 1;\ninfo name + "!";\ninfo data.get("items").get(1);\n'
                            'info price * 2;\ninfo flag;\n')
    result = deluge("run", str(path), "--arg", "count=41", "--arg", "name=Asha",
                    "--arg", 'data={"items": ["a", "b"]}', "--arg", "price=2.5", "--arg", "flag=true")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "42\nAsha!\nb\n5.0\ntrue\n"


def test_arg_dotted_name_builds_map(tmp_path: Path) -> None:
    path = script(tmp_path, 'info input.id + 1;\ninfo input.name;\ninfo input;\n')
    result = deluge("run", str(path), "--arg", "input.id=5", "--arg", "input.name=Zoho")
    assert result.returncode == 0, result.stderr
    assert result.stdout == '6\nZoho\n{"id":5,"name":"Zoho"}\n'


def test_arg_makes_variable_defined(tmp_path: Path) -> None:
    path = script(tmp_path, "info dealId;\n")
    missing = deluge("run", str(path))
    assert missing.returncode == 1 and "script.dg:1:6: error: Variable 'dealId' is not defined" in missing.stderr
    assert "--arg dealId=VALUE" in missing.stderr
    result = deluge("run", str(path), "--arg", "dealId=3890000000123456789")
    assert result.stdout == "3890000000123456789\n"


def test_call_prints_return_value(tmp_path: Path) -> None:
    path = script(tmp_path, "int standalone.add(int a, int b)\n{\n\treturn a + b;\n}\n"
                            "map standalone.wrap(string s)\n{\n\treturn {\"s\": s};\n}\n"
                            'info "top level does not run with --call";\n')
    result = deluge("run", str(path), "--call", "add", "--arg", "a=2", "--arg", "b=3")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "5\n"
    result = deluge("run", str(path), "--call", "standalone.wrap", "--arg", "s=hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == '{"s":"hi"}\n'


def test_call_converts_to_declared_types(tmp_path: Path) -> None:
    path = script(tmp_path, "string standalone.f(string s, int n)\n{\n\treturn s + \"/\" + (n + 1);\n}\n")
    result = deluge("run", str(path), "--call", "f", "--arg", "s=42", "--arg", "n=1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "42/2\n"


def test_call_unknown_function(tmp_path: Path) -> None:
    path = script(tmp_path, "int standalone.add(int a, int b)\n{\n\treturn a + b;\n}\n")
    line = assert_usage_error(deluge("run", str(path), "--call", "nope"))
    assert "standalone.add" in line


def test_call_missing_argument(tmp_path: Path) -> None:
    path = script(tmp_path, "int standalone.add(int a, int b)\n{\n\treturn a + b;\n}\n")
    line = assert_usage_error(deluge("run", str(path), "--call", "add", "--arg", "a=1"))
    assert "b" in line


def test_call_runtime_error(tmp_path: Path) -> None:
    path = script(tmp_path, "int standalone.half(int n)\n{\n\treturn n / 0;\n}\n")
    stderr = assert_script_error(deluge("run", str(path), "--call", "half", "--arg", "n=4"), path, line=3)
    assert "division by zero" in stderr


# ---------------------------------------------------------------- check

def test_check_good_file(tmp_path: Path) -> None:
    path = script(tmp_path, 'x = "abc";\ninfo x.length();\n')
    result = deluge("check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "ok" in result.stderr


def test_check_does_not_run(tmp_path: Path) -> None:
    path = script(tmp_path, 'info "should not print";\nx = 1 / 0;\n')
    result = deluge("check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_check_did_you_mean(tmp_path: Path) -> None:
    path = script(tmp_path, 's = "text";\ninfo s.lenght();\n')
    result = deluge("check", str(path))
    stderr = assert_script_error(result, path, line=2)
    assert "did you mean 'length'?" in stderr


def test_check_reports_every_problem(tmp_path: Path) -> None:
    path = script(tmp_path, 'x = "a".lenght();\nbreak;\n'
                            "int standalone.f(int a)\n{\n\treturn a + missing;\n}\ninfo standalone.f(1, 2);\n")
    result = deluge("check", str(path))
    assert result.returncode == 1
    headers = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(headers) == 4, result.stderr
    assert [int(h.split(":")[1]) for h in headers] == [1, 2, 5, 7]
    assert "lenght" in headers[0]
    assert "'break'" in headers[1]
    assert "Variable 'missing' is not defined" in headers[2]
    assert "No. of arguments mismatches" in headers[3]


def test_check_several_files(tmp_path: Path) -> None:
    good = script(tmp_path, "info 1;\n", "good.dg")
    bad = script(tmp_path, "info 'x'.nope();\n", "bad.dg")
    result = deluge("check", str(good), str(bad))
    assert result.returncode == 1
    assert f"{good}: ok" in result.stderr
    assert f"{bad}:1:10: error: unknown function 'nope'" in result.stderr


def test_check_syntax_error(tmp_path: Path) -> None:
    path = script(tmp_path, "if (x == 1\n{\n}\n")
    assert_script_error(deluge("check", str(path)), path)


def test_check_names_the_arguments_of_a_body(tmp_path: Path) -> None:
    path = script(tmp_path, "info input.id;\ninfo dealId;\n")
    result = deluge("check", str(path))
    assert result.returncode == 0, result.stderr
    assert "note: arguments of this function: dealId; pass them with --arg dealId=VALUE [DL102]" in result.stderr
    assert "reads what Zoho Creator injects: input [DL104]" in result.stderr


def test_check_missing_file(tmp_path: Path) -> None:
    result = deluge("check", str(tmp_path / "nope.dg"))
    assert result.returncode in (1, 2)
    assert "nope.dg" in result.stderr


# ---------------------------------------------------------------- builtins

def test_builtins_lists_many_names() -> None:
    result = deluge("builtins")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    summary = re.search(r"(\d+) names", lines[-1])
    assert summary and int(summary.group(1)) >= 150, lines[-1]
    assert len(lines) >= 150
    text = result.stdout.lower()
    for name in ("length", "tonumber", "getprefix", "keys", "adddays" if "adddays" in text else "addday",
                 "daysbetween", "ifnull", "tomap"):
        assert name in text, name


# ---------------------------------------------------------------- limits

def test_max_statements_flag(tmp_path: Path) -> None:
    path = script(tmp_path, 'for each x in "1,2,3,4,5,6,7,8,9,10"\n{\n\ty = x;\n}\ninfo "never";\n')
    result = deluge("run", str(path), "--max-statements", "10")
    stderr = assert_script_error(result, path)
    assert "limit of 10 statements" in stderr
    assert result.stdout == ""
    assert deluge("run", str(path), "--max-statements", "1000").returncode == 0


def test_max_depth_flag(tmp_path: Path) -> None:
    path = script(tmp_path, "int standalone.down(int n)\n{\n\tif (n == 0) { return 0; }\n"
                            "\treturn standalone.down(n - 1);\n}\ninfo standalone.down(10);\n")
    assert deluge("run", str(path)).stdout == "0\n"
    stderr = assert_script_error(deluge("run", str(path), "--max-depth", "5"), path)
    assert "more than 5 levels deep" in stderr


def test_default_statement_limit(tmp_path: Path) -> None:
    path = script(tmp_path, 'd = "0,1,2,3,4,5,6,7,8,9".toList(",");\n'
                            "for each a in d { for each b in d { for each c in d { for each e in d {"
                            " for each f in d { for each g in d { x = 1; } } } } } }\n")
    stderr = assert_script_error(deluge("run", str(path)), path, line=2)
    assert "200,000 statements" in stderr


def test_timeout_flag(tmp_path: Path) -> None:
    path = script(tmp_path, 'd = "0,1,2,3,4,5,6,7,8,9".toList(",");\n'
                            "for each a in d { for each b in d { for each c in d { for each e in d {"
                            " for each f in d { for each g in d { for each h in d { x = 1; } } } } } } }\n")
    result = deluge("run", str(path), "--timeout", "0.2", "--max-statements", "1000000000")
    stderr = assert_script_error(result, path)
    assert "seconds" in stderr


# ---------------------------------------------------------------- bad input

def test_binary_file(tmp_path: Path) -> None:
    path = script(tmp_path, bytes(range(256)) * 8, "binary.dg")
    result = deluge("run", str(path))
    assert result.returncode == 1
    assert "binary" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def test_non_utf8_file(tmp_path: Path) -> None:
    path = script(tmp_path, 'info "caf\xe9";\n'.encode("latin-1"), "latin.dg")
    result = deluge("run", str(path))
    assert result.returncode == 1
    assert "UTF-8" in result.stderr


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = script(tmp_path, '\ufeffinfo "a";\r\nx = 1 +\r\n 2;\r\ninfo x;\r\n'.encode(), "bom.dg")
    result = deluge("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a\n3\n"


def test_crlf_error_position(tmp_path: Path) -> None:
    path = script(tmp_path, b"a = 1;\r\nb = a / 0;\r\n", "crlf.dg")
    stderr = assert_script_error(deluge("run", str(path)), path, line=2)
    assert "\r" not in stderr


def test_five_megabyte_file(tmp_path: Path) -> None:
    path = script(tmp_path, "x = 1;\n" * (5 * 1024 * 1024 // 7 + 1), "big.dg")
    assert path.stat().st_size >= 5 * 1024 * 1024
    result = deluge("run", str(path))
    assert result.returncode == 1
    assert "error" in result.stderr
    assert len(result.stderr) < 10_000


def test_five_megabyte_comment(tmp_path: Path) -> None:
    path = script(tmp_path, "/*" + "x" * (5 * 1024 * 1024) + "*/\ninfo 1;\n", "bigcomment.dg")
    result = deluge("run", str(path))
    assert result.returncode in (0, 1)
    assert len(result.stderr) < 10_000


def test_deeply_nested_parentheses(tmp_path: Path) -> None:
    path = script(tmp_path, "x = " + "(" * 10_000 + "1" + ")" * 10_000 + ";\ninfo x;\n", "parens.dg")
    result = deluge("run", str(path))
    assert result.returncode == 1
    assert "nest" in result.stderr


def test_deeply_nested_blocks(tmp_path: Path) -> None:
    path = script(tmp_path, "if (true)\n{\n" * 10_000 + "info 1;\n" + "}\n" * 10_000, "blocks.dg")
    stderr = assert_script_error(deluge("run", str(path)), path)
    assert "nest" in stderr


def test_deeply_nested_unclosed(tmp_path: Path) -> None:
    path = script(tmp_path, "x = " + "{" * 10_000 + ";\n", "unclosed.dg")
    result = deluge("run", str(path))
    assert result.returncode == 1


def test_moderate_nesting_runs(tmp_path: Path) -> None:
    path = script(tmp_path, "x = " + "(" * 50 + "1" + ")" * 50 + ";\ninfo x;\n"
                  + "if (true) {\n" * 30 + "info 2;\n" + "}\n" * 30)
    result = deluge("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\n2\n"


def test_long_expression_chain(tmp_path: Path) -> None:
    path = script(tmp_path, "x = 0" + " + 1" * 5_000 + ";\ninfo x;\n")
    result = deluge("run", str(path))
    assert "internal error" not in result.stderr
    assert result.returncode in (0, 1)
    if result.returncode == 0:
        assert result.stdout == "5000\n"


def test_moderately_long_expression_chain(tmp_path: Path) -> None:
    path = script(tmp_path, "x = 0" + " + 1" * 200 + ";\ninfo x;\n")
    result = deluge("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "200\n"


def test_unterminated_string(tmp_path: Path) -> None:
    path = script(tmp_path, 'info "ok";\ninfo "abc;\ninfo 2;\n')
    stderr = assert_script_error(deluge("run", str(path)), path, line=2)
    assert "never closed" in stderr


def test_unterminated_comment(tmp_path: Path) -> None:
    path = script(tmp_path, "info 1;\n/* abc\ninfo 2;\n")
    result = deluge("run", str(path))
    stderr = assert_script_error(result, path, line=2)
    assert "comment" in stderr and "never closed" in stderr
    assert result.stdout == ""


def test_only_an_unterminated_comment(tmp_path: Path) -> None:
    path = script(tmp_path, "/*")
    stderr = assert_script_error(deluge("run", str(path)), path, line=1)
    assert "comment" in stderr


def test_control_characters(tmp_path: Path) -> None:
    path = script(tmp_path, "info 1;\n\x01\x02\n", "ctrl.dg")
    result = deluge("run", str(path))
    assert result.returncode == 1
    assert "U+0001" in result.stderr or "unexpected" in result.stderr


def test_nul_byte_late_in_file(tmp_path: Path) -> None:
    path = script(tmp_path, b"info 1;\n" * 2000 + b"\x00\n", "nul.dg")
    result = deluge("run", str(path))
    assert result.returncode == 1


def test_json_arg_with_nested_values(tmp_path: Path) -> None:
    payload = {"data": [{"id": "3890000000123456789", "amount": 12.5}], "more": False}
    path = script(tmp_path, 'info payload.get("data").get(0).get("amount");\ninfo payload;\n')
    result = deluge("run", str(path), "--arg", "payload=" + json.dumps(payload))
    assert result.returncode == 0, result.stderr
    assert result.stdout == '12.5\n{"data":[{"id":"3890000000123456789","amount":12.5}],"more":false}\n'


def test_run_reports_what_only_compiling_finds_as_check_does(tmp_path: Path) -> None:
    # run compiles once (its static pass leaves the trial compile to the run's own compile)
    path = script(tmp_path, "void f(int a, int a)\n{\n\tinfo a;\n}\ninfo 1;\n")
    for command in ("run", "check"):
        result = deluge(command, str(path))
        assert result.returncode == 1, command
        assert "1:15: error: parameter 'a' is declared twice [DL304]" in result.stderr, command
        assert "^~~~~" in result.stderr and result.stdout == "", command
