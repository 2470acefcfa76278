"""The syntax tree the newer grammar forms build (issue 12, "Parse what Zoho accepts").

Golden files pin what these scripts print; this file pins what the parser hands to the
checker and the runtime: the '=' comparison mark check warns on, several task values as a
List, sendmail attachments, typed constructors and Collection pairs.
"""

from __future__ import annotations

import pytest

from deluge_lite import ast
from deluge_lite.collection_kind import PAIR_INSERT
from deluge_lite.embed import Deluge
from deluge_lite.errors import DelugeError, DelugeSyntaxError
from deluge_lite.parser import parse


def _walk(node: object) -> list[ast.Node]:
    found: list[ast.Node] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, tuple):
            pending.extend(current)
        elif isinstance(current, ast.Node):
            found.append(current)
            pending.extend(getattr(current, name) for name in current.__fieldclass_fields__ if name != "span")
    return found


def _binaries(text: str) -> list[ast.Binary]:
    return [node for node in _walk(parse(text)) if isinstance(node, ast.Binary)]


def test_single_equals_is_a_marked_double_equals() -> None:
    [comparison] = _binaries('if(a = "x") { info 1; }')
    assert comparison.op == "==" and comparison.single_equals
    assert (comparison.span.line, comparison.span.col) == (1, 4)


def test_double_equals_is_not_marked() -> None:
    [comparison] = _binaries("if(a == 1) { info 1; }")
    assert comparison.op == "==" and not comparison.single_equals


@pytest.mark.parametrize("text", ["x = 1;", "m.k = 1;", "x = y = 1;"])
def test_statement_start_equals_still_assigns(text: str) -> None:
    program = parse(text)
    assert isinstance(program.statements[0], ast.Assign | ast.FieldAssign)


def test_chained_equals_assigns_a_comparison() -> None:
    [statement] = parse("x = y = 1;").statements
    assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Binary)
    assert statement.value.single_equals


def test_single_equals_in_if_expression_and_criteria() -> None:
    marked = [node for node in _binaries('v = if(s = "a", 1, 2); r = F[ID = 3];') if node.single_equals]
    assert len(marked) == 1  # criteria are Creator-only and kept out of the tree


def test_comma_separated_recipients_are_a_list() -> None:
    [mail] = parse('sendmail [ from: "f@x.com" to: "a@x.com", "b@x.com" subject: "s" ]').statements
    to = next(param for param in mail.params if param.key == "to")
    assert isinstance(to.value, ast.ListLiteral) and len(to.value.items) == 2


def test_sendmail_outbox_gets_every_recipient_and_the_file() -> None:
    script = ('data = "a,b";\nsendmail [ from: "f@x.com" to: "a@x.com", "b@x.com" subject: "s" '
              'Attachments: file: data ]')
    with Deluge() as deluge:
        [mail] = deluge.run(script).outbox
    assert mail["to"] == ["a@x.com", "b@x.com"]
    assert mail["attachments"] == "a,b"


def test_template_attachment_needs_creator() -> None:
    [mail] = parse('sendmail [ from: "f" to: "t" subject: "s" attachments: template: T:Invoice id as PDF ]'
                   ).statements
    attachment = next(param for param in mail.params if param.key == "attachments")
    assert isinstance(attachment.value, ast.CreatorOnly)


def test_typed_constructor_with_a_list_is_that_list() -> None:
    [statement] = parse('l = List:String({"a", "b"});').statements
    assert isinstance(statement.value, ast.ListLiteral) and len(statement.value.items) == 2


def test_collection_pairs_are_a_map_literal() -> None:
    [statement] = parse('c = Collection("a": 1, "b": 2);').statements
    assert isinstance(statement.value, ast.MapLiteral) and len(statement.value.entries) == 2


def test_map_with_a_key_named_list_is_still_a_map() -> None:
    [statement] = parse("m = {list: 1, map: x};").statements
    assert isinstance(statement.value, ast.MapLiteral)


def test_invokeapi_type_is_a_constant() -> None:
    [statement] = parse('r = invokeapi [ service: "crm" path: "/crm/v3/Leads" type: get ];').statements
    params = {param.key: param.value for param in statement.value.params}
    assert params["type"] == ast.Literal(params["type"].span, "GET")


@pytest.mark.parametrize(("text", "words"), [
    ("<%{ info 1; }%>", "Creator page template"),
    ('x = “a”;', "curly quote"),
    ('x = "a”;\ny = 2;', "curly quote"),
    ("x = ‘01-Jan-2020’;", "curly quote"),
])
def test_copied_text_errors(text: str, words: str) -> None:
    with pytest.raises(DelugeSyntaxError, match=words):
        parse(text)


def test_curly_quote_inside_text_is_just_a_character() -> None:
    parse('info "It’s “fine”";')


def test_insert_with_pairs_is_the_pair_insert_with_a_map_of_them() -> None:
    [_, statement] = parse('c = Collection("a": 1);\nc.insert("b": 2, "c": 3);').statements
    call = statement.expr
    assert isinstance(call, ast.MethodCall) and call.name == PAIR_INSERT
    [pairs] = call.args
    assert isinstance(pairs, ast.MapLiteral) and len(pairs.entries) == 2


@pytest.mark.parametrize(("text", "kind"), [
    ('c = Collection();\nc.insert("a");', "List"),
    ('c = Collection();\nc.insertAll({"a", "b"});', "List"),
    ('c = Collection();\nc.insert("a": 1);', "Collection"),
    ('c = Collection();\nc.insertAll({"a": 1});', "Collection"),
    ('c = Collection();\nc.put("a", 1);', "Collection"),
    ('c = Collection();\nc.add("a");\nc.put("a", 1);', "Collection"),
    ("c = Collection();\ninfo c;", "Collection"),
])
def test_an_empty_collection_takes_the_kind_of_its_first_filling(text: str, kind: str) -> None:
    assignment = parse(text).statements[0]
    assert assignment.value.name == kind


def test_pairs_in_a_method_other_than_insert_are_a_syntax_error() -> None:
    with pytest.raises(DelugeSyntaxError, match=r"put\(\) takes values, not key: value pairs"):
        parse('m = Map();\nm.put("a": 1);')


@pytest.mark.parametrize(("script", "message"), [
    ('c = collection("a", "b");\nc.insert("k": 1);', "cannot insert key: value pairs into an index-value"),
    ('c = collection("k": 1);\nc.insert("x");', "cannot insert elements into a key-value"),
    ('c = collection("k": 1);\nc.insertAll({"x"});', "cannot insert elements into a key-value"),
    ('c = collection("x");\nc.insertAll({"k": 1});', "cannot insert key: value pairs into an index-value"),
])
def test_filling_a_collection_with_the_wrong_kind_is_a_runtime_error(script: str, message: str) -> None:
    with Deluge() as deluge, pytest.raises(DelugeError, match=message) as raised:
        deluge.run(script)
    assert raised.value.span is not None and raised.value.span.line == 2
