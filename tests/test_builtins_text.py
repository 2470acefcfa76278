"""Unit tests for builtins/text.py: searching, slicing, regex, splitting, number parsing."""

from __future__ import annotations

import pytest

from deluge_lite.errors import DelugeRuntimeError
from tests.builtin_calls import RT, function, method  # noqa: F401


def test_length_and_len():
    assert method("length", "Create database applications with Zoho Creator") == 46
    assert function("len", "Zoho") == 4
    assert method("length", "") == 0


@pytest.mark.parametrize(("name", "receiver", "arg", "expected"), [
    ("contains", "Zoho Creator", "Creator", True),
    ("contains", "Zoho Creator", "creator ", False),
    ("contains", "id-12", 12, True),
    ("notContains", "Zoho Creator", "CRM", True),
    ("containsIgnoreCase", "Zoho Creator", "CREATOR", True),
    ("startsWith", "Zoho Creator", "zoho", False),
    ("startsWithIgnoreCase", "Zoho Creator", "zoho", True),
    ("endsWith", "Zoho Creator", "Creator", True),
    ("endsWithIgnoreCase", "Zoho Creator", "CREATOR", True),
    ("equalsIgnoreCase", "Zoho", "zOHO", True),
    ("equalsIgnoreCase", "Zoho", None, False),
    ("equalsIgnoreCase", "12", 12, True),
])
def test_predicates(name, receiver, arg, expected):
    assert method(name, receiver, arg) is expected


def test_index_of():
    s = "Hello world, welcome to the universe"
    assert method("indexOf", s, "e") == 1
    assert method("find", s, "e") == 1
    assert method("lastIndexOf", s, "e") == 35
    assert method("indexOf", s, "z") == -1
    assert method("indexOf", s, "e", 2) == 14


def test_get_occurence_count_both_spellings():
    assert method("getOccurenceCount", "a,b,,c", ",") == 3
    assert method("getOccurrenceCount", "aaaa", "aa") == 2
    assert method("getOccurenceCount", "abc", "") == 0


def test_sub_string_like_java():
    assert method("subString", "Hello", 1, 3) == "el"
    assert method("substring", "Hello", 2) == "llo"
    assert method("subText", "Hello", 2, 2) == ""
    assert method("mid", "Hello", 0, 5) == "Hello"
    assert function("subString", "Hello", 1, 2) == "e"


@pytest.mark.parametrize(("start", "end", "message"), [
    (1, 9, "end index 9 is greater than the text length 5"),
    (-1, 2, "start index -1 is negative"),
    (3, 2, "start index 3 is greater than the end index 2"),
])
def test_sub_string_out_of_range(start, end, message):
    with pytest.raises(DelugeRuntimeError, match=message):
        method("subString", "Hello", start, end)


def test_sub_string_arity_and_types():
    with pytest.raises(DelugeRuntimeError, match=r"subString\(\) takes 1 or 2 arguments, got 3"):
        method("subString", "Hello", 1, 2, 3)
    with pytest.raises(DelugeRuntimeError, match="expects a whole Number for its 1st argument, got Map"):
        method("subString", "Hello", {})


def test_left_right():
    assert method("left", "Zoho Creator", 4) == "Zoho"
    assert method("right", "Zoho Creator", 7) == "Creator"
    assert method("right", "abc", 0) == ""
    assert method("left", "abc", -1) == "abc"  # the left page: a negative count gives the whole text
    with pytest.raises(DelugeRuntimeError, match="greater than the text length 3"):
        method("left", "abc", 10)
    with pytest.raises(DelugeRuntimeError, match="greater than the text length 3"):
        method("right", "abc", 4)
    with pytest.raises(DelugeRuntimeError, match="0 or more"):
        method("right", "abc", -1)


def test_prefix_suffix():
    s = "Zoho Creator is an online database service, which helps you"
    assert method("getPrefix", s, ",") == "Zoho Creator is an online database service"
    assert method("getSuffix", "Create custom apps with Zoho Creator", "with") == " Zoho Creator"
    assert method("getPrefix", "abc", "z") is None
    assert method("getSuffix", "abc", "z") is None
    assert method("getPrefixIgnoreCase", "Hello World", "WORLD") == "Hello "
    assert method("getSuffixIgnoreCase", "Hello World", "HELLO") == " World"


