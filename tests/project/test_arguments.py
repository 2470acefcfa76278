"""Arguments of a header-less body: inferred, declared (// @arg, deluge.toml), given, converted."""

from __future__ import annotations

from pathlib import Path

import pytest

from deluge_lite.errors import UsageError
from deluge_lite.project.arguments import ArgSpec, convert, parse_spec

from .helpers import deluge, write


def test_missing_arguments_are_named_together_before_anything_runs(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", 'sendmail [ from: zoho.adminuserid to: "a@example.com" subject: "x" '
                                   'message: "y" ];\ninfo leadId + " " + mode;\n')
    result = deluge("run", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "s.dg:2:6: error: Variable 'leadId' is not defined" in result.stderr
    assert "reads the arguments leadId, mode without assigning them" in result.stderr
    assert "--arg leadId=VALUE --arg mode=VALUE" in result.stderr
    assert "mail" not in result.stderr and result.stdout == ""


def test_arg_naming_no_argument_is_refused_with_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", "info leadId;\n")
    result = deluge("run", str(path), "--arg", "leadID=1", "--arg", "leadid2=2", cwd=tmp_path)
    assert result.returncode == 2 and "--arg leadid2" in result.stderr and "did you mean 'leadId'" in result.stderr
    assigned = write(tmp_path, "a.dg", "x = 1;\ninfo x;\n")
    result = deluge("run", str(assigned), "--arg", "x=5", cwd=tmp_path)
    assert result.returncode == 2 and "assigns 'x' itself" in result.stderr


def test_names_fold_case_and_declared_types_convert(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", "// @arg count int\n// @arg when date\ninfo count + 1;\ninfo when.addDay(1);\n")
    result = deluge("run", str(path), "--arg", "COUNT=41", "--arg", "when=15-Aug-1947", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "42"
    assert result.stdout.splitlines()[1].startswith("16-Aug-1947")


def test_declared_defaults_and_deluge_toml_functions(tmp_path: Path) -> None:
    write(tmp_path, "deluge.toml", '[functions.lead_score]\nargs = ["rating string = Warm", "bonus int = 5"]\n')
    path = write(tmp_path, "lead_score.dg", '// @arg base int = 10\ninfo rating + " " + (base + bonus);\n')
    result = deluge("run", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Warm 15\n"
    given = deluge("run", str(path), "--arg", "rating=Hot", cwd=tmp_path)
    assert given.stdout == "Hot 15\n"


def test_a_bad_declaration_is_a_usage_error_naming_the_place(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", "// @arg count integer\ninfo count;\n")
    result = deluge("run", str(path), "--arg", "count=1", cwd=tmp_path)
    assert result.returncode == 2 and "s.dg:1" in result.stderr and "unknown argument type 'integer'" in result.stderr
    write(tmp_path, "deluge.toml", '[functions.s]\nargs = "count int"\n')
    other = write(tmp_path, "s.dg", "info count;\n")
    result = deluge("run", str(other), "--arg", "count=1", cwd=tmp_path)
    assert result.returncode == 2 and "[functions.s]" in result.stderr and "list of texts" in result.stderr


@pytest.mark.parametrize(("spec", "expected"), [
    ("record_id", ArgSpec("record_id")),
    ("record_id int", ArgSpec("record_id", "int")),
    ("mode string = fast", ArgSpec("mode", "string", "fast", True)),
    ('mode = "fast"', ArgSpec("mode", None, "fast", True)),
    ("amount decimal = 2", ArgSpec("amount", "decimal", 2.0, True)),
    ("ids list = [1, 2]", ArgSpec("ids", "list", [1, 2], True)),
])
def test_parse_spec(spec: str, expected: ArgSpec) -> None:
    assert parse_spec(spec, "here") == expected


@pytest.mark.parametrize("spec", ["1abc", "a b c", "x int =", ""])
def test_parse_spec_refuses_malformed(spec: str) -> None:
    with pytest.raises(UsageError, match="here"):
        parse_spec(spec, "here")


def test_convert_refuses_what_the_type_cannot_hold() -> None:
    assert convert("12", "int", "n") == 12
    assert convert(12, "string", "n") == "12"
    assert convert({"a": 1}, "string", "n") == '{"a": 1}'
    with pytest.raises(UsageError, match="whole number"):
        convert("twelve", "int", "n")
    with pytest.raises(UsageError, match="whole number"):
        convert("9" * 400, "int", "n")
    with pytest.raises(UsageError, match="decimal"):
        convert("x", "decimal", "n")


def test_a_method_typo_stops_the_run_before_the_first_side_effect(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", 'info "before";\nsendmail [ from: zoho.adminuserid to: "a@example.com" '
                                   'subject: "x" message: "y" ];\ninfo "abc".lenght();\n')
    result = deluge("run", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "" and "--- mail" not in result.stderr
    assert "s.dg:3:12: error: unknown function 'lenght'; did you mean 'length'? [DL202]" in result.stderr


def test_mail_written_before_an_error_is_still_shown(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", 'sendmail [ from: zoho.adminuserid to: "a@example.com" subject: "hello" '
                                   'message: "y" ];\nx = "a".toLong();\n')
    for _ in range(2):  # the second run comes from the program cache
        result = deluge("run", str(path), cwd=tmp_path)
        assert result.returncode == 1
        assert "--- mail 1" in result.stderr and "subject: hello" in result.stderr
        assert "s.dg:2:5: error:" in result.stderr
