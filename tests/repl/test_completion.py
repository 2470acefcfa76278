"""Completion and signature hints as pure functions: plain strings and dicts, no terminal."""

from __future__ import annotations

import datetime as dt

import pytest

from deluge_lite.builtins import REGISTRY
from deluge_lite.repl.completion import Scope, complete, receiver_tags, signature_hint


@pytest.fixture
def scope() -> Scope:
    return Scope(
        REGISTRY,
        variables={"m": {"a": 1}, "s": "hello", "n": 5, "items": [1, 2], "when": dt.date(2024, 1, 2),
                   "amount": 2.5},
        functions={"standalone.greet": "string standalone.greet(string name)"},
        tasks=("zoho.crm.getRecords", "zoho.crm.createRecord", "zoho.books.getRecords", "zoho.currentdate"),
        links=("acme_main", "acme_books", "crm_conn"),
    )


def texts(before: str, scope: Scope) -> list[str]:
    return [suggestion.text for suggestion in complete(before, scope)]


def test_map_variable_offers_map_methods(scope):
    offered = texts("m.", scope)
    assert {"put", "get", "keys"} <= set(offered)
    assert "subString" not in offered


def test_text_variable_offers_text_methods(scope):
    offered = texts("s.", scope)
    assert {"subString", "toUpperCase", "length"} <= set(offered)
    assert "put" not in offered and "keys" not in offered


def test_list_number_decimal_date_receivers(scope):
    assert "add" in texts("items.", scope) and "put" not in texts("items.", scope)
    assert "keys" not in texts("n.", scope)
    assert "keys" not in texts("amount.", scope)
    assert "addDay" in texts("when.", scope)


def test_method_prefix_is_case_insensitive_and_replaces_the_word(scope):
    suggestions = complete("x = s.SUB", scope)
    assert "subString" in [s.text for s in suggestions]
    assert all(s.replace == 3 for s in suggestions)


def test_variable_lookup_is_case_insensitive(scope):
    assert "keys" in texts("M.", scope)


def test_literal_receivers(scope):
    assert "subString" in texts('"abc".', scope)
    assert "keys" not in texts('"abc".', scope)
    assert "keys" not in texts("12.", scope)


def test_variable_assigned_earlier_in_the_same_entry(scope):
    assert "keys" in texts("fresh = Map();\nfresh.", scope)
    assert "subString" in texts('fresh = "x"; fresh.', scope)
    assert "keys" not in texts('fresh = "x"; fresh.', scope)


def test_unknown_receiver_offers_every_method(scope):
    offered = texts('m.get("a").', scope)
    assert {"put", "subString", "add"} <= set(offered)


def test_keywords_variables_and_functions(scope):
    assert "info" in texts("inf", scope)
    assert "items" in texts("it", scope)
    assert "standalone.greet" in texts("stand", scope)
    assert "ifnull" in texts("ifn", scope)
    assert "return" in texts("ret", scope)


def test_variable_suggestion_says_its_type(scope):
    (suggestion,) = [s for s in complete("it", scope) if s.text == "items"]
    assert "List" in suggestion.meta


def test_no_suggestion_for_an_empty_word(scope):
    assert complete("x = ", scope) == []


def test_zoho_namespace(scope):
    offered = texts("zoho.", scope)
    assert {"crm", "books", "currentdate", "encryption", "loginuserid"} <= set(offered)
    assert texts("zoho.cr", scope) == ["crm"]
    assert set(texts("zoho.crm.", scope)) == {"getRecords", "createRecord"}
    assert "md5" in texts("zoho.encryption.m", scope)


def test_zoho_word_itself_is_offered(scope):
    assert "zoho" in texts("zo", scope)


def test_connection_names_after_connection_key(scope):
    before = 'r = invokeurl\n[\n  url: "https://x"\n  type: GET\n  connection: '
    assert texts(before, scope) == ['"acme_books"', '"acme_main"', '"crm_conn"']
    assert texts(before + "acme_m", scope) == ['"acme_main"']


def test_connection_names_inside_the_quotes(scope):
    suggestions = complete('connection:"acme', scope)
    assert [s.text for s in suggestions] == ['acme_books"', 'acme_main"']
    assert all(s.replace == 4 for s in suggestions)


def test_nothing_inside_text_or_comments(scope):
    assert complete('info "m.', scope) == []
    assert complete("// m.", scope) == []
    assert complete("/* m.", scope) == []
    assert "keys" in texts('/* "quoted" */ m.', scope)
    assert "keys" in texts('x = "a\\"b"; m.', scope)


def test_receiver_tags_of_values(scope):
    assert receiver_tags("m", scope) == {"map"}
    assert receiver_tags('"x"', scope) == {"text"}
    assert "text" in receiver_tags("unknown_thing", scope)


def test_signature_hints(scope):
    assert signature_hint("s.subString(1, ", scope).startswith("text.subString(")
    assert signature_hint("s.subString(1, ", scope).endswith("argument 2")
    assert "map.put" in signature_hint("m.put(", scope)
    assert signature_hint("ifnull(a", scope).startswith("ifnull(")
    assert signature_hint("standalone.greet(", scope).startswith("string standalone.greet(string name)")
    assert "zoho.encryption.md5" in signature_hint('zoho.encryption.md5("a', scope)


def test_signature_hint_counts_only_top_level_commas(scope):
    assert signature_hint('m.put("k", ifnull(a, b)', scope) is not None
    assert signature_hint('m.put("k", ifnull(a, b), ', scope).endswith("argument 3")
    assert signature_hint('m.put("a,b", ', scope).endswith("argument 2")


def test_no_signature_hint_outside_a_call(scope):
    assert signature_hint("x = 1 + ", scope) is None
    assert signature_hint("x = {1, 2", scope) is None
    assert signature_hint("", scope) is None
    assert signature_hint("nosuchthing(", scope) is None


def test_session_function_namespace(scope):
    assert texts("standalone.", scope) == ["greet"]
    (suggestion,) = complete("standalone.gr", scope)
    assert suggestion.meta == "string standalone.greet(string name)"
