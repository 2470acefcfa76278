"""Unit tests for builtins/math.py (isEven/isOdd, toWords, sum), number_format.py and encryption.py."""

from __future__ import annotations

import decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite.builtins.number_format import format_number
from deluge_lite.errors import DelugeRuntimeError
from tests.builtin_calls import function, method


@pytest.mark.parametrize(("number", "words"), [
    (7, "seven"), (13, "thirteen"), (40, "forty"), (99, "ninety-nine"), (100, "one hundred"),
    (101, "one hundred one"), (1000001, "one million one"), (-5, "minus five"),
    (10**17 + 2, "one hundred quadrillion two"),
])
def test_to_words_us(number, words):
    assert method("toWords", number) == words


def test_to_words_languages_and_limits():
    assert method("toWords", 105, "en-GB") == "one hundred and five"
    assert method("toWords", 1_000_005, "en-gb") == "one million and five"
    assert method("toWords", 123_45_678, "en-in") == "one crore twenty-three lakh forty-five thousand six hundred seventy-eight"
    assert method("toWords", 0.5) == "zero point five"
    with pytest.raises(DelugeRuntimeError, match="supports the languages"):
        method("toWords", 5, "fr")
    with pytest.raises(DelugeRuntimeError, match="up to 18 digits"):
        method("toWords", 10**18)
    with pytest.raises(DelugeRuntimeError, match="up to 15 digits"):
        method("toWords", 1234567890.123456)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1))
def test_to_words_spells_every_number_of_up_to_18_digits(number):
    words = method("toWords", number)
    assert words and "  " not in words and words == words.strip()
    assert words.startswith("minus ") == (number < 0)


def test_parity():
    assert method("isEven", 0) is True and method("isOdd", -3) is True
    with pytest.raises(DelugeRuntimeError, match="whole number"):
        method("isEven", 1.5)


def test_sum():
    assert method("sum", [1, 2, 3]) == 6 and type(method("sum", [1, 2])) is int
    with pytest.raises(DelugeRuntimeError, match="list of numbers"):
        method("sum", [1, "2"])
    with pytest.raises(DelugeRuntimeError):
        method("sum", [2**62, 2**62])  # past 64 bits


@pytest.mark.parametrize(("value", "pattern", "text"), [
    (1234.5, "#,##0.00", "1,234.50"), (0.125, "0.00", "0.12"), (0.135, "0.00", "0.14"),
    (12, "#", "12"), (0, "#.##", "0"), (1234567, "#,####", "123,4567"), (0.5, "0.0%", "50.0%"),
    (-3, "0;(0)", "(3)"), (5, "'#'0", "#5"), (1e20, "#,##0", "100,000,000,000,000,000,000"),
])
def test_number_patterns(value, pattern, text):
    assert format_number(value, pattern) == text


@pytest.mark.parametrize("pattern", ["", "abc", "0.0.0", "0.00E0", "#,", "'0"])
def test_bad_number_patterns_are_deluge_errors(pattern):
    with pytest.raises(DelugeRuntimeError, match="toString"):
        method("toString", 5, pattern)


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_two_place_pattern_rounds_the_exact_value_half_even(value):
    expected = decimal.Decimal(value).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN)
    text = format_number(value, "0.00")
    assert decimal.Decimal(text) == expected


def test_aes_round_trip_and_errors():
    sealed = function("zoho.encryption.aesEncode", "k" * 32, "payload", "abcdefghijklmnop")
    assert function("zoho.encryption.aesDecode", "k" * 32, sealed, "abcdefghijklmnop") == "payload"
    with pytest.raises(DelugeRuntimeError, match="key of 1 to 32 bytes") as error:
        function("zoho.encryption.aesEncode", "s3cret" * 10, "x")
    assert "s3cret" not in str(error.value)
    with pytest.raises(DelugeRuntimeError, match="base64"):
        function("zoho.encryption.aesDecode", "k", "not base64!")
    with pytest.raises(DelugeRuntimeError, match="not an aesEncode result"):
        function("zoho.encryption.aesDecode", "k", "QUJD")
