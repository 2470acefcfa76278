"""Projects: several files and folders, cross-file calls, duplicates, functions-only files, return values."""

from __future__ import annotations

import json
from pathlib import Path

from deluge_lite.project import diagnose

from .helpers import deluge, write

SCORE = 'int standalone.score(string rating)\n{\n\tif(rating == "Hot")\n\t{\n\t\treturn 90;\n\t}\n' \
        '\treturn standalone.fallback(rating);\n}\n'
FALLBACK = 'int standalone.fallback(string rating)\n{\n\tinfo "fallback for " + rating;\n' \
           '\tn = rating.toLong();\n\treturn n;\n}\n'


def _project(tmp_path: Path) -> Path:
    write(tmp_path, "functions/score.dg", SCORE)
    write(tmp_path, "functions/fallback.dg", FALLBACK)
    return write(tmp_path, "main.dg", "info standalone.score(rating);\nreturn \"done\";\n")


def test_functions_of_every_file_are_visible(tmp_path: Path) -> None:
    main = _project(tmp_path)
    result = deluge("run", str(main), "functions", "--arg", "rating=Hot", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "90\ndone\n"  # a top-level return prints its value, as Zoho's console does


def test_an_error_in_another_file_points_into_that_file_with_the_stack(tmp_path: Path) -> None:
    main = _project(tmp_path)
    result = deluge("run", str(main), "functions", "--arg", "rating=Cold", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "fallback for Cold\n"
    first = result.stderr.splitlines()[0]
    assert first.startswith(str(Path("functions") / "fallback.dg") + ":4:") or "fallback.dg:4:" in first
    assert "in standalone.score" in result.stderr and "score.dg:7" in result.stderr
    assert "main.dg:1" in result.stderr


def test_project_sources_from_deluge_toml(tmp_path: Path) -> None:
    main = _project(tmp_path)
    write(tmp_path, "deluge.toml", '[project]\nsources = ["functions"]\n')
    result = deluge("run", str(main), "--arg", "rating=Hot", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "90\ndone\n"
    checked = deluge("check", str(tmp_path), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr


def test_a_single_file_call_to_another_file_is_a_warning_and_the_folder_resolves_it(tmp_path: Path) -> None:
    _project(tmp_path)
    alone = deluge("check", str(tmp_path / "functions" / "score.dg"), cwd=tmp_path)
    assert alone.returncode == 0 and "[DL211]" in alone.stderr
    together = deluge("check", str(tmp_path / "functions"), cwd=tmp_path)
    assert together.returncode == 0 and "DL211" not in together.stderr, together.stderr


def test_an_undefined_function_in_a_project_is_an_error(tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, "functions/broken.dg", "void standalone.broken()\n{\n\tstandalone.nowhere(1);\n}\n")
    result = deluge("check", "--format", "json", str(tmp_path / "functions"), cwd=tmp_path)
    assert result.returncode == 1
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(item["code"] == "DL208" and item["severity"] == "error" and item["line"] == 3 for item in found)


def test_a_duplicate_definition_names_both_places(tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, "functions/copy.dg", SCORE)
    result = deluge("check", str(tmp_path / "functions"), cwd=tmp_path)
    assert result.returncode == 1
    assert "function standalone.score is defined twice (first at" in result.stderr
    assert "copy.dg:1" in result.stderr and "score.dg:1" in result.stderr


def test_a_folder_without_scripts_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = deluge("check", str(tmp_path / "empty"), cwd=tmp_path)
    assert result.returncode == 2 and "no .dg files" in result.stderr


def test_a_functions_only_file_lists_its_functions_or_calls_the_only_one(tmp_path: Path) -> None:
    both = write(tmp_path, "two.dg", SCORE + FALLBACK.replace("standalone.score", "x"))
    listed = deluge("run", str(both), cwd=tmp_path)
    assert listed.returncode == 2
    assert "only defines functions" in listed.stderr and "standalone.score(rating)" in listed.stderr
    assert "--call NAME" in listed.stderr
    one = write(tmp_path, "one.dg", FALLBACK)
    called = deluge("run", str(one), "--arg", "rating=7", cwd=tmp_path)
    assert called.returncode == 0, called.stderr
    assert called.stdout == "fallback for 7\n7\n"
    by_name = deluge("run", str(tmp_path / "two.dg"), "--call", "scroe", "--arg", "rating=Hot", cwd=tmp_path)
    assert by_name.returncode == 2 and "did you mean 'standalone.score'" in by_name.stderr


def test_a_cycle_of_standalone_calls_stops_at_the_depth_limit_with_the_stack(tmp_path: Path) -> None:
    write(tmp_path, "ping.dg", "int standalone.ping(int n)\n{\n\treturn standalone.pong(n + 1);\n}\n")
    write(tmp_path, "pong.dg", "int standalone.pong(int n)\n{\n\treturn standalone.ping(n + 1);\n}\n")
    main = write(tmp_path, "main.dg", "info standalone.ping(0);\n")
    result = deluge("run", str(main), str(tmp_path / "ping.dg"), str(tmp_path / "pong.dg"), "--max-depth", "20",
                    cwd=tmp_path)
    assert result.returncode == 1
    assert "20 levels deep" in result.stderr
    assert "in standalone.pong" in result.stderr and "in standalone.ping" in result.stderr
    assert "Traceback" not in result.stderr


def test_diagnose_sees_the_other_open_files() -> None:
    text = "info standalone.helper(1);\n"
    alone = diagnose(text, "main.dg")
    assert [item.code for item in alone] == ["DL211"]
    together = diagnose(text, "main.dg", project_files={"helper.dg": "int standalone.helper(int a)\n{\n\treturn a;\n}\n"})
    assert together == []
    wrong = diagnose(text, "main.dg", project_files={"helper.dg": "int standalone.helper()\n{\n\treturn 1;\n}\n"})
    assert [item.code for item in wrong] == ["DL206"]
