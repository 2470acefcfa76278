"""The local sandbox: a fake Zoho CRM and its fake OAuth provider, and a connection to them.

`Sandbox` starts both servers on 127.0.0.1 (the CRM accepts only tokens the provider
issued), seeds the CRM (a JSON or CSV file, or generated sample Leads/Contacts/Deals),
and writes a ready ``deluge.toml`` whose ``zoho_crm`` connection points at them, with a
refresh token the provider issued, so scripts run with no Zoho account. The CLI uses it
for ``deluge-lite sandbox`` (runs until Ctrl-C) and ``deluge-lite run --sandbox`` (one run).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .testing.fake_crm import FakeZohoCRM
from .testing.fake_oauth import DEFAULT_CLIENTS, FakeOAuthProvider

SANDBOX_LINK = "zoho_crm"


class Sandbox:
    """Both fakes plus the config that connects to them; a context manager."""

    def __init__(self, *, seed: str | None = None, port: int = 0, sample: int = 25,
                 config_dir: Path | None = None) -> None:
        self.oauth = FakeOAuthProvider()
        self.crm = FakeZohoCRM.with_oauth(self.oauth, port=port)
        self.seed = seed
        self.sample = sample
        self._own_dir = config_dir is None
        self.config_dir = config_dir or Path(tempfile.mkdtemp(prefix="deluge-lite-sandbox-"))
        self.config_path = self.config_dir / "deluge.toml"

    def start(self) -> Sandbox:
        self.oauth.start()
        self.crm.start()
        if self.seed:
            self.crm.seed_file(self.seed)
        else:
            self.crm.seed_sample(self.sample)
        self.write_config()
        return self

    def write_config(self) -> Path:
        client_id, client_secret = next(iter(DEFAULT_CLIENTS.items()))
        _, refresh_token = self.oauth.issue_tokens(client_id, scope="ZohoCRM.modules.ALL")
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            "# Written by deluge-lite sandbox: a connection to the local fake Zoho CRM.\n"
            f"[connections.{SANDBOX_LINK}]\n"
            'display_name = "Sandbox CRM"\n'
            'service = "zoho_crm"\n'
            f'client_id = "{client_id}"\n'
            f'client_secret = "{client_secret}"\n'
            f'refresh_token = "{refresh_token}"\n'
            f'accounts_server = "{self.oauth.url}"\n'
            f'api_domain = "{self.crm.url}"\n', encoding="utf-8")
        self.config_path.chmod(0o600)
        return self.config_path

    def stop(self) -> None:
        self.crm.stop()
        self.oauth.stop()
        if self._own_dir:
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
