"""`deluge-lite lsp` end to end: a real LSP client (pytest-lsp) drives the server over stdio.

One server serves the module (a project folder with deluge.toml and two scripts); each
test opens its own buffer, so tests do not depend on each other's edits.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="the LSP tests need the test extra (pytest-lsp)")
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="module")

LIB = """void thisapp.notify(string email, int score)
{
\tmessage = "score " + score;
\tinfo message;
}
"""
CONFIG = """[connections.crm_conn]
service = "zoho_crm"

[connections.books_conn]
service = "zoho_books"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "deluge.toml").write_text(CONFIG, encoding="utf-8")
    (root / "lib.dg").write_text(LIB, encoding="utf-8")
    return root


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "deluge_lite",
                                                                              "lsp"]))
async def client(lsp_client: LanguageClient, project: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"), root_uri=project.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="deluge", version=1, text=text)))
    await barrier(client, uri)
    return uri


async def barrier(client: LanguageClient, uri: str) -> None:
    """A request answered after every notification the server sent before it."""
    await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))


def at(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


def doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


# ---------------------------------------------------------------- diagnostics

async def test_diagnostics_with_codes_and_severities(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "diag.dg", 'x = 1;\ninfo lenght(x);\nif(x = 1)\n{\n\tinfo x;\n}\n')
    found = {d.code: d for d in client.diagnostics[uri]}
    assert found["DL201"].severity == lsp.DiagnosticSeverity.Error
    assert "did you mean 'length'" in found["DL201"].message
    assert found["DL201"].range.start == at(1, 5)
    assert found["DL301"].severity == lsp.DiagnosticSeverity.Warning
    assert all(d.source == "deluge-lite" for d in client.diagnostics[uri])


async def test_diagnostics_follow_changes_and_syntax_errors(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "typing.dg", "a = 1;\n")
    assert list(client.diagnostics[uri]) == []
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="a = 1;\nif(a > 1 {\n")]))
    await client.wait_for_notification("textDocument/publishDiagnostics")
    (error,) = client.diagnostics[uri]
    assert error.code == "DL001" and error.range.start.line == 1


async def test_rapid_changes_publish_the_last_version_only(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "burst.dg", "a = 1;\n")
    texts = ["a = ;\n", "a = 1 +;\n", "info lenght(1);\n"]
    for version, text in enumerate(texts, start=2):
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))
    await client.wait_for_notification("textDocument/publishDiagnostics")
    assert [d.code for d in client.diagnostics[uri]] == ["DL201"]


async def test_save_rechecks_and_close_clears(client: LanguageClient, project: Path) -> None:
    path = project / "saved.dg"
    uri = await open_doc(client, path, "info lenght(1);\n")
    assert [d.code for d in client.diagnostics[uri]] == ["DL201"]
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=doc(uri)))
    await barrier(client, uri)
    assert [d.code for d in client.diagnostics[uri]] == ["DL201"]
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=doc(uri)))
    await client.wait_for_notification("textDocument/publishDiagnostics")
    assert list(client.diagnostics[uri]) == []


async def test_calls_into_other_project_files_are_known(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "caller.dg", 'thisapp.notify("a@b.c", 5);\nthisapp.nothere(1);\n')
    codes = [d.code for d in client.diagnostics[uri]]
    assert codes == ["DL208"]


async def test_a_big_project_is_parsed_in_the_background_then_checked_again(
        client: LanguageClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("big")
    (root / "deluge.toml").write_text("", encoding="utf-8")
    for number in range(40):  # more files than an open parses at once
        (root / f"f{number:02}.dg").write_text(f"void thisapp.f{number:02}()\n{{\n\tinfo {number};\n}}\n",
                                              encoding="utf-8")
    uri = await open_doc(client, root / "zz_caller.dg", "thisapp.f39();\nthisapp.f00();\nthisapp.nothing();\n")
    for _ in range(5):
        if [d.code for d in client.diagnostics[uri]] == ["DL208"]:
            break
        await asyncio.wait_for(client.wait_for_notification("textDocument/publishDiagnostics"), 60)
    (only,) = client.diagnostics[uri]
    assert only.code == "DL208" and "nothing" in only.message


async def test_code_action_fixes_a_misspelt_name(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "fix.dg", 'x = "abc";\ninfo x.toUpprCase();\n')
    (diagnostic,) = [d for d in client.diagnostics[uri] if d.code == "DL202"]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=doc(uri), range=diagnostic.range, context=lsp.CodeActionContext(diagnostics=[diagnostic])))
    (action,) = actions
    (edit,) = action.edit.changes[uri]
    assert edit.new_text == "toUpperCase"
    assert edit.range == lsp.Range(start=at(1, 7), end=at(1, 17))


