"""Sample code for a connection, as Zoho's Connection Summary offers it: Deluge and JSON.

Owns `deluge_sample` (an ``invokeurl`` with ``connection:`` against the service's base URL,
and for default Zoho services a matching ``zoho.*`` task call from `TASK_SAMPLES`) and
`json_sample` (the connection as a JSON document, every secret as ``****``). Shown after
``connections add`` / ``authorize`` and by ``connections show LINK --sample``. It reads
definitions only: no token, no store, no HTTP.
"""

from __future__ import annotations

import json

from .hosts import allowed_hosts
from .models import MASK, AuthType, Connection

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# For each default service: a read-only endpoint under its API path for the invokeurl
# sample, and the matching integration task (None where Deluge has no zoho.* task for it).
# A test checks every default service of stdlib/services.toml has a row.
TASK_SAMPLES: dict[str, tuple[str, str | None]] = {
    "zoho_crm": ("/Leads?per_page=10", 'zoho.crm.getRecords("Leads", 1, 10, Map(), "{link}")'),
    "zoho_books": ("/contacts?organization_id=ORGANIZATION_ID",
                   'zoho.books.getRecords("Contacts", "ORGANIZATION_ID", Map(), "{link}")'),
    "zoho_desk": ("/tickets?limit=10", 'zoho.desk.getRecords("ORG_ID", "tickets", 0, 10, "{link}")'),
    "zoho_creator": ("/data/OWNER/APP/report/REPORT",
                     'zoho.creator.getRecords("OWNER", "APP", "REPORT", "", 1, 10, "{link}")'),
    "zoho_projects": ("/portals", None),
    "zoho_inventory": ("/items?organization_id=ORGANIZATION_ID",
                       'zoho.inventory.getRecords("Items", "ORGANIZATION_ID", Map(), "{link}")'),
    "zoho_invoice": ("/contacts?organization_id=ORGANIZATION_ID", None),
    "zoho_recruit": ("/Candidates", None),
    "zoho_people": ("/forms", None),
    "zoho_sign": ("/requests", None),
    "zoho_workdrive": ("/users/me", None),
    "zoho_analytics": ("/workspaces", None),
    "zoho_cliq": ("/channels", None),
    "zoho_mail": ("/accounts", None),
    "zoho_billing": ("/customers?organization_id=ORGANIZATION_ID", None),
    "zoho_bigin": ("/Contacts", None),
}


def base_url(conn: Connection) -> str:
    """Where the service's API lives for this connection (Zoho: the data centre's API domain)."""
    if conn.api_domain:
        return conn.api_domain.rstrip("/") + conn.service.api_path
    host = next((h for h in allowed_hosts(conn) if not h.startswith("*")), "api.example.com")
    return f"https://{host}{conn.service.api_path}"


def deluge_sample(conn: Connection) -> str:
    """A Deluge snippet that uses the connection, as Zoho's summary page shows one."""
    path, task = TASK_SAMPLES.get(conn.service.name, ("/", None)) if conn.service.source == "default" \
        else ("/", None)
    lines = ["response = invokeurl", "[",
             f'\turl: "{base_url(conn)}{path}"', "\ttype: GET", f'\tconnection: "{conn.link}"', "];",
             "info response;"]
    if task is not None:
        lines += ["", f"// or, with the {conn.service.display_name} integration task:",
                  f"records = {task.format(link=conn.link)};", "info records;"]
    return "\n".join(lines)


def json_sample(conn: Connection) -> str:
    """The connection as JSON (Zoho's summary offers this form too); secrets as ``****``."""
    service = conn.service
    doc: dict[str, Any] = {
        "connection_link_name": conn.link,
        "connection_name": conn.display_name,
        "service_name": service.display_name,
        "service": service.name,
        "service_type": "default" if service.source == "default" else "custom",
        "authentication_type": conn.auth_type.value,
    }
    if conn.auth_type is AuthType.OAUTH2:
        doc.update(grant_type=service.grant_type.value, client_id=conn.effective_client_id,
                   client_secret=MASK if conn.effective_client_secret else None, scope=list(conn.scopes),
                   scope_delimiter=conn.scope_delimiter, param_type=service.param_type.value,
                   token_prefix=service.token_prefix)
    elif conn.auth_type is AuthType.OAUTH1:
        doc.update(consumer_key=service.consumer_key, consumer_secret=MASK, param_type=service.param_type.value)
    elif conn.auth_type is AuthType.BASIC:
        doc.update(username=conn.seeds.username, password=MASK)
    else:
        doc["parameters"] = [{"name": p.name, "display_name": p.display_name, "param_type": p.param_type.value,
                              "value": MASK} for p in service.params]
    if conn.data_center:
        doc["data_center"] = conn.data_center
    doc["base_url"] = base_url(conn)
    doc["allowed_hosts"] = list(allowed_hosts(conn))
    return json.dumps({k: v for k, v in doc.items() if v is not None}, indent=2)