def test_case_trim_pad():
    assert function("upper", "Create online") == "CREATE ONLINE"
    assert method("toLowerCase", "ZOHO") == "zoho"
    assert method("proper", "hello WORLD  again") == "Hello World  Again"
    assert method("trim", "  a b \t\n") == "a b"
    assert method("trim", "\u00a0a\u00a0") == "\u00a0a\u00a0"  # Java's trim keeps no-break spaces
    assert method("ltrim", "  a ") == "a "
    assert method("rtrim", "  a ") == "  a"
    assert method("leftPad", "5", 3) == "  5"
    assert method("leftPad", "5", 3, "0") == "005"
    assert method("rightPad", "5", 3) == "5  "
    assert method("leftPad", "hello", 2) == "hello"
    assert method("leftPad", "hello", -4) == "hello"
    assert method("reverse", "abc") == "cba"
    assert method("concat", "a", "b") == "ab"
    assert method("concat", "n=", 5) == "n=5"


def test_remove_family():
    assert method("remove", "a-b-c", "-") == "abc"
    assert method("removeFirstOccurence", "a-b-c", "-") == "ab-c"
    assert method("removeLastOccurence", "a-b-c", "-") == "a-bc"
    assert method("getAlpha", "ab12 c!") == "abc"
    assert method("getAlphaNumeric", "ab12 c!") == "ab12c"
    assert method("removeAllAlpha", "ab12 c!") == "12 !"
    assert method("removeAllAlphaNumeric", "ab12 c!") == " !"


def test_replace_all_regex_and_literal():
    assert function("replaceAll", "Create online database applications", "online", "custom") == \
        "Create custom database applications"
    assert method("replaceAll", "a.b.c", ".", "-", True) == "a-b-c"
    assert method("replaceAll", "a.b.c", ".", "-") == "-----"
    assert method("replaceAll", "a1b22c", "[0-9]+", "#") == "a#b#c"
    assert method("replaceAll", "John Smith", "(\\w+) (\\w+)", "$2, $1") == "Smith, John"
    assert method("replaceAll", "price 5", "(\\d)", "\\$$1") == "price $5"
    assert method("replaceAll", "abc", "(?<first>a)", "${first}${first}") == "aabc"
    assert method("replaceAll", "abc", "", "-") == "-a-b-c-"
    assert method("replaceAll", "a+b", "a+b", "x", "true") == "x"
    assert method("replaceAll", "Tab\tHere", "\\p{Space}", "_") == "Tab_Here"
    assert method("replaceAll", "a1", "(a)(1)", "$10") == "a0"  # $1 then a literal 0, as in Java


def test_replace_first():
    assert method("replaceFirst", "a-b-c", "-", "+") == "a+b-c"
    assert method("replaceFirst", "a.b.c", ".", "+", True) == "a+b.c"


@pytest.mark.parametrize(("pattern", "replacement"), [
    ("(", "x"), ("a", "$"), ("a", "$2"), ("a", "\\"), ("a", "$x"), ("(a)", "${nope}"),
])
def test_replace_errors_are_deluge_errors(pattern, replacement):
    with pytest.raises(DelugeRuntimeError):
        method("replaceAll", "abc", pattern, replacement)


def test_matches_whole_text():
    assert method("matches", "abc123", "[a-z]+\\d+") is True
    assert method("matches", "abc123", "[a-z]+") is False
    assert method("matches", "test@example.com", "^[\\w.+-]+@[\\w-]+\\.[\\w.]+$") is True
    with pytest.raises(DelugeRuntimeError, match="invalid regular expression"):
        method("matches", "a", "[")


def test_to_list():
    assert method("toList", "ZohoCreator/ZohoCRM", "/") == ["ZohoCreator", "ZohoCRM"]
    assert method("toList", "a,,b") == ["a", "", "b"]
    assert method("toList", "a|b", "|") == ["a", "b"]  # the separator is literal text
    assert method("toList", "a,b,", ",") == ["a", "b", ""]
    assert method("toList", "", ",") == []
    assert method("toListString", "x,y") == ["x", "y"]