async def test_code_actions_for_dotted_names_and_task_keys(client: LanguageClient, project: Path) -> None:
    text = 'info zoho.currentdat;\nresp = invokeurl\n[\n\turl :"https://e.x"\n\ttyp :GET\n];\n'
    uri = await open_doc(client, project / "fix_dotted.dg", text)
    fixes = {}
    for diagnostic in client.diagnostics[uri]:
        actions = await client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=doc(uri), range=diagnostic.range, context=lsp.CodeActionContext(diagnostics=[diagnostic])))
        for action in actions or []:
            (edit,) = action.edit.changes[uri]
            fixes[diagnostic.code] = (edit.range.start, edit.range.end, edit.new_text)
    assert fixes["DL205"] == (at(0, 5), at(0, 20), "zoho.currentdate")
    compare = await open_doc(client, project / "fix_equals.dg", "a = 1;\nif(a = 1)\n{\n\tinfo a;\n}\n")
    (warning,) = [d for d in client.diagnostics[compare] if d.code == "DL301"]
    (action,) = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=doc(compare), range=warning.range, context=lsp.CodeActionContext(diagnostics=[warning])))
    (edit,) = action.edit.changes[compare]
    assert (edit.range.start, edit.range.end, edit.new_text) == (at(1, 5), at(1, 6), "==")
    assert fixes["DL207"] == (at(4, 1), at(4, 4), "type")


async def test_a_broken_deluge_toml_is_a_diagnostic_on_the_config(client: LanguageClient,
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("badconfig")
    config = root / "deluge.toml"
    config.write_text('[project]\nsources = "not a list"\n', encoding="utf-8")
    uri = await open_doc(client, root / "a.dg", "info 1;\n")
    assert list(client.diagnostics[uri]) == []
    (problem,) = client.diagnostics[config.as_uri()]
    assert "sources" in problem.message


async def test_an_unknown_service_in_deluge_toml_points_at_its_table(client: LanguageClient,
                                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("badservice")
    config = root / "deluge.toml"
    config.write_text('# connections\n\n[connections.crm]\nservice = "zoho_crn"\n', encoding="utf-8")
    await open_doc(client, root / "a.dg", "info 1;\n")
    (problem,) = client.diagnostics[config.as_uri()]
    assert "unknown service 'zoho_crn'" in problem.message and problem.range.start.line == 2


# ---------------------------------------------------------------- completion, hover, signatures

async def labels(client: LanguageClient, uri: str, line: int, character: int) -> list[str]:
    result = await client.text_document_completion_async(lsp.CompletionParams(text_document=doc(uri),
                                                                              position=at(line, character)))
    items = result.items if isinstance(result, lsp.CompletionList) else result
    return [item.label for item in items]


async def test_completion_by_context(client: LanguageClient, project: Path) -> None:
    text = ('m = Map();\ns = "x";\nm.\ns.\nzoho.crm.\nr = zoho.crm.getRecords("Leads", 1, 10, {}, "");\n'
            'resp = invokeurl\n[\n\turl :"https://e.x"\n\t\n\tconnection :""\n];\ntotal = 1;\nto\n')
    uri = await open_doc(client, project / "complete.dg", text)
    on_map = await labels(client, uri, 2, 2)
    assert "put" in on_map and "keys" in on_map and "toUpperCase" not in on_map
    on_text = await labels(client, uri, 3, 2)
    assert "toUpperCase" in on_text and "put" not in on_text
    crm = await labels(client, uri, 4, 9)
    assert "getRecords" in crm and "createRecord" in crm
    assert sorted(await labels(client, uri, 5, 45)) == ["books_conn", "crm_conn"]
    keys = await labels(client, uri, 9, 1)
    assert "headers" in keys and "parameters" in keys
    assert sorted(await labels(client, uri, 10, 14)) == ["books_conn", "crm_conn"]
    words = await labels(client, uri, 13, 2)
    for _ in range(100):  # the project's other files are indexed on a worker thread after the open
        if "thisapp.notify" in words:
            break
        await asyncio.sleep(0.1)
        words = await labels(client, uri, 13, 2)
    assert {"total", "m", "resp", "ifnull", "thisapp.notify", "for each"} <= set(words)


async def test_completion_items_carry_signatures_and_docs(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "docs.dg", 's = "x";\ns.\n')
    result = await client.text_document_completion_async(lsp.CompletionParams(text_document=doc(uri),
                                                                              position=at(1, 2)))
    items = {item.label: item for item in result.items}
    assert items["getPrefix"].detail == "Text.getPrefix(search)"
    assert "zoho.com/deluge/help" in items["getPrefix"].documentation.value
    # VS Code takes snippets: the call comes with its required arguments to fill in
    assert items["getPrefix"].insert_text == "getPrefix(${1:search})$0"
    assert items["getPrefix"].insert_text_format == lsp.InsertTextFormat.Snippet


async def test_hover_built_ins_tasks_variables_and_functions(client: LanguageClient, project: Path) -> None:
    text = ('m = Map();\nx = ifnull(m, 1);\nr = zoho.crm.getRecordById("Leads", 1);\n'
            'thisapp.notify("a", 1);\ninfo m.keys();\n')
    uri = await open_doc(client, project / "hover.dg", text)

    async def hover(line: int, character: int) -> str | None:
        found = await client.text_document_hover_async(lsp.HoverParams(text_document=doc(uri),
                                                                       position=at(line, character)))
        return found.contents.value if found else None

    assert "ifnull(value, alternative)" in await hover(1, 6)
    assert "functions/common/ifnull.html" in await hover(1, 6)
    assert "zoho.crm.getRecordById(module, id" in await hover(2, 16)
    assert "variable: Map" in await hover(0, 0)
    assert "void thisapp.notify(string email, int score)" in await hover(3, 10)
    assert "Map.keys()" in await hover(4, 8) or "keys(" in await hover(4, 8)
    assert await hover(0, 8) is None or "Map" in await hover(0, 8)


async def test_signature_help_tracks_the_argument(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "sig.dg", 'x = ifnull(1, "a, b" \nr = zoho.crm.getRecordById("Leads", \n')
    first = await client.text_document_signature_help_async(lsp.SignatureHelpParams(text_document=doc(uri),
                                                                                    position=at(0, 21)))
    assert first.signatures[0].label == "ifnull(value, alternative)" and first.active_parameter == 1
    task = await client.text_document_signature_help_async(lsp.SignatureHelpParams(text_document=doc(uri),
                                                                                   position=at(1, 36)))
    assert task.signatures[0].label.startswith("zoho.crm.getRecordById(") and task.active_parameter == 1


# ---------------------------------------------------------------- navigation

async def test_definition_and_references_across_files(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "nav.dg", 'thisapp.notify("a", 1);\nthisapp.NOTIFY("b", 2);\n')
    found = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(uri),
                                                                              position=at(0, 10)))
    (location,) = found
    assert location.uri == (project / "lib.dg").as_uri()
    assert location.range == lsp.Range(start=at(0, 13), end=at(0, 19))
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=doc(uri), position=at(0, 10), context=lsp.ReferenceContext(include_declaration=True)))
    mine = sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs
                  if r.uri.endswith(("/lib.dg", "/nav.dg")))
    assert mine == [("lib.dg", 0), ("nav.dg", 0), ("nav.dg", 1)]  # (other tests' open buffers call it too)


