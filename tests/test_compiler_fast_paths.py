"""The compiler's fast paths give exactly what the reference compilation (every operator a helper) gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite import DelugeError, Interpreter, Limits, Runtime
from deluge_lite.compiler import compile_program
from deluge_lite.interpreter import Script, quoted_literal
from deluge_lite.parser import parse
from deluge_lite.source import Source

ROOT = Path(__file__).resolve().parent.parent


def outcome(text: str, optimize: bool, statements: int = 200_000) -> tuple[list[str], object]:
    source = Source(text, "chain.dg")
    program = parse(source)
    script = Script(source, program, compile_program(program, source, quoted_literal=quoted_literal,
                                                     optimize=optimize))
    lines: list[str] = []
    try:
        Interpreter(Runtime(info=lines.append, limits=Limits(statements=statements))).execute(script)
    except DelugeError as error:
        return lines, (type(error).__name__, error.message, error.span and (error.span.line, error.span.col))
    return lines, None


# Deluge expressions of every type a + chain meets (assigned to variables first, so they are not literals)
VALUES = ['"text"', '""', "42", "-7", "1.5", "true", "null", "{1, 2}", '{"k": "v"}', "{}",
          '"a".toList("")', "9223372036854775807", '"12-Jan-2020 10:00:00".toDateTime()']
TERMS = st.one_of(st.sampled_from([f"v{i}" for i in range(len(VALUES))]),
                  st.sampled_from(['"lit"', '""', "3", "2.25", "false", "null", "(v2 + 1)", "v1.length()"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(TERMS, min_size=3, max_size=20))
def test_plus_chains_match_the_reference(terms: list[str]) -> None:
    setup = "".join(f"v{i} = {value};\n" for i, value in enumerate(VALUES))
    text = setup + "r = " + " + ".join(terms) + ";\ninfo r;\n"
    assert outcome(text, True) == outcome(text, False)


def test_a_text_chain_over_the_text_cap_fails_like_step_by_step_adds() -> None:
    text = 'big = "x".leftPad(6000000);\nr = "a" + big + "b" + big + "c";\ninfo r.length();\n'
    fast, reference = outcome(text, True), outcome(text, False)
    assert fast == reference
    assert fast[1] is not None and "characters" in fast[1][1] and fast[1][2][0] == 2


def test_text_chain_evaluates_each_term_once_and_in_order() -> None:
    text = ("string standalone.t(string s)\n{\n\tinfo s;\n\treturn s;\n}\n"
            'r = standalone.t("1") + standalone.t("2") + "-" + standalone.t("3");\ninfo r;\n')
    assert outcome(text, True) == (["1", "2", "3", "12-3"], None)
    assert outcome(text, False) == outcome(text, True)


def test_differential_benchmark_finds_no_difference() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "differential.py"), "--quick"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " 0 different" in result.stdout


COUNTING = """string standalone.pick(int n)
{
	if(n % 3 == 0)
	{
		return "fizz";
	}
	return "n" + n;
}
total = 0;
seen = List();
for each a in {1, 2, 3, 4, 5, 6}
{
	total = total + a;
	seen.add(a);
	try
	{
		x = a * 2;
		bad = {1, 2}.get(a);
		info "got " + bad;
		y = x + 1;
	}
	catch (e)
	{
		info "caught at " + a;
	}
	label = standalone.pick(a);
	info label + " " + total;
	if(a == 4)
	{
		continue;
	}
	total = total * 2;
}
info total;
"""


def test_statement_limit_lands_on_the_same_statement_at_every_limit() -> None:
    # runs charged in bulk, errors caught in the middle of a run, function calls, continue:
    # for each limit the optimised code stops exactly where statement-by-statement counting does
    reference_full = outcome(COUNTING, False)
    assert reference_full[1] is None and reference_full[0][-1] == "136"  # 1 2 | 4 8 | 11 22 | 26 | 31 62 | 68 136
    for limit in range(1, 140):
        assert outcome(COUNTING, True, limit) == outcome(COUNTING, False, limit), limit


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1), st.integers(min_value=1, max_value=2**40))
def test_division_by_a_number_literal_matches_the_reference(left: int, right: int) -> None:
    text = f"x = {left};\ninfo x / {right};\n"
    assert outcome(text, True) == outcome(text, False)


def test_an_unbound_variable_in_warm_code_is_reported_at_its_own_position() -> None:
    # once code is warm, CPython runs two loads as one instruction and reports the first one's offset
    text = ("string standalone.f(bool flag)\n{\n\tif(flag)\n\t{\n\t\tv = \"1\";\n\t}\n"
            "\treturn \"a \" + v + \" b\" + flag;\n}\n"
            'digits = "0,1,2,3,4,5,6,7,8,9".toList(",");\n'
            "for each a in digits\n{\n\tfor each b in digits\n\t{\n\t\tr = standalone.f(true);\n\t}\n}\n"
            "info standalone.f(false);\n")
    for optimize in (True, False):
        lines, error = outcome(text, optimize)
        assert error == ("DelugeRuntimeError", "Variable 'v' is not defined", (7, 16)), optimize


# Integer regions (a tree of + - * and %, maybe under a comparison) with leaves near the 64-bit edge:
# every step is range-checked as the helpers check it, not only the region's result.
BIG = st.sampled_from([2**62, 2**63 - 1, -(2**63) + 1, 3, -5, 0, 2**31, 10**18])
REGION_OPS = st.sampled_from(["+", "-", "*"])


@settings(max_examples=120, deadline=None)
@given(st.lists(BIG, min_size=3, max_size=5), st.lists(REGION_OPS, min_size=4, max_size=4),
       st.sampled_from(["", " < 1", " >= v0 - 1"]), st.booleans())
def test_integer_regions_overflow_at_the_same_step_as_the_reference(
        leaves: list[int], ops: list[str], comparison: str, known: bool) -> None:
    # known: the leaves are literals assigned once (their kind is inferred); else they come out of a Map
    setup = "".join(f"v{i} = {value};\n" if known else f'v{i} = m.get("{i}");\n' for i, value in enumerate(leaves))
    if not known:
        setup = "m = {" + ", ".join(f'"{i}": {value}' for i, value in enumerate(leaves)) + "};\n" + setup
    expression = "v0"
    for index in range(1, len(leaves)):
        expression = f"({expression} {ops[index - 1]} v{index})" if index % 2 else f"{expression} {ops[index - 1]} v{index}"
    text = setup + f"info {expression}{comparison};\ninfo v1 % 7 + v0 * 2 - v0 * 2;\n"
    assert outcome(text, True) == outcome(text, False)


def test_a_region_whose_steps_overflow_but_whose_result_would_not_is_an_overflow() -> None:
    text = "x = 9223372036854775807;\ninfo x * 2 - x * 2;\n"
    lines, error = outcome(text, True)
    assert error is not None and "overflow" in error[1] and error[2] == (2, 6)
    assert outcome(text, False) == (lines, error)
