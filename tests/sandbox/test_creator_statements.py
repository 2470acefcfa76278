"""Creator's own statements (insert into, Form[criteria], updates, delete from) on a real record store.

In process through the embedding API and the sandbox (real SQLite, the fake Creator's REST API
over HTTP on 127.0.0.1), and once end to end through ``deluge-lite run --sandbox --context creator``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from deluge_lite.embed import Deluge
from deluge_lite.errors import DelugeError, DelugeRuntimeError
from deluge_lite.sandbox import Sandbox
from deluge_lite.sandbox.creator_store import CreatorRecordStore
from deluge_lite.testing.fake_crm_store import CrmStore

ORDERS = """
first = insert into Orders [ Customer = "Ann"  Amount = 10  Status = "Open" ];
insert into Orders
[
	Customer = "Bob"
	Amount = 25
	Status = "Open"
];
return first;
"""


def test_insert_gives_a_number_id_and_the_sqlite_store_keeps_the_record(tmp_path: Path) -> None:
    database = tmp_path / "creator.sqlite"
    deluge = Deluge(context="creator", creator_store=CreatorRecordStore(CrmStore(database)))
    first = deluge.run(ORDERS).value
    assert isinstance(first, int) and first > 0
    reopened = CreatorRecordStore(CrmStore(database))  # another connection to the same file
    rows = reopened.records("Orders")
    assert [(row["Customer"], row["Amount"]) for row in rows] == [("Ann", 10), ("Bob", 25)]
    assert str(first) == rows[0]["ID"] and rows[0]["Added_Time"]


def test_fetch_update_and_delete_change_the_store() -> None:
    deluge = Deluge(context="creator")
    deluge.run(ORDERS)
    result = deluge.run("""
        limit = 5;
        big = Orders[Amount > limit && Status == "Open"] sort by Amount desc;
        info big.count() + " " + big.Customer + " " + big.sum(Amount);
        for each order in big
        {
            order.Status = "Closed";
        }
        one = Orders[Customer == "ann"];
        one.Amount = 11;
        delete from Orders[Customer.startsWith("B")];
        info Orders[ID != 0].Status.getAll();
    """)
    assert result.info == ["2 Bob 35", "Closed"]
    [row] = deluge.creator_store.records("Orders")
    assert (row["Customer"], row["Amount"], row["Status"]) == ("Ann", 11, "Closed")


def test_statements_and_the_rest_api_share_the_sandbox_store(tmp_path: Path) -> None:
    with Sandbox(sample=1, config_dir=tmp_path / "sandbox") as sandbox:
        deluge = Deluge(context="creator", creator_store=sandbox.creator_store())
        first = deluge.run(ORDERS).value
        url = f"{sandbox.zoho.url}/creator/v2.1/data/owner/app/report/All_Orders"
        headers = {"Authorization": f"Zoho-oauthtoken {_token(sandbox)}"}
        listed = httpx.get(url, params={"criteria": 'Customer == "Ann"'}, headers=headers).json()
        assert [row["ID"] for row in listed["data"]] == [str(first)]
        httpx.post(f"{sandbox.zoho.url}/creator/v2.1/data/owner/app/form/Orders", headers=headers,
                   json={"data": {"Customer": "Dee", "Amount": 7, "Status": "Open"}}).raise_for_status()
        seen = deluge.run('return Orders[Status == "Open"].count() + ":" + Orders[Amount < 8].Customer;').value
        assert seen == "3:Dee"


def _token(sandbox: Sandbox) -> str:
    from deluge_lite.testing.fake_oauth import DEFAULT_CLIENTS

    client_id = next(iter(DEFAULT_CLIENTS))
    access, _ = sandbox.oauth.issue_tokens(client_id, scope="ZohoCreator.report.ALL")
    return access


@pytest.mark.parametrize(("script", "wanted"), [
    ('x = Order[ID == 1];', "the app has no form 'Order'; did you mean 'Orders'?"),
    ('x = Orders[ID == 1] range from 0 to 2;', "the start of a range must be a whole Number from 1"),
    ('for each r in Orders[ID != 0] { r.ID = 5; }', "ID is set by Creator"),
])
def test_bad_input_is_a_deluge_error_at_the_line(script: str, wanted: str) -> None:
    deluge = Deluge(context="creator")
    deluge.run(ORDERS)
    with pytest.raises(DelugeRuntimeError) as caught:
        deluge.run(script)
    assert wanted in caught.value.message and caught.value.line == 1


def test_outside_creator_a_statement_names_the_context() -> None:
    with pytest.raises(DelugeRuntimeError) as caught:
        Deluge(context="crm").run('id = insert into Orders [ Customer = "x" ];')
    assert "this run's context is 'crm'" in caught.value.message


@pytest.mark.parametrize(("script", "wanted"), [
    ("l = {1};\nx = l[1 + 2];", "Deluge has no l[index]; read an element with l.get(index)"),
    ("x = Orders[Amount > 1 && 5];", "this criteria of Orders cannot be read"),
    ("l = {1};\nx = 1 in l;", "'in' tests a field against a list only inside Creator criteria"),
    ('x = insert into Orders [ A = 1 a = 2 ];', "the field 'a' is given twice"),
])
def test_malformed_statements_are_refused_before_running(script: str, wanted: str) -> None:
    with pytest.raises(DelugeError) as caught:
        Deluge(context="creator").run(script)
    assert wanted in caught.value.message


def test_a_creator_function_reads_its_parameters_through_input() -> None:
    deluge = Deluge(context="creator")
    script = deluge.load("void orders.notify(int id, string who)\n{\n\tinfo input.id + \" \" + input.get(\"who\");\n}\n",
                         "notify.dg")
    assert script.call("orders.notify", 5, "Ann").info == ["5 Ann"]


def test_run_sandbox_creator_end_to_end(tmp_path: Path) -> None:
    script = tmp_path / "orders.dg"
    script.write_text(ORDERS.replace("return first;", "") + """
for each order in Orders[Status == "Open"] sort by Amount desc
{
	order.Status = "Done";
	info order.Customer;
}
delete from Orders[Customer == "Bob"];
listed = zoho.creator.getRecords("owner", "app", "All_Orders", "", 1, 200);
info listed.get("data").size() + " " + listed.get("data").get(0).get("Status");
""", encoding="utf-8")
    database = tmp_path / "kept.sqlite"
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--sandbox", "--context", "creator",
                           "--db", str(database), str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["Bob", "Ann", "1 Done"]
    kept = CreatorRecordStore(CrmStore(database)).records("Orders")
    assert [(row["Customer"], row["Status"]) for row in kept] == [("Ann", "Done")]
