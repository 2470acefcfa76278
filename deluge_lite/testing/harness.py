"""The test harness: one `Deluge` host wired to the fakes, the stubs and a cassette.

Shared by the pytest fixtures and the ``test_*.dg`` items of the plugin. It owns:

- the transport of the runtime (`SandboxTransport`): stubbed routes answer first; the
  loopback fakes are reached for real (never recorded, never replayed: their state stays
  true); a call that leaves the sandbox is answered by the test's cassette when it has one,
  goes to the network and into the cassette with ``record``, and is refused otherwise with
  the URL it tried (tests never reach the internet);
- the fakes (`FakeServices`): a `FakeOAuthProvider` and a `FakeZoho` (CRM, Creator, Books,
  Desk, Cliq, WorkDrive, ...) accepting its tokens, and the sandbox's registry
  (`sandbox.registry.SandboxRegistry.for_fakes`, as ``run --sandbox`` has): one connection
  per faked service, and any other link name a script uses bound to the fake of the service
  it is used for, with one notice per link in `FakeServices.notices`;
- the router of the runtime (`Harness.route`): with the fakes' connections, a Zoho API URL of
  any data centre goes to the fakes (`sandbox.hosts.Router`), unless a stub covers it; the
  links of a registry the test gives (``deluge_connections``) are never sent to the fakes;
- `offline_registry`: when replaying, the user's own connections get placeholder
  credentials so no token request leaves the machine either;
- `Harness.run_chunk`: one chunk of a ``test_*.dg`` file, after its includes (functions
  only, unless ``run-include``), into an `Outcome` with its info, value or error, outbox
  HTTP calls and chat messages (`messages.MessageLog`, fed by the transport).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .. import net as _net  # noqa: F401  (import once: it registers getUrl/postUrl as built-ins)
from ..connections import ConnectionRegistry, Credentials
from ..embed import Deluge
from ..errors import DelugeError, DelugeRuntimeError, UsageError
from ..fieldclass import replace
from ..interpreter import Session, read_script
from ..net.client import httpx
from ..parser import parse
from ..runtime import Limits
from ..sandbox.hosts import Router, find_route
from ..sandbox.registry import SandboxRegistry
from ..source import Source
from .cassette import DEFAULT_FORMAT, Cassette, CassetteError, Stripper, cassette_files, find_cassette
from .dgcompare import Outcome
from .dgtest import Chunk
from .fake_oauth import FakeOAuthProvider
from .fake_zoho import FakeZoho
from .messages import MessageLog
from .stubs import HttpStub

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Test runs use a pinned clock (the same moment as the golden files) so dates are stable.
TEST_CLOCK = _dt.datetime(2026, 1, 15, 10, 30, 0, tzinfo=_dt.UTC)
CRM_ALIAS = "http://fake-crm.test"
OAUTH_ALIAS = "http://fake-oauth.test"
MODES = ("auto", "record", "replay", "strict", "off")
REPLAYING = ("auto", "replay", "strict")


class FakeServices:
    """The fake OAuth provider and fake Zoho of one test, started on first use."""

    def __init__(self) -> None:
        self._oauth: FakeOAuthProvider | None = None
        self._crm: FakeZoho | None = None
        self._registry: SandboxRegistry | None = None
        self.notices: list[str] = []  # "sandbox: connection 'zcrm' is bound to the fake Zoho CRM", ...

    @property
    def oauth(self) -> FakeOAuthProvider:
        if self._oauth is None:
            self._oauth = FakeOAuthProvider().start()
        return self._oauth

    @property
    def crm(self) -> FakeZoho:
        """The fake Zoho: its CRM, and every other faked service on the same port and store."""
        if self._crm is None:
            self._crm = FakeZoho.with_oauth(self.oauth, clock=lambda: TEST_CLOCK.replace(tzinfo=None)).start()
        return self._crm

    def registry(self) -> SandboxRegistry:
        if self._registry is None:
            self._registry = SandboxRegistry.for_fakes(self.oauth, self.crm.url, self.notices.append)
        return self._registry

    def owns(self, registry: Any) -> bool:
        """Whether ``registry`` is these fakes' own (not one the test gave)."""
        return registry is not None and registry is self._registry

    def route(self, url: str, connection: str | None) -> str:
        """A Zoho API URL on the fakes (binding ``connection`` to the service it is used for)."""
        return Router(self.crm.url, bind=self.registry().bind, offline=False)(url, connection)

    def aliases(self) -> dict[str, str]:
        found = {}
        if self._crm is not None:
            found[self._crm.url] = CRM_ALIAS
        if self._oauth is not None:
            found[self._oauth.url] = OAUTH_ALIAS
        return found

    def close(self) -> None:
        if self._registry is not None:
            self._registry.close()
        if self._crm is not None:
            self._crm.close()
        if self._oauth is not None:
            self._oauth.stop()


