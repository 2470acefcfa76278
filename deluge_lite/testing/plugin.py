"""The deluge-lite pytest plugin (entry point ``pytest11``; on whenever deluge-lite is installed).

It gives:

- collection of ``test_*.dg`` files (format: `deluge_lite.testing.dgtest`, judged by
  `dgcompare`), one test per chunk; other ``.dg`` files are never collected (the project's
  own golden files have their own collector in tests/conftest.py);
- fixtures: ``deluge`` (a `deluge_lite.embed.Deluge` wired to the fakes: every link name a
  script uses resolves to the fake of its service, as under ``run --sandbox``), ``fake_crm``,
  ``fake_oauth``, ``http_stub`` (an `HttpStub` router), ``deluge_connections`` (override it
  to use your own `ConnectionRegistry`), ``deluge_harness`` (the `Harness` behind them),
  ``snapshot`` (`deluge_lite.testing.snapshot.Snapshot`);
- cassettes, per test, for the calls that leave the sandbox (the fakes are always reached
  for real): ``--deluge-record`` records them into ``cassettes/<test file stem>/<test
  name>.yaml`` (or ``.json``: ini ``deluge_cassette_format``), secrets stripped, refusing to
  save anything that still looks like one; by default and with ``--deluge-replay`` a test
  replays its cassette when it has one and runs live against the fakes when it has none;
  ``--deluge-replay=strict`` skips a test without a cassette, saying why;
  ``--deluge-no-cassettes`` ignores cassettes; ini ``deluge_scrub_fields`` lists extra
  body/query field names to mask when recording;
- snapshots: ``--deluge-update`` rewrites the expectations of ``.dg`` chunks (written by
  the controller at the end of the session, so it works under pytest-xdist) and stores the
  values of ``snapshot`` comparisons.

Failures read as Deluge: a call nothing answers is one failure naming the method, the URL
and how to stub it (also when the script caught the error); a Deluge error escaping a test
that uses the fixtures shows the Deluge diagnostic and the test line, no Python frames.
Every test builds its own fakes on free ports and its own stores, so ``pytest -n auto``
(pytest-xdist) spreads a suite over processes or machines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..errors import DelugeError
from .cassette import DEFAULT_FORMAT, FORMATS, CassetteError, find_cassette
from .dgcompare import Outcome, compare, unstubbed_report, update_wanted
from .dgtest import Chunk, DgFormatError, parse_file
from .fake_crm import FakeZohoCRM
from .fake_oauth import FakeOAuthProvider
from .harness import FakeServices, Harness
from .snapshot import PROPERTY, WRITTEN, Snapshot, apply_updates, chunk_update
from .stubs import HttpStub

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STRICT_FLAG = "--deluge-replay=strict"
HARNESS = pytest.StashKey[Harness]()  # the harness of a test that uses the fixtures


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("deluge-lite", "deluge-lite: testing Deluge scripts")
    group.addoption("--deluge-record", action="store_const", const="record", dest="deluge_cassettes",
                    help="record each test's HTTP calls that leave the sandbox into its cassette (secrets stripped)")
    group.addoption("--deluge-replay", action="store_const", const="replay", dest="deluge_cassettes",
                    help="replay each test's cassette; a test without one runs against the fakes and stubs")
    # the literal "--deluge-replay=strict" (argparse matches a whole option string first)
    group.addoption(STRICT_FLAG, "--deluge-replay-strict", action="store_const", const="strict",
                    dest="deluge_cassettes", help="like --deluge-replay, but skip a test that has no cassette")
    group.addoption("--deluge-no-cassettes", action="store_const", const="off", dest="deluge_cassettes",
                    help="ignore cassettes (stubs and fakes only)")
    group.addoption("--deluge-update", action="store_true", dest="deluge_update",
                    help="rewrite the expectations of test_*.dg chunks and the stored snapshots to what runs now")
    parser.addini("deluge_scrub_fields", type="args", default=[],
                  help="field names masked in recorded bodies and queries (besides the built-in ones)")
    parser.addini("deluge_cassette_dir", default="cassettes",
                  help="folder for cassettes, relative to each test file (default: cassettes)")
    parser.addini("deluge_cassette_format", default=DEFAULT_FORMAT,
                  help=f"format of new recordings: {' or '.join(FORMATS)} (default: {DEFAULT_FORMAT})")


def _mode(config: pytest.Config) -> str:
    return config.getoption("deluge_cassettes") or "auto"


def _format(config: pytest.Config) -> str:
    chosen = str(config.getini("deluge_cassette_format")).strip().lower()
    if chosen not in FORMATS:
        raise pytest.UsageError(f"deluge_cassette_format must be {' or '.join(FORMATS)}, got '{chosen}'")
    return chosen


def cassette_path(config: pytest.Config, test_file: Path, test_name: str) -> Path:
    """Where a test's cassette lives, without its extension (``.yaml``, ``.yml`` or ``.json``)."""
    safe = re.sub(r"[^\w.\-]+", "_", test_name).strip("_") or "test"
    return test_file.parent / str(config.getini("deluge_cassette_dir")) / test_file.stem / safe


