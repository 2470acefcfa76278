"""zoho.* tasks from the catalog, end to end: fake OAuth provider + fake Zoho CRM over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deluge_lite import DelugeRuntimeError
from deluge_lite.net.tasks import load_catalog
from deluge_lite.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(sample=12, config_dir=tmp_path / "sandbox") as running:
        yield running


@pytest.fixture
def crm_runner(sandbox: Sandbox, make_registry, make_runner):  # type: ignore[no-untyped-def]
    return make_runner(make_registry(sandbox.config_path.read_text()))


def test_get_records_and_record_by_id(crm_runner, sandbox: Sandbox) -> None:
    first = sandbox.crm.records("Leads")[0]
    lines = crm_runner.run(f'''
leads = zoho.crm.getRecords("Leads", 1, 5);
info leads.size();
one = zoho.crm.getRecordById("Leads", "{first['id']}");
info one.get("Last_Name");
info zoho.crm.v8.getRecordById("Leads", "{first['id']}").get("id");
''')
    assert lines == ["5", first["Last_Name"], first["id"]]
    assert [call.status for call in crm_runner.runtime.http_log] == [200, 200, 200]
    assert "/crm/v8/Leads/" in crm_runner.runtime.http_log[-1].url


def test_create_update_delete_return_details_and_errors(crm_runner, sandbox: Sandbox) -> None:
    lines = crm_runner.run('''
created = zoho.crm.createRecord("Leads", {"Last_Name": "Ada", "Company": "Engines"});
id = created.get("id");
info id.length() > 10;
updated = zoho.crm.updateRecord("Leads", id, {"Company": "Analytical"});
info updated.get("id") == id;
info zoho.crm.getRecordById("Leads", id).get("Company");
bad = zoho.crm.createRecord("Leads", {"Company": "No last name"});
info bad.get("code");
info bad.get("status");
gone = zoho.crm.deleteRecord("Leads", id);
info gone.get("id") == id;
''')
    assert lines == ["true", "true", "Analytical", "MANDATORY_NOT_FOUND", "error", "true"]
    assert all(record.get("Last_Name") != "Ada" for record in sandbox.crm.records("Leads"))


def test_search_related_upsert_and_bulk(crm_runner, sandbox: Sandbox) -> None:
    contact = sandbox.crm.records("Contacts")[0]
    lines = crm_runner.run(f'''
found = zoho.crm.searchRecords("Contacts", "(Last_Name:equals:{contact['Last_Name']})");
info found.get(0).get("Last_Name");
none = zoho.crm.searchRecords("Contacts", "(Last_Name:equals:Nobody-Here)");
info none.size();
deals = zoho.crm.getRelatedRecords("Deals", "Contacts", "{contact['id']}");
info deals.isEmpty() == false || deals.size() == 0;
up = zoho.crm.upsert("Contacts", {{"Last_Name": "Upserted", "Email": "up@example.com"}});
info up.get("id").length() > 10;
bulk = zoho.crm.bulkCreate("Leads", {{{{"Last_Name": "B1"}}, {{"Last_Name": "B2"}}}});
info bulk.get("data").size();
''')
    assert lines == [contact["Last_Name"], "0", "true", "true", "2"]


def test_invalid_module_returns_the_error_map(crm_runner) -> None:
    lines = crm_runner.run('r = zoho.crm.getRecords("NoSuchModule");\ninfo r.get("code");')
    assert lines == ["INVALID_MODULE"]


def test_expired_token_is_refreshed_once(crm_runner, sandbox: Sandbox) -> None:
    crm_runner.run('x = zoho.crm.getRecords("Leads", 1, 1);')
    before = sandbox.oauth.refresh_count
    sandbox.oauth.expire_access_tokens()
    lines = crm_runner.run('info zoho.crm.getRecords("Leads", 1, 2).size();')
    assert lines == ["2"]
    assert sandbox.oauth.refresh_count == before + 1


def test_task_without_a_connection_says_how_to_add_one(make_runner) -> None:
    runner = make_runner()
    with pytest.raises(DelugeRuntimeError, match="needs a connection") as caught:
        runner.run('x = 1;\nr = zoho.crm.getRecords("Leads");')
    assert caught.value.line == 2


def test_catalog_books_and_desk_tasks_build_their_requests(make_registry, make_runner, echo_server) -> None:
    registry = make_registry(f'''
[connections.zoho_books]
display_name = "Books"
service = "zoho_books"
client_id = "c"
client_secret = "s"
access_token = "tok-books-123456"
api_domain = "{echo_server.url}"

[connections.desk]
display_name = "Desk"
service = "zoho_desk"
client_id = "c"
client_secret = "s"
access_token = "tok-desk-123456"
api_domain = "{echo_server.url}"
''')
    runner = make_runner(registry)
    lines = runner.run('''
r = zoho.books.getRecords("invoices", "700", {"status": "overdue"});
info r.get("path") + " " + r.get("query");
c = zoho.books.createRecord("contacts", "700", {"contact_name": "Ada"});
info c.get("method") + " " + c.get("body");
d = zoho.desk.getRecordById("55", "tickets", "9", "desk");
info d.get("path");
''')
    assert lines == ['/books/v3/invoices {"organization_id":"700","status":"overdue"}',
                     'POST {"contact_name":"Ada"}', "/api/v1/tickets/9"]
    desk_request = echo_server.seen[-1]
    assert desk_request.headers["orgid"] == "55"
    assert desk_request.headers["authorization"] == "Zoho-oauthtoken tok-desk-123456"


def test_every_catalog_task_is_known_to_check() -> None:
    from deluge_lite import Interpreter

    interpreter = Interpreter()
    for name in load_catalog():
        assert name in interpreter.known.tasks


def test_run_sandbox_example_end_to_end() -> None:
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--sandbox", "--trace",
                           str(ROOT / "examples" / "crm_leads.dg")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Scored 25 leads; ")
    assert "trace: GET https://www.zohoapis.com/crm/v2/Leads?page=1&per_page=50 -> 200" in proc.stderr
    assert "--- mail 1" in proc.stderr
    assert "Zoho-oauthtoken" not in proc.stderr


def test_sandbox_command_writes_a_working_config(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "deluge_lite", "sandbox", "--dir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline()]  # type: ignore[union-attr]
        while not lines[-1].startswith("press Ctrl-C") and lines[-1] and len(lines) < 20:
            lines.append(proc.stdout.readline())  # type: ignore[union-attr]
        assert lines[0].startswith("fake Zoho CRM:") and lines[-1].startswith("press Ctrl-C")
        assert any(line.startswith("fake Creator:") for line in lines)
        config = tmp_path / "deluge.toml"
        assert (config.stat().st_mode & 0o777) == 0o600
        script = tmp_path / "count.dg"
        script.write_text('info zoho.crm.getRecords("Contacts").size() > 0;\n')
        run = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--config", str(config), str(script)],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stdout == "true\n"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_catalog_entries_are_well_formed() -> None:
    catalog = load_catalog()
    assert "zoho.crm.v8.getrecords" in catalog and "zoho.books.getrecords" in catalog
    for spec in catalog.values():
        placeholders = {part.split("}")[0] for part in spec.path.split("{")[1:]}
        path_args = {arg.name for arg in spec.args if arg.to == "path"}
        assert placeholders == path_args, spec.name
        assert spec.result.split(":")[0] in {"list", "record", "write", "raw", "record_key"}
        assert json.dumps(spec.signature)
