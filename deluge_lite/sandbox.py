"""The local sandbox: a fake Zoho CRM and its fake OAuth provider, and a connection to them.

`Sandbox` starts both servers on 127.0.0.1 (the CRM accepts only tokens the provider
issued), seeds the CRM (a JSON or CSV file, or generated sample Leads/Contacts/Deals),
and writes a ready ``deluge.toml`` whose ``zoho_crm`` connection points at them, with a
refresh token the provider issued, so scripts run with no Zoho account. The CLI uses it
for ``deluge-lite sandbox`` (runs until Ctrl-C) and ``deluge-lite run --sandbox`` (one run).

Bad input is a `UsageError` (exit 2) raised before any server starts: a seed file that is
missing, binary, not JSON/CSV or not shaped like records, a port outside 0..65535, a
port already taken. The config folder is private (0700) and ``deluge.toml`` 0600: it holds
a refresh token.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .connections.private_files import private_dir, write_private_text
from .errors import UsageError
from .testing.fake_crm import FakeZohoCRM
from .testing.fake_crm_store import SeedError, read_seed_file
from .testing.fake_oauth import DEFAULT_CLIENTS, FakeOAuthProvider

SANDBOX_LINK = "zoho_crm"


class Sandbox:
    """Both fakes plus the config that connects to them; a context manager."""

    def __init__(self, *, seed: str | None = None, port: int = 0, sample: int = 25,
                 config_dir: Path | None = None) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise UsageError(f"--port must be a whole number from 0 (any free port) to 65535, not {port!r}")
        self.oauth = FakeOAuthProvider()
        self.crm = FakeZohoCRM.with_oauth(self.oauth, port=port)
        self.seed = seed
        self.sample = sample
        self._own_dir = config_dir is None
        self.config_dir = config_dir or Path(tempfile.mkdtemp(prefix="deluge-lite-sandbox-"))
        self.config_path = self.config_dir / "deluge.toml"

    def start(self) -> Sandbox:
        try:
            records = read_seed_file(self.seed) if self.seed else None
        except SeedError as error:
            raise UsageError(str(error)) from None
        try:
            self.oauth.start()
            self.crm.start()
        except OSError as error:
            self.stop()
            raise UsageError(f"cannot start the sandbox on 127.0.0.1:{self.crm.port} "
                             f"({error.strerror or error}); pick another --port") from None
        try:
            if records is not None:
                self.crm.store.seed_from(records)
            else:
                self.crm.seed_sample(self.sample)
            self.write_config()
        except BaseException:
            self.stop()
            raise
        return self

    def write_config(self) -> Path:
        client_id, client_secret = next(iter(DEFAULT_CLIENTS.items()))
        _, refresh_token = self.oauth.issue_tokens(client_id, scope="ZohoCRM.modules.ALL")
        private_dir(self.config_dir)
        write_private_text(self.config_path,
            "# Written by deluge-lite sandbox: a connection to the local fake Zoho CRM.\n"
            f"[connections.{SANDBOX_LINK}]\n"
            'display_name = "Sandbox CRM"\n'
            'service = "zoho_crm"\n'
            f'client_id = "{client_id}"\n'
            f'client_secret = "{client_secret}"\n'
            f'refresh_token = "{refresh_token}"\n'
            f'accounts_server = "{self.oauth.url}"\n'
            f'api_domain = "{self.crm.url}"\n')
        return self.config_path

    def stop(self) -> None:
        self.crm.stop()
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
        counts = {module: len(self.crm.records(module)) for module in ("Leads", "Contacts", "Deals", "Accounts")}
        return [
            f"fake Zoho CRM:    {self.crm.url}/crm/v2/  ({', '.join(f'{n} {m}' for m, n in counts.items())})",
            f"fake OAuth:       {self.oauth.url}",
            f"config:           {self.config_path}  (connection '{SANDBOX_LINK}')",
            f"run a script:     deluge-lite run --config {self.config_path} script.dg",
        ]
