"""The data model of connections: services, connections, credentials, and name rules.

A *service* says how to authenticate (API key / Basic / OAuth 1 / OAuth 2 and their
fields); a *connection* binds a link name to a service with scopes, secrets and tokens
(reference section 7b). This module owns those data classes, the link-name and
display-name rules, and reprs that never show a secret. It does no I/O: parsing lives
in `config`, persistence in `store`, HTTP in `auth` and `flows`.
"""

from __future__ import annotations

import enum
import re
import time

from ..fieldclass import field, fieldclass, fields, replace
from .errors import ConnectionConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MASK = "****"
NAME_LIMIT = 50
_LINK_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class AuthType(enum.Enum):
    """The four authentication types of Zoho Connections."""

    API_KEY = "api_key"
    BASIC = "basic"
    OAUTH1 = "oauth1"
    OAUTH2 = "oauth2"

    @property
    def label(self) -> str:
        return {"api_key": "API key", "basic": "Basic", "oauth1": "OAuth 1", "oauth2": "OAuth 2"}[self.value]


class GrantType(enum.Enum):
    AUTHORIZATION_CODE = "authorization_code"
    CLIENT_CREDENTIALS = "client_credentials"


class ParamType(enum.Enum):
    """Where a credential goes on a request."""

    HEADER = "header"
    QUERY = "query"
    FORM = "form"


# Which param types each auth type allows (OAuth 2 cannot go in a form body).
ALLOWED_PARAM_TYPES: dict[AuthType, tuple[ParamType, ...]] = {
    AuthType.API_KEY: (ParamType.QUERY, ParamType.FORM, ParamType.HEADER),
    AuthType.BASIC: (ParamType.HEADER,),
    AuthType.OAUTH1: (ParamType.HEADER, ParamType.QUERY, ParamType.FORM),
    AuthType.OAUTH2: (ParamType.HEADER, ParamType.QUERY),
}


def check_link_name(name: object) -> str:
    """Return the link name if it follows Zoho's rule, else raise with the rule it breaks."""
    if not isinstance(name, str) or not name:
        raise ConnectionConfigError("a link name is required")
    if len(name) > NAME_LIMIT:
        raise ConnectionConfigError(
            f"link name '{name[:20]}...' is {len(name)} characters long; it must be at most {NAME_LIMIT}")
    if not ("a" <= name[0] <= "z"):
        raise ConnectionConfigError(f"link name '{name}' must start with a lowercase letter (a-z)")
    bad = sorted({ch for ch in name if not (ch.isascii() and (ch.islower() or ch.isdigit() or ch == "_"))})
    if bad or not _LINK_RE.match(name):
        shown = ", ".join(repr(ch) for ch in bad)
        raise ConnectionConfigError(
            f"link name '{name}' may contain only lowercase letters, digits and '_' (found {shown})")
    return name


def check_display_name(name: object, what: str = "display name") -> str:
    """Return the display name if it is 1..50 characters, else raise with the rule it breaks."""
    if not isinstance(name, str) or not name.strip():
        raise ConnectionConfigError(f"a {what} is required")
    if len(name) > NAME_LIMIT:
        raise ConnectionConfigError(
            f"{what} '{name[:20]}...' is {len(name)} characters long; it must be at most {NAME_LIMIT}")
    return name


@fieldclass(frozen=True)
class ApiKeyParam:
    """One named API-key parameter and where it is sent."""

    name: str
    display_name: str
    param_type: ParamType


@fieldclass(frozen=True)
class Service:
    """How to authenticate with one API. URL fields may hold ``{accounts_server}``."""

    name: str
    display_name: str
    auth_type: AuthType
    source: str = "config"  # default | config | store
    grant_type: GrantType = GrantType.AUTHORIZATION_CODE
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    authorize_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None
    param_type: ParamType = ParamType.HEADER
    token_prefix: str = "Bearer"
    scopes: tuple[str, ...] = ()
    scope_delimiter: str = " "
    authorize_params: tuple[tuple[str, str], ...] = ()
    consumer_key: str | None = None
    consumer_secret: str | None = field(default=None, repr=False)
    request_token_url: str | None = None
    access_token_url: str | None = None
    signature_method: str = "HMAC-SHA1"
    params: tuple[ApiKeyParam, ...] = ()
    api_domain: str | None = None
    api_path: str = ""
    data_centers: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()  # beyond the hosts of its own URLs (`hosts`)
    token_budget: tuple[int, float] | None = None  # (tokens, seconds) per refresh token (`policy`)

    def __repr__(self) -> str:
        return f"Service(name={self.name!r}, auth_type={self.auth_type.value!r}, source={self.source!r})"


