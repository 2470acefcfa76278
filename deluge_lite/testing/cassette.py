"""Cassettes: recorded HTTP exchanges, stripped of secrets, replayed so tests run offline.

A cassette is a YAML file (PyYAML) or a JSON one, by its extension, meant to be reviewed in
a diff: JSON bodies are kept as data, other text bodies as text (multi-line ones as YAML
literal blocks)::

    version: 1
    recorded_with: deluge-lite 0.1.0
    interactions:
    - request: {method: GET, url: "https://api.example.com/user?api_key=****"}
      response: {status: 200, content_type: application/json, json: {name: Ada}}

Stripping (`Cassette.record`): every header but Content-Type is dropped (Authorization,
cookies, API-key headers never reach the file); URLs go through `connections.redact.mask_url`
(query values whose name looks secret: token, key, secret, password, signature, auth, code,
and any userinfo become ``****``); every secret the connection `Redactor` knows is masked
wherever it appears and in whatever encoding (JSON bodies once more after decoding, binary
bodies byte for byte);
aliases turn loopback fakes' random ports into stable names (``http://fake-crm.test``);
fields listed in ``scrub_fields`` are masked inside JSON and form bodies.

Checking (`find_secrets`, run by `Cassette.save`): what is left is searched for anything
that still looks like a secret: a JSON or form field named like a credential (access_token,
refresh_token, client_secret, password, api_key, ...) with a real value, a bearer or
``Zoho-oauthtoken`` value, a JWT, a well-known key prefix, or a long random token (24+
characters mixing upper case, lower case and digits). Any finding refuses the save with
`CassetteSecretError`, naming where it is and how to scrub it. Replay (`Cassette.match`)
compares method, stripped URL and body; each recorded answer is used once, in order.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from ..connections.redact import is_secret_query_name, mask_url
from ..fieldclass import field, fieldclass
from ..net.client import httpx

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MASK = "****"
VERSION = 1
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
try:  # PyYAML is a dependency; without it cassettes are JSON
    import yaml as _yaml
except ImportError:  # pragma: no cover - only without PyYAML
    _yaml = None
DEFAULT_FORMAT = "yaml" if _yaml is not None else "json"
FORMATS = ("yaml", "json") if _yaml is not None else ("json",)
SECRET_NAME = re.compile(r"(^|[_\-.])(access[_-]?token|refresh[_-]?token|id[_-]?token|token|secret|client[_-]?secret|"
                         r"password|passwd|api[_-]?key|apikey|private[_-]?key|signature|session[_-]?id|"
                         r"authorization|auth[_-]?token|code[_-]?verifier)$", re.I)
_WORD = re.compile(r"[A-Za-z0-9_\-+/=.]{24,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,}")
_PREFIXED = re.compile(r"\b(sk_live_|sk_test_|rk_live_|ghp_|gho_|github_pat_|xox[abpr]-|AKIA|AIza|"
                       r"1000\.[0-9a-f]{32})[A-Za-z0-9_\-.]{8,}")
_MASKED = re.compile(r"(?:(?:Bearer|Basic|Digest|Zoho-oauthtoken|OAuth)\s+)?\*+", re.I)
_AUTH_VALUE = re.compile(r"\b(Bearer|Zoho-oauthtoken|Basic)\s+(?!\*\*\*\*)[A-Za-z0-9_\-.=+/]{8,}", re.I)


class CassetteError(Exception):
    """A cassette cannot be read, or a replayed request is not in it."""


class CassetteSecretError(CassetteError):
    """The recording still contains something that looks like a secret; nothing was saved."""


def looks_random(word: str) -> bool:
    """A long token mixing upper case, lower case and digits with high entropy (not a word, id or date)."""
    core = word.strip("=.")
    if len(core) < 24 or MASK in core or core.startswith(("http", "/")):
        return False
    if not (re.search(r"[A-Z]", core) and re.search(r"[a-z]", core) and re.search(r"\d", core)):
        return False
    counts = Counter(core)
    entropy = -sum(n / len(core) * math.log2(n / len(core)) for n in counts.values())
    return entropy >= 4.0


def _is_secret_name(name: str) -> bool:
    return SECRET_NAME.search(name) is not None


def _masked(value: Any) -> bool:
    """Empty, or masked: ``****``, or an auth scheme followed by ``****`` ("Basic ****")."""
    return value in (None, "", MASK) or (isinstance(value, str) and _MASKED.fullmatch(value) is not None)


@fieldclass
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _preview(text: str) -> str:
    return text[:4] + "..." + f" ({len(text)} characters)"


def find_secrets(interactions: Iterable[dict[str, Any]]) -> list[Finding]:
    """Everything in stripped interactions that still looks like a secret."""
    found: list[Finding] = []
    for index, interaction in enumerate(interactions, 1):
        for side in ("request", "response"):
            part = interaction[side]
            where = f"interaction {index} ({interaction['request']['method']} {interaction['request']['url']}), {side}"
            texts = [("url", part.get("url", ""))] if side == "request" else []
            texts.append(("body", body_text(part)))
            for label, text in texts:
                found.extend(_scan_text(text, f"{where} {label}"))
    return found


def _scan_text(text: str, where: str) -> list[Finding]:
    found: list[Finding] = []
    data = _json_or_none(text)
    if data is not None:
        for path, name, value in _walk(data):
            if _is_secret_name(name) and not _masked(value):
                found.append(Finding(where, f"field '{path}' looks like a credential ({_preview(str(value))})"))
    else:
        for name, value in _form_pairs(text):
            if _is_secret_name(name) and not _masked(value):
                found.append(Finding(where, f"field '{name}' looks like a credential ({_preview(value)})"))
    for pattern, what in ((_AUTH_VALUE, "an Authorization value"), (_JWT, "a JWT"), (_PREFIXED, "an API key")):
        for match in pattern.finditer(text):
            found.append(Finding(where, f"{what} ({_preview(match.group(0))})"))
    for match in _WORD.finditer(text):
        if looks_random(match.group(0)):
            found.append(Finding(where, f"a long random token ({_preview(match.group(0))})"))
    return found


def _json_or_none(text: str) -> Any:
    if not text or text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _walk(data: Any, path: str = "") -> Iterable[tuple[str, str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(value, dict | list):
                yield from _walk(value, here)
            else:
                yield here, str(key), value
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _walk(item, f"{path}[{index}]")


def _form_pairs(text: str) -> list[tuple[str, str]]:
    if "=" not in text or " " in text.strip() or "\n" in text.strip():
        return []
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return []


@fieldclass
class Stripper:
    """Turns live requests and responses into cassette entries with secrets removed."""

    redact: Callable[[str], str] = field(default=lambda text: text)
    aliases: dict[str, str] = field(default_factory=dict)
    scrub_fields: frozenset[str] = frozenset()

    def url(self, url: str) -> str:
        for real, alias in self.aliases.items():
            if url.startswith(real):
                url = alias + url[len(real):]
        return mask_url(url, self.redact, self._scrubbed_query)

    def _scrubbed_query(self, key: str) -> bool:
        lowered = key.lower()
        return is_secret_query_name(lowered) or lowered in self.scrub_fields

    def body(self, content: bytes, content_type: str) -> tuple[str, str | None]:
        """The body as text (or base64 for binary), secrets masked; returns (body, encoding)."""
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:  # binary: mask byte for byte (latin-1 maps each byte to one character)
            cleaned = self.redact(content.decode("latin-1")).encode("latin-1")
            return base64.b64encode(cleaned).decode(), "base64"
        for real, alias in self.aliases.items():
            text = text.replace(real, alias)
        if self.scrub_fields:
            text = self._scrub(text, content_type)
        return self.redact(text), None

    def _scrub(self, text: str, content_type: str) -> str:
        data = _json_or_none(text)
        if data is not None:
            return json.dumps(self._scrub_json(data), ensure_ascii=False)
        pairs = _form_pairs(text)
        if pairs:
            return urlencode([(k, MASK if k.lower() in self.scrub_fields else v) for k, v in pairs], safe="*")
        return text

    def _scrub_json(self, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: MASK if str(k).lower() in self.scrub_fields and not isinstance(v, dict | list)
                    else self._scrub_json(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self._scrub_json(item) for item in data]
        return data

    def request(self, request: httpx.Request) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "")
        body, encoding = self.body(request.content, content_type)
        entry: dict[str, Any] = {"method": request.method, "url": self.url(str(request.url))}
        if content_type:
            entry["content_type"] = content_type
        self._put_body(entry, body, encoding)
        return entry

    def response(self, response: httpx.Response) -> dict[str, Any]:
        content_type = response.headers.get("content-type", "")
        body, encoding = self.body(response.content, content_type)
        entry: dict[str, Any] = {"status": response.status_code}
        if content_type:
            entry["content_type"] = content_type
        self._put_body(entry, body, encoding)
        return entry

    def _put_body(self, entry: dict[str, Any], body: str, encoding: str | None) -> None:
        """JSON bodies are kept as JSON (readable in review), others as text or base64. A JSON
        body is masked again after parsing: a secret the server escaped (``\\u00e9``, ``\\"``)
        is plain text once decoded, and the file is written with ``ensure_ascii=False``."""
        data = _json_or_none(body) if encoding is None else None
        if data is not None:
            entry["json"] = self._redact_json(data)
        else:
            entry["body"] = body
            if encoding:
                entry["encoding"] = encoding

    def _redact_json(self, data: Any) -> Any:
        if isinstance(data, dict):
            return {self.redact(str(k)): self._redact_json(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self._redact_json(item) for item in data]
        if isinstance(data, str):
            return self.redact(data)
        return data


def body_text(entry: dict[str, Any]) -> str:
    """The body of a cassette entry as text (JSON re-serialised)."""
    if "json" in entry:
        return json.dumps(entry["json"], ensure_ascii=False)
    return entry.get("body") or ""


def _canonical_body(body: str) -> str:
    data = _json_or_none(body)
    if data is not None:
        return json.dumps(data, sort_keys=True)
    pairs = _form_pairs(body)
    return urlencode(sorted(pairs)) if pairs else body


def cassette_files(base: Path) -> list[Path]:
    """The cassettes saved for ``base`` (a path without extension), in any format."""
    return [base.with_name(base.name + ext) for ext in EXTENSIONS if base.with_name(base.name + ext).is_file()]


def find_cassette(base: Path) -> Path | None:
    found = cassette_files(base)
    return found[0] if found else None


def _decode(path: Path, text: str) -> Any:
    if EXTENSIONS.get(path.suffix) == "yaml":
        if _yaml is None:
            raise CassetteError(f"{path} is YAML, but PyYAML is not installed (pip install pyyaml)")
        try:
            return _yaml.safe_load(text)
        except _yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise CassetteError(f"{where}: the cassette is not valid YAML ({problem}); fix it or record it "
                                "again with --deluge-record") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise CassetteError(f"{path}: the cassette is not valid JSON ({error}); fix it or record it again "
                            "with --deluge-record") from None


def _encode(path: Path, document: dict[str, Any]) -> str:
    if EXTENSIONS.get(path.suffix) == "yaml" and _yaml is not None:
        return _yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


if _yaml is not None:
    class _Dumper(_yaml.SafeDumper):
        """Block style; multi-line text as a literal block, so a diff shows the lines that changed."""

    def _text(dumper: _yaml.SafeDumper, data: str) -> _yaml.Node:
        style = "|" if "\n" in data and all(ch.isprintable() or ch == "\n" for ch in data) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    _Dumper.add_representer(str, _text)


def _shape_problem(data: Any) -> str | None:
    """Why a decoded document is not a cassette this version can replay; None when it is."""
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("interactions"), list):
        return f"it is not a deluge-lite cassette (version {VERSION} with a list of interactions)"
    for number, item in enumerate(data["interactions"], 1):
        request = item.get("request") if isinstance(item, dict) else None
        response = item.get("response") if isinstance(item, dict) else None
        if not (isinstance(request, dict) and isinstance(request.get("method"), str)
                and isinstance(request.get("url"), str)):
            return f"interaction {number} has no request with a method and a url"
        if not (isinstance(response, dict) and isinstance(response.get("status"), int)
                and 100 <= response["status"] <= 599):
            return f"interaction {number} has no response with a status between 100 and 599"
        for part in (request, response):
            if "body" in part and not isinstance(part["body"], str | None):
                return f"interaction {number}: a body must be text"
            if part.get("encoding") == "base64":
                try:
                    base64.b64decode(part.get("body") or "", validate=True)
                except ValueError:
                    return f"interaction {number}: the base64 body does not decode"
    return None


def _origin(url: str) -> str:
    parts = httpx.URL(url)
    return f"{parts.scheme}://{parts.netloc.decode('ascii', 'replace')}"


@fieldclass
class Cassette:
    """The interactions of one test, loaded from or saved to ``path`` (``.yaml``/``.yml``/``.json``)."""

    path: Path
    interactions: list[dict[str, Any]] = field(default_factory=list)
    stripper: Stripper = field(default_factory=Stripper)

    def __post_init__(self) -> None:
        self._used: set[int] = set()

    @classmethod
    def load(cls, path: Path, stripper: Stripper | None = None) -> Cassette:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CassetteError(f"cannot read cassette {path}: {error}") from None
        data = _decode(path, text)
        problem = _shape_problem(data)
        if problem:
            raise CassetteError(f"{path}: {problem}; record it again with --deluge-record")
        return cls(path, data["interactions"], stripper or Stripper())

    def record(self, request: httpx.Request, response: httpx.Response) -> None:
        self.interactions.append({"request": self.stripper.request(request),
                                  "response": self.stripper.response(response)})

    def save(self) -> bool:
        """Write the cassette, unless it is empty or something in it still looks like a secret."""
        if not self.interactions:
            return False
        findings = find_secrets(self.interactions)
        from .. import __version__

        document = {"version": VERSION, "recorded_with": f"deluge-lite {__version__}",
                    "interactions": self.interactions}
        text = _encode(self.path, document)
        if self.stripper.redact(text) != text:  # a known secret survived in the file's own encoding
            findings.append(Finding(str(self.path), "a secret the connections know, in the encoded file"))
        if findings:
            listed = "\n".join(f"  - {finding}" for finding in findings[:10])
            more = f"\n  ... and {len(findings) - 10} more" if len(findings) > 10 else ""
            raise CassetteSecretError(
                f"refusing to save cassette {self.path}: the recording still contains what looks like a "
                f"secret:\n{listed}{more}\nMask those fields with the pytest ini option deluge_scrub_fields "
                f"(e.g. deluge_scrub_fields = access_token api_key) or make the connection know the secret; "
                f"nothing was written.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(text, encoding="utf-8")
        return True

    def match(self, request: httpx.Request) -> httpx.Response:
        """The recorded answer to ``request``; each answer is used once, in recorded order."""
        wanted = self.stripper.request(request)
        key = (wanted["method"], wanted["url"], _canonical_body(body_text(wanted)))
        for index, interaction in enumerate(self.interactions):
            recorded = interaction["request"]
            if index in self._used:
                continue
            if (recorded["method"], recorded["url"], _canonical_body(body_text(recorded))) == key:
                self._used.add(index)
                return _response(interaction["response"], request)
        same_url = [i for i, it in enumerate(self.interactions)
                    if (it["request"]["method"], it["request"]["url"]) == key[:2]]
        why = ("it was recorded, but with a different body" if any(i not in self._used for i in same_url)
               else "every recorded answer for it was used already" if same_url else "it was never recorded")
        origins = sorted({_origin(it["request"]["url"]) for it in self.interactions})
        if not same_url and origins and _origin(wanted["url"]) not in origins:
            why += (f"; the cassette holds calls to {', '.join(origins)} only: was it recorded against "
                    "another set of URLs?")
        raise CassetteError(f"{wanted['method']} {wanted['url']} is not in cassette {self.path} ({why}); "
                            "record it again with --deluge-record")


def _response(entry: dict[str, Any], request: httpx.Request) -> httpx.Response:
    body = body_text(entry)
    content = base64.b64decode(body) if entry.get("encoding") == "base64" else body.encode("utf-8")
    headers = {"content-type": entry["content_type"]} if entry.get("content_type") else {}
    return httpx.Response(entry["status"], headers=headers, content=content, request=request)
