"""The language server: pygls wiring for every feature, position conversion, and the guard.

Each handler converts the client's position (0-based, UTF-16 by default) to the parser's
(1-based characters), asks the pure modules (``index``, ``completion``, ``navigation``,
``diagnostics``, the formatter) and converts back. Every handler runs inside ``_guarded``:
an internal error is logged to the client (window/logMessage) and the request answers
null, so the server keeps serving whatever the text or the request. Scripts over
``MAX_TEXT`` characters get one diagnostic and no other feature.
"""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from ..source import Span
from . import completion, navigation
from . import edits as text_edits
from .diagnostics import Finding, findings
from .index import Index
from .project import Projects

MAX_TEXT = 1_000_000
DEBOUNCE_SECONDS = 0.2  # diagnostics after typing pauses this long (open and save: at once)
OPEN_BUDGET = 25  # project files parsed while answering an open or save; the rest on a worker thread
_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
             "note": lsp.DiagnosticSeverity.Information}
_SYMBOL_KIND = {"function": lsp.SymbolKind.Function, "variable": lsp.SymbolKind.Variable}
Result = TypeVar("Result")


class DelugeServer(LanguageServer):
    """pygls' server plus the project view of the open scripts."""

    def __init__(self) -> None:
        super().__init__("deluge-lite", __version__)
        self.projects = Projects(self.open_texts)
        self._lines: dict[str, tuple[str, list[str]]] = {}

    def open_texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for uri, document in self.workspace.text_documents.items():
            path = _path(uri)
            if path is not None:
                texts[path] = document.source
        return texts

    # ---- documents
    def document(self, uri: str) -> TextDocument | None:
        """An open document, or None for a file the client never opened."""
        return self.workspace.text_documents.get(uri)

    def index_of(self, uri: str) -> tuple[TextDocument, str, Index] | None:
        document = self.document(uri)
        path = _path(uri)
        if document is None or path is None or len(document.source) > MAX_TEXT:
            return None
        return document, path, self.projects.index(path, document.source)

    def lines(self, document: TextDocument) -> list[str]:
        """The document's lines, split once per text (pygls splits on every access)."""
        source = document.source
        cached = self._lines.get(document.uri)
        if cached is not None and cached[0] is source:
            return cached[1]
        lines = source.splitlines(keepends=True) or [""]
        self._lines[document.uri] = (source, lines)
        return lines

    def log(self, message: str) -> None:
        try:
            self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=message))
        except Exception:  # noqa: BLE001 - logging must never take the server down
            pass


server = DelugeServer()


def _path(uri: str) -> str | None:
    try:
        path = to_fs_path(uri)
    except Exception:  # noqa: BLE001 - a malformed URI is no file
        return None
    return str(Path(path).resolve()) if path else None