@fieldclass
class Credentials:
    """The secrets and tokens of one connection. Never printed: the repr masks every value."""

    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: float | None = None  # epoch seconds; None = unknown (assume valid)
    token: str | None = None  # OAuth 1 access token
    token_secret: str | None = None
    username: str | None = None
    password: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # API key values by param name

    def __repr__(self) -> str:
        shown = [f"{f.name}={MASK}" for f in fields(self)
                 if f.name not in ("expires_at", "values") and getattr(self, f.name)]
        shown += [f"values[{k!r}]={MASK}" for k in self.values]
        return f"Credentials({', '.join(shown)})"

    def secret_values(self) -> list[str]:
        """Every secret string held (for the redactor); usernames and expiry are not secret."""
        found = [self.access_token, self.refresh_token, self.token, self.token_secret, self.password]
        return [v for v in found if v] + [v for v in self.values.values() if v]

    def expires_in(self, now: float | None = None) -> float | None:
        if self.expires_at is None:
            return None
        return self.expires_at - (time.time() if now is None else now)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: v for k, v in data.items() if v not in (None, {}, "")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Credentials:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def merged(self, other: Credentials) -> Credentials:
        """These credentials with every non-empty field of ``other`` laid over them."""
        updates = {k: v for k, v in other.to_dict().items() if k != "values"}
        merged = replace(self, **updates)
        merged.values = {**self.values, **other.values}
        return merged


@fieldclass
class Connection:
    """A link name bound to a service, with scopes and the secrets the user supplied."""

    link: str
    display_name: str
    service: Service
    scopes: tuple[str, ...] = ()
    scope_delimiter: str = " "
    data_center: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    accounts_server: str | None = None
    api_domain: str | None = None
    seeds: Credentials = field(default_factory=Credentials, repr=False)
    source: str = "config"  # config | store
    allowed_hosts: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Connection(link={self.link!r}, service={self.service.name!r}, source={self.source!r})"

    # ---- effective values: the connection's own, else its service's
    @property
    def auth_type(self) -> AuthType:
        return self.service.auth_type

    @property
    def effective_client_id(self) -> str | None:
        return self.client_id or self.service.client_id

    @property
    def effective_client_secret(self) -> str | None:
        return self.client_secret or self.service.client_secret

    def url(self, template: str | None) -> str | None:
        """Resolve ``{accounts_server}`` / ``{api_domain}`` in a service URL for this connection."""
        if template is None:
            return None
        return template.replace("{accounts_server}", self.accounts_server or "").replace(
            "{api_domain}", self.api_domain or "")

    @property
    def token_url(self) -> str | None:
        return self.url(self.service.token_url)

    @property
    def refresh_url(self) -> str | None:
        return self.url(self.service.refresh_url) or self.token_url

    @property
    def authorize_url(self) -> str | None:
        return self.url(self.service.authorize_url)

    def scope_string(self) -> str:
        return self.scope_delimiter.join(self.scopes)

    def urls(self) -> list[str]:
        """Every URL of the connection and its service, resolved."""
        service = self.service
        found = [self.accounts_server, self.api_domain, service.api_domain, self.token_url, self.refresh_url,
                 self.authorize_url, service.request_token_url, service.access_token_url]
        return [url for url in found if url]

    def secret_values(self) -> list[str]:
        """Every secret known from the definition itself (tokens come from the store too),
        including credentials written inside its URLs (``https://user:pass@host/token``)."""
        from .redact import url_secrets

        found = [self.client_secret, self.service.client_secret, self.service.consumer_secret]
        inside_urls = [secret for url in self.urls() for secret in url_secrets(url)]
        return [v for v in found if v] + self.seeds.secret_values() + inside_urls

    def seed_fingerprint(self) -> str:
        """A digest of the seeded tokens; when the config changes them, stored tokens are dropped."""
        import hashlib

        seed = self.seeds
        material = "\x00".join(x or "" for x in (seed.access_token, seed.refresh_token, seed.token,
                                                  seed.token_secret, self.effective_client_id))
        return hashlib.sha256(material.encode()).hexdigest()[:24]
