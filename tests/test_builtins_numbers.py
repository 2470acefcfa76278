"""Unit tests for builtins/numbers.py: rounding, powers, min/max, hex, random numbers."""

from __future__ import annotations

import math
import random

import pytest

from deluge_lite.builtins import REGISTRY
from deluge_lite.errors import DelugeRuntimeError
from deluge_lite.runtime import Runtime
from tests.builtin_calls import RT, method


def function(name: str, *args, rt=RT):
    caller = REGISTRY.function_caller(name, len(args), rt)
    assert caller is not None, name
    return caller(*args)


def test_abs_keeps_type():
    assert method("abs", -5) == 5 and type(method("abs", -5)) is int
    assert method("abs", -2.5) == 2.5


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("ceil", 3.2, 4), ("ceil", -3.2, -3), ("floor", 3.8, 3), ("floor", -3.2, -4), ("ceil", 7, 7), ("floor", 2.0, 2),
])
def test_ceil_floor_give_numbers(name, value, expected):
    result = method(name, value)
    assert result == expected and type(result) is int


def test_ceil_of_infinity_is_an_error():
    with pytest.raises(DelugeRuntimeError):
        method("floor", math.inf)


@pytest.mark.parametrize(("value", "places", "expected"), [
    (12.567, 2, 12.57), (12.565, 2, 12.57), (2.5, None, 3.0), (-2.5, None, -3.0), (1.005, 2, 1.01),
    (1234, None, 1234), (1234, -2, 1200), (1250, -2, 1300), (0.1, 5, 0.1),
])
def test_round_half_up(value, places, expected):
    result = method("round", value) if places is None else method("round", value, places)
    assert result == expected
    assert type(result) is type(value)


def test_sqrt_power_log_exp():
    assert method("sqrt", 16) == 4.0 and type(method("sqrt", 16)) is float
    with pytest.raises(DelugeRuntimeError, match="0 or more"):
        method("sqrt", -1)
    assert method("power", 2, 3) == 8 and type(method("power", 2, 3)) is int
    assert method("power", 2, -1) == 0.5
    assert method("power", 2.0, 2) == 4.0
    assert function("power", 4, 0.5) == 2.0
    with pytest.raises(DelugeRuntimeError, match="64-bit"):
        method("power", 10, 40)
    with pytest.raises(DelugeRuntimeError):
        method("power", -8, 1 / 3)
    assert method("log", math.e) == pytest.approx(1.0)
    with pytest.raises(DelugeRuntimeError):
        method("log", 0)
    assert method("exp", 0) == 1.0


def test_min_max():
    assert function("max", 3, 7) == 7
    assert function("min", 3, 7) == 3
    assert method("max", 2.5, 2) == 2.5
    with pytest.raises(DelugeRuntimeError, match=r"max\(\) expects Decimal or Number for its 1st argument, got Text"):
        method("max", 1, "2")


def test_to_hex():
    assert method("toHex", 255) == "ff"
    assert method("toHex", -1) == "ffffffffffffffff"
    with pytest.raises(DelugeRuntimeError):
        method("toHex", 2.5)


def test_random_number_uses_runtime_random_and_never_reaches_the_end_limit():
    rt = Runtime()
    rt.random = random.Random(7)  # type: ignore[attr-defined]
    values = {function("randomNumber", 1, 3, rt=rt) for _ in range(200)}
    assert values == {1, 2}  # the randomNumber page: randomnumber(1,3) is 1 or 2
    decimals = [function("randomNumber", 5, 123.4, rt=rt) for _ in range(200)]
    assert all(type(value) is float and 5 <= value < 123.4 for value in decimals)
    assert len(set(decimals)) > 100
    assert function("randomNumber", 5, 5) == 5
    assert 0 <= function("randomNumber") <= 2**31 - 1
    with pytest.raises(DelugeRuntimeError, match="at most"):
        function("randomNumber", 5, 1)


def test_number_methods_reject_text_and_null():
    with pytest.raises(DelugeRuntimeError, match="does not work on Text"):
        method("round", "1.5")
    with pytest.raises(DelugeRuntimeError, match="on null"):
        method("abs", None)