def _skip_without_cassette(config: pytest.Config, path: Path) -> None:
    if _mode(config) == "strict" and find_cassette(path) is None:
        pytest.skip(f"{STRICT_FLAG}: no cassette at {path}.yaml (or .json); record one with --deluge-record")


def _harness(config: pytest.Config, test_file: Path, test_name: str, **options: Any) -> Harness:
    path = cassette_path(config, test_file, test_name)
    _skip_without_cassette(config, path)
    return Harness(mode=_mode(config), cassette_path=path, cassette_format=_format(config),
                   scrub_fields=frozenset(config.getini("deluge_scrub_fields")), **options)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def deluge_fakes() -> Iterator[FakeServices]:
    """The fake services of one test, started on first use (``fake_oauth`` and ``fake_crm`` use it);
    ``notices`` lists the link names it bound to a fake."""
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
    request.node.stash[HARNESS] = harness
    yield harness
    problem = None
    try:
        harness.finish()
    except CassetteError as error:
        problem = str(error)
    if problem:
        pytest.fail(problem, pytrace=False)
    unanswered = harness.unstubbed()
    if unanswered and not harness.reported:
        pytest.fail(unstubbed_report(unanswered, harness.stub.reasons), pytrace=False)


@pytest.fixture
def deluge(deluge_harness: Harness) -> Any:
    """A `deluge_lite.embed.Deluge` wired to the fakes, ``http_stub`` and the test's cassette."""
    return deluge_harness.deluge


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Iterator[Snapshot]:
    """``assert value == snapshot``: compared with ``__snapshots__/<file stem>/<test>.json``."""
    test_file = Path(str(request.node.path))
    safe = re.sub(r"[^\w.\-]+", "_", request.node.name).strip("_") or "test"
    stored = Snapshot(test_file.parent / "__snapshots__" / test_file.stem / f"{safe}.json",
                      update=bool(request.config.getoption("deluge_update")))
    yield stored
    if stored.save():
        request.node.user_properties.append((WRITTEN, str(stored.path)))


def pytest_assertrepr_compare(op: str, left: Any, right: Any) -> list[str] | None:
    for side in (left, right):
        if op == "==" and isinstance(side, Snapshot) and side.last_problem:
            return side.last_problem.splitlines()
    return None


# ---------------------------------------------------------------- failures in Deluge's words


def _test_line(item: pytest.Item, error: BaseException) -> str:
    """``file.py:LINE`` of the innermost frame in the test's own file (else in any Python file of the user's)."""
    own = other = None
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name == str(item.path):
            own = (item.path.name, trace.tb_lineno)
        elif name.endswith(".py") and not name.startswith(_NOT_USER_CODE):
            other = (Path(name).name, trace.tb_lineno)
        trace = trace.tb_next
    found = own or other
    return f"{found[0]}:{found[1]}" if found else item.path.name


_NOT_USER_CODE = tuple(str(Path(module.__file__).parent) for module in (pytest, __import__("pluggy"),
                                                                         __import__("deluge_lite")))


