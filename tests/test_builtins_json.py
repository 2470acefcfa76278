"""Unit tests for builtins/json_functions.py: toMap, toJSONList, getJSON, toCollection, XML."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize("text", ['{"a":', "not json", "{\"a\":1}}", "{a:1 b:2}", "{'a: 1}", "{[1]: 2}"])
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
    assert method("executeXPath", XML, "/root/book[1]/@id") == "<id><![CDATA[1]]></id>"
    assert method("executeXPath", '<a t="x]]>y"/>', "/a/@t") == "<t><![CDATA[x]]]]><![CDATA[>y]]></t>"
    assert method("executeXPath", '{"a": {"b": 2}}', "/root/a/b/text()") == "2"
    assert method("executeXPath", XML, "/root/book[1]/title") == "<title>Deluge</title>"
    assert method("executeXPath", XML, "/root/missing") is None
    with pytest.raises(DelugeRuntimeError, match="cannot parse the text as XML"):
        method("executeXPath", "<a>", "/a")


def test_to_xml_list():
    books = method("toXMLList", method("executeXPath", XML, "/root/book"))
    assert len(books) == 2
    assert method("executeXPath", books[1], "/book/title/text()") == "Zoho"
    assert method("toXMLList", "") == []


# ---------------------------------------------------------------- JSON as Zoho reads it

def test_lenient_forms_from_zohos_pages():
    assert method("toMap", "{company:Zoho, product:Creator}") == {"company": "Zoho", "product": "Creator"}
    text = "{Name:'Lia Shelton', OrderNo:[343,443,577]}"
    assert method("getJSON", text, "OrderNo") == [343, 443, 577]
    assert method("getJSON", text, "Name") == "Lia Shelton"


def test_lenient_values_keep_their_kind():
    data = method("toMap", "{a:1, b:TRUE, c:null, d:-2.5, e:'it\\'s', f:[1,2,], g:\"12\"}")
    assert data == {"a": 1, "b": True, "c": None, "d": -2.5, "e": "it's", "f": [1, 2], "g": "12"}
    assert type(data["g"]) is str


def test_key_order_is_javas_hashmap_order():
    # Zoho's toMap page prints {"product":"Creator","company":"Zoho"}; its toXML page lists OrderNo first
    assert list(method("toMap", '{"company":"Zoho","product":"Creator"}')) == ["product", "company"]
    assert list(method("toMap", "{Name:'x', OrderNo:[1]}")) == ["OrderNo", "Name"]
    # twenty keys outgrow 16 buckets: the order follows the larger table, each key once
    keys = [f"key{n}" for n in range(20)]
    parsed = method("toMap", "{" + ",".join(f'"{k}":1' for k in keys) + "}")
    assert sorted(parsed) == sorted(keys) and len(parsed) == 20


def test_java_order_matches_java_string_hash():
    from deluge_lite.builtins.json_reader import _java_hash

    # "abc".hashCode() is 96354 in Java; the spread mixes in the high half
    assert _java_hash("abc") == 96354 ^ (96354 >> 16)
    assert _java_hash("") == 0


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(DelugeRuntimeError, match="nested too deeply"):
        method("toMap", "{a:" * 5000 + "1" + "}" * 5000)
    with pytest.raises(DelugeRuntimeError, match="cannot parse"):
        method("toJSONList", "[" * 100_000)


def test_unicode_escapes_pair_up_and_lone_halves_become_question_marks():
    assert method("toMap", r"{a:'\ud83d\ude00'}") == {"a": "\U0001F600"}
    assert method("toMap", r'{"a":"\ud83d\ude00"}') == {"a": "\U0001F600"}
    assert method("toMap", r"{a:'x\ud800y'}") == {"a": "x?y"}
    assert method("toJSONList", r'["\udc00"]') == ["?"]


_JSONISH = st.text(alphabet=st.sampled_from(list("{}[]:,;'\"\\/ aZ09.-+eEtrufnl\u00a0\ud800")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_JSONISH)
def test_any_text_reads_or_gives_a_deluge_error(text):
    for name in ("toMap", "toJSONList", "toCollection", "toXML"):
        try:
            method(name, text)
        except DelugeRuntimeError:
            pass


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=10))
def test_written_json_reads_back_equal(value):
    from deluge_lite.values import to_json

    assert method("toCollection", to_json({"v": value})) == {"v": value}
