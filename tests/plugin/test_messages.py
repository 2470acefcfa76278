"""Chat messages read off requests: every message task of the catalog is recognised."""

from __future__ import annotations

import httpx

from deluge_lite.net.tasks import load_catalog
from deluge_lite.testing.messages import MessageLog, message_routes


def test_every_message_task_has_a_route() -> None:
    senders = {spec.name for spec in load_catalog().values() if any(arg.to == "message" for arg in spec.args)}
    assert senders  # the catalog has Cliq message tasks
    routed = {name for _method, _pattern, name in message_routes()}
    for spec in (spec for spec in load_catalog().values() if spec.name in senders):
        url = "https://cliq.zoho.com" + spec.path.replace("{", "").replace("}", "")
        log = MessageLog()
        log.note(httpx.Request(spec.method, url, json={"text": "hi"}), 204)
        assert [message.text for message in log.messages] == ["hi"], spec.name
        assert log.messages[0].task in routed


def test_cards_secrets_and_other_requests() -> None:
    log = MessageLog()
    log.note(httpx.Request("POST", "https://cliq.zoho.com/api/v2/buddies/ada@example.com/message",
                           json={"text": "t", "card": {"title": "Deal"}}), None)
    log.note(httpx.Request("POST", "https://cliq.zoho.com/api/v2/channelsbyname/ops/message",
                           json={"text": "token sk-123"}), 204, redact=lambda text: text.replace("sk-123", "****"))
    log.note(httpx.Request("GET", "https://cliq.zoho.com/api/v2/channelsbyname/ops/message"), 200)
    log.note(httpx.Request("POST", "https://www.zohoapis.com/crm/v8/Leads"), 201)
    assert [message.describe() for message in log.messages] == [
        'zoho.cliq.postToUser to user ada@example.com -> not answered: {"card": {"title": "Deal"}, "text": "t"}',
        "zoho.cliq.postToChannel to channel ops -> 204: token ****"]
