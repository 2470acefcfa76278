"""Every zoho.* task of the catalog, called from Deluge against the sandbox over real HTTP; `deluge-lite tasks`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from deluge_lite.data import data_path
from deluge_lite.sandbox import Sandbox

RAW = tomllib.loads(data_path("stdlib", "tasks.toml").read_text(encoding="utf-8"))

# Setup lines shared by the calls: a lead, a deal, a contact, a Creator order, Books and Desk records.
SETUP = '''
lead = zoho.crm.getRecords("Leads", 1, 1).get(0).get("id");
deal = zoho.crm.getRecords("Deals", 1, 1).get(0).get("id");
contact = zoho.crm.getRecords("Contacts", 1, 1).get(0).get("id");
order = zoho.creator.createRecord("o", "a", "Orders", {"Item": "Pen"}, Map(), "c").get("data").get("ID");
customer = zoho.books.createRecord("contacts", "1", {"contact_name": "X"}, "b").get("contact").get("contact_id");
item = zoho.inventory.createRecord("items", "1", {"name": "Bolt"}, "i").get("item").get("item_id");
ticket = zoho.desk.create("9", "tickets", {"subject": "Help"}, "d").get("id");
zoho.cliq.extension.setProperties({"region": "eu", "tier": "gold"}, "q");
'''
# task -> (a Deluge expression calling it, a Deluge condition on `r` that holds when it worked)
CALLS: dict[str, tuple[str, str]] = {
    "zoho.crm.getRecords": ('zoho.crm.getRecords("Leads", 1, 2)', "r.size() == 2"),
    "zoho.crm.getRecordById": ('zoho.crm.getRecordById("Leads", lead)', 'r.get("id") == lead'),
    "zoho.crm.createRecord": ('zoho.crm.createRecord("Leads", {"Last_Name": "New"})', 'r.get("id") != null'),
    "zoho.crm.updateRecord": ('zoho.crm.updateRecord("Leads", lead, {"City": "Oslo"})', 'r.get("id") == lead'),
    "zoho.crm.deleteRecord": ('zoho.crm.deleteRecord("Leads", lead)', 'r.get("id") == lead'),
    "zoho.crm.searchRecords": ('zoho.crm.searchRecords("Leads", "(Last_Name:starts_with:A)")', "r.size() >= 0"),
    "zoho.crm.getRelatedRecords": ('zoho.crm.getRelatedRecords("Deals", "Contacts", contact)', "r.size() >= 0"),
    "zoho.crm.upsert": ('zoho.crm.upsert("Leads", {"Last_Name": "U", "Email": "u@x.test"})', 'r.get("id") != null'),
    "zoho.crm.bulkCreate": ('zoho.crm.bulkCreate("Leads", {{"Last_Name": "B1"}, {"Last_Name": "B2"}})',
                            'r.get("data").size() == 2'),
    "zoho.crm.bulkUpdate": ('zoho.crm.bulkUpdate("Leads", {{"id": lead, "City": "Rome"}})',
                            'r.get("data").get(0).get("status") == "success"'),
    "zoho.crm.getOrgVariable": ('zoho.crm.getOrgVariable("missing_var")', "r.isEmpty()"),
    "zoho.crm.convertLead": ('zoho.crm.convertLead(lead, {"Deals": {"Deal_Name": "C", "Stage": "Qualification"}})',
                             'r.get("Contacts") != null && r.get("Deals") != null'),
    "zoho.crm.attachFile": ('zoho.crm.attachFile("Deals", deal, {"fileName": "q.txt", "content": "hi"})',
                            'r.get("id") != null'),
    "zoho.crm.updateRelatedRecord": ('zoho.crm.updateRelatedRecord("Contacts", contact, "Deals", deal, '
                                     '{"Contact_Role": "Buyer"})', 'r.get("id") == contact'),
    "zoho.crm.invokeConnector": ('zoho.crm.invokeConnector("sms.send", {"to": "1"})', 'r.get("status_code") == 200'),
    "zoho.books.getRecords": ('zoho.books.getRecords("contacts", "1", Map(), "b")', 'r.get("contacts").size() == 1'),
    "zoho.books.getRecordsByID": ('zoho.books.getRecordsByID("contacts", "1", customer, Map(), "b")',
                                  'r.get("contact").get("contact_id") == customer'),
    "zoho.books.createRecord": ('zoho.books.createRecord("invoices", "1", {"customer_id": customer}, "b")',
                                'r.get("invoice").get("invoice_number") == "INV-000001"'),
    "zoho.books.updateRecord": ('zoho.books.updateRecord("contacts", "1", customer, {"phone": "5"}, "b")',
                                'r.get("contact").get("phone") == "5"'),
    "zoho.inventory.getRecords": ('zoho.inventory.getRecords("items", "1", Map(), "i")', 'r.get("items").size() == 1'),
    "zoho.inventory.getRecordsByID": ('zoho.inventory.getRecordsByID("items", "1", item, Map(), "i")',
                                      'r.get("item").get("name") == "Bolt"'),
    "zoho.inventory.createRecord": ('zoho.inventory.createRecord("salesorders", "1", {"customer_id": "1"}, "i")',
                                    'r.get("salesorder").get("salesorder_number") == "SO-000001"'),
    "zoho.inventory.updateRecord": ('zoho.inventory.updateRecord("items", "1", item, {"rate": 3}, "i")',
                                    'r.get("item").get("rate") == 3'),
    "zoho.desk.getRecords": ('zoho.desk.getRecords("9", "tickets", 0, 10, {"": ""}, "d")',
                             'r.get("data").size() == 1'),
    "zoho.desk.getRecordById": ('zoho.desk.getRecordById("9", "tickets", ticket, "d")', 'r.get("id") == ticket'),
    "zoho.desk.create": ('zoho.desk.create("9", "contacts", {"lastName": "Lee"}, "d")', 'r.get("id") != null'),
    "zoho.desk.update": ('zoho.desk.update("9", "tickets", ticket, {"status": "Closed"}, "d")',
                         'r.get("status") == "Closed"'),
    "zoho.desk.searchRecords": ('zoho.desk.searchRecords("9", "tickets", {"subject": "help"}, 0, 10, "d")',
                                'r.get("data").size() == 1'),
    "zoho.desk.getRelatedRecords": ('zoho.desk.getRelatedRecords("9", "comments", "tickets", ticket, 0, 10, '
                                    '{"": ""}, "d")', 'r.get("data").size() == 0'),
    "zoho.creator.getRecords": ('zoho.creator.getRecords("o", "a", "All_Orders", "Item == \\"Pen\\"", 1, 10, "c")',
                                'r.get("code") == 3000'),
    "zoho.creator.createRecord": ('zoho.creator.createRecord("o", "a", "Orders", {"Item": "Ink"}, Map(), "c")',
                                  'r.get("code") == 3000'),
    "zoho.creator.getRecordById": ('zoho.creator.getRecordById("o", "a", "All_Orders", order, "c")',
                                   'r.get("data").get("Item") == "Pen"'),
    "zoho.creator.updateRecord": ('zoho.creator.updateRecord("o", "a", "All_Orders", order, {"Item": "Cap"}, Map(), '
                                  '"c")', 'r.get("code") == 3000'),
    "zoho.creator.deleteRecord": ('zoho.creator.deleteRecord("o", "a", "All_Orders", order, "c")',
                                  'r.get("message") == "Data Deleted Successfully"'),
    "zoho.cliq.postToChannel": ('zoho.cliq.postToChannel("general", "hi", "q")', "r.isEmpty()"),
    "zoho.cliq.postToChannelAsBot": ('zoho.cliq.postToChannelAsBot("general", "bot", "hi", "q")', "r.isEmpty()"),
    "zoho.cliq.postToUser": ('zoho.cliq.postToUser("a@x.test", {"text": "hi"}, "q")', "r.isEmpty()"),
    "zoho.cliq.postToBot": ('zoho.cliq.postToBot("bot", "hi", "q")', "r.isEmpty()"),
    "zoho.cliq.postToChat": ('zoho.cliq.postToChat("123", "hi", "q")', "r.isEmpty()"),
    "zoho.books.getOrganizations": ('zoho.books.getOrganizations("b")',
                                    'r.get("organizations").get(0).get("organization_id") == "700000001"'),
    "zoho.cliq.extension.getProperties": ('zoho.cliq.extension.getProperties({"tier", "nope"}, "q")',
                                          'r == {"tier": "gold"}'),
    "zoho.cliq.extension.setProperties": ('zoho.cliq.extension.setProperties({"tier": "silver"}, "q")',
                                          'r == {"tier": "silver"} && zoho.cliq.extension.getProperties("tier", "q")'
                                          '.get("tier") == "silver"'),
    "zoho.cliq.extension.deleteProperty": ('zoho.cliq.extension.deleteProperty("region", "q")',
                                           'r.get("key") == "region" && '
                                           'zoho.cliq.extension.getProperties("region", "q").isEmpty()'),
    "zoho.workdrive.createFolder": ('zoho.workdrive.createFolder("F", "root", "w")',
                                    'r.get("data").get("attributes").get("name") == "F"'),
    "zoho.workdrive.uploadFile": ('zoho.workdrive.uploadFile("text", "root", "a.txt", "false", "w")',
                                  'r.get("data").get(0).get("attributes").get("FileName") == "a.txt"'),
    "zoho.sheet.createRecords": ('zoho.sheet.createRecords("wb", "S1", {{"Name": "Ana"}, {"Name": "Bo"}}, Map(), "s")',
                                 'r.get("records_count") == 2'),
    "zoho.sheet.getRecords": ('zoho.sheet.getRecords("wb", "S1", {"criteria": "\\"Name\\"=\\"x\\""}, "s")',
                              'r.get("status") == "success" && r.get("records").size() == 0'),
    "zoho.sheet.updateRecords": ('zoho.sheet.updateRecords("wb", "S1", "", {"Name": "Cy"}, Map(), "s")',
                                 'r.get("no_of_affected_rows") == 0'),
    # not faked: answered by a --stub (set in the test below)
    "zoho.writer.getMergeFields": ('zoho.writer.getMergeFields("doc1", "wr")', 'r.get("stubbed") == true'),
    "zoho.sign.createDocument": ('zoho.sign.createDocument({"fileName": "a.pdf", "content": "%PDF"}, '
                                 '{"requests": {"request_name": "NDA"}}, "sg")', 'r.get("stubbed") == true'),
}
STUBS = [("https://www.zohoapis.com/writer/", {"stubbed": True}), ("https://sign.zoho.com/api/", {"stubbed": True})]


def test_the_table_covers_every_catalog_task() -> None:
    assert set(CALLS) == set(RAW["tasks"])


def test_every_catalog_entry_names_its_zoho_page() -> None:
    for name, entry in RAW["tasks"].items():
        doc = entry.get("doc", "")
        host = urlsplit(doc).hostname or ""
        assert doc.startswith("https://") and (host == "zoho.com" or host.endswith(".zoho.com")), name


@pytest.mark.parametrize("task", sorted(CALLS))
def test_task_runs_against_the_fakes(task: str, sandbox: Sandbox, run_deluge: Callable[[str], list[str]]) -> None:
    sandbox.zoho.connectors["sms.send"] = {"ok": True}
    sandbox.zoho.stubs.extend(STUBS)
    call, condition = CALLS[task]
    lines = run_deluge(SETUP + f"r = {call};\ninfo {condition};\ninfo r;\n")
    assert lines[0] == "true", lines


def test_tasks_command_lists_the_catalog() -> None:
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "tasks"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1] == f"{len(RAW['tasks'])} tasks"
    assert any(line.startswith("zoho.crm.getRecords(module, page, per_page, query_map[, connection]) -> List   GET "
                               "/crm/v2/{module}") and "zoho.crm.{v2," in line for line in lines)
    assert any(line.startswith("zoho.desk.create(") and "desk.zoho.{dc}/api/v1/{module}" in line for line in lines)
    only = subprocess.run([sys.executable, "-m", "deluge_lite", "tasks", "--service", "cliq"], capture_output=True,
                          text=True, timeout=60)
    assert only.stdout.splitlines()[-1] == f"{sum(name.startswith('zoho.cliq.') for name in RAW['tasks'])} tasks"
    assert any(line.startswith("zoho.cliq.extension.getProperties(keys[, connection]) -> Map")
               for line in only.stdout.splitlines())
    bad = subprocess.run([sys.executable, "-m", "deluge_lite", "tasks", "--service", "nope"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "no tasks for the service 'nope'" in bad.stderr
