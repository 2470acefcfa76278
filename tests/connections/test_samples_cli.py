"""Sample code as Zoho's Connection Summary shows it, and a CLI that keeps going (issue 15, items 1 and 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from connhelpers import Cli, cli_env, oauth2_service

from deluge_lite import parse
from deluge_lite.connections.catalog import load_catalog
from deluge_lite.connections.config import parse_connection
from deluge_lite.connections.samples import TASK_SAMPLES, deluge_sample
from deluge_lite.testing import FakeOAuthProvider


def test_every_default_service_has_a_sample_row() -> None:
    assert set(TASK_SAMPLES) == set(load_catalog().services)


@pytest.mark.parametrize("service", sorted(TASK_SAMPLES))
def test_each_sample_is_deluge_that_parses(service: str) -> None:
    catalog = load_catalog()
    conn = parse_connection("main_link", {"service": service, "client_id": "cid", "data_center": "eu"},
                            catalog.services, catalog, where="test")
    code = deluge_sample(conn)
    parse(code, "sample.dg")
    assert 'connection: "main_link"' in code and "https://www.zohoapis.eu" + conn.service.api_path in code
    if TASK_SAMPLES[service][1] is not None:
        assert "zoho." in code and '"main_link")' in code


def test_show_sample_prints_deluge_and_json_with_secrets_masked(home: Path, tmp_path: Path) -> None:
    (tmp_path / "deluge.toml").write_text(
        '[connections.crm]\nservice = "zoho_crm"\nclient_id = "1000.CID"\nclient_secret = "Sekret-Client-77"\n'
        'refresh_token = "1000.Refresh-Secret-88"\n')
    cli = Cli(home, tmp_path)
    out = cli("show", "crm", "--sample").stdout
    assert 'url: "https://www.zohoapis.com/crm/v8/Leads?per_page=10"' in out
    assert 'zoho.crm.getRecords("Leads", 1, 10, Map(), "crm")' in out
    doc = json.loads(out[out.index("JSON:") + len("JSON:"):])
    assert doc["connection_link_name"] == "crm" and doc["client_secret"] == "****"
    assert doc["allowed_hosts"][:2] == ["*.zohoapis.com", "*.zoho.com"]
    assert "Sekret-Client-77" not in out and "Refresh-Secret-88" not in out


def test_add_prints_the_sample_and_oauth1_with_a_token_needs_no_flow_urls(home: Path, tmp_path: Path) -> None:
    cli = Cli(home, tmp_path)
    out = cli("add", "--link", "tw", "--auth-type", "oauth1", "--consumer-key", "ck", "--consumer-secret",
              "cs-Secret-1", "--token", "tok-1", "--token-secret", "ts-Secret-2", "--api-domain",
              "https://api.example.com", "--no-input").stdout
    assert "added connection 'tw'" in out and "authorize" not in out.splitlines()[0]
    assert 'url: "https://api.example.com/"' in out and '"consumer_secret": "****"' in out
    assert "cs-Secret-1" not in out and "ts-Secret-2" not in out
    assert "authorized" in cli("list").stdout
    missing = cli("add", "--link", "tw2", "--auth-type", "oauth1", "--consumer-key", "ck", "--consumer-secret",
                  "cs", "--no-input", expect=1).stderr
    assert "missing --request-token-url" in missing  # without a token the flow URLs are needed


def test_api_key_values_are_asked_by_their_display_names(home: Path, tmp_path: Path) -> None:
    cli = Cli(home, tmp_path)
    result = cli("add", "--link", "weather", "--auth-type", "api_key", "--display-name", "Weather",
                 "--param", "appid:query:App ID", "--param", "X-Key:header", stdin="Weather-Secret-1\nKey-Secret-2\n")
    assert "Value of App ID: " in result.stderr and "Value of X-Key: " in result.stderr
    explained = cli("explain", "weather").stdout
    assert "query parameter ?appid=****" in explained and "header X-Key: ****" in explained
    assert "Weather-Secret-1" not in result.stdout + explained


def test_trace_shows_token_requests_without_secrets(home: Path, tmp_path: Path, provider: FakeOAuthProvider) -> None:
    _, refresh = provider.issue_tokens()
    config = tmp_path / "deluge.toml"
    config.write_text(oauth2_service(provider) + f'[connections.acme_main]\nservice = "acme"\nrefresh_token = "{refresh}"\n')
    script = tmp_path / "t.dg"
    script.write_text(f'r = invokeurl [ url: "{provider.echo_url}" type: GET connection: "acme_main" ];\ninfo r.get("method");\n')
    done = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--trace", "--config", str(config), str(script)],
                          capture_output=True, text=True, timeout=60, env=cli_env(home), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    token_lines = [line for line in done.stderr.splitlines() if line.startswith("trace: token POST")]
    assert len(token_lines) == 1, done.stderr
    assert f"{provider.token_url} grant=refresh_token -> ok (" in token_lines[0]
    assert token_lines[0].endswith("connection=acme_main")
    assert refresh not in done.stderr + done.stdout and "test-secret" not in done.stderr


def test_store_status_on_sqlite_shows_budget_and_the_lock_holder(home: Path, tmp_path: Path,
                                                                 provider: FakeOAuthProvider) -> None:
    _, refresh = provider.issue_tokens(scope="ZohoCRM.modules.ALL")
    (tmp_path / "deluge.toml").write_text(
        f'[connections.crm]\nservice = "zoho_crm"\nclient_id = "test-client"\nclient_secret = "test-secret"\n'
        f'accounts_server = "{provider.url}"\nscopes = ["ZohoCRM.modules.ALL"]\nrefresh_token = "{refresh}"\n')
    cli = Cli(home, tmp_path)
    cli("test", "crm", "--refresh")
    cli("test", "crm", "--refresh")
    holder = subprocess.Popen([sys.executable, "-c", "import time\nfrom deluge_lite.connections.store import Store\n"
                               "s = Store.open()\ns.try_lease('crm')\nprint('held', flush=True)\ntime.sleep(30)\n"],
                              env=cli_env(home), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        status = cli("store", "status").stdout
    finally:
        holder.kill()
        holder.wait()
    assert f"backend:      the SQLite store {home / 'connections.db'}" in status
    row = next(line for line in status.splitlines() if line.startswith("crm "))
    assert "2/10 per 10 min" in row and f"process {holder.pid} on" in row
