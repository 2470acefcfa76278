"""Every route of the fake Creator, Books, Inventory, Desk, Cliq and WorkDrive over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from deluge_lite.testing.fake_services import BOOKS_MODULES, SERVICES, ServiceEngine, find_service
from deluge_lite.testing.fake_zoho import FakeZoho

CREATOR = "/creator/v2.1/data/owner/app"


# ---- Creator
def test_creator_create_list_get_update_delete(web: httpx.Client) -> None:
    made = web.post(f"{CREATOR}/form/Orders", json={"data": {"Item": "Pen", "Qty": 3}})
    assert made.status_code == 200
    body = made.json()
    assert body["code"] == 3000 and body["message"] == "Data Added Successfully"
    record_id = body["data"]["ID"]
    web.post(f"{CREATOR}/form/Orders", json={"data": [{"Item": "Ink", "Qty": 1}, {"Item": "Cap", "Qty": 9}]})
    listed = web.get(f"{CREATOR}/report/All_Orders").json()
    assert listed["code"] == 3000 and [r["Item"] for r in listed["data"]] == ["Pen", "Ink", "Cap"]
    found = web.get(f"{CREATOR}/report/All_Orders", params={"criteria": '(Qty > 2 && Item != "Cap")'}).json()
    assert [r["Item"] for r in found["data"]] == ["Pen"]
    assert web.get(f"{CREATOR}/report/All_Orders", params={"from": 2, "limit": 1}).json()["data"][0]["Item"] == "Ink"
    one = web.get(f"{CREATOR}/report/All_Orders/{record_id}").json()
    assert one["code"] == 3000 and one["data"]["ID"] == record_id and one["data"]["Qty"] == 3
    updated = web.patch(f"{CREATOR}/report/All_Orders/{record_id}", json={"data": {"Qty": 4}}).json()
    assert updated == {"code": 3000, "data": {"ID": record_id}, "message": "Data Updated Successfully"}
    assert web.get(f"{CREATOR}/report/All_Orders/{record_id}").json()["data"]["Qty"] == 4
    assert web.delete(f"{CREATOR}/report/All_Orders/{record_id}").json()["message"] == "Data Deleted Successfully"
    missing = web.get(f"{CREATOR}/report/All_Orders/{record_id}")
    assert missing.status_code == 404 and missing.json()["code"] == 3100


def test_creator_v2_path_and_errors(web: httpx.Client) -> None:
    web.post("/creator/v2/owner/app/form/Tasks", json={"data": {"Title": "A"}})
    assert web.get("/creator/v2/owner/app/report/Tasks_Report").json()["data"][0]["Title"] == "A"
    assert web.get(f"{CREATOR}/report/Nothing").json() == {"code": 3100, "message": "No Data Available"}
    bad = web.get(f"{CREATOR}/report/Tasks", params={"criteria": "Title == "})
    assert bad.status_code == 400 and bad.json()["code"] == 3001
    assert web.post(f"{CREATOR}/form/Tasks", json={"nodata": 1}).json()["code"] == 3001
    denied = web.get(f"{CREATOR}/report/Tasks", headers={"Authorization": "Zoho-oauthtoken wrong"})
    assert denied.status_code == 401 and denied.json()["code"] == 1030


# ---- Books / Inventory
@pytest.mark.parametrize("prefix", ["/books/v3", "/inventory/v1"])
def test_books_crud_filters_and_errors(web: httpx.Client, prefix: str) -> None:
    org = {"organization_id": "123"}
    made = web.post(f"{prefix}/contacts", params=org, json={"contact_name": "ACME", "email": "a@acme.test"})
    assert made.status_code == 201
    contact = made.json()["contact"]
    assert made.json()["code"] == 0 and contact["contact_id"] and contact["status"] == "active"
    web.post(f"{prefix}/contacts", params=org, json={"contact_name": "Beta"})
    assert [c["contact_name"] for c in web.get(f"{prefix}/contacts", params=org).json()["contacts"]] == ["ACME", "Beta"]
    filtered = web.get(f"{prefix}/contacts", params={**org, "contact_name_startswith": "ac"}).json()
    assert [c["contact_name"] for c in filtered["contacts"]] == ["ACME"]
    assert filtered["page_context"] == {"page": 1, "per_page": 200, "has_more_page": False}
    invoice = web.post(f"{prefix}/invoices", params=org, json={
        "customer_id": contact["contact_id"], "line_items": [{"rate": 10, "quantity": 3}]}).json()["invoice"]
    assert invoice["invoice_number"] == "INV-000001" and invoice["total"] == 30 and invoice["status"] == "draft"
    one = web.get(f"{prefix}/invoices/{invoice['invoice_id']}", params=org).json()
    assert one["invoice"]["customer_id"] == contact["contact_id"]
    changed = web.put(f"{prefix}/invoices/{invoice['invoice_id']}", params=org, json={"reference_number": "R1"})
    assert changed.json()["invoice"]["reference_number"] == "R1"
    assert web.post(f"{prefix}/invoices/{invoice['invoice_id']}/status/sent", params=org).json()["code"] == 0
    assert web.get(f"{prefix}/invoices/{invoice['invoice_id']}", params=org).json()["invoice"]["status"] == "sent"
    assert web.delete(f"{prefix}/invoices/{invoice['invoice_id']}", params=org).json()["code"] == 0
    gone = web.get(f"{prefix}/invoices/{invoice['invoice_id']}", params=org)
    assert gone.status_code == 404 and gone.json() == {"code": 1002, "message": "Invoice does not exist."}
    unknown = web.get(f"{prefix}/spaceships", params=org)
    assert unknown.status_code == 404 and unknown.json()["code"] == 5
    form = web.post(f"{prefix}/items", params=org, data={"JSONString": '{"name": "Widget", "rate": 5}'})
    assert form.json()["item"]["name"] == "Widget"


def test_books_module_table_is_complete() -> None:
    for module, (key, prefix) in BOOKS_MODULES.items():
        assert module.islower() and key and (prefix is None or prefix.endswith("-"))


# ---- Desk
def test_desk_tickets_search_and_related(web: httpx.Client) -> None:
    desk = "/desk/api/v1"
    contact = web.post(f"{desk}/contacts", json={"lastName": "Lee", "email": "lee@x.test"}).json()
    ticket = web.post(f"{desk}/tickets", json={"subject": "Broken", "contactId": contact["id"]}).json()
    assert ticket["ticketNumber"] == "101" and ticket["status"] == "Open"
    web.post(f"{desk}/tickets", json={"subject": "Other"})
    assert [t["subject"] for t in web.get(f"{desk}/tickets").json()["data"]] == ["Broken", "Other"]
    assert [t["subject"] for t in web.get(f"{desk}/tickets/search", params={"subject": "bro*"}).json()["data"]] == \
        ["Broken"]
    assert web.get(f"{desk}/tickets", params={"limit": 1, "from": 2}).json()["data"][0]["subject"] == "Other"
    assert web.patch(f"{desk}/tickets/{ticket['id']}", json={"status": "Closed"}).json()["status"] == "Closed"
    assert web.get(f"{desk}/tickets/{ticket['id']}").json()["status"] == "Closed"
    comment = web.post(f"{desk}/tickets/{ticket['id']}/comments", json={"content": "on it"}).json()
    assert comment["ticketId"] == ticket["id"]
    assert [c["content"] for c in web.get(f"{desk}/tickets/{ticket['id']}/comments").json()["data"]] == ["on it"]
    assert [t["subject"] for t in web.get(f"{desk}/contacts/{contact['id']}/tickets").json()["data"]] == ["Broken"]
    assert web.delete(f"{desk}/tickets/{ticket['id']}").status_code == 204
    assert web.get(f"{desk}/tickets/{ticket['id']}").json()["errorCode"] == "RESOURCE_NOT_FOUND"
    assert web.get(f"{desk}/rockets").json()["errorCode"] == "URL_NOT_FOUND"
    assert web.get(f"{desk}/tickets", params={"limit": 500}).status_code == 422


# ---- Cliq
def test_cliq_messages_are_captured(zoho: FakeZoho, web: httpx.Client) -> None:
    cliq = "/cliq/api/v2"
    assert web.post(f"{cliq}/channelsbyname/general/message", json={"text": "hi"}).status_code == 204
    assert web.post(f"{cliq}/channelsbyname/general/message", params={"bot_unique_name": "helper"},
                    json={"text": "beep"}).status_code == 204
    for path in ("buddies/a@x.test", "bots/helper", "chats/123"):
        assert web.post(f"{cliq}/{path}/message", json={"text": path}).status_code == 204
    sent = [(m["to"], m["bot"], m["message"]["text"]) for m in zoho.messages()]
    assert sent == [("channel:general", None, "hi"), ("channel:general", "helper", "beep"),
                    ("user:a@x.test", None, "buddies/a@x.test"), ("bot:helper", None, "bots/helper"),
                    ("chat:123", None, "chats/123")]
    empty = web.post(f"{cliq}/chats/1/message", json={"nothing": 1})
    assert empty.status_code == 400 and empty.json()["code"] == "invalid_input"
    assert web.post(f"{cliq}/chats/1/message", json={"text": "x"},
                    headers={"Authorization": "Bearer x"}).json()["code"] == "oauthtoken_invalid"


# ---- WorkDrive
def test_workdrive_folders_files_and_upload(web: httpx.Client) -> None:
    wd = "/workdrive/api/v1"
    folder = web.post(f"{wd}/files", json={"data": {"attributes": {"name": "Deals", "parent_id": "root1"},
                                                    "type": "files"}})
    assert folder.status_code == 201
    data = folder.json()["data"]
    assert data["type"] == "files" and data["attributes"]["name"] == "Deals" and data["attributes"]["type"] == "folder"
    uploaded = web.post(f"{wd}/upload", params={"parent_id": data["id"], "filename": "a.txt"},
                        files={"content": ("a.txt", b"hello")}).json()["data"][0]["attributes"]
    assert uploaded["FileName"] == "a.txt" and uploaded["parent_id"] == data["id"]
    children = web.get(f"{wd}/files/{data['id']}/files").json()["data"]
    assert [c["attributes"]["name"] for c in children] == ["a.txt"]
    renamed = web.patch(f"{wd}/files/{data['id']}", json={"data": {"attributes": {"name": "Won"}, "type": "files"}})
    assert renamed.json()["data"]["attributes"]["name"] == "Won"
    assert web.get(f"{wd}/files/{data['id']}").json()["data"]["attributes"]["name"] == "Won"
    assert web.get(f"{wd}/files/nope").status_code == 404
    assert web.post(f"{wd}/upload", params={"parent_id": "x"}).status_code == 400


def test_every_service_has_routes_and_a_distinct_prefix() -> None:
    prefixes = [service.prefix for service in SERVICES]
    assert len(prefixes) == len(set(prefixes))
    for service in SERVICES:
        assert service.routes and service.style.name and service.style.display.startswith("Zoho")
        assert all(callable(getattr(ServiceEngine, "_" + r.action, None)) for r in service.routes)
    assert find_service(["nothing", "here"]) is None


def test_unknown_paths_and_methods(web: httpx.Client) -> None:
    assert web.get("/books/v3/contacts/1/2/3/4").status_code == 404
    assert web.delete("/cliq/api/v2/channelsbyname/x/message").status_code == 405
    assert web.get("/nowhere/at/all").json()["code"] == "INVALID_URL_PATTERN"


# ---- Projects and SalesIQ: REST trees
def test_projects_tree_scopes_collections_by_their_parents(web: httpx.Client) -> None:
    base = "/projects/restapi/portal/7"
    made = web.post(f"{base}/projects/", data={"name": "Apollo"})
    assert made.status_code == 201
    project = made.json()["projects"][0]
    assert project["name"] == "Apollo" and project["id_string"] == str(project["id"])
    web.post(f"{base}/projects/", data={"name": "Gemini"})
    task = web.post(f"{base}/projects/{project['id']}/tasks/", data={"name": "Launch"}).json()["tasks"][0]
    assert [t["name"] for t in web.get(f"{base}/projects/{project['id']}/tasks/").json()["tasks"]] == ["Launch"]
    assert [p["name"] for p in web.get(f"{base}/projects/", params={"name": "gemini"}).json()["projects"]] == \
        ["Gemini"]
    assert web.get(f"/projects/restapi/portal/8/projects/{project['id']}/").status_code == 404  # another portal
    updated = web.post(f"{base}/projects/{project['id']}/tasks/{task['id']}/", data={"percent_complete": "50"})
    assert updated.json()["tasks"][0]["percent_complete"] == "50"
    assert web.delete(f"{base}/projects/{project['id']}/tasks/{task['id']}/").json()["response"] == \
        "Task deleted successfully"
    assert web.get(f"{base}/projects/{project['id']}/tasks/").status_code == 204
    v3 = web.post("/projects/api/v3/portal/7/projects", json={"name": "Mercury"})
    assert v3.json()["projects"][0]["name"] == "Mercury"


def test_salesiq_tree(web: httpx.Client) -> None:
    base = "/salesiq/api/v2/shop"
    made = web.post(f"{base}/conversations", json={"question": "hi", "visitor": {"email": "v@x.test"}}).json()
    assert made["data"]["question"] == "hi"
    assert [c["question"] for c in web.get(f"{base}/conversations").json()["data"]] == ["hi"]
    assert web.get(f"{base}/conversations/{made['data']['id']}").json()["data"]["visitor"]["email"] == "v@x.test"
    assert web.get(f"{base}/conversations/1").json()["error"]["code"] == 1004
    assert web.get(f"{base}/conversations", headers={"Authorization": "x"}).status_code == 401


# ---- Sheet
def test_sheet_records_fetch_add_update(web: httpx.Client) -> None:
    sheet = "/sheet/api/v2/wb1"
    added = web.post(sheet, data={"method": "worksheet.records.add", "worksheet_name": "S",
                                  "json_data": '[{"Name": "Ana", "Age": 30}, {"Name": "Bo", "Age": 20}]'})
    assert added.json() == {"method": "worksheet.records.add", "status": "success", "records_count": 2}
    fetched = web.post(sheet, data={"method": "worksheet.records.fetch", "worksheet_name": "S",
                                    "criteria": '"Age">25 or "Name"="bo"'}).json()
    assert [r["Name"] for r in fetched["records"]] == ["Ana", "Bo"] and fetched["records"][0]["row_index"] == 2
    only = web.post(sheet, data={"method": "worksheet.records.fetch", "worksheet_name": "S",
                                 "criteria": '"Name" contains "an" and "Age">=30'}).json()
    assert [r["Name"] for r in only["records"]] == ["Ana"]
    updated = web.post(sheet, data={"method": "worksheet.records.update", "worksheet_name": "S",
                                    "criteria": '"Name"="Bo"', "data": '{"Age": 21}'}).json()
    assert updated["no_of_affected_rows"] == 1
    again = web.post(sheet, data={"method": "worksheet.records.fetch", "worksheet_name": "S"}).json()
    assert [r["Age"] for r in again["records"]] == [30, 21]
    assert web.post(sheet, data={"method": "worksheet.records.fetch", "worksheet_name": "S",
                                 "criteria": "Age > 1"}).json()["status"] == "failure"
    assert web.post(sheet, data={"method": "workbook.delete"}).json()["status"] == "failure"
    assert web.post(sheet, data={"method": "worksheet.records.add", "worksheet_name": "S",
                                 "json_data": "{bad"}).status_code == 400
