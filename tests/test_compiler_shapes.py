"""Compiler hardening: shapes Python's own compiler cannot take directly, and function-name mangling."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite import DelugeCheckError, Interpreter, Runtime
from deluge_lite.compiler import function_name, qualified_function_name


def run_lines(text: str) -> list[str]:
    lines: list[str] = []
    Interpreter(Runtime(info=lines.append)).run(text, "shape.dg")
    return lines


def else_if_chain(value: int, branches: int = 1000) -> str:
    parts = [f"x = {value};", "calls = List();", "if(x == 0) { info 0; }"]
    parts += [f"else if(x == {i}) {{ info {i}; }}" for i in range(1, branches)]
    parts.append('else { info "none"; }')
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize(("value", "expected"), [(0, "0"), (1, "1"), (500, "500"), (999, "999"), (1000, "none")])
def test_thousand_branch_else_if_chain_runs_the_one_matching_branch(value: int, expected: str) -> None:
    assert run_lines(else_if_chain(value)) == [expected]


def test_long_chain_evaluates_conditions_only_until_one_holds() -> None:
    # each condition calls a function that logs, so the evaluated conditions are visible
    parts = ["bool standalone.is(int i, int x)\n{\n\tinfo \"test \" + i;\n\treturn i == x;\n}",
             "x = 2;", "if(standalone.is(0, x)) { info \"hit 0\"; }"]
    parts += [f'else if(standalone.is({i}, x)) {{ info "hit {i}"; }}' for i in range(1, 40)]
    lines = run_lines("\n".join(parts) + "\n")
    assert lines == ["test 0", "test 1", "test 2", "hit 2"]


def test_long_chain_without_else_and_no_match_runs_nothing() -> None:
    assert run_lines(else_if_chain(5000).replace('else { info "none"; }', "") + 'info "after";') == ["after"]


def test_long_chain_inside_a_loop_keeps_break_and_continue() -> None:
    parts = ['for each n in {1, 2, 3, 4}', "{", "if(n == 100) { info 100; }"]
    parts += [f"else if(n == {i}) {{ continue; }}" for i in range(101, 140)]
    parts += ["else if(n == 2) { continue; }", "else if(n == 4) { break; }", "else { info n; }", "}"]
    assert run_lines("\n".join(parts) + "\n") == ["1", "3"]


def test_loops_nested_past_pythons_limit_are_a_check_error_with_a_position() -> None:
    depth = 25
    text = "l = {1};\n" + "".join(f"for each a{i} in l {{\n" for i in range(depth)) + "info 1;\n" + "}\n" * depth
    with pytest.raises(DelugeCheckError) as caught:
        Interpreter(Runtime(info=lambda _: None)).run(text, "deep.dg")
    assert "nest more than 20 levels" in caught.value.message
    assert caught.value.span is not None and caught.value.span.line > 1
    assert "deep.dg:" in caught.value.render()


def test_functions_whose_mangled_names_once_collided_stay_apart() -> None:
    text = "\n".join([
        'string standalone.x() { return "standalone.x"; }',
        'string thisapp.x() { return "thisapp.x"; }',
        'string standalone.thisapp__x() { return "standalone.thisapp__x"; }',
        "info standalone.x();", "info thisapp.x();", "info standalone.thisapp__x();",
    ]) + "\n"
    assert run_lines(text) == ["standalone.x", "thisapp.x", "standalone.thisapp__x"]


identifier = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(identifier, identifier, identifier, identifier)
def test_qualified_names_are_injective_and_never_a_short_name(cat1: str, name1: str, cat2: str, name2: str) -> None:
    first, second = f"{cat1}.{name1}".lower(), f"{cat2}.{name2}".lower()
    if first != second:
        assert qualified_function_name(first) != qualified_function_name(second)
    assert qualified_function_name(first) != function_name(name2)
    assert qualified_function_name(first).isidentifier()
