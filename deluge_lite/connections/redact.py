"""Redaction: every secret and token deluge-lite knows is replaced by ``****``, in any encoding.

Owns the one way text is cleaned before it leaves the runtime (``info``, errors,
``--trace``, the HTTP call log, cassettes, log records, ``connections show/explain``):

- `Redactor`: a thread-safe set of secrets and one compiled pattern. A secret is found in
  every form it can take on the way out: as it is and with surrounding whitespace
  stripped (a secret file's trailing newline); JSON-escaped (with or without
  ``ensure_ascii``, ``\\/`` too); URL-encoded (``quote`` / ``quote_plus`` with any safe
  set, either hex case); ``repr``-escaped (text and UTF-8 bytes); HTML-escaped; upper or
  lower case; and base64 (standard or URL-safe, padded or not, on its own or inside a
  longer encoded value such as Basic's ``user:secret``). The escapes are matched per
  character, so a mix (a URL-encoded value inside JSON) is found as well.
- `mask_url`: a URL with its userinfo and secret-looking query values (``SECRET_QUERY_WORDS``)
  masked, then the known secrets.
- `RedactingFilter` and `install_log_redaction`: a `logging.Filter` that cleans each record
  (message, arguments, exception text) with every live redactor plus the URL rule; the
  registry installs it on the httpx and httpcore loggers (logging is process-wide, so the
  live redactors are kept in a weak set: a registry that is gone stops counting).

It knows nothing of connections or HTTP: callers feed it the secret values.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

MASK = "****"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words; a 3-letter secret is no secret
_MIN_BASE64_CORE = 6  # a shorter run of base64 characters inside a longer value is too common to mask

# Query-string and field names whose values are treated as secrets even when no connection
# knows them (an api_key written straight into a URL): shared by --trace, the HTTP call log,
# cassettes and log records.
SECRET_QUERY_WORDS = ("token", "secret", "key", "password", "signature", "auth", "code")

# The loggers of the HTTP stack whose records carry URLs (httpx: one INFO line per request;
# httpcore: DEBUG lines with request and response headers). Filters on a logger do not run
# for its children's records, so every module logger is named.
HTTP_LOGGERS = ("httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2",
                "httpcore.proxy", "httpcore.socks")
_URL_IN_TEXT = re.compile(r"https?://[^\s'\"<>]+", re.I)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{" + str(_MIN_BASE64_CORE) + r",}={0,2}")


def is_secret_query_name(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_QUERY_WORDS)


# ---- the encodings of one secret
def _char_forms(ch: str) -> set[str]:
    """Every way one character of a secret can be written by the encoders text passes through."""
    if ch.isascii() and ch.isalnum():
        return {ch}  # no encoder escapes a letter or a digit (so these runs anchor the search)
    raw = ch.encode("utf-8", "surrogatepass")
    forms = {ch, "".join(f"%{byte:02X}" for byte in raw)}  # percent-encoding (either hex case: the
    forms.add(json.dumps(ch)[1:-1])                          # pattern ignores case); JSON, ASCII-only
    forms.add(json.dumps(ch, ensure_ascii=False)[1:-1])
    forms.add(repr(ch)[1:-1])
    forms.add(ch.encode("unicode_escape").decode("ascii"))
    forms.add("".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02x}" for b in raw))  # bytes repr
    forms.add(html.escape(ch))
    if ch == " ":
        forms.add("+")  # quote_plus and form bodies
    elif ch == "/":
        forms.add("\\/")  # JSON writers that escape the slash
    elif ch == "'":
        forms.update({"\\'", "&#39;"})
    elif ch == "\\":
        forms.add("\\\\")
    return forms


def _escaped_pattern(secret: str) -> str:
    """A regex matching ``secret`` with each character in any of its escaped forms, any case."""
    parts = []
    for ch in secret:
        forms = sorted(_char_forms(ch), key=len, reverse=True)
        parts.append(re.escape(forms[0]) if len(forms) == 1 else "(?:" + "|".join(map(re.escape, forms)) + ")")
    return "(?i:" + "".join(parts) + ")"


def _base64_fragment(encoded: str) -> str:
    """A regex for a base64 text in either alphabet (``+/`` or ``-_``)."""
    return "".join("[+-]" if c in "+-" else "[/_]" if c in "/_" else re.escape(c) for c in encoded)


def _base64_forms(secret: str) -> set[str]:
    """The secret in base64: whole (padding optional), and the part of it that stays the same
    wherever it sits inside a longer encoded value (three alignments, as in ``user:secret``)."""
    data = secret.encode("utf-8", "surrogatepass")
    forms = {base64.b64encode(data).decode("ascii").rstrip("=")}
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode("ascii")
        first = -(-8 * shift // 6)  # the first character made only of the secret's bits
        last = (8 * (shift + len(data))) // 6  # one past the last such character
        if last - first >= _MIN_BASE64_CORE:
            forms.add(encoded[first:last])
    return forms


def _anchor(text: str) -> str:
    """The longest run of ASCII letters and digits, lower-cased: every encoded form contains it."""
    runs = re.findall(r"[A-Za-z0-9]+", text)
    return max(runs, key=len).lower() if runs else ""


def secret_patterns(secret: str) -> dict[str, tuple[str, str]]:
    """The regex fragments that find ``secret`` in every encoding named in the module docstring:
    fragment -> (anchor, kind). The anchor is a lower-case text any match contains (a quick
    test); kind ``text`` fragments are masked where they match, kind ``base64`` fragments
    mask the whole base64 run they sit in (the rest of an encoded blob is no safer)."""
    found: dict[str, tuple[str, str]] = {}
    for base in {secret, secret.strip()}:
        if len(base) < MIN_SECRET_LENGTH:
            continue
        found[_escaped_pattern(base)] = (_anchor(base), "text")
        # base64 of the secret as it is, and of its escaped forms (base64 of a JSON or a query)
        for escaped in {base, json.dumps(base)[1:-1], json.dumps(base, ensure_ascii=False)[1:-1],
                        quote(base, safe=""), quote_plus(base)}:
            for encoded in _base64_forms(escaped):
                found[_base64_fragment(encoded)] = (_anchor(encoded), "base64")
    return found


class Redactor:
    """Knows secret values and masks them inside any text, in any of their encodings.

    Each fragment has an anchor; `redact` compiles (and caches) a pattern of only the
    fragments whose anchor occurs in the text, so text without secrets costs a few
    substring searches, not a regex pass per secret.
    """

    _CACHE_LIMIT = 64

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._fragments: dict[str, tuple[str, str]] = {}
        self._anchors: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._patterns: dict[tuple[str, ...], re.Pattern[str]] = {}
        self.add(*secrets)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"

    def __len__(self) -> int:
        return len(self._secrets)

    def add(self, *secrets: str | None) -> None:
        """Register secret values (every encoding of each); empty and tiny values are ignored."""
        with self._lock:
            fresh = {s for s in secrets if isinstance(s, str) and len(s.strip()) >= MIN_SECRET_LENGTH
                     and s not in self._secrets}
        if not fresh:
            return
        fragments: dict[str, tuple[str, str]] = {}
        for secret in fresh:
            fragments.update(secret_patterns(secret))
        with self._lock:
            self._secrets |= fresh
            for fragment, (anchor, kind) in fragments.items():
                if fragment not in self._fragments:
                    self._fragments[fragment] = (anchor, kind)
                    self._anchors.setdefault(anchor, []).append(fragment)
            self._patterns.clear()

    def add_basic(self, username: str | None, password: str | None) -> None:
        """Register the credentials of an ``Authorization: Basic`` header (``user:password``)."""
        if password:
            self.add(password, f"{username or ''}:{password}")

    def redact(self, text: str) -> str:
        """Return ``text`` with every known secret replaced by ``****``."""
        if not text or not isinstance(text, str):
            return text
        escaped, encoded = self._patterns_for(text)
        if escaped is not None:
            text = escaped.sub(MASK, text)
        if encoded is not None:
            text = _BASE64_RUN.sub(lambda run: MASK if encoded.search(run.group(0)) else run.group(0), text)
        return text

    __call__ = redact

    def _patterns_for(self, text: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        """The text and base64 patterns of the fragments whose anchor occurs in ``text``."""
        with self._lock:
            if not self._anchors:
                return None, None
            lowered = text.lower()
            active = [f for anchor, group in self._anchors.items() if anchor in lowered for f in group]
            return (self._compiled([f for f in active if self._fragments[f][1] == "text"]),
                    self._compiled([f for f in active if self._fragments[f][1] == "base64"]))

    def _compiled(self, fragments: list[str]) -> re.Pattern[str] | None:
        if not fragments:
            return None
        key = tuple(sorted(fragments, key=lambda f: (-len(f), f)))  # longest first
        pattern = self._patterns.get(key)
        if pattern is None:
            if len(self._patterns) >= self._CACHE_LIMIT:
                self._patterns.clear()
            pattern = self._patterns[key] = re.compile("|".join(key))
        return pattern


def mask_url(url: str, redact: Callable[[str], str] | None = None,
             secret_name: Callable[[str], bool] = is_secret_query_name) -> str:
    """The URL with userinfo, secret-looking query values and known secrets replaced by ``****``."""
    redact = redact or (lambda text: text)
    try:
        parts = urlsplit(url)
        if parts.query:
            pairs = [(key, MASK if secret_name(key) else value)
                     for key, value in parse_qsl(parts.query, keep_blank_values=True)]
            parts = parts._replace(query=urlencode(pairs, safe="*"))
        if "@" in parts.netloc:
            parts = parts._replace(netloc=f"{MASK}@{parts.netloc.rpartition('@')[2]}")
        return redact(urlunsplit(parts))
    except ValueError:  # not even a URL: mask what is known and any userinfo-looking part
        return redact(re.sub(r"//[^/@\s]*@", f"//{MASK}@", url))


def url_secrets(url: str | None) -> list[str]:
    """The secrets written inside a URL: its userinfo and its secret-looking query values."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        found = [value for key, value in parse_qsl(parts.query, keep_blank_values=True)
                 if is_secret_query_name(key)]
        if parts.password:
            found.append(parts.password)
        elif parts.username:  # https://TOKEN@host: a lone user part is usually a token
            found.append(parts.username)
    except ValueError:
        return []
    return [value for value in found if value]


