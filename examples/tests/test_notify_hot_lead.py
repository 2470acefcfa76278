"""The webhook of notify_hot_lead.dg, against the fake CRM and a stubbed chat webhook."""

from __future__ import annotations

from pathlib import Path

import pytest

from deluge_lite import DelugeRuntimeError, ThrownError

HERE = Path(__file__).parent
WEBHOOK = "https://hooks.chat.example.com/services/T000/B000/sales"
HOT = {"Last_Name": "Okafor", "Company": "Brightline", "Annual_Revenue": 2000000,
       "Lead_Source": "Referral", "Email": "n.okafor@brightline.example"}


@pytest.fixture
def script(deluge):  # type: ignore[no-untyped-def]
    """Both files loaded together, as Zoho would have them side by side."""
    source = (HERE / "notify_hot_lead.dg").read_text() + "\n" + (HERE / "lead_scoring.dg").read_text()
    return deluge.load(source, str(HERE / "notify_hot_lead.dg"))  # its path: errors and coverage point at it


def test_hot_lead_is_posted_and_marked(script, fake_crm, http_stub) -> None:  # type: ignore[no-untyped-def]
    [lead_id] = fake_crm.seed_records("Leads", [HOT])
    webhook = http_stub.post(WEBHOOK, json={"ok": True})

    result = script.call("notifyHotLead", lead_id, WEBHOOK)

    assert result.value == {"notified": True, "score": 90}
    assert webhook.last_json() == {"text": "Hot lead: Okafor (Brightline), score 90"}
    assert fake_crm.record("Leads", lead_id)["Lead_Status"] == "Contacted"
    assert [(call.method, call.connection, call.status) for call in result.http_calls] == [
        ("GET", "zoho_crm", 200), ("POST", None, 200), ("PUT", "zoho_crm", 200)]


def test_cold_lead_is_left_alone(script, fake_crm, http_stub) -> None:  # type: ignore[no-untyped-def]
    [lead_id] = fake_crm.seed_records("Leads", [{"Last_Name": "Ng", "Company": "Tiny", "Email": "ng@gmail.com"}])
    webhook = http_stub.post(WEBHOOK, json={"ok": True})

    assert script.call("notifyHotLead", lead_id, WEBHOOK).value == {"notified": False, "score": 0}
    assert not webhook.called
    assert "Lead_Status" not in fake_crm.record("Leads", lead_id)


def test_webhook_failure_is_reported(script, fake_crm, http_stub) -> None:  # type: ignore[no-untyped-def]
    [lead_id] = fake_crm.seed_records("Leads", [HOT])
    http_stub.post(WEBHOOK, status=503, text="maintenance")

    result = script.call("notifyHotLead", lead_id, WEBHOOK)

    assert result.value == {"notified": False, "score": 90, "error": 503}
    assert result.info == ["webhook failed with 503"]
    assert "Lead_Status" not in fake_crm.record("Leads", lead_id)


def test_unknown_lead_is_an_error(script, fake_crm) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ThrownError) as caught:
        script.call("notifyHotLead", "4876876000000999999", WEBHOOK)
    assert caught.value.message == "no lead with id 4876876000000999999"
    assert caught.value.line == 10
    assert isinstance(caught.value, DelugeRuntimeError)
