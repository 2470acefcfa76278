"""Property test: any built-in called with any values raises nothing but DelugeRuntimeError.

Random Deluge values (text, numbers, decimals, booleans, dates, lists, maps, null, files) go into
every registered built-in, in both the method form and the function form, with every arity
the built-in accepts (and one more). A Python exception escaping is a bug.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deluge_lite.builtins import REGISTRY
from deluge_lite.errors import DelugeRuntimeError
from deluge_lite.file_value import File
from deluge_lite.runtime import Runtime

_TEXTS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "12", "-3.5", "abc", "a,b,,c", '{"a":1}', "[1,2]", "<r><a>1</a></r>",
                     "(", "$1", "\\", "true", "01-Jan-2020", "1e400", "SGVsbG8=", "%zz", "/r/a/text()"]),
)

def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "alpha")
        archive.writestr("dir/", "")
    return buffer.getvalue()


_FILES = st.builds(File, st.sampled_from(["a.txt", "b.zip", "noext", "../x.csv"]),
                   st.one_of(st.binary(max_size=24), st.just(_zip_bytes())))
_SCALARS = st.one_of(
    st.none(), st.booleans(), _FILES,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, -1, 2, 3, 10, 1000]),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXTS,
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXTS, inner, max_size=4)),
    max_leaves=8,
)

_MY_FAMILIES = ("core", "text", "numbers", "collections", "json_functions", "encoding")
_ENTRIES = sorted({(entry.name, entry.receivers is None) for entry in REGISTRY.all})


def _runtime() -> Runtime:
    rt = Runtime(info=lambda _line: None)
    rt.random = random.Random(1)  # type: ignore[attr-defined]
    return rt


@pytest.mark.parametrize(("name", "plain"), _ENTRIES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_builtin_raises_only_deluge_errors(name, plain, data):
    rt = _runtime()
    argc = data.draw(st.integers(min_value=0, max_value=4), label="argc")
    args = data.draw(st.lists(VALUES, min_size=argc, max_size=argc), label="args")
    try:
        if plain:
            caller = REGISTRY.function_caller(name, argc, rt)
            assert caller is not None
            caller(*args)
        else:
            receiver = data.draw(VALUES, label="receiver")
            statement = data.draw(st.booleans(), label="statement")
            REGISTRY.method_caller(name, argc, rt, statement=statement)(receiver, *args)
    except DelugeRuntimeError:
        pass


def test_every_family_is_covered():
    families = {entry.impl.__module__.rsplit(".", 1)[-1] for entry in REGISTRY.all}
    assert set(_MY_FAMILIES) <= families


def test_registry_reaches_150_names():
    assert len(REGISTRY.names()) >= 150


def test_every_builtin_names_a_zoho_help_page():
    for entry in REGISTRY.all:
        if entry.impl.__module__.rsplit(".", 1)[-1] in _MY_FAMILIES:
            assert entry.doc.startswith("https://www.zoho.com/deluge/help/"), entry.name
