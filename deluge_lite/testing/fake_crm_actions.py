"""The fake CRM beyond records: COQL, record actions, attachments, related writes, functions, connectors.

`route()` answers the CRM paths `fake_crm` does not (it returns None for the others):
  POST /crm/{v}/coql                                {"select_query": "..."} (fake_crm_coql)
  POST /crm/{v}/Leads/{id}/actions/convert          a Contact (and Account, Deal) from the Lead
  GET|PUT|POST /crm/{v}/{module}/{id}/actions/NAME  blueprint, send_mail, add_tags, ... recorded
  POST /crm/{v}/{module}/actions/NAME               module actions (mass updates, ...), recorded
  POST /crm/{v}/{module}/{id}/Attachments           a multipart file, kept in the Attachments module
  GET /crm/{v}/{module}/{id}/Attachments/{aid}      that file's bytes back (a download; bytes kept in memory)
  POST /crm/{v}/{module}/{id}/Notes (any relation)  a related record pointing at the parent
  PUT|DELETE /crm/{v}/{module}/{id}/{relation}/{rid}  link or unlink a related record
  GET|POST /crm/{v}/functions/NAME/actions/execute  runs the project's own Deluge function
  POST /crm/{v}/connectors/NAME/invoke              zoho.crm.invokeConnector, answered from a table
Recorded actions are kept in the ``crm/actions`` collection (``FakeZoho.actions()``), like the
mail outbox. Shapes follow Zoho's CRM API v8 pages (Convert Lead, Blueprint, Send Mail,
Upload an Attachment, COQL, Functions REST API).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from ..file_value import type_for_name
from . import fake_crm_coql as coql
from .fake_crm import ApiError, _Answer, _data, _details, _entry, _json_body, _page, _project, _sort
from .fake_crm_search import CriteriaError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ACTIONS = "crm/actions"


def route(crm: Any, method: str, segments: list[str], query: dict[str, str], headers: dict[str, str],
          body: bytes) -> _Answer | None:
    rest = segments[2:]
    if len(segments) < 3:
        return None
    shape = _shape(rest)
    if shape is None:
        return None
    crm._check_token(next((v for k, v in headers.items() if k.lower() == "authorization"), ""))
    return shape(crm, method, rest, query, headers, body)


def _shape(rest: list[str]) -> Any:
    if rest == ["coql"]:
        return _coql
    if len(rest) == 4 and rest[0] == "functions" and rest[2:] == ["actions", "execute"]:
        return _function
    if len(rest) == 3 and rest[0] == "connectors" and rest[2] == "invoke":
        return _connector
    if len(rest) == 4 and rest[2] == "actions":
        return _record_action
    if len(rest) == 3 and rest[1] == "actions":
        return _module_action
    if len(rest) == 3 and rest[0].lower() not in ("settings", "users", "org") and rest[1] not in ("search", "upsert"):
        return _related_write  # returns None for GET (fake_crm lists related records)
    if len(rest) == 4 and rest[0] not in ("settings",):
        return _related_link
    return None


def _module(crm: Any, name: str) -> str:
    module = crm.store.resolve_module(name)
    if module is None:
        raise ApiError(400, "INVALID_MODULE", "the module name given seems to be invalid")
    return module


def _record(crm: Any, module: str, record_id: str) -> dict[str, Any]:
    record = crm.store.get(module, record_id)
    if record is None:
        raise ApiError(400, "INVALID_DATA", "the record id given seems to be invalid", {"id": record_id})
    return record


def _coql(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
          body: bytes) -> _Answer:
    if method != "POST":
        raise ApiError(405, "INVALID_REQUEST_METHOD", "the http request method type is not a valid one")
    text = _json_body(body).get("select_query")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "REQUIRED_PARAM_MISSING", "a required parameter is missing", {"param": "select_query"})
    try:
        parsed = coql.parse(text)
    except CriteriaError as error:
        raise ApiError(400, "SYNTAX_ERROR", f"error while parsing the query: {error}") from None
    module = _module(crm, parsed.module)
    found = [r for r in crm.store.all(module) if parsed.test(r)]
    for name, descending in reversed(parsed.order):
        found.sort(key=lambda r, n=name: coql._text(coql._read(r, n)).casefold() if coql._number(
            coql._read(r, n)) is None else f"{coql._number(coql._read(r, n)):020.4f}", reverse=descending)
    chunk = found[parsed.offset:parsed.offset + parsed.limit]
    if not chunk:
        return _Answer(204)
    fields = [] if parsed.fields == ["*"] else parsed.fields
    rows = [{"id": r["id"], **{f: coql._read(r, f) for f in fields if f != "id"}} if fields else r for r in chunk]
    return _Answer(200, {"data": rows, "info": {"count": len(rows),
                                                "more_records": parsed.offset + parsed.limit < len(found)}})


def _convert(crm: Any, lead: dict[str, Any], body: bytes) -> _Answer:
    options = (_data(body)[0] if body.strip() else {}) or {}
    store = crm.store
    name = lead.get("Company") or lead.get("Full_Name") or lead.get("Last_Name")
    account_id = None
    if options.get("Accounts"):
        account_id = str(options["Accounts"].get("id") if isinstance(options["Accounts"], dict) else
                         options["Accounts"])
    elif lead.get("Company"):
        account_id = store.insert("Accounts", {"Account_Name": name, "Phone": lead.get("Phone")})["id"]
    contact = {k: lead.get(k) for k in ("First_Name", "Last_Name", "Email", "Phone", "Mobile", "Lead_Source")
               if lead.get(k) is not None}
    if account_id:
        contact["Account_Name"] = {"id": account_id}
    contact_id = store.insert("Contacts", contact)["id"]
    deal_id = None
    deal = options.get("Deals")
    if isinstance(deal, dict):
        deal_id = store.insert("Deals", {"Deal_Name": deal.get("Deal_Name") or name, "Stage":
                                         deal.get("Stage") or "Qualification", **deal,
                                         "Contact_Name": {"id": contact_id},
                                         **({"Account_Name": {"id": account_id}} if account_id else {})})["id"]
    store.update("Leads", lead["id"], {"Converted__s": True, "Converted_Date_Time": store.now()})
    return _Answer(200, {"data": [{"Contacts": contact_id, "Deals": deal_id, "Accounts": account_id}]})


def _record_action(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
                   body: bytes) -> _Answer:
    module = _module(crm, rest[0])
    record = _record(crm, module, rest[1])
    action = rest[3]
    if action == "convert" and module == "Leads" and method == "POST":
        return _convert(crm, record, body)
    if action == "blueprint" and method == "GET":
        return _Answer(200, {"blueprint": {"process_info": {"field_value": record.get("Stage") or
                                                            record.get("Lead_Status"), "is_continuous": False,
                                                            "name": f"{module} process"}, "transitions": []}})
    payload = _loose_json(body)
    crm.store.insert(ACTIONS, {"module": module, "record_id": rest[1], "action": action, "method": method,
                               "body": payload, "time": crm.store.now()})
    if action == "blueprint" and isinstance(payload, dict):
        for step in payload.get("blueprint") or []:
            if isinstance(step, dict) and isinstance(step.get("data"), dict):
                crm.store.update(module, rest[1], step["data"])
    message = {"blueprint": "transition updated successfully", "send_mail": "your mail has been sent successfully"
               }.get(action, f"{action} done")
    return _Answer(200, {"data": [_entry("SUCCESS", message, {"id": rest[1]}, ok=True)]}
                   if action != "send_mail" else {"data": [_entry("SUCCESS", message,
                                                                  {"message_id": crm.store.now()}, ok=True)]})


def _module_action(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
                   body: bytes) -> _Answer:
    module = _module(crm, rest[0])
    crm.store.insert(ACTIONS, {"module": module, "record_id": None, "action": rest[2], "method": method,
                               "body": _loose_json(body), "time": crm.store.now()})
    return _Answer(200, {"data": [_entry("SUCCESS", f"{rest[2]} done", {}, ok=True)]})


def _related_write(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
                   body: bytes) -> _Answer | None:
    if method == "GET":
        return None
    if method != "POST":
        raise ApiError(405, "INVALID_REQUEST_METHOD", "the http request method type is not a valid one")
    module = _module(crm, rest[0])
    parent = _record(crm, module, rest[1])
    relation = rest[2]
    if relation.lower() == "attachments":
        return _attach(crm, module, parent, headers, body)
    target = crm.store.add_module(relation) if relation.lower() == "notes" else _module(crm, relation)
    entries = []
    for index, record in enumerate(_data(body)):
        if not isinstance(record, dict):
            entries.append(_entry("INVALID_DATA", "each record must be a JSON object",
                                  {"json_path": f"$.data[{index}]"}))
            continue
        record = {**record, "Parent_Id": {"id": parent["id"]}, "$se_module": module}
        entries.append(_entry("SUCCESS", "record added", _details(crm.store.insert(target, record)), ok=True))
    return _Answer(201, {"data": entries})


def _attach(crm: Any, module: str, parent: dict[str, Any], headers: dict[str, str], body: bytes) -> _Answer:
    from .fake_services import RequestBody

    fields, files = RequestBody(headers, body, None).multipart()  # type: ignore[arg-type]
    if not files and not fields.get("attachmentUrl"):
        raise ApiError(400, "REQUIRED_PARAM_MISSING", "a required parameter is missing", {"param": "file"})
    name = files[0][1] if files else fields["attachmentUrl"]
    size = len(files[0][2]) if files else 0
    crm.store.add_module("Attachments")
    stored = crm.store.insert("Attachments", {"File_Name": name, "Size": str(size), "Parent_Id": {"id": parent["id"]},
                                              "$se_module": module})
    if files:
        crm.attachment_files[str(stored["id"])] = files[0][2]
    return _Answer(200, {"data": [_entry("SUCCESS", "attachment uploaded successfully", _details(stored), ok=True)]})


def _related_link(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
                  body: bytes) -> _Answer:
    module = _module(crm, rest[0])
    parent = _record(crm, module, rest[1])
    target = _module(crm, rest[2])
    related = _record(crm, target, rest[3])
    link = f"Related_{module}"
    if method == "PUT":
        changes = _data(body)[0] if body.strip() else {}
        crm.store.update(target, related["id"], {**(changes if isinstance(changes, dict) else {}),
                                                  link: {"id": parent["id"]}})
        return _Answer(200, {"data": [_entry("SUCCESS", "relation updated", {"id": related["id"]}, ok=True)]})
    if method == "DELETE":
        crm.store.update(target, related["id"], {link: None})
        return _Answer(200, {"data": [_entry("SUCCESS", "relation removed", {"id": related["id"]}, ok=True)]})
    if method == "GET" and target == "Attachments" and str(related["id"]) in crm.attachment_files:
        name = str(related.get("File_Name") or "file")
        return _Answer(200, raw=crm.attachment_files[str(related["id"])],
                       headers={"Content-Type": type_for_name(name),
                                "Content-Disposition": f'attachment; filename="{name.replace(chr(34), "")}"'})
    if method == "GET":
        return _page(_sort([related], query), query, [], 2)
    raise ApiError(405, "INVALID_REQUEST_METHOD", "the http request method type is not a valid one")


def _function(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
              body: bytes) -> _Answer:
    name = rest[1]
    arguments: dict[str, Any] = {k: v for k, v in query.items() if k not in ("auth_type", "zapikey")}
    form = "x-www-form-urlencoded" in next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    raw = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)) if form else _loose_json(body)
    if isinstance(raw, dict):
        arguments.update(raw.get("arguments") if isinstance(raw.get("arguments"), dict) else raw)
    if isinstance(arguments.get("arguments"), str):
        try:
            arguments.update(json.loads(arguments.pop("arguments")))
        except ValueError:
            raise ApiError(400, "INVALID_DATA", "arguments must be a JSON object") from None
    if crm.functions is None:
        raise ApiError(400, "INVALID_DATA", f"no function named {name} in this sandbox (run it with "
                                            "deluge-lite run --sandbox FILE so its functions are known)")
    try:
        output = crm.functions(name, arguments)
    except LookupError:
        raise ApiError(400, "INVALID_DATA", f"no function named {name} in this project") from None
    except Exception as error:  # the function failed: Zoho answers with the error text
        return _Answer(200, {"code": "failure", "details": {"output": "", "output_type": "string",
                                                             "id": name}, "message": str(error)})
    output_type = "map" if isinstance(output, dict) else "list" if isinstance(output, list) else "string"
    shown = json.dumps(output) if output_type != "string" else ("" if output is None else str(output))
    return _Answer(200, {"code": "success", "details": {"output": shown, "output_type": output_type, "id": name},
                         "message": "function executed successfully"})


def _connector(crm: Any, method: str, rest: list[str], query: dict[str, str], headers: dict[str, str],
               body: bytes) -> _Answer:
    name = rest[1]
    crm.store.insert(ACTIONS, {"module": None, "record_id": None, "action": f"connector:{name}",
                               "method": method, "body": _loose_json(body), "time": crm.store.now()})
    answer = crm.connectors.get(name, crm.connectors.get(name.lower()))
    if answer is None:
        answer = {}
    response = answer if isinstance(answer, str) else json.dumps(answer)
    return _Answer(200, {"status_code": 200, "response": response})


def _loose_json(body: bytes) -> Any:
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


__all__ = ["ACTIONS", "route", "_project"]
