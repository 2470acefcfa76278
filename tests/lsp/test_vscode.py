"""The VS Code extension (editors/vscode) agrees with deluge-lite: its grammar highlights
every keyword of grammar/deluge.lark, its commands are all implemented, and its debugger
settings are launch keys that `deluge-lite dap` reads. (Building the .vsix needs npm: CI
does it in .ci/run when npm is there; these checks need only Python.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deluge_lite.debug.dap import LAUNCH_FLAGS, LAUNCH_OPTIONS

ROOT = Path(__file__).resolve().parent.parent.parent
VSCODE = ROOT / "editors" / "vscode"
PACKAGE = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
GRAMMAR = json.loads((VSCODE / "syntaxes" / "deluge.tmLanguage.json").read_text(encoding="utf-8"))
EXTENSION = (VSCODE / "src" / "extension.ts").read_text(encoding="utf-8")
# launch keys dap.py reads itself, besides the run options it maps
DAP_OWN_KEYS = {"program", "args", "stopOnEntry", "type", "request", "name"}
_KEYWORD_TERMINAL = re.compile(r"^([A-Z_]+)\.\d+:\s*(?:\"[^\"]*\"\s*\|\s*)?/(.+?)\\b/i", re.MULTILINE)


def _patterns(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "match" in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _keywords() -> list[str]:
    text = (ROOT / "grammar" / "deluge.lark").read_text(encoding="utf-8")
    return [re.sub(r"\\s\+", " ", pattern) for _, pattern in _KEYWORD_TERMINAL.findall(text)]


def test_the_grammar_file_is_consistent() -> None:
    repository = GRAMMAR["repository"]
    includes = [entry["include"] for entry in GRAMMAR["patterns"]]
    assert all(include.startswith("#") and include[1:] in repository for include in includes)
    assert set(repository) == {include[1:] for include in includes}, "a repository rule nothing includes"
    for pattern in _patterns(GRAMMAR):
        re.compile(str(pattern["match"]))


@pytest.mark.parametrize("word", _keywords())
def test_every_keyword_of_the_parser_is_highlighted(word: str) -> None:
    rules = [p for p in _patterns(GRAMMAR) if str(p.get("name", "")).startswith(("keyword.", "constant.language"))]
    assert any(re.fullmatch(str(rule["match"]), word) or re.fullmatch(str(rule["match"]), word.upper())
               for rule in rules), f"no keyword rule highlights {word!r}"


def test_keywords_list_is_read_from_the_grammar() -> None:
    assert {"if", "for", "invokeurl", "sendmail", "insert into", "null"} <= set(_keywords())


def test_every_contributed_command_is_registered() -> None:
    contributed = {entry["command"] for entry in PACKAGE["contributes"]["commands"]}
    registered = set(re.findall(r'registerCommand\("([\w.]+)"', EXTENSION))
    assert contributed == registered
    assert {"Run file", "Run in sandbox", "Check project"} <= {c["title"] for c in PACKAGE["contributes"]["commands"]}


def test_the_client_starts_the_language_server_and_the_debug_adapter() -> None:
    assert re.search(r'args: \[\.\.\.prefix, "lsp"\]', EXTENSION)
    assert 'registerDebugAdapterDescriptorFactory("deluge"' in EXTENSION and '"dap"' in EXTENSION
    (debugger,) = PACKAGE["contributes"]["debuggers"]
    assert debugger["type"] == "deluge"
    assert PACKAGE["contributes"]["languages"][0]["extensions"][0] == ".dg"


def test_debugger_settings_are_launch_keys_dap_reads() -> None:
    (debugger,) = PACKAGE["contributes"]["debuggers"]
    accepted = set(LAUNCH_OPTIONS) | set(LAUNCH_FLAGS) | DAP_OWN_KEYS
    declared = set(debugger["configurationAttributes"]["launch"]["properties"])
    assert declared <= accepted, f"package.json offers keys dap ignores: {declared - accepted}"
    example = json.loads((VSCODE / "examples" / ".vscode" / "launch.json").read_text(encoding="utf-8"))
    for configuration in example["configurations"]:
        assert set(configuration) <= accepted, set(configuration) - accepted


def test_the_lock_file_pins_what_package_json_asks_for() -> None:
    lock = json.loads((VSCODE / "package-lock.json").read_text(encoding="utf-8"))
    root = lock["packages"][""]
    assert root["dependencies"] == PACKAGE["dependencies"]
    assert root["devDependencies"] == PACKAGE["devDependencies"]
