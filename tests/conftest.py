"""Collects every golden .dg file under tests/golden as a test (format: deluge_lite.testing.golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deluge_lite.testing.golden import GoldenFormatError, compare, run_file

GOLDEN_ROOT = Path(__file__).parent / "golden"


class GoldenFailure(Exception):
    pass


class GoldenItem(pytest.Item):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.funcargs: dict[str, object] = {}  # no fixtures; some plugins' hooks (pytest-lsp) read it

    def runtest(self) -> None:
        try:
            expectation, outcome = run_file(self.path)
        except GoldenFormatError as error:
            raise GoldenFailure(str(error)) from None
        problem = compare(expectation, outcome)
        if problem:
            raise GoldenFailure(problem)

    def repr_failure(self, excinfo, style=None):  # type: ignore[no-untyped-def]
        if isinstance(excinfo.value, GoldenFailure):
            return f"{self.path}:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, 0, f"golden: {self.path.relative_to(GOLDEN_ROOT)}"


class GoldenFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        yield GoldenItem.from_parent(self, name=self.path.stem)


def pytest_collect_file(parent, file_path: Path):  # type: ignore[no-untyped-def]
    if file_path.suffix == ".dg" and GOLDEN_ROOT in file_path.parents:
        return GoldenFile.from_parent(parent, path=file_path)
    return None