async def test_variables_resolve_within_their_function(client: LanguageClient, project: Path) -> None:
    text = 'void thisapp.a()\n{\n\tn = 1;\n\tinfo n;\n}\nvoid thisapp.b()\n{\n\tn = 2;\n\tinfo N;\n}\n'
    uri = await open_doc(client, project / "scopes.dg", text)
    (location,) = await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(uri),
                                                                                  position=at(8, 6)))
    assert location.range.start == at(7, 1)
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=doc(uri), position=at(3, 6), context=lsp.ReferenceContext(include_declaration=False)))
    assert [r.range.start for r in refs] == [at(3, 6)]


async def test_rename_a_variable_and_refuse_a_keyword(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "rename.dg", 'count = 0;\nfor each x in {1, 2}\n{\n\tcount = count + x;\n}\n')
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=doc(uri), position=at(0, 2),
                                                                    new_name="total"))
    starts = sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri])
    assert starts == [(0, 0), (3, 1), (3, 9)]
    assert all(e.new_text == "total" for e in edit.changes[uri])
    prepared = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=doc(uri),
                                                                                      position=at(3, 12)))
    assert prepared == lsp.Range(start=at(3, 9), end=at(3, 14))
    assert await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=doc(uri), position=at(1, 1))) is None  # `for` is no name
    refused = await client.text_document_rename_async(lsp.RenameParams(text_document=doc(uri), position=at(0, 2),
                                                                       new_name="if"))
    assert refused is None


