"""Unit tests for builtins/collections.py: List and Map methods."""

from __future__ import annotations

import datetime as dt

import pytest

from deluge_lite.builtins import REGISTRY
from deluge_lite.errors import DelugeRuntimeError
from deluge_lite.runtime import Runtime

RT = Runtime()


def method(name: str, receiver, *args, statement: bool = False):
    return REGISTRY.method_caller(name, len(args), RT, statement=statement)(receiver, *args)


def test_add_and_add_all():
    items = []
    assert method("add", items, "a") is None
    method("add", items, ["x"])
    method("addAll", items, ["c", "d"])
    method("insert", items, "e", "f")
    assert items == ["a", ["x"], "c", "d", "e", "f"]
    with pytest.raises(DelugeRuntimeError, match=r"addAll\(\) expects List"):
        method("addAll", items, "c")


def test_get_by_index():
    items = ["Creator", "CRM", ["Projects", "Reports"]]
    assert method("get", items, 0) == "Creator"
    assert method("get", items, 2) == ["Projects", "Reports"]
    assert method("get", items, 1.0) == "CRM"
    with pytest.raises(DelugeRuntimeError, match="Given index 4 is greater than the list size"):
        method("get", items, 4)
    with pytest.raises(DelugeRuntimeError, match="Given index -1"):
        method("get", items, -1)
    with pytest.raises(DelugeRuntimeError, match="whole Number"):
        method("get", items, "x")
    with pytest.raises(DelugeRuntimeError, match="greater than the list size"):
        method("get", [], 0)


def test_search_uses_deluge_equality():
    items = [1, "a", True, 2.0, 1]
    assert method("indexOf", items, 1.0) == 0
    assert method("lastIndexOf", items, 1) == 4
    assert method("indexOf", items, 2) == 3
    assert method("indexOf", [1], True) == -1
    assert method("contains", [1], True) is False
    assert method("contains", items, "a") is True
    assert method("notContains", items, "b") is True
    assert method("indexOf", items, "zz") == -1


def test_remove_family():
    items = ["a", "b", "c", "b"]
    assert method("remove", items, 1) == "b"
    assert items == ["a", "c", "b"]
    with pytest.raises(DelugeRuntimeError, match="greater than the list size"):
        method("remove", items, 3)
    method("removeElement", items, "b")
    method("removeElement", items, "missing")
    assert items == ["a", "c"]
    values = [1, 2, 1, 3]
    method("removeAll", values, [1.0, 3])
    assert values == [2]


def test_size_clear_distinct_intersect_sublist():
    items = [3, 1, 3, 2, 1]
    assert method("size", items) == 5
    assert method("distinct", items) == [3, 1, 2]
    assert items == [3, 1, 3, 2, 1]
    assert method("intersect", items, [1, 2, 9]) == [1, 2]
    assert method("subList", items, 1, 3) == [1, 3]
    assert method("subList", items, 2) == [3, 2, 1]
    with pytest.raises(DelugeRuntimeError, match="outside the list"):
        method("subList", items, 2, 9)
    method("clear", items)
    assert items == []


def test_sort_copy_and_statement():
    items = [3, 1.5, 2]
    assert method("sort", items) == [1.5, 2, 3]
    assert method("sort", items, False) == [3, 2, 1.5]
    assert items == [3, 1.5, 2]
    assert method("sort", items, statement=True) is None
    assert items == [1.5, 2, 3]
    assert method("sort", ["b", "B", "a"]) == ["B", "a", "b"]
    assert method("sort", [dt.date(2020, 1, 2), dt.datetime(2020, 1, 1, 5)]) == [
        dt.datetime(2020, 1, 1, 5), dt.date(2020, 1, 2)]
    assert method("sort", [1, "a"]) is None  # mixed kinds give null (the sort page)
    mixed = [2, "a", 1]
    assert method("sort", mixed, statement=True) is None and mixed == [2, "a", 1]
    with pytest.raises(DelugeRuntimeError, match="holding a Map"):
        method("sort", [{}, {}])


def test_map_put_get_keys_values():
    m = {"Product": "Creator", "Company": "Zoho"}
    assert method("get", m, "Creator") is None
    assert method("get", m, "Product") == "Creator"
    method("put", m, "Product", "CRM")
    method("put", m, "Year", 1996)
    assert m == {"Product": "CRM", "Company": "Zoho", "Year": 1996}
    assert method("keys", m) == ["Product", "Company", "Year"]
    assert method("values", m) == ["CRM", "Zoho", 1996]
    assert method("size", m) == 3
    method("putAll", m, {"a": 1})
    assert method("containKey", m, "a") and method("containsKey", m, "Year")
    assert not method("containsKey", m, "year")
    assert method("containValue", m, 1996.0) is True
    assert method("containsValue", m, "zoho") is False
    assert method("remove", m, "a") == 1
    assert method("remove", m, "a") is None
    method("clear", m)
    assert m == {}


def test_map_keys_true_and_one_are_different():
    m = {}
    method("put", m, 1, "one")
    method("put", m, True, "yes")
    assert method("get", m, 1) == "one"
    assert method("get", m, True) == "yes"
    assert method("keys", m) == [1, "true"]
    assert method("get", m, 1.0) == "one"
    assert method("containKey", m, False) is False


def test_map_key_must_not_be_a_collection():
    with pytest.raises(DelugeRuntimeError, match="cannot use a List as a map key"):
        method("put", {}, [1], 2)
    assert method("get", {}, [1]) is None


def test_wrong_receivers():
    with pytest.raises(DelugeRuntimeError, match="does not work on Text"):
        method("add", "abc", 1)
    with pytest.raises(DelugeRuntimeError, match="on null"):
        method("put", None, "a", 1)
    with pytest.raises(DelugeRuntimeError, match="does not work on Number"):
        method("size", 5)
