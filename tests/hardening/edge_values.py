"""Edge values for hardening tests and the long fuzz run: extremes of every Deluge type.

`EDGE_VALUES` is the catalogue (dates at years 1 and 9999, Numbers at the 64-bit ends,
Decimals past a Number's range, Infinity and NaN, empty and near-cap Texts, nested and
shared Lists and Maps); `nested_shared` builds ``x = {x, x}`` repeated. `values()` is a
hypothesis strategy mixing them with ordinary random values. Used by
tests/hardening/test_builtin_edges.py and benchmarks/fuzz/run.py.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import strategies as st

MIN_NUMBER, MAX_NUMBER = -(2**63), 2**63 - 1


def nested_shared(depth: int, leaf: Any = 1) -> list[Any]:
    """``x = {leaf}`` then ``x = {x, x}`` ``depth`` times: 2**depth leaves, ``depth + 1`` objects."""
    value: list[Any] = [leaf]
    for _ in range(depth):
        value = [value, value]
    return value


def nested_shared_map(depth: int) -> dict[str, Any]:
    """The Map form: ``m = {"a": m, "b": m}`` repeated."""
    value: dict[str, Any] = {"k": 1}
    for _ in range(depth):
        value = {"a": value, "b": value}
    return value


def deep(depth: int) -> list[Any]:
    """A List nested ``depth`` levels without sharing."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


EDGE_DATES: tuple[Any, ...] = (
    dt.date(1, 1, 1), dt.date(1, 1, 2), dt.date(1, 12, 31), dt.date(9999, 12, 31), dt.date(9999, 1, 1),
    dt.date(2020, 2, 29), dt.date(1970, 1, 1),
    dt.datetime(1, 1, 1, 0, 0, 0), dt.datetime(1, 1, 1, 23, 59, 59), dt.datetime(9999, 12, 31, 23, 59, 59),
    dt.datetime(9999, 12, 31, 0, 0, 0), dt.datetime(1970, 1, 1), dt.datetime(2038, 1, 19, 3, 14, 8),
)

EDGE_NUMBERS: tuple[Any, ...] = (
    0, 1, -1, 2, 7, 100, 10**6, 999_999, 2**31, -(2**31), 2**53 + 1, MAX_NUMBER, MIN_NUMBER, MAX_NUMBER - 1,
    0.0, -0.0, 0.5, -2.5, 1e-300, 5e-324, 1e19, -1e19, 9.3e18, 1.8e308, -1.8e308, math.inf, -math.inf, math.nan,
)

EDGE_TEXTS: tuple[Any, ...] = (
    "", " ", "a", "0", "-1", "1e400", "9" * 400, "9" * 5000, "NaN", "Infinity", "01-Jan-0001", "31-Dec-9999",
    "31-Dec-9999 23:59:59", "0001-01-01", "9999-12-31T23:59:59", "29-Feb-2021", "\x00", "\ufffd", "\U0001F600", "é" * 5,
    "(a|a)+$", "[", "\\", "$1", "{\"a\":" * 50, "[" * 300, "{\"a\":1e999}", "{\"a\":" + "9" * 30 + "}",
    "<a><b>x</b></a>", "//b/text()", "%", "%zz", "SGVsbG8=", "=?", "a,b,,c", "x" * 100_000,
)

EDGE_COLLECTIONS: tuple[Any, ...] = (
    [], {}, [None], [MAX_NUMBER, MAX_NUMBER], [1e308, 1e308], [2**63 * 1.0, 1], [math.nan, 1], [math.inf, -math.inf],
    ["b", "a", 1, None], {"": None}, {"a": {"b": {"c": []}}},
)


def edge_values() -> list[Any]:
    """Every catalogued edge value (fresh copies of the mutable ones)."""
    made = [nested_shared(40), nested_shared_map(30), deep(300), list(range(5000))]
    fresh = [_copy(value) for value in EDGE_COLLECTIONS]
    return [None, True, False, *EDGE_DATES, *EDGE_NUMBERS, *EDGE_TEXTS, *fresh, *made]


def _copy(value: Any) -> Any:
    if type(value) is list:
        return [_copy(item) for item in value]
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    return value


_ORDINARY = st.one_of(
    st.none(), st.booleans(), st.integers(MIN_NUMBER, MAX_NUMBER), st.floats(),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20),  # a Deluge Text holds no lone surrogate
    st.dates(), st.datetimes(),
)


@st.composite
def _shared(draw: Any) -> Any:
    depth = draw(st.integers(0, 60))
    leaf = draw(_ORDINARY)
    return draw(st.sampled_from([nested_shared(depth, leaf), nested_shared_map(min(depth, 40))]))


def values() -> st.SearchStrategy[Any]:
    """Deluge values, weighted towards edges: extremes, huge and nested shared values."""
    scalars = st.one_of(_ORDINARY, st.sampled_from([None, True, *EDGE_DATES, *EDGE_NUMBERS, *EDGE_TEXTS]))
    trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=5), inner, max_size=4)),
                         max_leaves=10)
    return st.one_of(trees, _shared(), st.builds(deep, st.integers(0, 400)))
