"""Bad config and bad command-line input get a clear one-line error, never a traceback (issue 13).

``deluge.toml`` with a wrong type anywhere, a non-table where a table belongs, or bytes
that are not UTF-8; ``--seed`` files that are missing, binary, not JSON or the wrong
shape; ports out of range; a URL that does not parse. Each message names the key or the
file and what was wrong, and no message names a Python class. The command-line cases run
the real CLI in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from deluge_lite.connections import ConnectionConfigError
from deluge_lite.connections.catalog import load_catalog
from deluge_lite.connections.config import load_config

KEY = "bXZrV0V0b2tlbi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="
ROOT = Path(__file__).resolve().parents[2]
# Python's words for what TOML calls text, an integer, a table...: never in a message
PYTHON_WORDS = re.compile(r"Traceback|Error\b|\b(int|str|dict|NoneType|bool|float|tuple)\b|'\w+' object|<class")

OAUTH = '[services.s]\nauth_type = "oauth2"\ntoken_url = "https://x.test/t"\n'
CONN = '[connections.c]\nservice = "zoho_crm"\nclient_id = "id"\n'
CASES = [
    # (TOML, words the one-line message must contain)
    ('service = ["a"]', ["'service'", "services"]),
    ("defaults = 5", ["defaults", "table", "an integer"]),
    ("services = 5", ["services", "table"]),
    ('services = ["a"]', ["services", "a list"]),
    ("connections = true", ["connections", "a boolean"]),
    ("[connections]\nx = 5", ["connections.x", "table"]),
    ("[services]\nx = \"y\"", ["services.x", "table"]),
    ('[connections.x]\nservice = ["a"]', ["[connections.x]", "service", "text", "a list"]),
    ('[connections.x]\nservice = 5', ["service", "text", "an integer"]),
    ("[services.s]\nauth_type = 5", ["[services.s]", "auth_type", "an integer"]),
    ('[services.s]\nauth_type = ["oauth2"]', ["auth_type", "a list"]),
    ('[services.s]\nauth_type = "api_key"\nparams = "x"', ["params", "list", "text"]),
    ('[services.s]\nauth_type = "api_key"\nparams = [5]', ["params[0]", "table", "an integer"]),
    ('[services.s]\nauth_type = "api_key"\n[[services.s.params]]\nname = 5', ["params[0]", "name", "an integer"]),
    ('[services.s]\nauth_type = "api_key"\n[[services.s.params]]\nname = "k"\nparam_type = 1',
     ["param_type", "an integer"]),
    (OAUTH + "scope_delimiter = 5", ["scope_delimiter", "text", "an integer"]),
    (OAUTH + "scopes = [1]", ["scopes[0]", "an integer"]),
    (OAUTH + "scopes = 7", ["scopes", "an integer"]),
    (OAUTH + "authorize_params = 3", ["authorize_params", "table"]),
    (OAUTH + "authorize_params = { a = [1] }", ["authorize_params.a", "a list"]),
    (OAUTH + "display_name = 5", ["display_name", "an integer"]),
    (OAUTH + "grant_type = 2.5", ["grant_type", "a decimal number"]),
    (OAUTH + "client_id = {a = 1}", ["client_id", "a table"]),
    ('[services.s]\nauth_type = "oauth2"\ntoken_url = ["x"]', ["token_url", "a list"]),
    (OAUTH + "api_domain = 1979-05-27", ["api_domain", "a date"]),
    (CONN + "display_name = 5", ["display_name", "an integer"]),
    (CONN + "data_center = 1979-05-27T07:32:00Z", ["data_center", "a date-time"]),
    (CONN + "expires_at = true", ["expires_at", "a boolean"]),
    (CONN + 'expires_at = "soon"', ["expires_at", "text"]),
    (CONN + "values = 3", ["values", "table", "an integer"]),
    (CONN + "values = { k = 3 }", ["values.k", "an integer"]),
    (CONN + "refresh_token = 12", ["refresh_token", "an integer"]),
    (CONN + "scopes = { a = 1 }", ["scopes", "a table"]),
    ("[defaults]\nzoho_crm = 5\n" + CONN, ["[defaults] zoho_crm", "an integer"]),
    ('[defaults]\nzoho_crn = "c"\n' + CONN, ["zoho_crn", "unknown service", "zoho_crm"]),
    ('[defaults]\nzoho_crm = "d"\n' + CONN, ["unknown connection 'd'"]),
]


@pytest.mark.parametrize(("toml", "words"), CASES, ids=[c[0].replace("\n", "|")[:60] for c in CASES])
def test_every_config_value_is_type_checked_with_the_key_named(tmp_path: Path, toml: str, words: list[str]) -> None:
    path = tmp_path / "deluge.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConnectionConfigError) as caught:
        load_config(path, load_catalog(), env={})
    message = caught.value.message
    assert message.startswith("deluge.toml: ") and "\n" not in message, message
    for word in words:
        assert word in message, (word, message)
    assert not PYTHON_WORDS.search(message), message


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DELUGE_LITE_")},
           "DELUGE_LITE_HOME": str(cwd / "home"), "DELUGE_LITE_KEY": KEY, "DELUGE_LITE_NO_KEYRING": "1",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "deluge_lite", *args], capture_output=True, text=True,
                            timeout=60, env=env, cwd=cwd, errors="replace")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize(("content", "words"), [
    (b'service = ["a"]\n', ["deluge.toml", "'service'"]),
    (b"defaults = 5\n", ["deluge.toml", "defaults", "table"]),
    (b"[connections.x]\nservice = [\"a\"]\n", ["[connections.x]", "service"]),
    (b"\xff\xfe[connections]\n", ["deluge.toml", "UTF-8"]),
    (b"title = \"caf\xe9\"\n", ["deluge.toml", "UTF-8", "line 1"]),
    (b"[connections\n", ["deluge.toml", "TOML"]),
])
@pytest.mark.parametrize("command", [["connections", "list"], ["run", "script.dg"]])
def test_the_cli_reports_bad_config_in_one_line(tmp_path: Path, content: bytes, words: list[str],
                                                command: list[str]) -> None:
    (tmp_path / "deluge.toml").write_bytes(content)
    (tmp_path / "script.dg").write_text('r = invokeurl [ url: "http://127.0.0.1:9/" type: GET connection: "x" ];\n')
    result = _cli(*command, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    first = result.stderr.strip().splitlines()[0]
    for word in words:
        assert word in first, (word, result.stderr)
    assert not PYTHON_WORDS.search(first), first


def test_a_config_that_is_a_folder_or_a_device_is_refused(tmp_path: Path) -> None:
    for target in (str(tmp_path), "/dev/zero"):
        result = _cli("connections", "--config", target, "list", cwd=tmp_path)
        assert result.returncode == 1 and "not a regular file" in result.stderr, result.stderr


# ---- --seed
SEEDS = {
    "missing.json": (None, "does not exist"),
    "binary.json": (b"\x00\x01\x02\xff", "binary"),
    "latin1.json": (b'{"Leads": [{"Last_Name": "M\xfcller"}]}', "not UTF-8"),
    "not-json.json": (b"Leads: yes", "not valid JSON"),
    "list.json": (b"[1, 2]", "JSON object mapping module names"),
    "scalar-module.json": (b'{"Leads": 5}', "Leads must be a list of records"),
    "scalar-record.json": (b'{"Leads": [1]}', "Leads[0] must be a record"),
    "bad-module.json": (b'{"Leads; DROP": []}', "not a module API name"),
    "bad-id.json": (b'{"Leads": [{"id": {"x": 1}, "Last_Name": "A"}]}', "id must be"),
    "nul.csv": (b"First_Name,Last_Name\nA,\x00B\n", "binary"),
    "Leads.csv": (b"\xff\xfeF\x00i\x00", "binary"),  # UTF-16
    "Contacts.csv": (b"First_Name\n\xe9\n", "not UTF-8"),
    "folder": ("dir", "a folder"),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
@pytest.mark.parametrize("command", ["run", "sandbox"])
def test_bad_seed_files_are_usage_errors_naming_the_file(tmp_path: Path, name: str, command: str) -> None:
    content, words = SEEDS[name]
    seed = tmp_path / name
    if content == "dir":
        seed.mkdir()
    elif content is not None:
        seed.write_bytes(content)
    (tmp_path / "script.dg").write_text("info 1;\n")
    args = ["run", "--sandbox", "--seed", str(seed), "script.dg"] if command == "run" else \
        ["sandbox", "--seed", str(seed), "--dir", str(tmp_path / "sb")]
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("deluge-lite: error: "), result.stderr
    assert str(seed) in lines[0] and words in lines[0], lines[0]
    assert not (tmp_path / "sb" / "deluge.toml").exists()  # nothing started, nothing written


def test_seed_errors_from_the_fake_crm_api_name_the_file(tmp_path: Path) -> None:
    from deluge_lite.testing import FakeZohoCRM
    from deluge_lite.testing.fake_crm_store import SeedError

    seed = tmp_path / "seed.json"
    seed.write_text('{"Leads": [{"Last_Name": "ok"}, "not a record"]}')
    with FakeZohoCRM() as crm:
        with pytest.raises(SeedError, match=r"seed\.json.*Leads\[1\]"):
            crm.seed_file(seed)
        assert crm.records("Leads") == []  # checked whole before anything is stored


# ---- ports and URLs
@pytest.mark.parametrize("port", ["99999", "-5", "65536", "http", "1e3"])
@pytest.mark.parametrize("command", [["sandbox"], ["fake-oauth"], ["connections", "authorize", "x"]])
def test_ports_out_of_range_are_usage_errors(tmp_path: Path, port: str, command: list[str]) -> None:
    result = _cli(*command, f"--port={port}", cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "port" in lines[0], result.stderr


def test_a_port_that_is_taken_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _cli("sandbox", "--port", str(port), "--dir", str(tmp_path / "sb"), cwd=tmp_path)
    assert result.returncode == 2 and f"127.0.0.1:{port}" in result.stderr, result.stderr


@pytest.mark.parametrize("url", ["http://[::1", "http://exa mple.com/", "ftp://example.com/", "not a url",
                                 "http://:99999/"])
def test_connections_test_with_a_bad_url_is_a_clear_error(tmp_path: Path, url: str) -> None:
    (tmp_path / "deluge.toml").write_text('[services.k]\nauth_type = "api_key"\n[[services.k.params]]\n'
                                          'name = "appid"\n[connections.k]\nservice = "k"\n'
                                          'values = { appid = "Secret-Value-Foxtrot" }\n')
    result = _cli("connections", "test", "k", "--url", url, cwd=tmp_path)
    assert result.returncode in (1, 2), result.stderr
    assert re.search(r"not a valid URL|must be an http|cannot reach", result.stderr), result.stderr
    assert "Secret-Value-Foxtrot" not in result.stdout + result.stderr
