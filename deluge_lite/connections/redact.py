"""Redaction: every secret and token the connections layer knows is replaced by ``****``.

Owns the `Redactor` (a thread-safe set of secret strings and one compiled pattern) and a
`logging.Filter` built on it. The registry feeds it every secret from the config and the
store and every token as it is fetched; the runtime passes ``info`` output, error
messages, logs and ``--trace`` text through `Redactor.redact`. Encoded forms (URL
quoting, Basic's base64 of ``user:password``) are registered too, so a secret inside a
URL, a header or concatenated text is still found.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "****"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words; a 3-letter secret is no secret


# Query-string and field names whose values are treated as secrets even when no connection
# knows them (an api_key written straight into a URL): shared by --trace, the HTTP call log
# and cassettes.
SECRET_QUERY_WORDS = ("token", "secret", "key", "password", "signature", "auth", "code")


def is_secret_query_name(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_QUERY_WORDS)


class Redactor:
    """Knows secret values and masks them inside any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"

    def __len__(self) -> int:
        return len(self._secrets)

    def add(self, *secrets: str | None) -> None:
        """Register secret values (and their URL-encoded forms); empty and tiny values are ignored."""
        fresh = set()
        for secret in secrets:
            if not secret or len(secret) < MIN_SECRET_LENGTH:
                continue
            fresh.update({secret, quote(secret, safe=""), quote_plus(secret)})
        with self._lock:
            if not fresh <= self._secrets:
                self._secrets |= fresh
                self._pattern = None

    def add_basic(self, username: str | None, password: str | None) -> None:
        """Register the base64 credentials of an ``Authorization: Basic`` header."""
        if password:
            token = base64.b64encode(f"{username or ''}:{password}".encode()).decode()
            self.add(password, token)

    def redact(self, text: str) -> str:
        """Return ``text`` with every known secret replaced by ``****``."""
        if not text:
            return text
        pattern = self._compiled()
        return pattern.sub(MASK, text) if pattern is not None else text

    __call__ = redact

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._secrets:
                ordered = sorted(self._secrets, key=len, reverse=True)  # longest first
                self._pattern = re.compile("|".join(map(re.escape, ordered)))
            return self._pattern


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in each record's final message."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redactor.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
