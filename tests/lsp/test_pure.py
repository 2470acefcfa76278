"""The server's pure parts without a client: the index, completion contexts, signature
scanning, hover and the catalog tables; and, as properties, that none of them raises on any
text at any position (the server's guard is the last line, not the first)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deluge_lite.builtins import REGISTRY
from deluge_lite.builtins.registry import writable
from deluge_lite.collection_kind import PAIR_INSERT
from deluge_lite.lsp import catalog, completion, navigation
from deluge_lite.lsp.index import _CONSTRUCTOR_TYPES, _LITERAL_TYPES, TYPE_WORDS, build_index

SAMPLE = '''void thisapp.go(int n, string s)
{
\tm = Map();
\tfor each x in {1, 2}
\t{
\t\tm.put(x, n);
\t}
\ttry
\t{
\t\ty = s.length();
\t}
\tcatch (e)
\t{
\t\tinfo e;
\t}
}
total = 0;
thisapp.GO(2, "b");
'''


def place(text: str, line: int, col: int) -> completion.Place:
    index = build_index(text, "t.dg")
    lines = text.split("\n")
    offset = sum(len(item) + 1 for item in lines[:line - 1]) + col - 1
    return completion.Place(text, offset, lines[line - 1][:col - 1], index, index.scope_at(line),
                            [("go", "void thisapp.go(int n, string s)")], ["crm"])


def test_index_names_scopes_and_types() -> None:
    index = build_index(SAMPLE, "t.dg")
    assert [(o.name, o.span.line, o.span.col, o.definition) for o in index.occurrences if o.kind == "function"] == [
        ("go", 1, 14, True), ("GO", 18, 9, False)]
    in_go = {(o.name, o.definition) for o in index.occurrences if o.scope == "thisapp.go"}
    assert {("n", True), ("s", True), ("m", True), ("x", True), ("e", True), ("y", True), ("m", False)} <= in_go
    assert [o.name for o in index.occurrences if o.scope == ""] == ["go", "total", "GO"]
    assert index.type_of("thisapp.go", "M") == "map" and index.type_of("thisapp.go", "s") == "text"
    assert index.type_of("", "total") == "number"


def test_types_follow_built_in_and_task_results() -> None:
    text = ('recs = zoho.crm.getRecords("Leads");\nfor each r in recs\n{\n\tinfo r;\n}\n'
            's = " a ".trim();\nk = s + 1;\nn = s.length();\none = zoho.crm.getRecordById("Leads", 1);\n'
            'parts = s.toList();\nfor each p in parts\n{\n\tinfo p;\n}\n')
    index = build_index(text, "t.dg")
    expected = {"recs": "list", "r": "map", "s": "text", "k": "text", "n": "number", "one": "map",
                "parts": "list", "p": "text"}
    assert {name: index.type_of("", name) for name in expected} == expected
    typing = text + "r."  # mid-typing the text does not parse: the server completes from the last index
    labels = {item.label for item in completion.complete(completion.Place(typing, len(typing), "r.", index, "", [],
                                                                          []))}
    assert "put" in labels and "toUpperCase" not in labels


def test_bare_calls_of_script_functions_are_occurrences() -> None:
    index = build_index("void f(int a)\n{\n\tinfo a;\n}\nF(1);\nx = f(2);\n", "t.dg")
    calls = [(o.name, o.span.line, o.span.col) for o in index.occurrences if o.kind == "function"]
    assert calls == [("f", 1, 6), ("F", 5, 1), ("f", 6, 5)]


def test_index_of_text_that_does_not_parse_still_knows_assignments() -> None:
    index = build_index('m = Map();\nt = "x";\nm.\n', "t.dg")
    assert index.error is not None
    assert index.variables("") == ["m", "t"] and index.type_of("", "m") == "map" and index.type_of("", "t") == "text"


def test_every_inferred_type_has_a_word_and_every_kind_an_icon() -> None:
    assert set(_CONSTRUCTOR_TYPES.values()) | set(_LITERAL_TYPES.values()) <= set(TYPE_WORDS)
    kinds = {entry.kind for entry in [*catalog.functions().values(), *catalog.tasks().values(),
                                      *catalog.system_variables().values(), *catalog.zoho_members("zoho.")]}
    assert kinds <= set(completion._KIND)


def test_catalog_covers_every_registered_built_in() -> None:
    for entry in REGISTRY.all:
        for name in entry.all_names:
            if not writable(name):  # the hidden form c.insert(key: value) compiles to: never offered
                assert catalog.method(name) is None and name == PAIR_INSERT
            elif entry.receivers is None:
                assert name.lower() in catalog.functions()
            else:
                assert catalog.method(name, sorted(entry.receivers)[0]) is not None


def test_completion_contexts() -> None:
    labels = lambda items: {item.label for item in items}  # noqa: E731
    assert "put" in labels(completion.complete(place(SAMPLE, 6, 5)))  # `m.` inside go: a Map
    assert "toUpperCase" not in labels(completion.complete(place(SAMPLE, 6, 5)))
    text = 'r = invokeurl\n[\n\turl :"x"\n\t\n\tconnection :"'
    assert "headers" in labels(completion.complete(place(text, 4, 2)))
    assert labels(completion.complete(place(text, 5, 15))) == {"crm"}
    assert "go" in labels(completion.complete(place("thisapp.", 1, 9)))
    assert "crm" in labels(completion.complete(place("x = zoho.", 1, 10)))
    tasks = completion.complete(place("x = zoho.crm.", 1, 14))
    plain = {item.label: item for item in tasks}
    assert plain["getRecordById"].insert_text is None  # a client without snippets gets the name only
    snippet_place = place("x = zoho.crm.", 1, 14)
    snippet_place.snippets = True
    typed = {item.label: item for item in completion.complete(snippet_place)}
    assert typed["getRecordById"].insert_text == "getRecordById(${1:module}, ${2:id}, ${3:query_map})$0"
    assert labels(completion.complete(place("x = 1; // m.", 1, 13))) == set()
    assert labels(completion.complete(place('x = "see m.', 1, 12))) == set()
    assert "put" in labels(completion.complete(place('m = Map(); x = "a//b"; m.', 1, 26)))


def test_open_call_skips_texts_comments_and_closed_calls() -> None:
    text = 'x = ifnull(a(1, 2), "a, (b" /* , */ , '
    assert completion.open_call(text, len(text)) == ("ifnull", False, 2)
    assert completion.open_call("m.put(1, ", 9) == ("m.put", True, 1)
    assert completion.open_call("zoho.crm.getRecords(", 20) == ("zoho.crm.getRecords", False, 0)
    assert completion.open_call("x = [1, ", 8) is None


def test_hover_on_dotted_words() -> None:
    index = build_index('r = zoho.crm.getRecords("Leads");\ninfo "a".length();\n', "t.dg")
    assert "zoho.crm.getRecords(" in navigation.hover(index, {}, 1, 15)
    assert "zoho.crm" not in (navigation.hover(index, {}, 1, 6) or "")  # `zoho` alone is no task
    assert "length(" in navigation.hover(index, {}, 2, 12)
    typed = build_index('m = Map();\nl = List();\ninfo m.get("a");\ninfo l.get(0);\n', "t.dg")
    assert navigation.hover(typed, {}, 3, 8).startswith("```deluge\nMap.get(")
    assert navigation.hover(typed, {}, 4, 8).startswith("```deluge\nList.get(")


def test_rename_refuses_what_is_not_a_name() -> None:
    index = build_index("a = 1;\ninfo a;\n", "t.dg")
    for bad in ("if", "1a", "a b", "", "null"):
        try:
            navigation.rename("t.dg", index, {}, 1, 1, bad)
        except ValueError:
            continue
        raise AssertionError(f"rename to {bad!r} was accepted")
    assert navigation.rename("t.dg", index, {}, 1, 1, "b") == {"t.dg": [o.span for o in index.occurrences]}


_PIECES = st.sampled_from(["m", ".", "(", ")", "{", "}", "[", "]", '"', "'", ",", ";", "\n", " ", "zoho", "crm",
                           "invokeurl", "if", "for each", "x", "=", "1", "//", "/*", "*/", "thisapp", ":", "é", "😀"])


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=40), where=st.integers(0, 400))
def test_nothing_raises_on_any_text_at_any_position(pieces: list[str], where: int) -> None:
    text = "".join(pieces)
    index = build_index(text, "t.dg")
    offset = min(where, len(text))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    completion.complete(place(text, line, col))
    call = completion.open_call(text, offset)
    if call is not None:
        completion.signature(*call, index, index.scope_at(line), [("go", "void thisapp.go()", ())])
    navigation.hover(index, {"t.dg": index}, line, col)
    navigation.definition("t.dg", index, {"t.dg": index}, line, col)
    navigation.references("t.dg", index, {"t.dg": index}, line, col)


def test_project_files_beside_or_under_the_config(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from deluge_lite.lsp.project import Projects

    loose = tmp_path / "loose"
    (loose / "deeper").mkdir(parents=True)
    for name in ("loose/a.dg", "loose/b.dg", "loose/deeper/c.dg"):
        (tmp_path / name).write_text("info 1;\n", encoding="utf-8")
    projects = Projects(lambda: {})
    assert [p.rsplit("/", 1)[1] for p in projects.files_for(str(loose / "b.dg"))] == ["b.dg", "a.dg"]

    root = tmp_path / "proj"
    for folder in ("src/x", ".git", "node_modules/pkg", "../shared"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "deluge.toml").write_text('[project]\nsources = ["../shared"]\n', encoding="utf-8")
    for name in ("main.dg", "src/x/util.dg", ".git/hidden.dg", "node_modules/pkg/vendored.dg", "../shared/lib.dg"):
        (root / name).write_text("info 1;\n", encoding="utf-8")
    names = [p.rsplit("/", 1)[1] for p in Projects(lambda: {}).files_for(str(root / "main.dg"))]
    assert names == ["main.dg", "util.dg", "lib.dg"]


def test_the_guard_logs_an_internal_error_and_answers_the_default() -> None:
    import asyncio

    from deluge_lite.lsp.server import _guarded, _guarded_async

    class Recorder:
        def __init__(self) -> None:
            self.logged: list[str] = []

        def log(self, message: str) -> None:
            self.logged.append(message)

    def broken(ls: object, params: object) -> list[int]:
        raise KeyError("boom")

    async def broken_later(ls: object, params: object) -> list[int]:
        raise ValueError("later")

    recorder = Recorder()
    assert _guarded(default=[])(broken)(recorder, None) == []
    assert asyncio.run(_guarded_async(default=[])(broken_later)(recorder, None)) == []
    assert "internal error in broken: KeyError" in recorder.logged[0]
    assert "internal error in broken_later: ValueError: later" in recorder.logged[1]


def test_every_quick_fix_is_for_a_known_code() -> None:
    from deluge_lite.diagnostics import CODES
    from deluge_lite.lsp.edits import FIXES

    assert set(FIXES) <= set(CODES)


def test_a_file_variable_is_typed_and_offers_the_file_methods() -> None:
    index = build_index('f = "x".toFile("a.txt");\nn = f.getFileSize();\n', "t.dg")
    assert index.types[("", "f")] == "file" and index.types[("", "n")] == "number"
    assert "File" in (navigation.hover(index, {}, 1, 1) or "")
    labels = {entry.label for entry in catalog.methods_for("file")}
    assert {"getFileName", "setParamName", "extract", "isFile"} <= labels and "toUpperCase" not in labels
