"""``deluge-lite connections ...`` end to end, as subprocesses, with secrets searched for in every output."""

from __future__ import annotations

from pathlib import Path

import pytest
from connhelpers import HTTP, Cli

from deluge_lite.testing import FakeOAuthProvider

SECRETS = ["api-key-SECRET-1", "basic-pass-SECRET-2", "test-secret"]


@pytest.fixture
def config(provider: FakeOAuthProvider, tmp_path: Path) -> Path:
    path = tmp_path / "deluge.toml"
    path.write_text(f'''
[services.acme]
display_name = "Acme"
auth_type = "oauth2"
client_id = "test-client"
client_secret = "${{ACME_SECRET}}"
authorize_url = "{provider.authorize_url}"
token_url = "{provider.token_url}"

[connections.acme_main]
display_name = "Acme main"
service = "acme"
scopes = ["read", "write"]
''')
    return path


def test_cli_lifecycle_without_leaking_secrets(provider: FakeOAuthProvider, config: Path, home: Path,
                                               tmp_path: Path) -> None:
    cli = Cli(home, tmp_path, ACME_SECRET="test-secret")
    cli("connections", "add", "--link", "my_api", "--display-name", "My API", "--auth-type", "api_key",
        "--param", "appid:query", "--value", f"appid={SECRETS[0]}", "--no-input", proc=True)
    # interactive: link, display name, service/auth type, username, password
    cli("add", stdin=f"bas\n\nbasic\nalice\n{SECRETS[1]}\n", proc=True)
    listing = cli("list", proc=True).stdout
    assert "acme_main" in listing and "needs authorization" in listing
    assert "my_api" in listing and "bas" in listing
    shown = cli("show", "bas").stdout
    assert "password:" in shown and "****" in shown
    assert "****" in cli("explain", "my_api").stdout
    explained = cli("explain", "acme_main").stdout
    assert "Authorization: Bearer ****" in explained and "test-secret" not in explained

    flow = cli.popen("authorize", "acme_main", "--no-browser")
    assert flow.stdout is not None and flow.stdin is not None
    url = ""
    while "/oauth/authorize?" not in url:
        url = flow.stdout.readline()
        assert url, flow.stderr.read() if flow.stderr else ""
    location = HTTP.get(url.split()[-1], follow_redirects=False).headers["location"]
    out, err = flow.communicate(location + "\n", timeout=60)
    cli.transcript += [url, out, err]
    assert flow.returncode == 0, err
    assert "authorized 'acme_main'" in out

    tested = cli("test", "acme_main", "--url", provider.echo_url, proc=True).stdout
    assert "still valid" in tested and "HTTP 200" in tested
    assert "HTTP 200" in cli("test", "my_api", "--url", provider.echo_url).stdout
    assert "HTTP 200" in cli("test", "bas", "--url", provider.echo_url).stdout
    assert "fetched a new access token" in cli("test", "acme_main", "--refresh").stdout
    assert provider.counters.code == 1 and provider.refresh_count == 1

    cli("remove", "my_api")
    assert "unknown connection 'my_api'" in cli("show", "my_api", expect=1).stderr
    assert "definition stays" in cli("remove", "acme_main").stdout

    transcript = "".join(cli.transcript)
    store_bytes = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for secret in SECRETS:
        assert secret not in transcript
        assert secret.encode() not in store_bytes


def test_cli_self_client_code(provider: FakeOAuthProvider, home: Path, tmp_path: Path) -> None:
    (tmp_path / "deluge.toml").write_text(
        f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\nclient_secret = "test-secret"\n'
        f'accounts_server = "{provider.url}"\n')
    cli = Cli(home, tmp_path)
    out = cli("authorize", "crm", "--code", provider.issue_code()).stdout
    assert "authorized 'crm'" in out
    assert "authorized" in cli("list").stdout


def test_cli_errors_and_exit_codes(home: Path, tmp_path: Path, config: Path) -> None:
    cli = Cli(home, tmp_path)
    listed = cli("list").stdout  # the listing goes on; the connection says what is missing
    assert "acme_main" in listed and "unusable: ${ACME_SECRET} is not set" in listed
    unset = cli("show", "acme_main", expect=1).stderr
    assert unset.startswith("error: deluge.toml: [services.acme]")
    assert "environment variable ACME_SECRET is not set" in unset
    cli.env["ACME_SECRET"] = "test-secret"
    bad = cli("add", "--link", "Bad-Name", "--service", "acme", "--no-input", expect=1).stderr
    assert "must start with a lowercase letter" in bad
    assert "did you mean 'acme_main'" in cli("show", "acme_mian", expect=1).stderr
    assert "unknown service" in cli("add", "--link", "x", "--service", "acme2", "--no-input", expect=1).stderr
    assert "missing --username" in cli("add", "--link", "y", "--auth-type", "basic", "--no-input",
                                       expect=1).stderr
    cli("frobnicate", expect=2, proc=True)
    cli("show", expect=2)
    other = tmp_path / "other.toml"
    other.write_text('[connections.other_link]\nservice = "zoho_crm"\nclient_id = "c"\n')
    assert "other_link" in cli("--config", str(other), "list").stdout
    assert "zoho_crm" in cli("services").stdout


def test_cli_wrong_key_and_corrupt_store(home: Path, tmp_path: Path) -> None:
    cli = Cli(home, tmp_path)
    cli("add", "--link", "k", "--auth-type", "basic", "--username", "u", "--password", "pw-SECRET-9",
        "--no-input")
    cli.env["DELUGE_LITE_KEY"] = "a different key"
    assert "encrypted with another key" in cli("list", expect=1, proc=True).stderr
    store = home / "connections.db"
    store.write_bytes(b"garbage" * 50)
    assert "damaged" in cli("list", expect=1).stderr
    assert store.read_bytes() == b"garbage" * 50


def test_fake_oauth_command(home: Path, tmp_path: Path) -> None:
    server = Cli(home, tmp_path).popen("fake-oauth", "--port", "0")
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("fake OAuth provider on http://127.0.0.1:")
        url = first.split()[-1]
        assert HTTP.get(url + "/stats").json()["refresh"] == 0
    finally:
        server.terminate()
        server.communicate(timeout=30)