@pytest.mark.parametrize(("receiver", "expected"), [
    ("1234", 1234), (" 42 ", 42), ("-7", -7), ("12.99", 12), (123.25, 123), (99.9, 99), (-99.9, -99), (5, 5),
])
def test_to_number_truncates(receiver, expected):
    assert method("toNumber", receiver) == expected
    assert type(method("toLong", receiver)) is int


@pytest.mark.parametrize("receiver", ["134A123B", "", "  ", "1,000", "abc", "--1"])
def test_to_number_invalid(receiver):
    with pytest.raises(DelugeRuntimeError, match=r"toNumber\(\) cannot convert"):
        method("toNumber", receiver)


def test_to_number_overflow():
    with pytest.raises(DelugeRuntimeError, match="64-bit"):
        method("toNumber", "99999999999999999999")


def test_to_decimal():
    assert function("toDecimal", 99.9) == 99.9
    assert method("toDecimal", "5") == 5.0 and type(method("toDecimal", "5")) is float
    assert method("toDecimal", 3) == 3.0
    with pytest.raises(DelugeRuntimeError):
        method("toDecimal", "x1")


@pytest.mark.parametrize(("value", "expected"), [
    ("123", True), ("-1.5", True), ("", False), ("12a", False), (5, True), (2.5, True), (None, False), ([], None), ({}, None),
    (True, False), ("24/2*10", False),
])
def test_is_number(value, expected):
    assert method("isNumber", value) is expected


@pytest.mark.parametrize(("name", "args"), [
    ("toUpperCase", ()), ("length", ()), ("contains", ("a",)), ("subString", (0,)), ("trim", ()),
])
def test_wrong_receivers(name, args):
    with pytest.raises(DelugeRuntimeError, match="does not work on Number"):
        method(name, 5, *args)
    with pytest.raises(DelugeRuntimeError, match="on null"):
        method(name, None, *args)


def test_text_argument_must_be_text_like():
    with pytest.raises(DelugeRuntimeError, match=r"contains\(\) expects Text for its 1st argument, got Map"):
        method("contains", "abc", {})
    with pytest.raises(DelugeRuntimeError, match="got null"):
        method("startsWith", "abc", None)


def test_to_list_on_a_list_gives_it_back():
    items = ["a"]
    assert method("toList", items) is items


def test_runaway_regular_expression_is_stopped(monkeypatch) -> None:
    """A pattern that backtracks for ever is a Deluge error after the regex time limit."""
    import pytest

    from deluge_lite import DelugeRuntimeError
    from deluge_lite import run as run_script
    from deluge_lite.builtins import text

    monkeypatch.setattr(text, "REGEX_SECONDS", 0.2)
    text.java_regex.cache_clear()
    subject = "a" * 40 + "b"
    with pytest.raises(DelugeRuntimeError, match="ran longer than 0.2 seconds") as caught:
        run_script(f'x = 1;\ninfo "{subject}".matches("^(a|a)*$");')
    assert caught.value.line == 2
    with pytest.raises(DelugeRuntimeError, match="replaceAll\\(\\) stopped"):
        run_script(f'info "{subject}".replaceAll("^(a|a)*$", "z");')


def test_repeat():
    assert method("repeat", "Zoho", 3) == "ZohoZohoZoho"  # the repeat page
    assert method("repeat", "ab", 0) == ""
    with pytest.raises(DelugeRuntimeError, match="must not be negative"):
        method("repeat", "ab", -1)
    with pytest.raises(DelugeRuntimeError, match="allows 10,000,000 characters"):
        method("repeat", "abcdefghij", 2_000_000)


def test_replace_ignore_case():
    assert method("replaceAllIgnoreCase", "Zoho zoho ZOHO", "zoho", "Z") == "Z Z Z"
    assert method("replaceFirstIgnoreCase", "Zoho zoho ZOHO", "ZOHO", "Z") == "Z zoho ZOHO"
    # the third argument true: search and replacement are plain text, regex characters and $ included
    assert method("replaceAllIgnoreCase", "A.b.A", "a.", "$1\\", True) == "$1\\b.A"
    assert method("replaceAllIgnoreCase", "xAx", "(a)", "<$1>") == "x<A>x"
    assert method("replaceAllIgnoreCase", "abc", "z", "y") == "abc"
