"""The import rules of design.md, checked on the source: a layer never reaches into a higher one.

- lark only in the parse-table generator and the lark fallback (parsing/); prompt_toolkit only in repl/; httpx only in
  net/client.py (everyone else imports it from there); authlib only in connections/ (and
  the fake OAuth provider, which must verify OAuth 1 signatures as a real provider does).
- The core (source, errors, parser, ast, builder, check, compiler, values) never imports
  the runtime side (builtins, runtime, net, connections, repl, cli, testing).
- Every module opens with a docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "deluge_lite"
MODULES = sorted(PACKAGE.rglob("*.py"))
CORE = {"source", "errors", "private_cache", "parser", "ast", "builder", "check", "compiler", "compiler_operators", "compiler_methods", "compiler_types", "java_text", "values"}
RUNTIME_SIDE = {"builtins", "runtime", "net", "connections", "repl", "cli", "testing", "interpreter",
                "executor", "embed", "sandbox"}
THIRD_PARTY_HOMES = {
    "lark": {"parsing/generate.py", "parsing/lark_backend.py"},
    "prompt_toolkit": {"repl/"},
    "httpx": {"net/client.py"},
    "authlib": {"connections/", "testing/fake_oauth.py"},
}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, relative level) of every import in a file."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_third_party_imports_stay_in_their_home(path: Path) -> None:
    where = _relative(path)
    for module, level in _imports(path):
        if level:
            continue
        top = module.split(".")[0]
        homes = THIRD_PARTY_HOMES.get(top)
        if homes is not None:
            assert any(where == home or where.startswith(home) for home in homes if home.endswith("/")) or \
                where in homes, f"{where} imports {top}; only {sorted(homes)} may"


@pytest.mark.parametrize("path", [p for p in MODULES if p.parent == PACKAGE and p.stem in CORE], ids=_relative)
def test_core_does_not_import_the_runtime_side(path: Path) -> None:
    for module, level in _imports(path):
        name = module.split(".")[0] if level else module.removeprefix("deluge_lite.").split(".")[0]
        if level or module.startswith("deluge_lite"):
            assert name not in RUNTIME_SIDE, f"{_relative(path)} imports {module or '.'} from the runtime side"


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_every_module_has_a_docstring(path: Path) -> None:
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{_relative(path)} has no docstring"
