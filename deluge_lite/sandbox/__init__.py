"""The local sandbox: a fake Zoho (CRM, Creator, Books, Inventory, Desk, Cliq, WorkDrive, Projects, SalesIQ, Sheet).

`Sandbox` starts both servers on 127.0.0.1 (every fake accepts only tokens the provider
issued), seeds the store (a JSON or CSV file, or generated sample Leads/Contacts/Deals),
and writes a ready ``deluge.toml`` whose ``zoho_crm`` connection points at them, with a
refresh token the provider issued, so scripts run with no Zoho account. The CLI uses it
for ``deluge-lite sandbox`` (runs until Ctrl-C) and ``deluge-lite run --sandbox`` (one run).
For a run it also gives the runtime its connections (`registry`: every link name resolves,
`sandbox.registry`) and its URL router (`router`: Zoho URLs of any data centre go to the
fakes, ``--stub`` prefixes to their fixed answers, anything else is an offline error;
`sandbox.hosts`), and lists what the run posted to Cliq or recorded as CRM actions.

Bad input is a `UsageError` (exit 2) raised before any server starts: a seed or stub file
that is missing, binary, not JSON/CSV or not shaped right, a ``--stub`` without ``=``, a
``--module`` spec that is not ``NAME[:FIELD,...]``, a port outside 0..65535 or already
taken. The config folder is private (0700) and ``deluge.toml`` 0600: it holds a refresh token.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..connections.private_files import private_dir, write_private_text
from ..errors import UsageError
from ..testing.fake_crm_actions import ACTIONS
from ..testing.fake_crm_store import SeedError, read_seed_file
from ..testing.fake_oauth import FakeOAuthProvider
from ..testing.fake_zoho import FakeZoho
from .creator_store import CreatorRecordStore
from .hosts import Router
from .registry import CONFIG_SERVICES, SandboxRegistry, fake_template, service_tables

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SANDBOX_LINK = "zoho_crm"
_MODULE_SPEC = re.compile(r"^([A-Za-z][A-Za-z0-9_]{0,99})(?::([A-Za-z0-9_,]*))?$")


class Sandbox:
    """The fakes plus the config, connections and router that lead to them; a context manager."""

    def __init__(self, *, seed: str | None = None, port: int = 0, sample: int = 25,
                 config_dir: Path | None = None, stubs: list[str] | tuple[str, ...] = (), db: str | None = None,
                 modules: list[str] | tuple[str, ...] = (), notice: Callable[[str], None] | None = None) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise UsageError(f"--port must be a whole number from 0 (any free port) to 65535, not {port!r}")
        url_stubs, connectors = read_stubs(stubs)
        self.modules = [parse_module_spec(spec) for spec in modules]
        self.oauth = FakeOAuthProvider()
        self.db = db
        self.zoho = FakeZoho.with_oauth(self.oauth, port=port, db=_db_path(db), stubs=url_stubs,
                                        connectors=connectors)
        self.crm = self.zoho  # the CRM routes are the fake Zoho's own
        self.seed = seed
        self.sample = sample
        self.notice = notice
        self._own_dir = config_dir is None
        self.config_dir = config_dir or Path(tempfile.mkdtemp(prefix="deluge-lite-sandbox-"))
        self.config_path = self.config_dir / "deluge.toml"
        self._registry: SandboxRegistry | None = None

    def start(self) -> Sandbox:
        try:
            records = read_seed_file(self.seed) if self.seed else None
        except SeedError as error:
            raise UsageError(str(error)) from None
        try:
            self.oauth.start()
            self.zoho.start()
        except OSError as error:
            self.stop()
            raise UsageError(f"cannot start the sandbox on 127.0.0.1:{self.zoho.port} "
                             f"({error.strerror or error}); pick another --port") from None
        try:
            for name, fields in self.modules:
                self.zoho.add_module(name, fields or None)
            if records is not None:
                self.zoho.store.seed_from(records)
            elif self.db is None or not self.zoho.store.all("Leads"):
                self.zoho.seed_sample(self.sample)
            self.write_config()
        except BaseException:
            self.stop()
            raise
        return self

    def write_config(self) -> Path:
        private_dir(self.config_dir)
        sections = []
        for service, table in service_tables(fake_template(self.oauth, self.zoho.url)).items():
            sections.append(f"[connections.{service}]\n" + "".join(f'{key} = "{value}"\n' for key, value in table.items()))
        write_private_text(self.config_path,
            "# Written by deluge-lite sandbox: connections to the local fake Zoho, one per service, so\n"
            "# zoho.* tasks without a connection argument find theirs (zoho_crm, zoho_books, ...).\n"
            + "\n".join(sections))
        return self.config_path

    # ---- what a run gets
    def registry(self) -> SandboxRegistry:
        """The connections of a run: the sandbox link, and any other link name bound on first use."""
        if self._registry is None:
            self._registry = SandboxRegistry.for_fakes(self.oauth, self.zoho.url, self.notice)
        return self._registry

    def router(self, url: str, connection: str | None = None) -> str:
        """``runtime.url_router``: see `sandbox.hosts.Router`."""
        return Router(self.zoho.url, stubs=self.zoho.stubs, bind=self._bind)(url, connection)

    def _bind(self, link: str, service: str) -> None:
        self.registry().bind(link, service)

    def install(self, runtime: Any) -> None:
        """Point a runtime at the sandbox: its connections, its URL router, its Creator record store."""
        runtime.connections, runtime.connections_loader = self.registry(), None
        runtime.redact = self.registry().redactor.redact
        runtime.url_router = self.router
        runtime.creator_store = self.creator_store()

    def creator_store(self) -> CreatorRecordStore:
        """The store Creator's own statements use: the fake Creator's forms (``creator/<Form>``)."""
        return CreatorRecordStore(self.zoho.store)

    def serve_functions(self, script: str | Path) -> None:
        """Answer ``/crm/{v}/functions/NAME/actions/execute`` by running NAME from this script file.

        Each call runs on a fresh runtime wired to the sandbox (its info lines are dropped);
        the function's return value is the answer's ``output``."""
        from ..interpreter import Interpreter, read_script
        from ..runtime import Runtime

        def call(name: str, arguments: dict[str, Any]) -> Any:
            runtime = Runtime(info=lambda line: None)
            interpreter = Interpreter(runtime)
            self.install(runtime)
            try:
                loaded = interpreter.load(read_script(script), str(script))
                wanted = name.lower()
                fn = next((f for f in loaded.program.functions
                           if wanted in (f.name.lower(), f.full_name.lower())), None)
                if fn is None:
                    raise LookupError(name)
                given = {str(k).lower(): v for k, v in arguments.items()}
                values = [given.get(p.name.name.lower()) for p in fn.params]
                return interpreter.execute(loaded, call=fn.full_name, call_args=values).value
            finally:
                runtime.close()

        self.zoho.functions = call

    def report(self) -> list[str]:
        """What the run left in the fakes that a user would want to see: Cliq posts, CRM actions."""
        lines = []
        for number, message in enumerate(self.zoho.messages(), start=1):
            body = message.get("message") or {}
            text = body.get("text") if isinstance(body, dict) else body
            via = f" as bot {message['bot']}" if message.get("bot") else ""
            lines.append(f"--- cliq message {number} to {message.get('to')}{via} ---")
            lines.append(str(text if text is not None else json.dumps(body)))
        actions = self.zoho.store.all(ACTIONS) if self.zoho.store.resolve_module(ACTIONS) else []
        for number, action in enumerate(actions, start=1):
            where = f" on {action['module']} {action['record_id']}" if action.get("record_id") else \
                f" on {action['module']}" if action.get("module") else ""
            lines.append(f"--- crm action {number}: {action['action']}{where} (recorded, not performed) ---")
        return lines

    def stop(self) -> None:
        self.zoho.close()
        self.oauth.stop()
        if self._own_dir and self.config_dir.exists():
            for file in self.config_dir.glob("*"):
                file.unlink()
            self.config_dir.rmdir()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def describe(self) -> list[str]:
        counts = {module: len(self.zoho.records(module)) for module in ("Leads", "Contacts", "Deals", "Accounts")}
        base = self.zoho.url
        return [
            f"fake Zoho CRM:    {base}/crm/v2/  ({', '.join(f'{n} {m}' for m, n in counts.items())})",
            f"fake Creator:     {base}/creator/v2.1/data/OWNER/APP/report/REPORT",
            f"fake Books:       {base}/books/v3/  (and Inventory: {base}/inventory/v1/)",
            f"fake Desk:        {base}/desk/api/v1/",
            f"fake Cliq:        {base}/cliq/api/v2/",
            f"fake WorkDrive:   {base}/workdrive/api/v1/",
            f"fake Projects:    {base}/projects/restapi/portal/ID/...  (SalesIQ: {base}/salesiq/api/v2/SCREEN/...)",
            f"fake Sheet:       {base}/sheet/api/v2/RESOURCE_ID  (method=worksheet.records.fetch|add|update)",
            f"fake OAuth:       {self.oauth.url}",
            f"config:           {self.config_path}  (connections {', '.join(CONFIG_SERVICES)})",
            f"run a script:     deluge-lite run --config {self.config_path} script.dg",
        ]


def _db_path(db: str | None) -> str:
    if db is None:
        return ":memory:"
    path = Path(db)
    if path.exists() and not path.is_file():
        raise UsageError(f"--db '{db}' is not a file")
    if not path.parent.is_dir():
        raise UsageError(f"--db '{db}': the folder '{path.parent}' does not exist")
    return str(path)


def parse_module_spec(spec: str) -> tuple[str, list[str]]:
    """``--module Projects:Name,Budget`` -> ("Projects", ["Name", "Budget"]) (the fields are mandatory)."""
    match = _MODULE_SPEC.match(spec.strip())
    if match is None:
        raise UsageError(f"--module '{spec[:60]}' must be NAME or NAME:FIELD,FIELD (API names: letters, digits "
                         "and _, starting with a letter)")
    return match.group(1), [f for f in (match.group(2) or "").split(",") if f]


def read_stubs(specs: list[str] | tuple[str, ...]) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    """``--stub URL_PREFIX=FILE.json`` values -> ([(prefix, answer)], {connector name: answer}).

    ``connector:NAME=FILE.json`` answers ``zoho.crm.invokeConnector("NAME", ...)``."""
    urls: list[tuple[str, Any]] = []
    connectors: dict[str, Any] = {}
    for spec in specs:
        prefix, sep, file = spec.rpartition("=")
        if not sep or not prefix or not file:
            raise UsageError(f"--stub '{spec[:80]}' must be URL_PREFIX=FILE.json (or connector:NAME=FILE.json)")
        answer = _read_stub(file)
        if prefix.startswith("connector:") and len(prefix) > len("connector:"):
            connectors[prefix[len("connector:"):]] = answer
        elif prefix.lower().startswith(("http://", "https://")):
            urls.append((prefix, answer))
        else:
            raise UsageError(f"--stub '{prefix[:80]}': the prefix must start with http:// or https:// "
                             "(or be connector:NAME)")
    return sorted(urls, key=lambda item: -len(item[0])), connectors  # the longest prefix wins


def _read_stub(file: str) -> Any:
    path = Path(file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"stub file '{file}' does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"stub file '{file}' is a folder, not a file") from None
    except OSError as error:
        raise UsageError(f"cannot read stub file '{file}': {error.strerror or error}") from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        line = getattr(error, "lineno", None)
        raise UsageError(f"stub file '{file}' is not valid JSON{f' (line {line})' if line else ''}; it must hold "
                         "the JSON answer of the call") from None


__all__ = ["SANDBOX_LINK", "Sandbox", "parse_module_spec", "read_stubs"]
