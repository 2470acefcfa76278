"""Property tests (hypothesis): any input gives a Deluge error or a result, never a Python exception.

(a) The parser, on arbitrary text and on text glued from Deluge tokens, returns a Program
    or raises DelugeSyntaxError.
(b) Small generated programs (assignments, arithmetic, comparisons, method calls, loops on
    random values) raise only DelugeError subclasses when they are checked and run.
(c) values.to_text / equal / add on random Deluge values raise nothing but
    DelugeRuntimeError; a Map's toString() read back with toMap() is the same Map.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deluge_lite import ast, values
from deluge_lite.errors import DelugeError, DelugeRuntimeError, DelugeSyntaxError
from deluge_lite.interpreter import Interpreter
from deluge_lite.parser import parse
from deluge_lite.runtime import Limits, Runtime

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- (a) the parser

TOKENS = [
    "x", "y", "total", "m", "l", "info", "if", "else", "for", "each", "index", "in", "return", "try",
    "catch", "throw", "break", "continue", "sendmail", "invokeurl", "true", "FALSE", "Null", "and", "or",
    "thisapp", "standalone", "zoho", "int", "string", "map", "list", "void",
    "0", "1", "42", "3.14", "123.25", "9223372036854775807", "99999999999999999999",
    '"text"', '""', '"a\\"b"', "'01-Jan-2020'", "'text'", '"unclosed', "'", '"',
    "=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!",
    "+", "-", "*", "/", "%", ".", ",", ":", ";", "(", ")", "{", "}", "[", "]",
    "//", "/*", "*/", "\n", "\r\n", "\t", " ", "\ufeff", "\u201c", "$", "#", "@", "\\",
    ".get(", ".toString()", ".length()", "Map()", "List()", "ifnull(", "if(",
    # issue 12 forms: square lists, typed constructors, pairs, invokeapi, attachments, criteria,
    # text copied from web pages (Unicode spaces, curly quotes), Creator page templates
    ".05", "List:String(", "Map:String()", "Collection(", "invokeapi", "as", "file:", "attachments:",
    "template:", "Form[", "<%{", "}%>", "<%=", "%>", "\u00a0", "\u2003", "\u3000", "\u200b", "\u201d",
    "\u2018", "\u2019", "\u201c", "“x”",
]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
token_text = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def _parse_outcome(text: str) -> None:
    try:
        program = parse(text, "<property>")
    except DelugeSyntaxError as error:
        assert error.message
        return
    assert isinstance(program, ast.Program)


@SETTINGS
@given(st.text(max_size=200))
def test_parser_on_arbitrary_text(text: str) -> None:
    _parse_outcome(text)


@SETTINGS
@given(token_soup)
def test_parser_on_deluge_tokens_spaced(text: str) -> None:
    _parse_outcome(text)


@SETTINGS
@given(token_text)
def test_parser_on_deluge_tokens_glued(text: str) -> None:
    _parse_outcome(text)


# Characters of Deluge text plus what copying from a web page brings along.
_COPIED_ALPHABET = st.sampled_from(list("abxyz01.,;:=+-*/%<>!&|(){}[]\"' \n\t") +
                                   ["\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000", "\u200b",
                                    "\u2060", "\u201c", "\u201d", "\u2018", "\u2019", "\ufeff"])


@SETTINGS
@given(st.text(_COPIED_ALPHABET, max_size=120))
def test_parser_on_text_copied_from_web_pages(text: str) -> None:
    _parse_outcome(text)


def _parses(text: str) -> bool:
    try:
        parse(text, "<property>")
    except DelugeSyntaxError:
        return False
    return True


@SETTINGS
@given(st.lists(st.sampled_from([t for t in TOKENS if not t.isspace() and t not in ("//", "/*", "*/")]),
                max_size=30),
       st.sampled_from(["\u00a0", "\u2003", "\u3000", "\u202f", "\u200b"]))
def test_unicode_spaces_separate_like_ascii_spaces(tokens: list[str], space: str) -> None:
    """Joining the same tokens with a no-break (or other Unicode) space parses exactly when
    joining them with a plain space does."""
    assert _parses(" ".join(tokens)) == _parses(space.join(tokens))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from("({["), st.integers(min_value=150, max_value=400))
def test_parser_on_deep_nesting(opener: str, depth: int) -> None:
    closer = {"(": ")", "{": "}", "[": "]"}[opener]
    _parse_outcome("x = " + opener * depth + "1" + closer * depth + ";")
    _parse_outcome("x = " + opener * depth + ";")


# ---------------------------------------------------------------- Deluge values and their source text

_KEYS = st.one_of(st.text(max_size=8), st.sampled_from(["a", "b", "id", "Name", "", " "]))
_FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
_INTS = st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)
_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
_DATETIMES = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31))

_SCALARS = st.one_of(
    st.none(), st.booleans(), _INTS, st.sampled_from([0, 1, -1, 2, 7, 10]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
    st.sampled_from(["", "12", "-3.5", "a,b", '{"a":1}', "[1,2]", "01-Jan-2020", "true"]),
    _DATES, _DATETIMES,
)
VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=8,
)

_MONTHS = values.MONTH_ABBR


def _text_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number_literal(number: int | float) -> str:
    if type(number) is int:
        return str(number) if number >= 0 else f"(0 - {-number})"
    text = f"{abs(number):.6f}"
    return text if number >= 0 else f"(0 - {text})"


def source_of(value: object) -> str:
    """Deluge source text that evaluates to (roughly) the value."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) in (int, float):
        return _number_literal(value)  # type: ignore[arg-type]
    if type(value) is str:
        return _text_literal(value)
    if type(value) is dt.datetime:
        return f"'{value.day:02d}-{_MONTHS[value.month - 1]}-{value.year} {value:%H:%M:%S}'"
    if type(value) is dt.date:  # a quoted date is a Date-Time at midnight; toDate() makes it a Date
        return f"'{value.day:02d}-{_MONTHS[value.month - 1]}-{value.year}'.toDate()"
    if type(value) is list:
        if not value:
            return "List()"
        return "{" + ", ".join(source_of(item) for item in value) + "}"
    if type(value) is dict:
        if not value:
            return "Map()"
        return "{" + ", ".join(f"{_text_literal(str(k))}: {source_of(v)}" for k, v in value.items()) + "}"
    raise AssertionError(type(value))


