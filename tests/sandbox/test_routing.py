"""Zoho URLs of every data centre go to the fakes; stubs, loopback and offline errors; links bound once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from deluge_lite.errors import DelugeRuntimeError
from deluge_lite.sandbox import Sandbox, parse_module_spec, read_stubs
from deluge_lite.sandbox.hosts import DATA_CENTRES, ROUTES, Router, find_route, zoho_product
from deluge_lite.testing.fake_services import find_service

# One real URL per route of the table (the data centre is filled in below).
EXAMPLES = {
    ("Zoho CRM", "/crm/"): "https://www.zohoapis.{dc}/crm/v6/Leads/1",
    ("Zoho CRM", "/bigin/"): "https://www.zohoapis.{dc}/bigin/v2/Contacts",
    ("Zoho Books", "/books/"): "https://www.zohoapis.{dc}/books/v3/invoices?organization_id=1",
    ("Zoho Books", "/api/"): "https://books.zoho.{dc}/api/v3/contacts",
    ("Zoho Inventory", "/inventory/"): "https://www.zohoapis.{dc}/inventory/v1/items",
    ("Zoho Inventory", "/api/"): "https://inventory.zoho.{dc}/api/v1/salesorders",
    ("Zoho Creator", "/creator/"): "https://www.zohoapis.{dc}/creator/v2.1/data/o/a/report/R",
    ("Zoho Creator", "/api/"): "https://creator.zoho.{dc}/api/v2/o/a/report/R",
    ("Zoho Desk", "/api/"): "https://desk.zoho.{dc}/api/v1/tickets",
    ("Zoho Desk", "/desk/"): "https://www.zohoapis.{dc}/desk/api/v1/tickets",
    ("Zoho Cliq", "/api/"): "https://cliq.zoho.{dc}/api/v2/channelsbyname/c/message",
    ("Zoho Cliq", "/cliq/"): "https://www.zohoapis.{dc}/cliq/api/v2/bots/b/message",
    ("Zoho WorkDrive", "/workdrive/"): "https://www.zohoapis.{dc}/workdrive/api/v1/files",
    ("Zoho WorkDrive", "/api/"): "https://workdrive.zoho.{dc}/api/v1/files/abc",
    ("Zoho Sheet", "/api/"): "https://sheet.zoho.{dc}/api/v2/resource1",
    ("Zoho Projects", "/restapi/"): "https://projectsapi.zoho.{dc}/restapi/portal/1/projects/",
    ("Zoho Projects", "/api/"): "https://projectsapi.zoho.{dc}/api/v3/portal/1/projects/2/tasks",
    ("Zoho SalesIQ", "/api/"): "https://salesiq.zoho.{dc}/api/v2/portal/conversations",
}


def test_every_route_has_an_example() -> None:
    assert {(route.service, route.path) for route in ROUTES} == set(EXAMPLES)


@pytest.mark.parametrize("dc", DATA_CENTRES)
@pytest.mark.parametrize(("key", "template"), EXAMPLES.items(), ids=lambda v: v if isinstance(v, str) else v[0])
def test_each_zoho_url_reaches_a_fake_service(dc: str, key: tuple[str, str], template: str) -> None:
    found = find_route(template.format(dc=dc))
    assert found is not None
    route, local = found
    assert route.service == key[0]
    segments = [s for s in local.split("/") if s]
    # the local path is one the fake Zoho serves: the CRM's own router, or a service table
    assert segments[0] == "crm" or find_service(segments) is not None, local


def test_router_rewrites_keeps_the_query_and_binds_the_link() -> None:
    bound: list[tuple[str, str]] = []
    router = Router("http://127.0.0.1:5000", bind=lambda link, service: bound.append((link, service)))
    assert router("https://www.zohoapis.eu/crm/v8/Deals?fields=Stage", "zcrm") == \
        "http://127.0.0.1:5000/crm/v8/Deals?fields=Stage"
    assert router("https://desk.zoho.com.au/api/v1/tickets", "desk") == "http://127.0.0.1:5000/desk/api/v1/tickets"
    assert bound == [("zcrm", "Zoho CRM"), ("desk", "Zoho Desk")]
    assert router("http://127.0.0.1:9999/x") == "http://127.0.0.1:9999/x"  # other local servers are left alone


def test_router_stubs_and_offline_errors() -> None:
    router = Router("http://127.0.0.1:5000", stubs=[("https://api.example.com/v1", {"ok": True})])
    assert router("https://api.example.com/v1/rates?x=1") == "http://127.0.0.1:5000/__stub/0"
    with pytest.raises(DelugeRuntimeError) as offline:
        router("https://api.other.test/v2/things")
    assert "offline" in str(offline.value) and "api.other.test" in str(offline.value)
    assert "--stub https://api.other.test/v2=FILE.json" in str(offline.value)
    with pytest.raises(DelugeRuntimeError) as not_faked:
        router("https://campaigns.zoho.in/api/v1.1/getmailinglists")
    assert "does not fake Zoho Campaigns" in str(not_faked.value)
    assert zoho_product("www.zohoapis.eu", "/writer/api/v1/documents") == "Zoho Writer"
    assert zoho_product("www.zohoapis.com", "/nothing/") == "Zoho's /nothing/ API"
    assert zoho_product("example.com") is None


def test_stub_and_module_specs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "a.json"
    good.write_text('{"rate": 1.5}')
    urls, connectors = read_stubs([f"https://a.test/x={good}", f"https://a.test/x/y={good}", f"connector:sms={good}"])
    assert [prefix for prefix, _ in urls] == ["https://a.test/x/y", "https://a.test/x"]  # longest first
    assert connectors == {"sms": {"rate": 1.5}}
    bad = tmp_path / "b.json"
    bad.write_text("{nope")
    from deluge_lite.errors import UsageError

    for spec, words in ((f"https://a.test={bad}", "not valid JSON"), ("https://a.test", "URL_PREFIX=FILE.json"),
                        (f"ftp://a={good}", "must start with http"), (f"https://a.test={tmp_path}/none.json",
                                                                      "does not exist")):
        with pytest.raises(UsageError, match=words):
            read_stubs([spec])
    assert parse_module_spec("Projects:Name,Budget") == ("Projects", ["Name", "Budget"])
    with pytest.raises(UsageError):
        parse_module_spec("9bad")


def test_unknown_links_bind_once_with_a_notice(sandbox: Sandbox, run_deluge: Callable[[str], list[str]]) -> None:
    lines = run_deluge('a = invokeurl [ url: "https://www.zohoapis.in/crm/v2/Leads" type: GET connection: "zcrm" ];\n'
                       'b = zoho.crm.getRecords("Contacts", 1, 5, Map(), "zcrm");\n'
                       'c = zoho.books.getRecords("contacts", "1", Map(), "books_conn");\n'
                       'info a.get("data").size() + " " + b.size() + " " + c.get("code");\n')
    assert lines == ["6 5 0"]
    assert sandbox.notices == ["sandbox: connection 'zcrm' is bound to the fake Zoho CRM",  # type: ignore[attr-defined]
                               "sandbox: connection 'books_conn' is bound to the fake Zoho Books"]


def test_bad_link_names_and_unreachable_hosts_are_script_errors(run_deluge: Callable[[str], list[str]]) -> None:
    from deluge_lite.errors import DelugeError

    with pytest.raises(DelugeError, match="not a valid connection link name"):
        run_deluge('r = invokeurl [ url: "https://www.zohoapis.com/crm/v2/Leads" type: GET connection: "Bad Name" ];')
    with pytest.raises(DelugeError, match="offline"):
        run_deluge('r = getUrl("https://example.org/x");')


def test_the_readme_lists_every_faked_route() -> None:
    from pathlib import Path

    from deluge_lite.sandbox import routes_doc
    from deluge_lite.testing.fake_services.routes import SERVICES

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = routes_doc.markdown()
    assert table in readme, "README's sandbox routes are stale: python -m deluge_lite.sandbox.routes_doc README.md"
    for service in SERVICES:  # every row of every table shows up
        assert all(f"{route.method} /" in table for route in service.routes)
    assert "`POST /coql`" in table and "`GET /users[/{id}, /search]`" in table
