"""The fake CRM beyond records over real HTTP: COQL, actions, attachments, related writes, functions, connectors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from deluge_lite.testing.fake_crm_coql import parse
from deluge_lite.testing.fake_crm_search import CriteriaError
from deluge_lite.testing.fake_zoho import FakeZoho


def _add(web: httpx.Client, module: str, **record: object) -> str:
    answer = web.post(f"/crm/v2/{module}", json={"data": [record]})
    assert answer.status_code == 201, answer.text
    return answer.json()["data"][0]["details"]["id"]


def test_coql_select_where_order_limit(web: httpx.Client) -> None:
    for name, source, revenue in (("Ada", "Web", 10), ("Bo", "Web", 30), ("Cy", "Ads", 20)):
        _add(web, "Leads", Last_Name=name, Lead_Source=source, Annual_Revenue=revenue)
    query = ("select Last_Name, Annual_Revenue from Leads where (Lead_Source = 'web' or Annual_Revenue > 25) "
             "and Last_Name like '%o%' order by Annual_Revenue desc limit 5")
    answer = web.post("/crm/v6/coql", json={"select_query": query}).json()
    assert [r["Last_Name"] for r in answer["data"]] == ["Bo"]
    assert set(answer["data"][0]) == {"id", "Last_Name", "Annual_Revenue"}
    everyone = web.post("/crm/v8/coql", json={"select_query": "select Last_Name from Leads where Annual_Revenue "
                                                               "between 10 and 20 order by Last_Name limit 1, 1"})
    assert [r["Last_Name"] for r in everyone.json()["data"]] == ["Cy"]
    none = web.post("/crm/v2/coql", json={"select_query": "select Last_Name from Leads where Last_Name in ('Zed')"})
    assert none.status_code == 204
    bad = web.post("/crm/v2/coql", json={"select_query": "select from Leads"})
    assert bad.status_code == 400 and bad.json()["code"] == "SYNTAX_ERROR"
    assert web.post("/crm/v2/coql", json={"select_query": "select a from Nope"}).json()["code"] == "INVALID_MODULE"
    assert web.get("/crm/v2/coql").status_code == 405


@pytest.mark.parametrize("text", ["select", "select a from", "select a from B where", "select a from B limit 0",
                                  "select a from B where x = ", "select a from B where (x = 1", "select a from B x"])
def test_coql_rejects_malformed_queries(text: str) -> None:
    with pytest.raises(CriteriaError):
        parse(text)


def test_convert_lead_creates_contact_account_and_deal(zoho: FakeZoho, web: httpx.Client) -> None:
    lead = _add(web, "Leads", Last_Name="Diaz", First_Name="Ana", Company="Diaz Labs", Email="ana@diaz.test")
    answer = web.post(f"/crm/v2/Leads/{lead}/actions/convert",
                      json={"data": [{"Deals": {"Deal_Name": "Pilot", "Stage": "Qualification"}}]}).json()
    ids = answer["data"][0]
    contact = zoho.record("Contacts", ids["Contacts"])
    assert contact["Email"] == "ana@diaz.test" and contact["Account_Name"]["id"] == ids["Accounts"]
    assert zoho.record("Deals", ids["Deals"])["Contact_Name"]["id"] == ids["Contacts"]
    assert zoho.record("Leads", lead)["Converted__s"] is True
    assert web.post("/crm/v2/Leads/123/actions/convert").json()["code"] == "INVALID_DATA"


def test_record_and_module_actions_are_recorded(zoho: FakeZoho, web: httpx.Client) -> None:
    deal = _add(web, "Deals", Deal_Name="D", Stage="Qualification")
    assert web.get(f"/crm/v6/Deals/{deal}/actions/blueprint").json()["blueprint"]["process_info"]["field_value"] \
        == "Qualification"
    moved = web.put(f"/crm/v6/Deals/{deal}/actions/blueprint",
                    json={"blueprint": [{"transition_id": "1", "data": {"Stage": "Closed Won"}}]})
    assert moved.json()["data"][0]["status"] == "success"
    assert zoho.record("Deals", deal)["Stage"] == "Closed Won"
    mail = web.post(f"/crm/v6/Deals/{deal}/actions/send_mail", json={"data": [{"subject": "Hi"}]})
    assert mail.json()["data"][0]["code"] == "SUCCESS"
    assert web.post("/crm/v6/Deals/actions/mass_update", json={"data": []}).json()["data"][0]["status"] == "success"
    recorded = [(a["action"], a["record_id"]) for a in zoho.store.all("crm/actions")]
    assert recorded == [("blueprint", deal), ("send_mail", deal), ("mass_update", None)]


def test_attachments_notes_and_related_links(web: httpx.Client) -> None:
    deal = _add(web, "Deals", Deal_Name="D", Stage="Qualification")
    uploaded = web.post(f"/crm/v2/Deals/{deal}/Attachments", files={"file": ("quote.pdf", b"%PDF")})
    assert uploaded.json()["data"][0]["message"] == "attachment uploaded successfully"
    listed = web.get(f"/crm/v2/Deals/{deal}/Attachments").json()["data"]
    assert [a["File_Name"] for a in listed] == ["quote.pdf"]
    assert web.post(f"/crm/v2/Deals/{deal}/Attachments").json()["code"] == "REQUIRED_PARAM_MISSING"
    note = web.post(f"/crm/v2/Deals/{deal}/Notes", json={"data": [{"Note_Content": "call back"}]})
    assert note.status_code == 201
    assert [n["Note_Content"] for n in web.get(f"/crm/v2/Deals/{deal}/Notes").json()["data"]] == ["call back"]
    contact = _add(web, "Contacts", Last_Name="Kim")
    linked = web.put(f"/crm/v2/Deals/{deal}/Contacts/{contact}", json={"data": [{"Contact_Role": "Buyer"}]})
    assert linked.json()["data"][0]["status"] == "success"
    related = web.get(f"/crm/v2/Deals/{deal}/Contacts").json()["data"]
    assert [c["id"] for c in related] == [contact] and related[0]["Contact_Role"] == "Buyer"
    web.delete(f"/crm/v2/Deals/{deal}/Contacts/{contact}")
    assert web.get(f"/crm/v2/Deals/{deal}/Contacts").status_code == 204


def test_functions_execute_and_connectors(web: httpx.Client) -> None:
    ran = web.post("/crm/v2/functions/double/actions/execute", params={"auth_type": "oauth"},
                   json={"arguments": {"n": 21}}).json()
    assert ran["code"] == "success" and ran["details"]["output"] == '{"twice": 42}'
    assert ran["details"]["output_type"] == "map"
    missing = web.post("/crm/v2/functions/nothing/actions/execute", json={})
    assert missing.status_code == 400 and "no function named nothing" in missing.json()["message"]
    connector = web.post("/crm/v2/connectors/sms.send/invoke", json={"to": "1"}).json()
    assert connector == {"status_code": 200, "response": '{"sent": true}'}
    assert web.post("/crm/v2/connectors/other/invoke", json={}).json()["response"] == "{}"


def test_crm_extras_need_a_token(web: httpx.Client) -> None:
    answer = web.post("/crm/v2/coql", json={"select_query": "select a from Leads"},
                      headers={"Authorization": "Zoho-oauthtoken bad"})
    assert answer.status_code == 401 and answer.json()["code"] == "INVALID_TOKEN"


def test_deeply_nested_criteria_are_refused_not_crashed(web: httpx.Client) -> None:
    deep = "(" * 3000 + "Last_Name = 'a'" + ")" * 3000
    coql = web.post("/crm/v2/coql", json={"select_query": f"select Last_Name from Leads where {deep}"})
    assert coql.status_code == 400 and "too deeply" in coql.json()["message"]
    search = web.get("/crm/v2/Leads/search", params={"criteria": "(" * 3000 + "(Last_Name:equals:a)" + ")" * 3000})
    assert search.status_code == 400 and search.json()["code"] == "INVALID_QUERY"
    creator = web.get("/creator/v2.1/data/o/a/report/R", params={"criteria": "(" * 3000 + "a == 1" + ")" * 3000})
    assert creator.status_code == 400 and "too deeply" in creator.json()["message"]


def test_users_api_and_the_users_module_of_the_tasks(web: httpx.Client, run_deluge: Any) -> None:
    listed = web.get("/crm/v2/users", params={"type": "ActiveUsers"}).json()["users"]
    assert [(u["profile"]["name"], u["role"]["name"], u["status"]) for u in listed] == [
        ("Administrator", "CEO", "active"), ("Standard", "Manager", "active")]
    assert web.get("/crm/v2/users", params={"type": "CurrentUser"}).json()["users"] == listed[:1]
    found = web.get("/crm/v2.1/users/search", params={"criteria": f"(email:equals:{listed[1]['email']})"})
    assert found.json()["users"] == [listed[1]]
    assert web.get("/crm/v2/users/search", params={"criteria": "(email:equals:no@x.test)"}).status_code == 204
    assert web.get("/crm/v2/users/search", params={"criteria": "email equals"}).json()["code"] == "INVALID_QUERY"
    assert web.get(f"/crm/v2/users/{listed[0]['id']}").json() == {"users": [listed[0]]}
    assert web.get("/crm/v2/users/1").status_code == 204
    # zoho.crm tasks on the users module give Zoho's whole answer, as scripts read it: .get("users")
    lines = run_deluge('''
        found = zoho.crm.searchRecords("users", "(email:equals:second.user@example.com)");
        one = zoho.crm.getRecordById("users", found.get("users").get(0).get("id"));
        info one.get("users").get(0).get("first_name") + " " + one.get("users").get(0).get("profile").get("name");
        info zoho.crm.getRecords("users", 1, 200, {"type": "AllUsers"}).get("users").size();
        me = zoho.crm.searchRecords("users", "(email:equals:" + zoho.loginuserid + ")").get("users").get(0);
        info me.get("role").get("name");
    ''')
    assert lines == ["Second Standard", "2", "CEO"]  # the run's login user is the org's first user
