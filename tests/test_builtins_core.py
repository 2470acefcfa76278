"""Unit tests for builtins/core.py: null checks, constructors, toString, equals."""

from __future__ import annotations

import datetime as dt

import pytest

from deluge_lite.builtins import REGISTRY
from deluge_lite.errors import DelugeRuntimeError
from tests.builtin_calls import RT, function, method  # noqa: F401


@pytest.mark.parametrize(("value", "expected"), [
    ("", True), (" ", False), (None, True), ("a", False), (0, False), ([], False), ({}, False),
])
def test_is_null(value, expected):
    assert function("isNull", value) is expected
    assert method("isnull", value) is expected


def test_ifnull():
    assert function("ifnull", None, 0) == 0
    assert function("IFNULL", 12, 0) == 12
    assert function("ifnull", "", "x") == ""  # only null is replaced


def test_ifnull_arity_message():
    with pytest.raises(DelugeRuntimeError, match=r"ifnull\(\) takes 2 arguments, got 3"):
        function("ifnull", 1, 2, 3)


@pytest.mark.parametrize(("value", "expected"), [
    (None, True), ("", True), ("  ", True), ("a", False), ([], True), ({"a": 1}, False), (0, False),
])
def test_is_blank(value, expected):
    assert function("isBlank", value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("", True), (" ", False), ([], True), ([1], False), ({}, True), ({"a": 1}, False), (None, True),
])
def test_is_empty(value, expected):
    assert method("isEmpty", value) is expected


def test_is_empty_on_number_is_an_error():
    with pytest.raises(DelugeRuntimeError, match="isEmpty"):
        method("isEmpty", 5)


def test_constructors_make_fresh_values():
    first, second = function("Map"), function("map")
    assert first == {} and first is not second
    assert function("List") == [] and function("list") is not function("list")
    assert function("List", 1, 2) == [1, 2]
    assert function("Collection") == {}
    assert function("Collection", "a", "b") == ["a", "b"]


@pytest.mark.parametrize(("value", "expected"), [
    ({"a": 1, "b": [1, 2], "c": None}, '{"a":1,"b":[1,2],"c":null}'),
    (["x", "y", {"k": "v"}], 'x,y,{"k":"v"}'),
    (15.0, "15.0"),
    (0.1 + 0.2, "0.30000000000000004"),
    (42, "42"),
    (True, "true"),
    ("text", "text"),
])
def test_to_string(value, expected):
    assert method("toString", value) == expected
    assert method("toText", value) == expected
    assert function("tostring", value) == expected


def test_to_string_on_null_is_an_error():
    with pytest.raises(DelugeRuntimeError, match="null"):
        method("toString", None)


def test_dates_keep_their_own_to_string():
    entry = REGISTRY.methods["tostring"]
    assert entry["date"].impl.__module__.endswith("dates")
    assert entry["text"].impl.__module__.endswith("core")
    assert isinstance(method("toString", dt.date(2019, 2, 10)), str)


@pytest.mark.parametrize(("left", "right", "expected"), [
    (1, 1.0, True), (True, 1, False), ("a", "A", False), ("a", "a", True), (None, None, True), ([1], [1], True),
])
def test_equals(left, right, expected):
    assert method("equals", left, right) is expected


def test_is_text():
    assert method("isText", "x") is True
    assert method("isText", 5) is False
    assert method("isText", "123") is False and method("isText", "12a") is True
    assert method("isText", "") is True and method("isText", True) is None


def test_every_type_check_answers_every_kind():
    from deluge_lite.builtins.registry import ANY
    from deluge_lite.builtins.type_checks import CHECKS

    for name, (_aliases, page, answers) in CHECKS.items():
        assert set(answers) == set(ANY), name
        assert page.startswith("https://www.zoho.com/"), name
