"""Redaction: known secrets become **** in any text, including encoded and concatenated forms."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from deluge_lite.connections import ConnectionRegistry, RedactingFilter, Redactor


def test_redacts_inside_concatenated_text() -> None:
    redactor = Redactor(["s3cr3t-token", "short-secret", None, "", "ab"])  # type: ignore[list-item]
    text = "x=s3cr3t-tokens3cr3t-token;url=https://h/?t=short-secret&ab=1"
    assert redactor.redact(text) == "x=********;url=https://h/?t=****&ab=1"
    assert len(redactor) >= 2


def test_url_encoded_and_basic_forms() -> None:
    redactor = Redactor()
    redactor.add("a b/c+d=e")
    assert redactor.redact("q=a%20b%2Fc%2Bd%3De and a+b%2Fc%2Bd%3De") == "q=**** and ****"
    redactor.add_basic("alice", "pw-12345")
    header = "Basic " + base64.b64encode(b"alice:pw-12345").decode()
    assert redactor.redact(f"Authorization: {header}") == "Authorization: Basic ****"


def test_longest_secret_wins() -> None:
    redactor = Redactor(["abcd", "abcdefgh"])
    assert redactor.redact("abcdefgh") == "****"


def test_logging_filter(caplog: pytest.LogCaptureFixture) -> None:
    redactor = Redactor(["tok-98765"])
    logger = logging.getLogger("deluge_lite.test_redact")
    handler_filter = RedactingFilter(redactor)
    logger.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="deluge_lite.test_redact"):
            logger.info("sending %s now", "Bearer tok-98765")
        assert "tok-98765" not in caplog.text and "Bearer ****" in caplog.text
    finally:
        logger.removeFilter(handler_filter)


def test_registry_knows_config_secrets(load: Callable[..., ConnectionRegistry], write: Callable[[str], Path],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEY", "api-value-777")
    registry = load(write('[services.k]\nauth_type = "api_key"\n[[services.k.params]]\nname = "appid"\n'
                          '[connections.keyed]\nservice = "k"\nvalues = { appid = "${KEY}" }\n'
                          '[connections.crm]\nservice = "zoho_crm"\nclient_id = "cid"\n'
                          'client_secret = "zoho-secret-555"\n'))
    message = "failed: https://x/?appid=api-value-777 with zoho-secret-555"
    assert registry.redactor.redact(message) == "failed: https://x/?appid=**** with ****"
    assert registry.redactor.redact("cid is not secret") == "cid is not secret"
