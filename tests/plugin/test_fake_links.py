"""The plugin's fakes bind any link name to the fake of the service it is used for, as ``run --sandbox`` does."""

from __future__ import annotations

from typing import Any

import pytest

from deluge_lite.connections import ConnectionRegistry
from deluge_lite.connections.catalog import load_catalog
from deluge_lite.connections.config import parse_connection
from deluge_lite.embed import Deluge
from deluge_lite.testing.harness import FakeServices, Harness


def test_an_unconfigured_link_reaches_the_fake_crm(deluge: Deluge, deluge_fakes: FakeServices) -> None:
    deluge_fakes.crm.seed_records("Leads", [{"Last_Name": "Ng", "Company": "Acme"}])
    result = deluge.run('''
        leads = zoho.crm.getRecords("Leads", 1, 200, {}, "my_crm");
        info leads.get(0).get("Last_Name");
        rest = invokeurl [ url: "https://www.zohoapis.eu/crm/v6/Leads?fields=Last_Name" type: GET connection: "zcrm" ];
        info rest.get("data").size();
        zoho.cliq.postToChannel("sales", "Hot lead", "cliq_bot");
    ''')
    assert result.info == ["Ng", "1"]
    assert [(call.connection, call.status) for call in result.http_calls] == [
        ("my_crm", 200), ("zcrm", 200), ("cliq_bot", 204)]
    assert deluge_fakes.notices == ["sandbox: connection 'my_crm' is bound to the fake Zoho CRM",
                                    "sandbox: connection 'zcrm' is bound to the fake Zoho CRM",
                                    "sandbox: connection 'cliq_bot' is bound to the fake Zoho Cliq"]
    assert [message["to"] for message in deluge_fakes.crm.messages()] == ["channel:sales"]
    # the embedding API returns what the run posted
    assert result.messages == [{"task": "zoho.cliq.postToChannel", "to": "channel sales",
                                "message": {"text": "Hot lead"}, "status": 204}]
    assert deluge.messages == result.messages
    # every request the fakes saw carried a live token of the fake provider
    assert all(request.headers["Authorization"].startswith("Zoho-oauthtoken")
               for request in deluge_fakes.crm.requests)


def test_a_stub_still_answers_a_zoho_url(deluge: Deluge, http_stub: Any, deluge_fakes: FakeServices) -> None:
    route = http_stub.get("https://www.zohoapis.com/crm/v6/Deals*", json={"data": [{"id": "1"}]})
    result = deluge.run('return invokeurl [ url: "https://www.zohoapis.com/crm/v6/Deals" type: GET '
                        'connection: "zcrm" ];')
    assert result.value == {"data": [{"id": "1"}]} and route.call_count == 1


def _own_registry(fakes: FakeServices) -> ConnectionRegistry:
    """A test's own connection 'my_real', aimed at Zoho's real API domain (tokens from the fake provider)."""
    catalog = load_catalog()
    _, refresh = fakes.oauth.issue_tokens(scope="ZohoCRM.modules.ALL")
    client_id, client_secret = next(iter(fakes.oauth.clients.items()))
    table = {"service": "zoho_crm", "client_id": client_id, "client_secret": client_secret, "refresh_token": refresh,
             "accounts_server": fakes.oauth.url, "api_domain": "https://www.zohoapis.com"}
    connection = parse_connection("my_real", table, catalog.services, catalog, where="test")
    return ConnectionRegistry({"my_real": connection}, services=catalog.services, catalog=catalog)


def test_a_configured_connection_is_never_sent_to_the_fakes() -> None:
    fakes = FakeServices()
    harness = Harness(mode="off", fakes=fakes, connections=lambda: _own_registry(fakes))
    try:
        url = "https://www.zohoapis.com/crm/v6/Leads"
        assert harness.route(url, "my_real") == url
        with pytest.raises(Exception, match="unstubbed HTTP request GET https://www.zohoapis.com/crm/v6/Leads"):
            harness.deluge.run(f'r = invokeurl [ url: "{url}" type: GET connection: "my_real" ];')
        assert fakes.notices == []
    finally:
        harness.finish()


def test_dg_file_expects_the_notice(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_links="""\
// seed: Contacts [{"Last_Name": "Ada", "Email": "ada@example.com"}]
---
// name: a script's own link names
r = zoho.crm.searchRecords("Contacts", "(Email:equals:ada@example.com)", 1, 200, {}, "crm_conn");
info r.get(0).get("Last_Name");          // expect: Ada
b = zoho.books.getRecords("Contacts", "1234", "", "books_conn");
info b.get("code");                      // expect: 0
// expect-notice: 'crm_conn' is bound to the fake Zoho CRM
// expect-notice: 'books_conn' is bound to the fake Zoho Books
---
// name: a missing notice fails
info 1;                                  // expect: 1
// expect-notice: 'nope' is bound
""")
    result = pytester.runpytest("-q")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*no sandbox notice contains: 'nope' is bound (expect-notice at line 13)*"])


def test_books_search_as_text_or_map(deluge: Deluge) -> None:
    result = deluge.run('''
        zoho.books.createRecord("Contacts", "1234", {"contact_name": "Ada"}, "books_conn");
        zoho.books.createRecord("Contacts", "1234", {"contact_name": "Grace"}, "books_conn");
        by_text = zoho.books.getRecords("Contacts", "1234", "contact_name=Grace", "books_conn");
        by_map = zoho.books.getRecords("Contacts", "1234", {"contact_name": "Ada"}, "books_conn");
        every = zoho.books.getRecords("Contacts", "1234", "", "books_conn");
        return {by_text.get("contacts").size(), by_map.get("contacts").get(0).get("contact_name"),
                every.get("contacts").size()};
    ''')
    assert result.value == [1, "Ada", 2]
