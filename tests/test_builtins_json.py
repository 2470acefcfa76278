"""Unit tests for builtins/json_functions.py: toMap, toJSONList, getJSON, toCollection, XML."""

from __future__ import annotations

import pytest

from deluge_lite.errors import DelugeRuntimeError
from tests.builtin_calls import method


def test_to_map_parses_json_and_keeps_number_kinds():
    data = method("toMap", '{"ID":"TEST-1001","Items":[{"qty":2,"price":2.5}],"ok":true,"none":null}')
    assert data == {"ID": "TEST-1001", "Items": [{"qty": 2, "price": 2.5}], "ok": True, "none": None}
    assert type(data["Items"][0]["qty"]) is int
    assert type(data["Items"][0]["price"]) is float


def test_to_map_on_a_map_returns_it():
    m = {"a": 1}
    assert method("tomap", m) is m


@pytest.mark.parametrize("text", ['{"a":', "{'a': 1}", "not json", "{\"a\":1}}"])
def test_to_map_malformed(text):
    with pytest.raises(DelugeRuntimeError, match=r"toMap\(\) cannot parse the text as JSON"):
        method("toMap", text)


def test_to_map_needs_an_object():
    with pytest.raises(DelugeRuntimeError, match="got a JSON array"):
        method("toMap", "[1, 2]")
    assert method("toMap", "  ") == {}


def test_to_json_list():
    items = method("toJSONList", '[{"a":1},{"a":2}]')
    assert [method("getJSON", item, "a") for item in items] == [1, 2]
    same = [1]
    assert method("toJsonList", same) is same
    with pytest.raises(DelugeRuntimeError, match="got a JSON object"):
        method("toJSONList", '{"a":1}')
    with pytest.raises(DelugeRuntimeError, match="cannot parse"):
        method("toJSONList", "[1,")


def test_get_json_on_text_and_map():
    assert method("getJSON", '{"name":"Zoho","n":{"x":1}}', "n") == {"x": 1}
    assert method("getJSON", '{"name":"Zoho"}', "missing") is None
    assert method("getjson", {"name": "Zoho"}, "name") == "Zoho"
    with pytest.raises(DelugeRuntimeError, match="cannot parse"):
        method("getJSON", "oops", "a")
    with pytest.raises(DelugeRuntimeError, match="does not work on List"):
        method("getJSON", [1], "a")


def test_to_collection():
    assert method("toCollection", '{"a":1}') == {"a": 1}
    assert method("toCollection", "[1,2]") == [1, 2]
    assert method("toCollection", "a,b") == ["a", "b"]


XML = "<root><book id=\"1\"><title>Deluge</title></book><book id=\"2\"><title>Zoho</title></book></root>"


def test_execute_xpath():
    assert method("executeXPath", XML, "/root/book/title/text()") == "DelugeZoho"
    assert method("executeXPath", XML, "/root/book[2]/title/text()") == "Zoho"
    assert method("executeXPath", XML, "//book[@id='2']/title/text()") == "Zoho"
    assert method("executeXPath", XML, "/root/book[1]/@id") == "1"
    assert method("executeXPath", XML, "/root/book[1]/title") == "<title>Deluge</title>"
    assert method("executeXPath", XML, "/root/missing") is None
    with pytest.raises(DelugeRuntimeError, match="cannot parse the text as XML"):
        method("executeXPath", "<a>", "/a")


def test_to_xml_list():
    books = method("toXMLList", method("executeXPath", XML, "/root/book"))
    assert len(books) == 2
    assert method("executeXPath", books[1], "/book/title/text()") == "Zoho"
    assert method("toXMLList", "") == []
