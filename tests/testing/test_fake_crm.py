"""The fake Zoho CRM over real HTTP: endpoints, envelopes, status codes, search, auth, seeding, persistence."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from deluge_lite.testing.fake_crm import FakeZohoCRM, main
from deluge_lite.testing.fake_crm_search import CriteriaError, matches, parse_criteria
from deluge_lite.testing.fake_oauth import FakeOAuthProvider

TOKEN = "tok-123"
AUTH = {"Authorization": f"Zoho-oauthtoken {TOKEN}"}
FIXED = datetime(2024, 5, 2, 10, 20, 30, tzinfo=UTC)
WEB = httpx.Client(verify=False)  # plain http only; skipping the CA bundle keeps each test fast


@pytest.fixture
def crm() -> Iterator[FakeZohoCRM]:
    with FakeZohoCRM(accept_tokens={TOKEN}, clock=lambda: FIXED) as server:
        yield server


@pytest.fixture
def client(crm: FakeZohoCRM) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=crm.api_url("v2"), headers=AUTH, verify=False) as c:
        yield c


def add(client: httpx.Client, module: str, *records: dict) -> list[str]:
    response = client.post(f"/{module}", json={"data": list(records)})
    assert response.status_code == 201, response.text
    return [entry["details"]["id"] for entry in response.json()["data"]]


# ---- lifecycle and shape
def test_url_and_port(crm: FakeZohoCRM) -> None:
    assert crm.url == f"http://127.0.0.1:{crm.port}" and crm.port > 0
    assert crm.api_url("v8") == crm.url + "/crm/v8"
    assert "FakeZohoCRM" in repr(crm)


def test_start_stop_without_context_manager() -> None:
    crm = FakeZohoCRM(accept_tokens={TOKEN}).start()
    try:
        assert WEB.get(crm.url + "/crm/v2/org", headers=AUTH).status_code == 200
    finally:
        crm.close()
    with pytest.raises(httpx.TransportError):  # refused, or a kept-alive connection cut off
        WEB.get(crm.url + "/crm/v2/org", headers=AUTH)


# ---- create
def test_insert_envelope(client: httpx.Client, crm: FakeZohoCRM) -> None:
    response = client.post("/Leads", json={"data": [{"First_Name": "Ada", "Last_Name": "Lovelace"}],
                                           "trigger": ["workflow"]})
    assert response.status_code == 201
    (entry,) = response.json()["data"]
    assert entry["code"] == "SUCCESS" and entry["status"] == "success" and entry["message"] == "record added"
    details = entry["details"]
    assert set(details) == {"Modified_Time", "Modified_By", "Created_Time", "id", "Created_By"}
    assert len(details["id"]) == 19 and details["id"].isdigit()
    assert details["Created_Time"] == "2024-05-02T10:20:30+00:00"
    assert set(details["Created_By"]) == {"name", "id"}
    (stored,) = crm.records("Leads")
    assert stored["Full_Name"] == "Ada Lovelace"
    assert set(stored["Owner"]) == {"name", "id", "email"}


def test_insert_mandatory_missing_all_fail_is_400(client: httpx.Client, crm: FakeZohoCRM) -> None:
    response = client.post("/Leads", json={"data": [{"First_Name": "NoLast"}]})
    assert response.status_code == 400
    assert response.json()["data"] == [{"code": "MANDATORY_NOT_FOUND", "status": "error",
                                        "message": "required field not found",
                                        "details": {"api_name": "Last_Name", "json_path": "$.data[0].Last_Name"}}]
    assert crm.records("Leads") == []


def test_insert_partial_is_207(client: httpx.Client, crm: FakeZohoCRM) -> None:
    response = client.post("/Deals", json={"data": [{"Deal_Name": "Big", "Stage": "Qualification"},
                                                    {"Deal_Name": "No stage"}]})
    assert response.status_code == 207
    assert [e["status"] for e in response.json()["data"]] == ["success", "error"]
    assert response.json()["data"][1]["details"]["api_name"] == "Stage"
    assert len(crm.records("Deals")) == 1


@pytest.mark.parametrize(("body", "code"), [
    (b"not json", "INVALID_DATA"), (b"{}", "REQUIRED_PARAM_MISSING"), (b'{"data": []}', "INVALID_DATA"),
    (b'{"data": {"a": 1}}', "INVALID_DATA"),
    (json.dumps({"data": [{"Last_Name": "x"}] * 101}).encode(), "LIMIT_EXCEEDED"),
])
def test_insert_bad_bodies(client: httpx.Client, body: bytes, code: str) -> None:
    response = client.post("/Leads", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["status"] == "error"


def test_lookup_given_as_id_comes_back_with_name(client: httpx.Client) -> None:
    (account,) = add(client, "Accounts", {"Account_Name": "Zylker"})
    (contact,) = add(client, "Contacts", {"Last_Name": "Doe", "Account_Name": {"id": account}})
    (deal,) = add(client, "Deals", {"Deal_Name": "D", "Stage": "Qualification", "Contact_Name": contact,
                                    "Account_Name": {"id": account}})
    record = client.get(f"/Deals/{deal}").json()["data"][0]
    assert record["Account_Name"] == {"name": "Zylker", "id": account}
    assert record["Contact_Name"] == {"name": "Doe", "id": contact}


# ---- read
def test_get_by_id_and_fields(client: httpx.Client) -> None:
    (lead,) = add(client, "Leads", {"Last_Name": "Byron", "Email": "b@example.com", "Company": "C"})
    response = client.get(f"/Leads/{lead}")
    assert response.status_code == 200 and response.json()["data"][0]["Email"] == "b@example.com"
    assert "info" not in response.json()
    only = client.get(f"/Leads/{lead}", params={"fields": "Email"}).json()["data"][0]
    assert only == {"id": lead, "Email": "b@example.com"}


def test_get_missing_id_is_204(client: httpx.Client) -> None:
    response = client.get("/Leads/4876876000000999999")
    assert response.status_code == 204 and response.content == b""


def test_list_pagination_more_records(client: httpx.Client) -> None:
    add(client, "Leads", *({"Last_Name": f"L{i}"} for i in range(5)))
    first = client.get("/Leads", params={"page": 1, "per_page": 2}).json()
    assert first["info"] == {"page": 1, "per_page": 2, "count": 2, "more_records": True}
    last = client.get("/Leads", params={"page": 3, "per_page": 2}).json()
    assert last["info"] == {"page": 3, "per_page": 2, "count": 1, "more_records": False}
    assert [r["Last_Name"] for r in last["data"]] == ["L4"]
    beyond = client.get("/Leads", params={"page": 4, "per_page": 2})
    assert beyond.status_code == 204 and beyond.content == b""
    everything = client.get("/Leads").json()
    assert everything["info"] == {"page": 1, "per_page": 200, "count": 5, "more_records": False}
    assert client.get("/Leads", params={"per_page": 500}).json()["info"]["per_page"] == 200
    bad = client.get("/Leads", params={"page": "zero"})
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_DATA"


def test_empty_module_is_204(client: httpx.Client) -> None:
    response = client.get("/Accounts")
    assert response.status_code == 204 and response.content == b""


def test_list_fields_sort_and_ids(client: httpx.Client) -> None:
    ids = add(client, "Leads", {"Last_Name": "b", "Annual_Revenue": 10}, {"Last_Name": "a", "Annual_Revenue": 30},
              {"Last_Name": "c", "Annual_Revenue": 20})
    body = client.get("/Leads", params={"fields": "Last_Name", "sort_by": "Last_Name", "sort_order": "asc"}).json()
    assert [r["Last_Name"] for r in body["data"]] == ["a", "b", "c"]
    assert set(body["data"][0]) == {"id", "Last_Name"}
    desc = client.get("/Leads", params={"sort_by": "Annual_Revenue"}).json()  # desc is Zoho's default
    assert [r["Annual_Revenue"] for r in desc["data"]] == [30, 20, 10]
    picked = client.get("/Leads", params={"ids": f"{ids[0]},{ids[2]}"}).json()
    assert [r["id"] for r in picked["data"]] == [ids[0], ids[2]]


def test_v8_list_requires_fields(crm: FakeZohoCRM, client: httpx.Client) -> None:
    add(client, "Leads", {"Last_Name": "x", "Email": "x@example.com"})
    v8 = httpx.Client(base_url=crm.api_url("v8"), headers=AUTH, verify=False)
    missing = v8.get("/Leads")
    assert missing.status_code == 400
    assert missing.json() == {"code": "REQUIRED_PARAM_MISSING", "details": {"param": "fields"},
                              "message": "a required parameter is missing", "status": "error"}
    ok = v8.get("/Leads", params={"fields": "Last_Name,Email"})
    assert ok.status_code == 200
    assert ok.json()["data"][0]["Email"] == "x@example.com"
    assert ok.json()["info"]["more_records"] is False
    assert v8.get(f"/Leads/{ok.json()['data'][0]['id']}").status_code == 200  # by id needs no fields


def test_unknown_module(client: httpx.Client) -> None:
    response = client.get("/Widgets")
    assert response.status_code == 400
    assert response.json() == {"code": "INVALID_MODULE", "details": {},
                               "message": "the module name given seems to be invalid", "status": "error"}


def test_module_names_are_case_insensitive(client: httpx.Client) -> None:
    add(client, "leads", {"Last_Name": "x"})
    assert client.get("/LEADS").json()["info"]["count"] == 1


def test_unknown_path_and_method(crm: FakeZohoCRM, client: httpx.Client) -> None:
    assert WEB.get(crm.url + "/nothing", headers=AUTH).json()["code"] == "INVALID_URL_PATTERN"
    assert client.patch("/Leads", json={}).status_code == 405
    assert client.post("/Leads/search").json()["code"] == "INVALID_REQUEST_METHOD"


# ---- update and delete
def test_update_by_id(client: httpx.Client, crm: FakeZohoCRM) -> None:
    (lead,) = add(client, "Leads", {"First_Name": "A", "Last_Name": "B"})
    response = client.put(f"/Leads/{lead}", json={"data": [{"Last_Name": "C", "Lead_Status": "Contacted"}]})
    assert response.status_code == 200
    (entry,) = response.json()["data"]
    assert entry["message"] == "record updated" and entry["details"]["id"] == lead
    stored = crm.record("Leads", lead)
    assert stored is not None and stored["Full_Name"] == "A C" and stored["Lead_Status"] == "Contacted"


def test_bulk_update_with_invalid_and_missing_ids(client: httpx.Client) -> None:
    ids = add(client, "Contacts", {"Last_Name": "x"}, {"Last_Name": "y"})
    response = client.put("/Contacts", json={"data": [{"id": ids[0], "Title": "CEO"}, {"id": ids[1], "Title": "CTO"}]})
    assert response.status_code == 200 and len(response.json()["data"]) == 2
    mixed = client.put("/Contacts", json={"data": [{"id": ids[0], "Title": "CFO"}, {"id": "123", "Title": "?"},
                                                   {"Title": "no id"}]})
    assert mixed.status_code == 207
    codes = [e["code"] for e in mixed.json()["data"]]
    assert codes == ["SUCCESS", "INVALID_DATA", "MANDATORY_NOT_FOUND"]
    failed = client.put("/Contacts/4876876000000999999", json={"data": [{"Title": "x"}]})
    assert failed.status_code == 400 and failed.json()["data"][0]["code"] == "INVALID_DATA"


def test_delete_by_ids_and_by_path(client: httpx.Client, crm: FakeZohoCRM) -> None:
    ids = add(client, "Leads", *({"Last_Name": f"L{i}"} for i in range(3)))
    response = client.delete("/Leads", params={"ids": f"{ids[0]},{ids[1]}"})
    assert response.status_code == 200
    assert response.json()["data"][0] == {"code": "SUCCESS", "details": {"id": ids[0]},
                                          "message": "record deleted", "status": "success"}
    one = client.delete(f"/Leads/{ids[2]}")
    assert one.status_code == 200 and one.json()["data"][0]["message"] == "record deleted"
    assert crm.records("Leads") == []
    again = client.delete(f"/Leads/{ids[2]}")
    assert again.status_code == 400 and again.json()["data"][0]["code"] == "INVALID_DATA"
    missing = client.delete("/Leads")
    assert missing.status_code == 400 and missing.json()["details"] == {"param": "ids"}


# ---- upsert
def test_upsert_insert_then_update(client: httpx.Client, crm: FakeZohoCRM) -> None:
    body = {"data": [{"Last_Name": "Up", "Email": "up@example.com"}], "duplicate_check_fields": ["Email"]}
    first = client.post("/Leads/upsert", json=body)
    assert first.status_code == 200
    entry = first.json()["data"][0]
    assert (entry["action"], entry["message"], entry["duplicate_field"]) == ("insert", "record added", None)
    body["data"][0]["Company"] = "NewCo"
    body["data"][0]["Email"] = "UP@example.com"  # duplicate check ignores case
    second = client.post("/Leads/upsert", json=body).json()["data"][0]
    assert (second["action"], second["message"], second["duplicate_field"]) == ("update", "record updated", "Email")
    assert second["details"]["id"] == entry["details"]["id"]
    (stored,) = crm.records("Leads")
    assert stored["Company"] == "NewCo"


def test_upsert_default_duplicate_field_and_mandatory(client: httpx.Client) -> None:
    add(client, "Accounts", {"Account_Name": "Zylker"})
    entry = client.post("/Accounts/upsert", json={"data": [{"Account_Name": "Zylker", "Phone": "1"}]}).json()["data"][0]
    assert entry["action"] == "update" and entry["duplicate_field"] == "Account_Name"
    failed = client.post("/Leads/upsert", json={"data": [{"Email": "nobody@example.com"}]})
    assert failed.status_code == 400 and failed.json()["data"][0]["code"] == "MANDATORY_NOT_FOUND"


# ---- search
@pytest.fixture
def people(client: httpx.Client) -> list[str]:
    return add(client, "Contacts",
               {"First_Name": "Ann", "Last_Name": "Smith", "Email": "ann@acme.com", "Phone": "+1 555 100 2000",
                "Age": 30, "Mailing_City": "Austin"},
               {"First_Name": "Bob", "Last_Name": "Smithers", "Email": "bob@acme.com", "Age": 45,
                "Mailing_City": "Berlin"},
               {"First_Name": "Cid", "Last_Name": "Jones", "Email": "cid@zylker.com", "Age": 52,
                "Description": "met at the trade show"})


@pytest.mark.parametrize(("criteria", "expected"), [
    ("(Last_Name:equals:Smith)", ["Ann"]),
    ("(Last_Name:equals:smith)", ["Ann"]),
    ("(Last_Name:starts_with:Smi)", ["Ann", "Bob"]),
    ("(Last_Name:not_equal:Smith)", ["Bob", "Cid"]),
    ("(Age:greater_than:30)", ["Bob", "Cid"]),
    ("(Age:less_than:45)", ["Ann"]),
    ("(Age:greater_equal:45)", ["Bob", "Cid"]),
    ("(Age:between:40,50)", ["Bob"]),
    ("(First_Name:in:Ann,Cid)", ["Ann", "Cid"]),
    ("((Last_Name:starts_with:Smi)and(Age:greater_than:40))", ["Bob"]),
    ("((Last_Name:equals:Jones)or(First_Name:equals:Ann))", ["Ann", "Cid"]),
    ("(Last_Name:equals:Jones)or(First_Name:equals:Ann)", ["Ann", "Cid"]),
    ("((Mailing_City:equals:Austin)or(Mailing_City:equals:Berlin))and(Age:less_than:40)", ["Ann"]),
    ("(Mailing_City:equals:${EMPTY})", ["Cid"]),
])
def test_search_criteria(client: httpx.Client, people: list[str], criteria: str, expected: list[str]) -> None:
    response = client.get("/Contacts/search", params={"criteria": criteria})
    assert response.status_code == 200, response.text
    assert [r["First_Name"] for r in response.json()["data"]] == expected
    assert response.json()["info"]["count"] == len(expected)


def test_search_no_match_is_204(client: httpx.Client, people: list[str]) -> None:
    response = client.get("/Contacts/search", params={"criteria": "(Last_Name:equals:Nobody)"})
    assert response.status_code == 204 and response.content == b""


def test_search_email_phone_word(client: httpx.Client, people: list[str]) -> None:
    def names(**params: str) -> list[str]:
        response = client.get("/Contacts/search", params=params)
        return [r["First_Name"] for r in response.json()["data"]] if response.status_code == 200 else []

    assert names(email="BOB@acme.com") == ["Bob"]
    assert names(phone="15551002000") == ["Ann"]
    assert names(word="trade show") == ["Cid"]
    assert names(word="acme") == ["Ann", "Bob"]


def test_search_pagination(client: httpx.Client, people: list[str]) -> None:
    body = client.get("/Contacts/search", params={"criteria": "(Age:greater_than:1)", "per_page": 2}).json()
    assert body["info"] == {"page": 1, "per_page": 2, "count": 2, "more_records": True}
    page2 = client.get("/Contacts/search", params={"criteria": "(Age:greater_than:1)", "per_page": 2, "page": 2})
    assert page2.json()["info"]["more_records"] is False and page2.json()["info"]["count"] == 1


@pytest.mark.parametrize("criteria", ["Last_Name:equals:x", "(Last_Name:equals)", "(Last_Name:like:x)",
                                      "((Last_Name:equals:x)", "(Last_Name:equals:x)xor(A:equals:b)"])
def test_search_invalid_criteria(client: httpx.Client, criteria: str) -> None:
    response = client.get("/Contacts/search", params={"criteria": criteria})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_QUERY" and response.json()["details"]["reason"]


def test_search_needs_a_parameter(client: httpx.Client) -> None:
    response = client.get("/Contacts/search")
    assert response.status_code == 400 and response.json()["code"] == "REQUIRED_PARAM_MISSING"


def test_criteria_parser_escapes_and_lookups() -> None:
    node = parse_criteria(r"(Company:equals:Smith \(UK\)\, Ltd)")
    assert matches(node, {"Company": "Smith (UK), Ltd"})
    lookup = parse_criteria("(Account_Name:equals:Zylker)")
    assert matches(lookup, {"Account_Name": {"name": "Zylker", "id": "1"}})
    assert matches(parse_criteria("(Account_Name.id:equals:1)"), {"Account_Name": {"name": "Z", "id": "1"}})
    with pytest.raises(CriteriaError):
        parse_criteria("")


# ---- related lists
def test_related_records(client: httpx.Client) -> None:
    (contact, other) = add(client, "Contacts", {"Last_Name": "Rel"}, {"Last_Name": "Other"})
    add(client, "Deals", {"Deal_Name": "D1", "Stage": "Qualification", "Contact_Name": {"id": contact}},
        {"Deal_Name": "D2", "Stage": "Qualification", "Contact_Name": {"id": other}},
        {"Deal_Name": "D3", "Stage": "Closed Won", "Contact_Name": {"id": contact}})
    add(client, "Notes", {"Note_Content": "call back", "Parent_Id": {"id": contact}, "se_module": "Contacts"})
    deals = client.get(f"/Contacts/{contact}/Deals")
    assert deals.status_code == 200
    assert [d["Deal_Name"] for d in deals.json()["data"]] == ["D1", "D3"]
    assert deals.json()["info"]["count"] == 2
    notes = client.get(f"/Contacts/{contact}/Notes").json()["data"]
    assert notes[0]["Note_Content"] == "call back" and notes[0]["Parent_Id"]["name"] == "Rel"
    assert client.get(f"/Contacts/{other}/Notes").status_code == 204
    assert client.get(f"/Contacts/{contact}/Attachments").status_code == 204
    bad = client.get(f"/Contacts/{contact}/Nonsense")
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_DATA"
    assert client.get("/Contacts/4876876000000999999/Deals").status_code == 400


# ---- org, users, variables, modules
def test_org_users_modules_variables() -> None:
    with FakeZohoCRM(accept_tokens={TOKEN}, variables={"Tax_Rate": "7.5"}) as crm:
        c = httpx.Client(base_url=crm.api_url(), headers=AUTH, verify=False)
        assert c.get("/org").json()["org"][0]["company_name"] == "Sandbox Inc"
        assert len(c.get("/users", params={"type": "CurrentUser"}).json()["users"]) == 1
        assert "Leads" in [m["api_name"] for m in c.get("/settings/modules").json()["modules"]]
        (var,) = c.get("/settings/variables/Tax_Rate").json()["variables"]
        assert var["value"] == "7.5" and var["api_name"] == "Tax_Rate"
        assert c.get(f"/settings/variables/{var['id']}").json()["variables"][0]["value"] == "7.5"
        crm.set_variable("Region", "EU")
        assert len(c.get("/settings/variables").json()["variables"]) == 2
        assert c.get("/settings/variables/Missing").status_code == 204


# ---- auth
@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Zoho-oauthtoken wrong"}, {"Authorization": f"Bearer {TOKEN}"},
    {"Authorization": "Zoho-oauthtoken"}, {"Authorization": TOKEN},
])
def test_auth_failures(crm: FakeZohoCRM, headers: dict[str, str]) -> None:
    response = WEB.get(crm.url + "/crm/v2/Leads", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token",
                               "status": "error"}


def test_auth_checked_before_module(crm: FakeZohoCRM) -> None:
    assert WEB.get(crm.url + "/crm/v2/Widgets").status_code == 401


def test_custom_validator_and_open_mode() -> None:
    with FakeZohoCRM(lambda token: token.startswith("good")) as crm:
        assert WEB.get(crm.url + "/crm/v2/org", headers={"Authorization": "Zoho-oauthtoken good1"}).status_code == 200
        assert WEB.get(crm.url + "/crm/v2/org", headers={"Authorization": "Zoho-oauthtoken bad"}).status_code == 401
    with FakeZohoCRM() as crm:  # no validator, no token list: any non-empty token
        assert WEB.get(crm.url + "/crm/v2/org", headers={"Authorization": "Zoho-oauthtoken x"}).status_code == 200
        assert WEB.get(crm.url + "/crm/v2/org").status_code == 401


def test_with_oauth_provider_tokens_and_expiry() -> None:
    with FakeOAuthProvider() as provider, FakeZohoCRM.with_oauth(provider) as crm:
        access, _refresh = provider.issue_tokens()
        url = crm.url + "/crm/v2/org"
        assert WEB.get(url, headers={"Authorization": f"Zoho-oauthtoken {access}"}).status_code == 200
        assert WEB.get(url, headers={"Authorization": "Zoho-oauthtoken made-up"}).status_code == 401
        provider.expire_access_tokens()
        expired = WEB.get(url, headers={"Authorization": f"Zoho-oauthtoken {access}"})
        assert expired.status_code == 401 and expired.json()["code"] == "INVALID_TOKEN"


# ---- introspection
def test_request_log_masks_tokens(crm: FakeZohoCRM, client: httpx.Client) -> None:
    crm.clear_requests()
    client.get("/Leads", params={"page": "1"})
    (logged,) = crm.requests
    assert (logged.method, logged.path, logged.query, logged.status) == ("GET", "/crm/v2/Leads", {"page": "1"}, 204)
    authorization = next(v for k, v in logged.headers.items() if k.lower() == "authorization")
    assert authorization == "Zoho-oauthtoken ***" and TOKEN not in json.dumps(logged.headers)


# ---- seeding
def test_seed_json_creates_modules_and_keeps_ids(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({
        "Leads": [{"id": "4876876000000123001", "Last_Name": "Seeded", "Email": "s@example.com"}],
        "Projects": [{"Name": "Apollo"}, {"Name": "Gemini"}],
    }))
    with FakeZohoCRM(accept_tokens={TOKEN}) as crm:
        assert crm.seed_json(seed) == {"Leads": 1, "Projects": 2}
        c = httpx.Client(base_url=crm.api_url(), headers=AUTH, verify=False)
        assert c.get("/Leads/4876876000000123001").json()["data"][0]["Email"] == "s@example.com"
        projects = c.get("/Projects").json()
        assert [p["Name"] for p in projects["data"]] == ["Apollo", "Gemini"]
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with FakeZohoCRM() as crm, pytest.raises(ValueError):
        crm.seed_json(bad)


def test_seed_csv(tmp_path: Path) -> None:
    (tmp_path / "Leads.csv").write_text("First_Name,Last_Name,Email,Owner.id\n"
                                        "Ann,Lee,ann@example.com,4876876000000011002\nBo,Ng,,\n")
    with FakeZohoCRM(accept_tokens={TOKEN}) as crm:
        crm.seed_file(tmp_path / "Leads.csv")
        leads = crm.records("Leads")
        assert [lead["Full_Name"] for lead in leads] == ["Ann Lee", "Bo Ng"]
        assert "Email" not in leads[1]
        assert leads[0]["Owner"]["name"] == "Second User"
        assert crm.seed_csv(tmp_path / "Leads.csv", module="Prospects") == 2
        response = WEB.get(crm.api_url() + "/Prospects/search", params={"email": "ann@example.com"}, headers=AUTH)
        assert response.json()["data"][0]["Last_Name"] == "Lee"


def test_seed_sample_is_deterministic_and_linked() -> None:
    with FakeZohoCRM() as one, FakeZohoCRM() as two:
        counts = one.seed_sample(8)
        assert counts == {"Accounts": 2, "Leads": 8, "Contacts": 8, "Deals": 8, "Products": 2, "Tasks": 4,
                          "Calls": 4, "Events": 4}
        two.seed_sample(8)
        for module in counts:
            assert len(one.records(module)) == counts[module] and one.records(module) == two.records(module)
        deal_ids = {d["id"] for d in one.records("Deals")}
        for activity in one.records("Tasks") + one.records("Calls") + one.records("Events"):
            assert activity["What_Id"]["id"] in deal_ids and activity["$se_module"] == "Deals"
        contact_ids = {c["id"] for c in one.records("Contacts")}
        for deal in one.records("Deals"):
            assert deal["Contact_Name"]["id"] in contact_ids and deal["Account_Name"]["name"]
            assert deal["Stage"] and isinstance(deal["Amount"], int)
        assert len({lead["Email"] for lead in one.records("Leads")}) == 8


def test_file_db_persists_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "crm.sqlite"
    with FakeZohoCRM(accept_tokens={TOKEN}, db=db) as crm:
        (lead,) = add(httpx.Client(base_url=crm.api_url(), headers=AUTH, verify=False), "Leads", {"Last_Name": "Kept"})
        crm.add_module("Projects")
    with FakeZohoCRM(accept_tokens={TOKEN}, db=db) as crm:
        c = httpx.Client(base_url=crm.api_url(), headers=AUTH, verify=False)
        assert c.get(f"/Leads/{lead}").json()["data"][0]["Last_Name"] == "Kept"
        assert c.get("/Projects").status_code == 204  # the module survived too
        (new,) = add(c, "Leads", {"Last_Name": "Next"})
        assert new != lead


# ---- entry point
def test_main_rejects_bad_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seed", str(tmp_path / "missing.json")]) == 2
    assert "cannot seed" in capsys.readouterr().err


def test_module_runs_by_hand(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"Leads": [{"Last_Name": "Hand"}]}))
    process = subprocess.Popen([sys.executable, "-m", "deluge_lite.testing.fake_crm", "--seed", str(seed),
                                "--token", TOKEN], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split(" on ", 1)[1].split()[0]
        body = WEB.get(url + "/crm/v2/Leads", headers=AUTH).json()
        assert body["data"][0]["Last_Name"] == "Hand"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_parallel_inserts_get_distinct_ids(crm: FakeZohoCRM) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def insert(i: int) -> str:
        response = WEB.post(crm.api_url() + "/Leads", json={"data": [{"Last_Name": f"P{i}"}]}, headers=AUTH)
        return response.json()["data"][0]["details"]["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(insert, range(40)))
    assert len(set(ids)) == 40 and len(crm.records("Leads")) == 40


def test_sort_order_alone_sorts_by_id(client: httpx.Client) -> None:
    ids = add(client, "Leads", *({"Last_Name": f"L{i}"} for i in range(3)))
    asc = client.get("/Leads", params={"sort_order": "asc"}).json()["data"]
    desc = client.get("/Leads", params={"sort_order": "desc"}).json()["data"]
    assert [r["id"] for r in asc] == ids and [r["id"] for r in desc] == ids[::-1]
    assert client.get("/Leads", params={"sort_order": "up"}).status_code == 400