async def test_rename_a_function_across_files(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "rename_fn.dg", 'thisapp.notify("a", 1);\n')
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=doc(uri), position=at(0, 9),
                                                                    new_name="alert"))
    assert {uri, (project / "lib.dg").as_uri()} <= set(edit.changes)
    (definition,) = edit.changes[(project / "lib.dg").as_uri()]
    assert definition.range == lsp.Range(start=at(0, 13), end=at(0, 19)) and definition.new_text == "alert"


async def test_document_and_workspace_symbols(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "symbols.dg", 'void thisapp.go(int n)\n{\n\tk = n;\n}\ntop = 1;\n')
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc(uri)))
    assert [(s.name, s.kind) for s in symbols] == [("thisapp.go", lsp.SymbolKind.Function),
                                                   ("top", lsp.SymbolKind.Variable)]
    assert [child.name for child in symbols[0].children] == ["n", "k"]
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="noti"))
    assert [s.name for s in found] == ["notify"]


async def test_workspace_symbols_include_files_never_opened(client: LanguageClient, project: Path) -> None:
    (project / "sub").mkdir(exist_ok=True)
    (project / "sub" / "unopened.dg").write_text("void thisapp.onlyOnDisk()\n{\n\tinfo 1;\n}\n", encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
        uri=(project / "sub" / "unopened.dg").as_uri(), type=lsp.FileChangeType.Created)]))
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="onlyondisk"))
    assert [(s.name, s.location.uri.rsplit("/", 1)[1], s.location.range.start.line) for s in found] == [
        ("onlyOnDisk", "unopened.dg", 0)]


# ---------------------------------------------------------------- formatting

async def test_formatting_whole_document_and_range(client: LanguageClient, project: Path) -> None:
    text = 'a=1;\nb=2;\nif(a>b){info a;}\n'
    uri = await open_doc(client, project / "fmt.dg", text)
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=doc(uri), options=lsp.FormattingOptions(tab_size=4, insert_spaces=False)))
    assert apply(text, edits) == 'a = 1;\nb = 2;\nif(a > b)\n{\n\tinfo a;\n}\n'
    ranged = await client.text_document_range_formatting_async(lsp.DocumentRangeFormattingParams(
        text_document=doc(uri), range=lsp.Range(start=at(1, 0), end=at(1, 3)),
        options=lsp.FormattingOptions(tab_size=4, insert_spaces=False)))
    assert apply(text, ranged) == 'a=1;\nb = 2;\nif(a>b){info a;}\n'
    broken = await open_doc(client, project / "fmt_bad.dg", "a = ;\n")
    assert not await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=doc(broken), options=lsp.FormattingOptions(tab_size=4, insert_spaces=False)))


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.range.start.line, reverse=True):
        lines[edit.range.start.line:edit.range.end.line] = [edit.new_text]
    return "".join(lines)


# ---------------------------------------------------------------- bad input

async def test_bad_input_never_kills_the_server(client: LanguageClient, project: Path) -> None:
    huge = await open_doc(client, project / "huge.dg", "a = 1;\n" * 800_000)
    assert "characters" in client.diagnostics[huge][0].message
    binary = await open_doc(client, project / "binary.dg", "\x00\x01\x02\xff garbage {{{ ((( \"")
    assert client.diagnostics[binary]
    unknown = (project / "never_opened.dg").as_uri()
    assert await client.text_document_hover_async(lsp.HoverParams(text_document=doc(unknown),
                                                                  position=at(0, 0))) is None
    assert not await client.text_document_definition_async(lsp.DefinitionParams(text_document=doc(unknown),
                                                                            position=at(99, 99)))
    assert await client.text_document_hover_async(lsp.HoverParams(text_document=doc(binary),
                                                                  position=at(500, 3))) is None
    half = await open_doc(client, project / "half.dg", 'm = Map();\nm.put("a", \nif(')
    for line in range(3):
        for character in range(0, 12, 3):
            await client.text_document_completion_async(lsp.CompletionParams(text_document=doc(half),
                                                                             position=at(line, character)))
            await client.text_document_signature_help_async(lsp.SignatureHelpParams(text_document=doc(half),
                                                                                    position=at(line, character)))
    again = await open_doc(client, project / "alive.dg", "info lenght(1);\n")
    assert client.diagnostics[again][0].code == "DL201"


async def test_utf16_positions(client: LanguageClient, project: Path) -> None:
    uri = await open_doc(client, project / "emoji.dg", 's = "😀😀"; info lenght(s);\n')
    (diagnostic,) = [d for d in client.diagnostics[uri] if d.code == "DL201"]
    assert diagnostic.range.start == at(0, 17)  # each emoji is two UTF-16 units