def offline_registry(registry: ConnectionRegistry) -> ConnectionRegistry:
    """The same connections with placeholder credentials: replayed runs never fetch tokens."""
    placeholders = {}
    for link in registry.links():
        connection = registry.get(link)
        seeds = connection.seeds
        fake = Credentials(access_token="replayed-access-token", token="replayed-token",
                           token_secret="replayed-token-secret", username=seeds.username,
                           password="replayed-password" if seeds.password else None,
                           values={name: "replayed-key" for name in seeds.values})
        placeholders[link] = replace(connection, seeds=fake)
    return ConnectionRegistry(placeholders, services=registry.services, catalog=registry.catalog,
                              defaults=registry.defaults)


class SandboxTransport(httpx.BaseTransport):
    """Stubs first; the fakes for real; then the cassette (replay) or the network (record); else refused."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self._real: httpx.BaseTransport | None = None

    def real(self) -> httpx.BaseTransport:
        if self._real is None:
            self._real = self.harness.network or httpx.HTTPTransport()
        return self._real

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        status = None
        try:
            response = self._answer(request)
            status = response.status_code
            return response
        finally:
            self.harness.messages.note(request, status, self.harness.deluge.runtime.redact)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        harness = self.harness
        if harness.stub.route_for(request) is not None:
            return harness.stub.handle(request)
        url = str(request.url)
        if any(url.startswith(base) for base in harness.fakes.aliases()):
            return self.real().handle_request(request)  # the fakes stay in the loop, never recorded
        if harness.problem is not None:
            raise harness.stub.refuse(request, harness.problem)
        if harness.replaying:
            assert harness.cassette is not None
            try:
                return harness.cassette.match(request)
            except CassetteError as error:
                raise harness.stub.refuse(request, str(error)) from None
        if not harness.recording:
            raise harness.stub.refuse(request)
        response = self.real().handle_request(request)
        response.read()
        assert harness.cassette is not None
        harness.cassette.stripper.aliases = harness.fakes.aliases()
        harness.cassette.record(request, response)
        return httpx.Response(response.status_code, headers=response.headers, content=response.content,
                              request=request)

    def close(self) -> None:
        if self._real is not None:
            self._real.close()


class Harness:
    """Everything one test needs to run scripts: a `Deluge` host, fakes, stubs and a cassette.

    ``cassette_path`` is the cassette's path without its extension (``.yaml``, ``.yml`` or
    ``.json`` are looked for; a recording is written as ``cassette_format``). A cassette that
    cannot be read is kept in ``problem``: the test fails with it, nothing else does.
    """

    def __init__(self, *, mode: str = "auto", cassette_path: Path | None = None,
                 scrub_fields: frozenset[str] = frozenset(), connections: Any = None,
                 fakes: FakeServices | None = None, stub: HttpStub | None = None,
                 network: httpx.BaseTransport | None = None, cassette_format: str = DEFAULT_FORMAT) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown cassette mode '{mode}'; expected one of {', '.join(MODES)}")
        self.fakes = fakes or FakeServices()
        self.stub = stub or HttpStub()
        self.network = network
        self.mode = mode
        self.cassette_path = cassette_path
        self.cassette: Cassette | None = None
        self.problem: str | None = None
        self.reported = False  # a failure about this harness was already raised (no second one at teardown)
        self.messages = MessageLog()  # Cliq messages sent, shown with failures
        self._connections = connections  # a registry, or a callable making one; None: the fakes'
        stripper = Stripper(scrub_fields=frozenset(name.lower() for name in scrub_fields))
        existing = find_cassette(cassette_path) if cassette_path is not None else None
        if mode == "record" and cassette_path is not None:
            self.cassette = Cassette(cassette_path.with_name(cassette_path.name + "." + cassette_format),
                                     stripper=stripper)
        elif mode in REPLAYING and existing is not None:
            try:
                self.cassette = Cassette.load(existing, stripper)
            except CassetteError as error:
                self.problem = str(error)
        self.transport = SandboxTransport(self)
        self.deluge = Deluge(connections=self._load_connections, clock=TEST_CLOCK, limits=Limits(seconds=20),
                             transport=self.transport)
        self.deluge.runtime.url_router = self.route

    def route(self, url: str, connection: str | None = None) -> str:
        """``runtime.url_router``: Zoho API URLs to the fakes when the link is theirs (see the module docstring)."""
        if find_route(url) is None or self.stub.covers(url):
            return url
        registry = self.deluge.runtime.connection_registry()
        if not self.fakes.owns(registry) or (connection is not None and not registry.is_fake(connection)):
            return url  # the test's own connections keep their real hosts (cassette or refusal)
        return self.fakes.route(url, connection)

    @property
    def recording(self) -> bool:
        return self.mode == "record" and self.cassette is not None

    @property
    def replaying(self) -> bool:
        return self.mode in REPLAYING and self.cassette is not None

    def _load_connections(self) -> ConnectionRegistry:
        source = self._connections
        registry = source() if callable(source) and not hasattr(source, "auth_for") else source
        if registry is None:
            registry = self.fakes.registry()
        elif self.replaying:  # the user's own connections: their token requests must not leave either
            registry = offline_registry(registry)
        if self.cassette is not None:
            self.cassette.stripper.redact = registry.redactor.redact
            self.cassette.stripper.aliases = self.fakes.aliases()
        return registry

    def finish(self) -> None:
        """Save a recording (refusing secrets) and close everything; call once, at teardown."""
        try:
            if self.recording:
                assert self.cassette is not None and self.cassette_path is not None
                registry = self.deluge.runtime.connections
                if registry is not None:
                    self.cassette.stripper.redact = registry.redactor.redact
                saved = self.cassette.save()
                # an older recording goes when this one replaces it, or when the test made no outside
                # call at all (not when a call failed: the old one may still be right)
                failed = any(call.status is None for call in self.deluge.runtime.http_log)
                for stale in cassette_files(self.cassette_path):
                    if stale != self.cassette.path if saved else not failed:
                        stale.unlink()
        finally:
            self.deluge.close()
            self.transport.close()
            self.fakes.close()

    def unstubbed(self) -> list[str]:
        return list(self.stub.unmatched)

    def _creator_context(self, runtime: Any, context: str | None) -> None:
        """The chunk's context; in Creator its statements use the fake Creator's forms (seeded like CRM's)."""
        runtime.context = (context or "").lower()
        if runtime.context == "creator" and runtime.creator_store is None:
            from ..sandbox.creator_store import CreatorRecordStore

            runtime.creator_store = CreatorRecordStore(lambda: self.fakes.crm.store)

    # ---- one chunk of a test_*.dg file
    def run_chunk(self, chunk: Chunk) -> Outcome:
        """Run a chunk after its includes (functions only, or whole for ``run-include``)."""
        deluge = self.deluge
        if chunk.timezone:
            deluge.set_timezone(chunk.timezone)
        if chunk.clock:
            deluge.set_clock(chunk.clock)
        for module, records in chunk.seeds:
            self.fakes.crm.seed_records(module, records)
        for stub in chunk.stubs:
            self.stub.add(stub.method, stub.url, status=stub.status, json=stub.json, text=stub.text)
        runtime = deluge.runtime
        info: list[str] = []
        runtime.info = info.append
        outcome = Outcome(info)
        outbox_start, calls_start, messages_start = len(runtime.outbox), len(runtime.http_log), len(self.messages.messages)
        notices_start = len(self.fakes.notices)
        session = Session(deluge.interpreter)
        runtime.system_values = {}
        if chunk.context:  # the product's injected names, with their samples (overridable in the chunk)
            from ..project import contexts

            context = contexts.get(chunk.context)
            for name, injected in context.names.items():
                session.define(name, injected.default)
            runtime.system_values = dict(context.system)
        self._creator_context(runtime, chunk.context)
        try:
            for include in chunk.includes:
                text = read_script(include.path)
                session.execute(text if include.run else functions_only(text, str(include.path)),
                                str(include.path))
            outcome.value = session.execute(chunk.source(), str(chunk.path)).value
        except DelugeError as error:
            outcome.error = error
        except UsageError as error:  # an unreadable include
            outcome.error = DelugeRuntimeError(str(error))
        outcome.unstubbed, outcome.reasons = self.unstubbed(), dict(self.stub.reasons)
        outcome.outbox = [dict(mail.fields) for mail in runtime.outbox[outbox_start:]]
        outcome.http_calls = list(runtime.http_log[calls_start:])
        outcome.messages = self.messages.messages[messages_start:]
        outcome.notices = self.fakes.notices[notices_start:]
        return outcome


def functions_only(text: str, name: str) -> str:
    """The script with everything but its function definitions blanked (line numbers kept)."""
    program = parse(Source(text, name))
    keep: set[int] = set()
    for function in program.functions:
        keep.update(range(function.span.line, function.span.end_line + 1))
    return "\n".join(line if number in keep else "" for number, line in enumerate(text.split("\n"), 1))
