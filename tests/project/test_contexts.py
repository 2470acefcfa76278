"""Platform contexts: the table is complete, detection picks the product, run fills its names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deluge_lite.errors import UsageError
from deluge_lite.parser import parse
from deluge_lite.project import contexts
from deluge_lite.values import from_python, to_text

from .helpers import deluge, write

TYPES = {"Map": dict, "List": list, "Text": str}
ALL = list(contexts.table().contexts.values())


@pytest.mark.parametrize("context", ALL, ids=lambda c: c.name)
def test_every_context_is_complete(context: contexts.Context) -> None:
    assert context.title
    assert context.limits.statements > 0 and context.limits.seconds > 0 and context.limits.depth > 0
    assert context.limits.page.startswith("https://")
    for name, injected in context.names.items():
        assert name.isidentifier() and injected.doc
        assert isinstance(injected.default, TYPES[injected.type]), (name, injected.type)
    for name in context.signature:
        assert context.injected(name) is not None, f"{context.name}: signature name {name} is not injected"


def test_the_default_is_crm_and_every_zoho_service_is_lower_case() -> None:
    assert contexts.default().name == "crm"
    assert all(service == service.lower() and service.isalpha() for service in contexts.table().zoho_services)


@pytest.mark.parametrize(("text", "expected"), [
    ("void automation.update(int id)\n{\n\tinfo id;\n}\n", "crm"),
    ("info invoice.get(\"total\");\n", "books"),
    ("info visitor.get(\"name\");\n", "salesiq"),
    ("info arguments;\ninfo chat.get(\"id\");\n", "cliq"),
    ("info input.Name;\n", "creator"),
    ("info 1 + 1;\n", "crm"),
    ("invoice = {\"total\": 1};\ninfo invoice;\n", "crm"),  # assigned, so not Books' invoice
])
def test_detection(text: str, expected: str) -> None:
    assert contexts.detect(parse(text))[0].name == expected


def test_unknown_context_has_a_did_you_mean() -> None:
    with pytest.raises(UsageError, match="did you mean 'books'"):
        contexts.get("bokks")


@pytest.mark.parametrize("context", [c for c in ALL if c.names], ids=lambda c: c.name)
def test_run_fills_each_injected_name_with_its_sample(tmp_path: Path, context: contexts.Context) -> None:
    lines = "".join(f"info {name};\n" for name in context.names)
    path = write(tmp_path, "names.dg", lines)
    result = deluge("run", str(path), "--context", context.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = [to_text(from_python(injected.default)) for injected in context.names.values()]
    assert result.stdout.splitlines() == expected
    assert f"{context.title} context (from --context): sample value" in result.stderr


def test_given_values_replace_the_samples(tmp_path: Path) -> None:
    path = write(tmp_path, "books.dg", 'info organization.get("name") + ": " + invoice.get("total");\n')
    values = write(tmp_path, "input.json", json.dumps({"invoice": {"total": 250}}))
    result = deluge("run", str(path), "--input", str(values), "--arg", 'organization={"name": "Acme"}',
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Acme: 250\n"
    assert "sample value" not in result.stderr


def test_context_limits_apply_unless_a_flag_is_given(tmp_path: Path) -> None:
    twenty = "{" + ", ".join(str(i) for i in range(20)) + "}"
    path = write(tmp_path, "loop.dg", f"n = 0;\nfor each a in {twenty}\n{{\n\tfor each b in {twenty}\n\t{{\n"
                                      f"\t\tfor each c in {twenty}\n\t\t{{\n\t\t\tn = n + 1;\n\t\t}}\n\t}}\n}}\n"
                                      "info n;\n")
    creator = deluge("run", str(path), "--context", "creator", cwd=tmp_path)
    assert creator.returncode == 1 and "5000" in creator.stderr.replace(",", "")
    crm = deluge("run", str(path), "--context", "crm", cwd=tmp_path)
    assert crm.returncode == 0 and crm.stdout == "8000\n", crm.stderr
    flagged = deluge("run", str(path), "--context", "creator", "--max-statements", "100000", cwd=tmp_path)
    assert flagged.returncode == 0, flagged.stderr


def test_bad_context_and_input_are_usage_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "s.dg", "info 1;\n")
    wrong = deluge("run", str(path), "--context", "deks", cwd=tmp_path)
    assert wrong.returncode == 2 and "did you mean 'desk'" in wrong.stderr
    for content, words in (("[1, 2]", "JSON object"), ("{not json", "not JSON"), ('{"a b": 1}', "variable name")):
        values = write(tmp_path, "in.json", content)
        result = deluge("run", str(path), "--input", str(values), cwd=tmp_path)
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    missing = deluge("run", str(path), "--input", str(tmp_path / "nope.json"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_creator_system_variables_come_from_the_context(tmp_path: Path) -> None:
    path = write(tmp_path, "app.dg", "info zoho.appname;\ninfo zoho.appuri;\n")
    creator = deluge("run", str(path), "--context", "creator", cwd=tmp_path)
    assert creator.returncode == 0, creator.stderr
    system = contexts.get("creator").system
    assert creator.stdout.splitlines() == [system["zoho.appname"], system["zoho.appuri"]]
    crm = deluge("run", str(path), "--context", "crm", cwd=tmp_path)
    assert crm.returncode == 1 and "app.dg:1:6" in crm.stderr and "only in Zoho Creator" in crm.stderr