def _sent(harness: Harness) -> str:
    outcome = Outcome([], outbox=harness.deluge.outbox, http_calls=harness.deluge.http_calls,
                      messages=harness.messages.messages)
    from .dgcompare import _sent as sent_lines

    shown = sent_lines(outcome)
    return ("\n" + "\n".join(shown)) if shown else ""


def _failure(item: pytest.Item, harness: Harness, error: BaseException | None, where: str) -> str | None:
    """The one report for a test whose harness saw a problem (None: nothing of ours to say)."""
    if harness.unstubbed():
        return unstubbed_report(harness.unstubbed(), harness.stub.reasons)
    if isinstance(error, DelugeError):
        return f"{_test_line(item, error)}: the Deluge script failed{where}\n{error.render()}{_sent(harness)}"
    if error is None and harness.problem:
        return harness.problem
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """A Deluge error in a fixture (a script that does not load) reads as the Deluge diagnostic."""
    try:
        return (yield)
    except DelugeError as error:
        failed: DelugeError | None = error
    harness = item.stash.get(HARNESS, None)
    if harness is not None:
        harness.reported = True
        message = _failure(item, harness, failed, " in a fixture")
    else:
        message = f"{_test_line(item, failed)}: the Deluge script failed in a fixture\n{failed.render()}"
    failed = None  # the report is built outside the except block: no "during handling" chain
    pytest.fail(message, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    harness = item.stash.get(HARNESS, None)
    if harness is None:
        return (yield)
    error: BaseException | None = None
    try:
        result = yield
    except BaseException as raised:  # noqa: BLE001  (re-raised below unless it is ours to report)
        error = raised
    harness.reported = True
    message = _failure(item, harness, error, "")
    if message is not None:
        error = None
        pytest.fail(message, pytrace=False)
    if error is not None:
        raise error
    return result


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
        self.funcargs: dict[str, Any] = {}  # no fixtures; some plugins' hooks read it from every item

    def runtest(self) -> None:
        chunk = self.chunk
        if chunk.problems:
            raise DgFailure("\n".join(chunk.problems))
        harness = _harness(self.config, self.path, self.name)
        try:
            outcome = harness.run_chunk(chunk)
        finally:
            try:
                harness.finish()
            except CassetteError as error:
                raise DgFailure(str(error)) from None
        if harness.problem and not outcome.unstubbed:
            raise DgFailure(harness.problem)
        problem = compare(chunk, outcome)
        if problem and self.config.getoption("deluge_update") and update_wanted(chunk, outcome):
            self.user_properties.append((PROPERTY, chunk_update(chunk, outcome)))
            return
        if problem:
            raise DgFailure(problem)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, DgFailure):
            text = str(excinfo.value)
            where = f"{self.path.name}:{self.chunk.start}: chunk '{self.name}'"
            if text.startswith("unstubbed HTTP request"):  # the one line of the short summary names the call
                return f"{where}: {text}"
            return f"{where}\n{text}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.chunk.start - 1, f"{self.path.name}::{self.name}"


# ---------------------------------------------------------------- --deluge-update, on the controller


class _Updates:
    """Collects the chunk updates from every report (a worker's too) and writes them at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.updates: list[dict[str, Any]] = []
        self.snapshots: set[str] = set()
        self.changed: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":  # the teardown report carries the same properties again
            self.updates += [value for name, value in report.user_properties if name == PROPERTY]
        if report.when == "teardown":  # the snapshot fixture saves at teardown
            self.snapshots.update(value for name, value in report.user_properties if name == WRITTEN)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(self.config, "workerinput"):  # an xdist worker: the controller writes and reports
            return
        self.changed = apply_updates(self.updates) if self.updates else []

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self.config, "workerinput"):
            return
        if self.changed:
            chunks = len({(update["path"], update["start"]) for update in self.updates})
            terminalreporter.write_line(f"deluge-update: rewrote the expectations of {chunks} chunk(s) in "
                                        f"{', '.join(Path(name).name for name in self.changed)}")
        if self.snapshots:
            terminalreporter.write_line(f"deluge-update: wrote {len(self.snapshots)} snapshot file(s): "
                                        f"{', '.join(sorted(Path(name).name for name in self.snapshots))}")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("deluge_update", False):
        config.pluginmanager.register(_Updates(config), "deluge-lite-updates")