def _guarded(default: Any = None) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    def wrap(handler: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(handler)
        def run(ls: DelugeServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except Exception as error:  # noqa: BLE001 - the guard: log, answer null, keep serving
                ls.log(f"deluge-lite lsp: internal error in {handler.__name__}: {type(error).__name__}: {error}\n"
                       + "".join(traceback.format_exc(limit=8)))
                return default
        return run
    return wrap


def _guarded_async(default: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        async def run(ls: DelugeServer, params: Any) -> Any:
            try:
                return await handler(ls, params)
            except Exception as error:  # noqa: BLE001 - the guard: log, answer the default, keep serving
                ls.log(f"deluge-lite lsp: internal error in {handler.__name__}: {type(error).__name__}: {error}\n"
                       + "".join(traceback.format_exc(limit=8)))
                return default
        return run
    return wrap


# ---------------------------------------------------------------- positions

def _to_parser(document: TextDocument, position: lsp.Position) -> tuple[int, int]:
    converted = document.position_codec.position_from_client_units(server.lines(document), position)
    return converted.line + 1, converted.character + 1


def _lines_of(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def _range(lines: list[str], document: TextDocument | None, span: Span) -> lsp.Range:
    server_range = lsp.Range(start=lsp.Position(line=max(span.line - 1, 0), character=max(span.col - 1, 0)),
                             end=lsp.Position(line=max(span.end_line - 1, 0), character=max(span.end_col - 1, 0)))
    codec = document.position_codec if document is not None else server.workspace.position_codec
    return codec.range_to_client_units(lines, server_range)


def _range_in(ls: DelugeServer, path: str, span: Span) -> lsp.Range:
    uri = from_fs_path(path) or path
    document = ls.document(uri)
    text = document.source if document is not None else (ls.projects.text_of(path) or "")
    return _range(server.lines(document) if document is not None else _lines_of(text), document, span)


def _location(ls: DelugeServer, place: navigation.Place) -> lsp.Location:
    return lsp.Location(uri=from_fs_path(place.path) or place.path, range=_range_in(ls, place.path, place.span))


# ---------------------------------------------------------------- diagnostics

def _findings(ls: DelugeServer, path: str, text: str, budget: int | None = None) -> list[Finding]:
    return _check(ls, path, text, budget)[0]


def _check(ls: DelugeServer, path: str, text: str, budget: int | None) -> tuple[list[Finding], bool]:
    """The findings, and whether every project file they may depend on was looked at."""
    if len(text) > MAX_TEXT:
        return [Finding("DL001", "error", f"this file has {len(text):,} characters; deluge-lite reads scripts of "
                        f"up to {MAX_TEXT:,}", Span(1, 1, 1, 1))], True
    index = ls.projects.index(path, text)  # also ready for the requests that follow
    wanted = {occurrence.key for occurrence in index.occurrences if occurrence.kind == "function"}
    if not wanted:
        return findings(text, path, {}), True
    # the other project files the check needs: those defining a function this file calls or
    # defines (calls, their arguments, duplicates); the rest cannot change its findings, and
    # each file handed over is parsed again by the check
    related = {other: other_index.source.text for other, other_index in ls.projects.indexes(path, budget).items()
               if other != path and any(fn.name.lower() in wanted for fn in other_index.functions)}
    return findings(text, path, related), budget is None or ls.projects.complete(path)


def _send(ls: DelugeServer, uri: str, document: TextDocument, path: str, found: list[Finding]) -> None:
    diagnostics = [_diagnostic(document, finding) for finding in found]
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics,
                                                                      version=document.version))
    _publish_config(ls, path)


def _publish(ls: DelugeServer, uri: str) -> None:
    """Check at once (open, save). In a project too big to parse within ``OPEN_BUDGET`` files,
    the rest is parsed on a worker thread and the file checked again with all of it."""
    document = ls.document(uri)
    path = _path(uri)
    if document is None or path is None:
        return
    found, whole = _check(ls, path, document.source, OPEN_BUDGET)
    _send(ls, uri, document, path, found)
    if not whole:
        asyncio.ensure_future(_publish_later(ls, uri, document.version, delay=0))
    elif not ls.projects.complete(path):  # the file calls none of them: index them anyway, for completion
        asyncio.ensure_future(_index_project(ls, path))


async def _index_project(ls: DelugeServer, path: str) -> None:
    """Parse the project's other files on a worker thread, so completion (which never waits
    for a parse) offers their functions after ``thisapp.`` soon after a file is opened."""
    await asyncio.get_running_loop().run_in_executor(ls.thread_pool, ls.projects.indexes, path)


async def _publish_later(ls: DelugeServer, uri: str, version: int | None, delay: float = DEBOUNCE_SECONDS) -> None:
    """After a pause in typing: the check runs on a worker thread, the answer is sent only if
    no newer change came meanwhile (that change publishes its own)."""
    await asyncio.sleep(delay)
    document = ls.document(uri)
    path = _path(uri)
    if document is None or path is None or document.version != version:
        return
    text = document.source
    found = await asyncio.get_running_loop().run_in_executor(ls.thread_pool, _findings, ls, path, text)
    document = ls.document(uri)
    if document is not None and document.version == version:
        _send(ls, uri, document, path, found)


def _diagnostic(document: TextDocument, finding: Finding) -> lsp.Diagnostic:
    span = finding.span or Span(1, 1, 1, 1)
    if span.end_line == span.line and span.end_col <= span.col:
        span = Span(span.line, span.col, span.line, span.col + 1)
    message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
    data = {"replacement": finding.replacement} if finding.replacement else None
    return lsp.Diagnostic(range=_range(server.lines(document), document, span), message=message,
                          severity=_SEVERITY.get(finding.severity, lsp.DiagnosticSeverity.Error),
                          code=finding.code, source="deluge-lite", data=data)


def _publish_config(ls: DelugeServer, path: str) -> None:
    config = ls.projects.config_for(path)
    if config is None:
        return
    problem = ls.projects.config_problem(path)
    diagnostics = []
    if problem is not None:
        line = max(problem.line - 1, 0)
        diagnostics.append(lsp.Diagnostic(
            range=lsp.Range(start=lsp.Position(line=line, character=0), end=lsp.Position(line=line + 1, character=0)),
            message=problem.message, severity=lsp.DiagnosticSeverity.Error, source="deluge-lite"))
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=from_fs_path(str(config)) or str(config),
                                                                      diagnostics=diagnostics))


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
@_guarded()
def did_open(ls: DelugeServer, params: lsp.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
@_guarded_async()
async def did_change(ls: DelugeServer, params: lsp.DidChangeTextDocumentParams) -> None:
    await _publish_later(ls, params.text_document.uri, params.text_document.version)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
@_guarded()
def did_save(ls: DelugeServer, params: lsp.DidSaveTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
@_guarded()
def did_close(ls: DelugeServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@_guarded()
def watched_files_changed(ls: DelugeServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    ls.projects.forget_listings()


# ---------------------------------------------------------------- completion, hover, signatures

@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", '"', ":"]))
@_guarded()
def complete(ls: DelugeServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    document = ls.document(params.text_document.uri)
    path = _path(params.text_document.uri)
    if document is None or path is None or len(document.source) > MAX_TEXT:
        return None
    # the index of the text as last checked: while typing, the names and types a moment old
    index = ls.projects.latest(path) or ls.projects.index(path, document.source)
    line, col = _to_parser(document, params.position)
    offset = _offset(document.source, line, col)
    line_text = server.lines(document)[line - 1].rstrip("\r\n") if line <= len(server.lines(document)) else ""
    place = completion.Place(document.source, offset, line_text[:col - 1], index,
                             index.scope_at(line), [(name, sig) for name, sig, _ in _functions(ls, path)],
                             ls.projects.connection_names(path), _snippets(ls))
    return lsp.CompletionList(is_incomplete=False, items=completion.complete(place))


def _snippets(ls: DelugeServer) -> bool:
    """Whether the client said it takes snippets in completion items."""
    capabilities = ls.client_capabilities.text_document
    completion_caps = capabilities.completion if capabilities else None
    item = completion_caps.completion_item if completion_caps else None
    return bool(item and item.snippet_support)


def _offset(text: str, line: int, col: int) -> int:
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(start + col - 1, len(text))


def _functions(ls: DelugeServer, path: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The project's functions as indexed so far (completion never waits for a parse)."""
    return navigation.script_functions(ls.projects.indexes(path, budget=0))


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
@_guarded()
def hover(ls: DelugeServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return None
    document, path, index = found
    line, col = _to_parser(document, params.position)
    text = navigation.hover(index, ls.projects.indexes(path, budget=0), line, col)
    if text is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(lsp.TEXT_DOCUMENT_SIGNATURE_HELP, lsp.SignatureHelpOptions(trigger_characters=["(", ","]))
@_guarded()
def signature_help(ls: DelugeServer, params: lsp.SignatureHelpParams) -> lsp.SignatureHelp | None:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return None
    document, path, index = found
    line, col = _to_parser(document, params.position)
    call = completion.open_call(document.source, _offset(document.source, line, col))
    if call is None:
        return None
    written, is_method, argument = call
    return completion.signature(written, is_method, argument, index, index.scope_at(line), _functions(ls, path))


# ---------------------------------------------------------------- navigation

@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
@_guarded(default=[])
def definition(ls: DelugeServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return []
    document, path, index = found
    line, col = _to_parser(document, params.position)
    places = navigation.definition(path, index, ls.projects.indexes(path), line, col)
    return [_location(ls, place) for place in places]


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
@_guarded(default=[])
def references(ls: DelugeServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return []
    document, path, index = found
    line, col = _to_parser(document, params.position)
    places = navigation.references(path, index, ls.projects.indexes(path), line, col,
                                   params.context.include_declaration)
    return [_location(ls, place) for place in places]


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
@_guarded()
def prepare_rename(ls: DelugeServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return None
    document, _, index = found
    target = navigation.rename_target(index, *_to_parser(document, params.position))
    return _range(server.lines(document), document, target.span) if target else None


@server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
@_guarded()
def rename(ls: DelugeServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return None
    document, path, index = found
    line, col = _to_parser(document, params.position)
    try:
        edits = navigation.rename(path, index, ls.projects.indexes(path), line, col, params.new_name)
    except ValueError as error:
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=str(error)))
        return None
    if not edits:
        return None
    changes = {from_fs_path(where) or where: [lsp.TextEdit(range=_range_in(ls, where, span), new_text=params.new_name)
                                              for span in spans] for where, spans in edits.items()}
    return lsp.WorkspaceEdit(changes=changes)


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_guarded(default=[])
def document_symbols(ls: DelugeServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    found = ls.index_of(params.text_document.uri)
    if found is None:
        return []
    document, _, index = found
    lines = server.lines(document)
    firsts: dict[str, dict[str, Any]] = {}  # scope -> variable key -> first definition
    names: dict[tuple[str, int], Any] = {}  # (function key, line) -> its name occurrence
    for occurrence in index.occurrences:
        if occurrence.kind == "variable" and occurrence.definition:
            firsts.setdefault(occurrence.scope, {}).setdefault(occurrence.key, occurrence)
        elif occurrence.kind == "function" and occurrence.definition:
            names[(occurrence.key, occurrence.span.line)] = occurrence

    def variable(occurrence: Any) -> lsp.DocumentSymbol:
        where = _range(lines, document, occurrence.span)
        return lsp.DocumentSymbol(name=occurrence.name, kind=lsp.SymbolKind.Variable, range=where,
                                  selection_range=where)

    symbols: list[lsp.DocumentSymbol] = []
    for fn in index.functions:
        name = names.get((fn.name.lower(), fn.name_span.line))
        symbols.append(lsp.DocumentSymbol(
            name=fn.full_name, detail=navigation.function_signature(fn), kind=lsp.SymbolKind.Function,
            range=_range(lines, document, fn.span),
            selection_range=_range(lines, document, name.span if name else fn.name_span),
            children=[variable(o) for o in firsts.get(fn.full_name.lower(), {}).values()]))
    symbols += [variable(o) for o in firsts.get("", {}).values()]
    return symbols


@server.feature(lsp.WORKSPACE_SYMBOL)
@_guarded(default=[])
def workspace_symbols(ls: DelugeServer, params: lsp.WorkspaceSymbolParams) -> list[lsp.SymbolInformation]:
    query = params.query.lower()
    seen: set[tuple[str, int, int]] = set()
    symbols: list[lsp.SymbolInformation] = []
    for where, index in _workspace_indexes(ls).items():
        for occurrence in index.occurrences:
            key = (where, occurrence.span.line, occurrence.span.col)
            if occurrence.kind != "function" or not occurrence.definition or key in seen:
                continue
            if query and query not in occurrence.key:
                continue
            seen.add(key)
            symbols.append(lsp.SymbolInformation(
                name=occurrence.name, kind=lsp.SymbolKind.Function,
                location=_location(ls, navigation.Place(where, occurrence.span))))
    return symbols


def _workspace_indexes(ls: DelugeServer) -> dict[str, Index]:
    """The scripts of the workspace folders (as far as MAX_FILES) and of every open file's project."""
    found: dict[str, Index] = {}
    folders = [_path(folder.uri) for folder in (ls.workspace.folders or {}).values()]
    if not folders and ls.workspace.root_uri:
        folders = [_path(ls.workspace.root_uri)]
    for folder in folders:
        if folder is not None:
            found.update(ls.projects.indexes_under(folder))
    for path in list(ls.open_texts()):
        found.update(ls.projects.indexes(path))
    return found


# ---------------------------------------------------------------- formatting and quick fixes

async def _format_edits(ls: DelugeServer, uri: str, first: int = 0, last: int | None = None) -> list[lsp.TextEdit]:
    """Formatting runs on a worker thread (it parses the text three times), so the server
    keeps answering other requests meanwhile."""
    document = ls.document(uri)
    path = _path(uri)
    if document is None or path is None or len(document.source) > MAX_TEXT:
        return []
    source = document.source
    formatted = await asyncio.get_running_loop().run_in_executor(ls.thread_pool, text_edits.formatted_text,
                                                                 source, path)
    if formatted is None or formatted == source:
        return []
    return text_edits.line_edits(source, formatted, first, last)


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
@_guarded_async(default=[])
async def formatting(ls: DelugeServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
    return await _format_edits(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
@_guarded_async(default=[])
async def range_formatting(ls: DelugeServer, params: lsp.DocumentRangeFormattingParams) -> list[lsp.TextEdit]:
    return await _format_edits(ls, params.text_document.uri, params.range.start.line, params.range.end.line)


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
@_guarded(default=[])
def code_actions(ls: DelugeServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    document = ls.document(params.text_document.uri)
    if document is None:
        return []
    actions: list[lsp.CodeAction] = []
    lines = server.lines(document)
    for diagnostic in params.context.diagnostics:
        fix = text_edits.quick_fix(lines, diagnostic)
        if fix is None:
            continue
        title, edit_range, new_text = fix
        edit = lsp.WorkspaceEdit(changes={params.text_document.uri: [lsp.TextEdit(range=edit_range,
                                                                                  new_text=new_text)]})
        actions.append(lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix,
                                      diagnostics=[diagnostic], edit=edit, is_preferred=True))
    return actions


def serve_stdio() -> int:
    """Serve on stdin/stdout until the client says exit."""
    server.start_io()
    return 0