def mask_urls_in(text: str, redact: Callable[[str], str] | None = None) -> str:
    """Every URL inside free text masked with `mask_url`, then the known secrets."""
    masked = _URL_IN_TEXT.sub(lambda match: mask_url(match.group(0)), text)
    return redact(masked) if redact is not None else masked


# ---- logs
class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in each record: message, arguments and exception text.

    With a ``redactor`` it uses that one; without, every redactor registered through
    `install_log_redaction`. URLs in the message always get `mask_url`.
    """

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redactor = redactor
        self._live: weakref.WeakSet[Redactor] = weakref.WeakSet()

    def __repr__(self) -> str:
        return f"RedactingFilter({len(self._live)} redactors)"

    def register(self, redactor: Redactor) -> None:
        self._live.add(redactor)

    def clean(self, text: str) -> str:
        text = mask_urls_in(text)
        for redactor in [self.redactor] if self.redactor is not None else list(self._live):
            text = redactor.redact(text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: keep the raw text
            message = str(record.msg)
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


_LOG_FILTER = RedactingFilter()  # process-wide, as logging is; holds redactors weakly
_INSTALL_LOCK = threading.Lock()


def install_log_redaction(redactor: Redactor | None = None,
                          loggers: Iterable[str] = HTTP_LOGGERS) -> RedactingFilter:
    """Make the HTTP stack's log records pass through the redaction filter (idempotent)."""
    with _INSTALL_LOCK:
        if redactor is not None:
            _LOG_FILTER.register(redactor)
        for name in loggers:
            logger = logging.getLogger(name)
            if _LOG_FILTER not in logger.filters:
                logger.addFilter(_LOG_FILTER)
    return _LOG_FILTER


__all__ = ["HTTP_LOGGERS", "MASK", "RedactingFilter", "Redactor", "SECRET_QUERY_WORDS", "install_log_redaction",
           "is_secret_query_name", "mask_url", "mask_urls_in", "secret_patterns", "url_secrets"]
