"""The one-pass JSON text of Lists and Maps equals the step-by-step writer's, for every value shape."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite import values

SCALARS = st.one_of(st.text(max_size=8), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans(),
                    st.none(), st.floats(allow_nan=False, width=32), st.datetimes(min_value=dt.datetime(1900, 1, 1)),
                    st.dates(min_value=dt.date(1900, 1, 1)))
KEYS = st.one_of(st.text(max_size=6), st.integers(min_value=-1000, max_value=1000))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.dictionaries(KEYS, inner, max_size=5)), max_leaves=30)


def written(value: object, top_list: bool) -> str:
    writer = values._JsonWriter(values.MAX_TEXT)
    if top_list:
        writer.write_elements(value)  # type: ignore[arg-type]
    else:
        writer.write(value)  # type: ignore[arg-type]
    return writer.text()


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(VALUES, max_size=6), st.dictionaries(KEYS, VALUES, max_size=6)))
def test_to_text_and_to_json_match_the_writer(value: object) -> None:
    assert values.to_text(value) == written(value, top_list=type(value) is list)
    assert values.to_json(value) == written(value, top_list=False)


def test_shared_values_are_written_in_full() -> None:
    inner = [1, 2]
    shared = {"a": inner, "b": inner}
    assert values.to_json(shared) == '{"a":[1,2],"b":[1,2]}'


def test_a_text_over_the_limit_raises_the_writers_error() -> None:
    big = ["x" * 600, "y" * 600]
    try:
        values.to_text(big, limit=1000)
    except values.DelugeRuntimeError as error:
        assert "1,201 characters" in error.message
    else:
        raise AssertionError("expected the text cap error")


PLAIN = st.text(alphabet="ab-_ ,é#x", max_size=12)


@settings(max_examples=200, deadline=None)
@given(PLAIN, PLAIN.filter(bool), PLAIN)
def test_replace_all_without_regex_syntax_matches_the_regex_engine(text: str, needle: str, new: str) -> None:
    from deluge_lite.builtins import text as text_builtins
    from deluge_lite.runtime import Runtime

    rt = Runtime(info=lambda _line: None)
    by_regex = text_builtins.java_regex("replaceAll", needle).sub(text_builtins._java_replacement("replaceAll", new),
                                                                 text)
    assert text_builtins.replace_all(rt, text, needle, new) == by_regex
    first = text_builtins.java_regex("replaceFirst", needle).sub(text_builtins._java_replacement("replaceFirst", new),
                                                                text, count=1)
    assert text_builtins.replace_first(rt, text, needle, new) == first


def test_date_patterns_are_tokenized_once() -> None:
    from deluge_lite import dates

    pattern = "yyyy-MM-dd'T'HH:mm:ss' (cached)'"
    first = dates.tokenize(pattern)
    hits = dates._tokenize_cached.cache_info().hits
    assert dates.tokenize(pattern) == first == dates._tokenize(pattern)
    assert dates._tokenize_cached.cache_info().hits == hits + 1
    long_pattern = "yyyy " * 100
    assert dates.tokenize(long_pattern) == dates._tokenize(long_pattern)
