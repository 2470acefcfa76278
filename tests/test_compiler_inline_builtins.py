"""The built-ins compiled inline on a receiver of known kind give what their wrappers give.

`compiler_methods.add_statement` (``list.add(v)`` as a statement) and `compiler_methods.SHAPED`
(Text ``toList``, ``toLong`` and their aliases) run at the call site, with the wrapper as the way
out. Each case runs optimised and as the reference compilation (``optimize=False``: every call
through its wrapper) and must give the same info lines, error, message and position, under a
small value-size limit too.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite import DelugeError, Interpreter, Limits, Runtime
from deluge_lite.compiler import compile_program
from deluge_lite.interpreter import Script, quoted_literal
from deluge_lite.parser import parse
from deluge_lite.source import Source


def outcome(text: str, optimize: bool, value_size: int = 20_000_000) -> tuple[list[str], object]:
    source = Source(text, "inline.dg")
    program = parse(source)
    compiled = compile_program(program, source, quoted_literal=quoted_literal, optimize=optimize)
    lines: list[str] = []
    try:
        Interpreter(Runtime(info=lines.append, limits=Limits(value_size=value_size))).execute(
            Script(source, program, compiled))
    except DelugeError as error:
        return lines, (type(error).__name__, error.message, error.span and (error.span.line, error.span.col))
    return lines, None


def both(text: str, value_size: int = 20_000_000) -> tuple[list[str], object]:
    fast = outcome(text, True, value_size)
    assert fast == outcome(text, False, value_size)
    return fast


VALUES = ['"abc"', '""', "7", "-1", "2.5", "true", "null", "{1, 2}", '{"k": "v"}', '"x".leftPad(40)',
          '"12-Jan-2020".toDate()']


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(VALUES), min_size=1, max_size=12), st.integers(min_value=1, max_value=80))
def test_add_statements_charge_and_fail_as_the_wrapper_does(added: list[str], value_size: int) -> None:
    body = "".join(f"items.add({value});\n" for value in added)
    both(f"items = List();\n{body}info items.size();\ninfo items;\n", value_size)


def test_the_inline_add_runs_and_the_limit_lands_on_the_same_statement() -> None:
    text = 'items = List();\nfor each n in {1, 2, 3, 4, 5}\n{\n\titems.add("row " + n);\n\titems.add(n);\n}\ninfo items;\n'
    assert both(text) == (["row 1,1,row 2,2,row 3,3,row 4,4,row 5,5"], None)
    lines, error = both(text, value_size=20)
    assert error is not None and error[0] == "LimitExceeded" and error[2][0] in (4, 5)


SPLITS = ['"a,b,,c"', '""', '","', '"a"', '"α,β"', '" , x ,"']


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(SPLITS), st.sampled_from(['","', '", "', '"b"', '"ab"', '"\\n"']),
       st.integers(min_value=1, max_value=6))
def test_text_tolist_with_a_literal_separator_matches_the_wrapper(text: str, separator: str,
                                                                   value_size: int) -> None:
    script = (f"t = {text};\nparts = t.toList({separator});\ninfo parts.size();\ninfo parts;\n"
              "d = t.toList();\ninfo d.size();\ns = t.toListString(\",\");\ninfo s;\n")
    both(script, value_size)


def test_tolist_of_empty_text_is_an_empty_list_and_too_many_parts_fail() -> None:
    assert both('t = "";\nl = t.toList(",");\ninfo l.size();\n') == (["0"], None)
    lines, error = both('t = "a,b,c,d";\nl = t.toList(",");\ninfo l;\n', value_size=3)
    assert error is not None and error[0] == "LimitExceeded" and error[2][0] == 2


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["12", "007", "", " 5", "-3", "1.5", "abc", "١٢", "9223372036854775807",
                        "9223372036854775808", "123456789012345678", "1e3", "+4"]))
def test_text_tolong_matches_the_wrapper(digits: str) -> None:
    both(f't = "{digits}";\ninfo t.toLong();\ninfo t.toNumber() + 1;\n')


def test_plain_digits_convert_inline() -> None:
    assert both('t = "0042";\nn = t.toLong();\ninfo n + 1;\n') == (["43"], None)
    lines, error = both('t = "4x";\nn = t.toLong();\n')
    assert error is not None and "4x" in error[1] and error[2] == (2, 5)


def _names(code: object) -> set[str]:
    names = set(code.co_names) | set(code.co_varnames)  # type: ignore[attr-defined]
    for constant in code.co_consts:  # type: ignore[attr-defined]
        if hasattr(constant, "co_names"):
            names |= _names(constant)
    return names


def test_the_cases_above_compile_to_the_inline_forms() -> None:
    text = 'items = List();\nitems.add("a");\nt = "a,b";\nl = t.toList(",");\nn = "12".toLong();\n'
    source = Source(text, "inline.dg")
    program = parse(source)
    names = _names(compile_program(program, source, quoted_literal=quoted_literal).code)
    assert {"append", "__runtime", "__str_split", "__str_isdecimal"} <= names
    reference = _names(compile_program(program, source, quoted_literal=quoted_literal, optimize=False).code)
    assert not {"append", "__str_split", "__str_isdecimal"} & reference