_LITERAL_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**6, max_value=10**6), _FLOATS,
              st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), _DATES, _DATETIMES),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=6,
)


# ---------------------------------------------------------------- (b) generated programs

VARIABLES = ["a", "b", "c"]
METHODS = [
    ("length", 0), ("toString", 0), ("toNumber", 0), ("toDecimal", 0), ("size", 0), ("keys", 0),
    ("isEmpty", 0), ("trim", 0), ("toUpperCase", 0), ("toList", 1), ("get", 1), ("contains", 1),
    ("put", 2), ("add", 1), ("remove", 1), ("indexOf", 1), ("getPrefix", 1), ("subString", 2),
    ("toMap", 0), ("round", 1), ("abs", 0), ("addDay", 1), ("getYear", 0), ("sort", 0), ("distinct", 0),
    ("replaceAll", 2), ("leftPad", 2), ("getJSON", 1), ("toJSONList", 0), ("lenght", 0),
]
OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    choices = ["literal", "variable"] + (["binary", "method", "not", "if", "ifnull"] if depth < 3 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "literal":
        return source_of(draw(_LITERAL_VALUES))
    if kind == "variable":
        return draw(st.sampled_from(VARIABLES))
    if kind == "binary":
        left, right = draw(expressions(depth + 1)), draw(expressions(depth + 1))
        return f"({left} {draw(st.sampled_from(OPERATORS))} {right})"
    if kind == "method":
        name, argc = draw(st.sampled_from(METHODS))
        args = [draw(expressions(depth + 1)) for _ in range(argc)]
        return f"{draw(expressions(depth + 1))}.{name}({', '.join(args)})"
    if kind == "not":
        return f"!{draw(expressions(depth + 1))}"
    if kind == "if":
        return f"if({draw(expressions(depth + 1))}, {draw(expressions(depth + 1))}, {draw(expressions(depth + 1))})"
    return f"ifnull({draw(expressions(depth + 1))}, {draw(expressions(depth + 1))})"


@st.composite
def statements(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["assign", "assign", "info", "compound", "call"]
    if depth < 2:
        kinds += ["if", "for", "try"]
    kind = draw(st.sampled_from(kinds))
    var = draw(st.sampled_from(VARIABLES))
    if kind == "assign":
        return f"{var} = {draw(expressions())};"
    if kind == "compound":
        return f"{var} {draw(st.sampled_from(['+=', '-=', '*=', '/=', '%=']))} {draw(expressions())};"
    if kind == "info":
        return f"info {draw(expressions())};"
    if kind == "call":
        name, argc = draw(st.sampled_from(METHODS))
        args = ", ".join(draw(expressions()) for _ in range(argc))
        return f"{var}.{name}({args});"
    body = " ".join(draw(st.lists(statements(depth + 1), max_size=3)))
    if kind == "if":
        return f"if ({draw(expressions())}) {{ {body} }} else {{ {body} }}"
    if kind == "for":
        return f"for each item in {draw(expressions())} {{ {body} {var} = item; }}"
    return f"try {{ {body} }} catch (e) {{ info e; }}"


@st.composite
def programs(draw: st.DrawFn) -> str:
    prelude = [f"{name} = {source_of(draw(_LITERAL_VALUES))};" for name in VARIABLES]
    return "\n".join(prelude + draw(st.lists(statements(), min_size=1, max_size=8)))


def _run(text: str) -> list[str]:
    lines: list[str] = []
    runtime = Runtime(info=lines.append, limits=Limits(statements=20_000, call_depth=20, seconds=10))
    try:
        Interpreter(runtime).run(text, "<property>")
    except DelugeError as error:
        assert error.message
        error.render()  # rendering a diagnostic must not fail either
    return lines


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_generated_programs_raise_only_deluge_errors(text: str) -> None:
    _run(text)


@SETTINGS
@given(_LITERAL_VALUES)
def test_literal_source_prints_like_the_value(value: object) -> None:
    """info of a value written as a literal prints what values.to_text says (dates aside)."""
    lines = _run(f"info {source_of(value)};")
    assert len(lines) == 1
    if not _contains_float(value):
        assert lines[0] == values.to_text(value)


def _contains_float(value: object) -> bool:
    if type(value) is float:
        return True
    if type(value) is list:
        return any(_contains_float(item) for item in value)
    if type(value) is dict:
        return any(_contains_float(item) for item in value.values())
    return False


# ---------------------------------------------------------------- (c) values

@SETTINGS
@given(VALUES)
def test_to_text_never_fails(value: object) -> None:
    assert isinstance(values.to_text(value), str)


@SETTINGS
@given(VALUES, VALUES)
def test_equal_never_fails_and_is_symmetric(left: object, right: object) -> None:
    result = values.equal(left, right)
    assert result is values.equal(right, left)
    assert values.not_equal(left, right) is (not result)


@SETTINGS
@given(VALUES)
def test_equal_is_reflexive(value: object) -> None:
    if not _has_nan(value):
        assert values.equal(value, value)


def _has_nan(value: object) -> bool:
    if type(value) is float:
        return math.isnan(value)
    if type(value) is list:
        return any(_has_nan(item) for item in value)
    if type(value) is dict:
        return any(_has_nan(item) for item in value.values())
    return False


@SETTINGS
@given(VALUES, VALUES)
def test_operators_raise_only_runtime_errors(left: object, right: object) -> None:
    for op in (values.add, values.subtract, values.multiply, values.divide, values.remainder,
               values.less, values.less_equal, values.greater, values.greater_equal):
        try:
            op(left, right)
        except DelugeRuntimeError as error:
            assert error.message


@SETTINGS
@given(VALUES, st.text(max_size=10))
def test_adding_text_concatenates(value: object, text: str) -> None:
    assert values.add(text, value) == text + values.to_text(value)
    assert values.add(value, text) == values.to_text(value) + text


# JSON round trip: a Map's toString() read back with toMap() is the same Map.
_JSON_SCALARS = st.one_of(st.none(), st.booleans(), _INTS, _FLOATS, st.text(max_size=10))
JSON_MAPS = st.dictionaries(
    _KEYS,
    st.recursive(_JSON_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(_KEYS, inner, max_size=3)),
                 max_leaves=8),
    max_size=5,
)

_ROUND_TRIP = """
map standalone.roundTrip(map m)
{
	return m.toString().toMap();
}
"""
_INTERPRETER = Interpreter(Runtime(info=lambda _line: None))
_ROUND_TRIP_SCRIPT = _INTERPRETER.load(_ROUND_TRIP, "<round-trip>")


def same(left: object, right: object) -> bool:
    """Equal with types: True is not 1, 1 is not 1.0, key order matters."""
    if type(left) is not type(right):
        return False
    if type(left) is list:
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))  # type: ignore[arg-type]
    if type(left) is dict:
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)  # type: ignore[index, call-overload]
    return left == right


@SETTINGS
@given(JSON_MAPS)
def test_map_to_string_to_map_round_trip(value: dict) -> None:
    result = _INTERPRETER.execute(_ROUND_TRIP_SCRIPT, call="standalone.roundTrip", call_args=[value])
    # toMap lists keys in Java HashMap order, as Zoho's toMap page prints them (json_reader)
    assert same(result.value, _java_ordered(value)), (values.to_text(value), result.value)


def _java_ordered(value: object) -> object:
    from deluge_lite.builtins.json_reader import java_order

    if type(value) is dict:
        return java_order([(key, _java_ordered(item)) for key, item in value.items()])  # type: ignore[union-attr]
    if type(value) is list:
        return [_java_ordered(item) for item in value]  # type: ignore[union-attr]
    return value


@SETTINGS
@given(JSON_MAPS)
def test_map_info_is_its_json(value: dict) -> None:
    assert values.to_text(value) == values.to_json(value)
    assert same(values.from_json(values.to_json(value)), value)
