"""The embedding API with a platform context and with a project."""

from __future__ import annotations

from pathlib import Path

import pytest

from deluge_lite.embed import Deluge
from deluge_lite.errors import DelugeError, UsageError

from .helpers import write


def test_a_context_gives_its_names_and_limits() -> None:
    books = Deluge(context="books")
    assert books.run('return organization.get("currency_code");').value == "USD"
    assert books.run('return organization.get("name");', {"organization": {"name": "Acme"}}).value == "Acme"
    assert Deluge(context="creator").runtime.limits.statements == 5000
    with pytest.raises(DelugeError):
        Deluge().run('return organization.get("name");')  # no context: not defined
    with pytest.raises(UsageError, match="did you mean"):
        Deluge(context="boks")


def test_run_project_resolves_calls_across_files(tmp_path: Path) -> None:
    write(tmp_path, "lib/double.dg", "int standalone.double(int n)\n{\n\treturn n * 2;\n}\n")
    main = write(tmp_path, "main.dg", "return standalone.double(value) + 1;\n")
    deluge = Deluge()
    assert deluge.run_project([main, tmp_path / "lib"], {"value": 20}).value == 41
    assert deluge.run_project([tmp_path / "lib"], {"n": 4}, call="double").value == 8
    with pytest.raises(DelugeError, match="Variable 'value' is not defined"):
        deluge.run_project([main, tmp_path / "lib"])
