"""The deluge-lite pytest plugin (entry point ``pytest11``; on whenever deluge-lite is installed).

It gives:

- collection of ``test_*.dg`` files (format: `deluge_lite.testing.dgtest`), one test per chunk;
  other ``.dg`` files are never collected (the project's own golden files have their own
  collector in tests/conftest.py);
- fixtures: ``deluge`` (a `deluge_lite.embed.Deluge` wired to the fakes), ``fake_crm``,
  ``fake_oauth``, ``http_stub`` (an `HttpStub` router), ``deluge_connections`` (override it
  to use your own `ConnectionRegistry`), ``deluge_harness`` (the `Harness` behind them);
- cassettes: ``--deluge-record`` records the real HTTP exchanges of each test into
  ``cassettes/<test file stem>/<test name>.json`` next to the test file, secrets stripped,
  refusing to save anything that still looks like one; ``--deluge-replay`` replays them and
  fails when one is missing; by default a test replays its cassette when it has one;
  ``--deluge-no-cassettes`` ignores cassettes. The ini option ``deluge_scrub_fields`` lists
  extra body/query field names to mask when recording.

A script's unanswered HTTP call (no stub, no cassette entry, not a fake) fails the test with
the URL it tried, even when the script caught the error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..errors import DelugeError
from .cassette import CassetteError
from .dgtest import Chunk, DgFormatError, Outcome, compare, parse_file
from .fake_crm import FakeZohoCRM
from .fake_oauth import FakeOAuthProvider
from .harness import FakeServices, Harness
from .stubs import HttpStub


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("deluge-lite", "deluge-lite: testing Deluge scripts")
    group.addoption("--deluge-record", action="store_const", const="record", dest="deluge_cassettes",
                    help="record each test's real HTTP exchanges into its cassette (secrets stripped)")
    group.addoption("--deluge-replay", action="store_const", const="replay", dest="deluge_cassettes",
                    help="replay every test's HTTP exchanges from its cassette; a missing cassette fails")
    group.addoption("--deluge-no-cassettes", action="store_const", const="off", dest="deluge_cassettes",
                    help="ignore cassettes (stubs and fakes only)")
    parser.addini("deluge_scrub_fields", type="args", default=[],
                  help="field names masked in recorded bodies and queries (besides the built-in ones)")
    parser.addini("deluge_cassette_dir", default="cassettes",
                  help="folder for cassettes, relative to each test file (default: cassettes)")


def _mode(config: pytest.Config) -> str:
    return config.getoption("deluge_cassettes") or "auto"


def cassette_path(config: pytest.Config, test_file: Path, test_name: str) -> Path:
    safe = re.sub(r"[^\w.\-]+", "_", test_name).strip("_") or "test"
    return test_file.parent / str(config.getini("deluge_cassette_dir")) / test_file.stem / f"{safe}.json"


def _harness(config: pytest.Config, test_file: Path, test_name: str, **options: Any) -> Harness:
    return Harness(mode=_mode(config), cassette_path=cassette_path(config, test_file, test_name),
                   scrub_fields=frozenset(config.getini("deluge_scrub_fields")), **options)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def deluge_fakes() -> Iterator[FakeServices]:
    """The fake services of one test, started on first use (``fake_oauth`` and ``fake_crm`` use it)."""
    fakes = FakeServices()
    yield fakes
    fakes.close()


@pytest.fixture
def fake_oauth(deluge_fakes: FakeServices) -> FakeOAuthProvider:
    """A `FakeOAuthProvider` on 127.0.0.1; the ``zoho_crm`` test connection gets its tokens here."""
    return deluge_fakes.oauth


@pytest.fixture
def fake_crm(deluge_fakes: FakeServices) -> FakeZohoCRM:
    """A fresh `FakeZohoCRM` for this test: seed it before running, inspect ``records()``/``requests`` after."""
    return deluge_fakes.crm


@pytest.fixture
def http_stub() -> HttpStub:
    """Stub any URL: ``http_stub.post("https://hooks.example.com/*", json={...})``."""
    return HttpStub()


@pytest.fixture
def deluge_connections() -> Any:
    """The connections scripts use; None means the fakes' ``zoho_crm``. Override to return your registry."""
    return None


@pytest.fixture
def deluge_harness(request: pytest.FixtureRequest, deluge_fakes: FakeServices, http_stub: HttpStub,
                   deluge_connections: Any) -> Iterator[Harness]:
    harness = _harness(request.config, Path(str(request.node.path)), request.node.name,
                       fakes=deluge_fakes, stub=http_stub, connections=deluge_connections)
    yield harness
    try:
        harness.finish()
    finally:
        unanswered = harness.unstubbed()
    if unanswered:
        pytest.fail("the script made HTTP calls that nothing answers:\n"
                    + "\n".join(f"  {call}" for call in unanswered), pytrace=False)


@pytest.fixture
def deluge(deluge_harness: Harness) -> Any:
    """A `deluge_lite.embed.Deluge` wired to the fakes, ``http_stub`` and the test's cassette."""
    return deluge_harness.deluge


# ---------------------------------------------------------------- test_*.dg files


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".dg" and file_path.name.startswith("test_"):
        return DgFile.from_parent(parent, path=file_path)
    return None


class DgFile(pytest.File):
    """A ``test_*.dg`` file: one item per chunk."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            chunks = parse_file(self.path)
        except DgFormatError as error:
            raise self.CollectError(str(error)) from None
        except DelugeError as error:
            raise self.CollectError(f"{self.path}: {error.message}") from None
        for chunk in chunks:
            yield DgItem.from_parent(self, name=chunk.name, chunk=chunk)


class DgFailure(Exception):
    """A chunk did not do what its comments say."""


class DgItem(pytest.Item):
    def __init__(self, *, chunk: Chunk, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chunk = chunk

    def runtest(self) -> None:
        chunk = self.chunk
        try:
            harness = _harness(self.config, self.path, self.name)
        except CassetteError as error:
            raise DgFailure(str(error)) from None
        try:
            outcome, regions = self._run(harness)
        finally:
            try:
                harness.finish()
            except CassetteError as error:
                raise DgFailure(str(error)) from None
        problem = compare(chunk, outcome, regions)
        if problem:
            raise DgFailure(problem)

    def _run(self, harness: Harness) -> tuple[Outcome, list[tuple[int, int, Path]]]:
        chunk = self.chunk
        deluge = harness.deluge
        if chunk.timezone:
            deluge.set_timezone(chunk.timezone)
        if chunk.clock:
            deluge.set_clock(chunk.clock)
        for module, records in chunk.seeds:
            harness.fakes.crm.seed_records(module, records)
        for stub in chunk.stubs:
            harness.stub.add(stub.method, stub.url, status=stub.status, json=stub.json, text=stub.text)
        text, regions = chunk.source()
        info: list[str] = []
        deluge.runtime.info = info.append
        outcome = Outcome(info)
        try:
            outcome.value = deluge.run(text, name=str(self.path)).value
        except DelugeError as error:
            outcome.error = error
        outcome.unstubbed = harness.unstubbed()
        return outcome, regions

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, DgFailure):
            return f"{self.path.name}:{self.chunk.start}: chunk '{self.name}'\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.chunk.start - 1, f"{self.path.name}::{self.name}"
