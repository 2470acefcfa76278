"""The user's connections config: finding deluge.toml, ``${ENV_VAR}`` expansion, validation.

Owns the public TOML shape (README, issue 4): ``[services.NAME]`` custom services,
``[connections.LINK]`` connections (to a custom or a default service), and an optional
``[defaults]`` table naming the connection a ``zoho.*`` task uses for a service. The same
`parse_service` / `parse_connection` functions validate what `connections add` stores, so
a stored connection and a configured one obey the same rules. No I/O beyond reading the
file; no HTTP.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path

from ..fieldclass import field, fieldclass
from .errors import ConnectionConfigError, UnsetVariableError, did_you_mean
from .hosts import check_patterns
from .models import (
    ALLOWED_PARAM_TYPES,
    ApiKeyParam,
    AuthType,
    Connection,
    Credentials,
    GrantType,
    ParamType,
    Service,
    check_display_name,
    check_link_name,
)
from .policy import parse_budget

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .catalog import Catalog

CONFIG_FILE = "deluge.toml"
CONFIG_ENV = "DELUGE_LITE_CONFIG"
MAX_CONFIG_BYTES = 1_000_000  # a config file is a few kilobytes; anything near this is the wrong file
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

_SERVICE_KEYS: dict[AuthType, frozenset[str]] = {
    AuthType.OAUTH2: frozenset({"grant_type", "client_id", "client_secret", "authorize_url", "token_url",
                                "refresh_url", "param_type", "token_prefix", "scopes", "scope_delimiter",
                                "authorize_params"}),
    AuthType.OAUTH1: frozenset({"consumer_key", "consumer_secret", "request_token_url", "authorize_url",
                                "access_token_url", "param_type", "signature_method"}),
    AuthType.API_KEY: frozenset({"params"}),
    AuthType.BASIC: frozenset(),
}
_COMMON_SERVICE_KEYS = frozenset({"display_name", "auth_type", "api_domain", "api_path", "allowed_hosts",
                                  "token_budget"})
_REQUIRED_SERVICE_KEYS: dict[AuthType, tuple[str, ...]] = {
    AuthType.OAUTH2: ("token_url",),
    AuthType.OAUTH1: ("consumer_key", "consumer_secret"),
    AuthType.API_KEY: ("params",),
    AuthType.BASIC: (),
}
_CONNECTION_KEYS = frozenset({
    "display_name", "service", "scopes", "scope_delimiter", "data_center", "client_id", "client_secret",
    "accounts_server", "api_domain", "access_token", "refresh_token", "expires_at", "token",
    "token_secret", "username", "password", "values", "allowed_hosts",
})
_SEED_KEYS = ("access_token", "refresh_token", "token", "token_secret", "username", "password")


@fieldclass
class ConnectionsConfig:
    """What a config file defines: custom services, connections and per-service defaults."""

    path: Path | None = None
    services: dict[str, Service] = field(default_factory=dict)
    connections: dict[str, Connection] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # link -> why (an unset ${VAR}); the rest loads


def find_config(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None,
                env: Mapping[str, str] | None = None) -> Path | None:
    """The config file to read: ``explicit``, else $DELUGE_LITE_CONFIG, else ./deluge.toml, else None."""
    env = os.environ if env is None else env
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            what = "is not a regular file" if path.exists() else "does not exist"
            raise ConnectionConfigError(f"config file '{path}' {what}")
        return path
    if env.get(CONFIG_ENV):
        path = Path(env[CONFIG_ENV])
        if not path.is_file():
            raise ConnectionConfigError(f"config file '{path}' (from ${CONFIG_ENV}) does not exist")
        return path
    candidate = (cwd or Path.cwd()) / CONFIG_FILE
    return candidate if candidate.is_file() else None


def load_config(path: Path | None, catalog: Catalog, *, env: Mapping[str, str] | None = None,
                extra_services: Mapping[str, Service] | None = None) -> ConnectionsConfig:
    """Read and validate one config file (``None`` gives an empty config)."""
    if path is None:
        return ConnectionsConfig()
    env = os.environ if env is None else env
    raw = read_toml(path)
    # [project], [functions.NAME] and [check] belong to the project settings (deluge_lite/project)
    _check_keys(raw, {"services", "connections", "defaults", "project", "functions", "check", "store"},
                f"{path.name}")  # [store]: the token store backend (connections.backend)
    config = ConnectionsConfig(path=path)
    unset_services: dict[str, str] = {}
    for name, table in _tables(raw, "services", path.name).items():
        where = f"{path.name}: [services.{name}]"
        if name in catalog.services:
            raise ConnectionConfigError(f"{where}: '{name}' is a default service; pick another name")
        try:
            config.services[name] = parse_service(name, expand_env(table, env, where), where=where)
        except UnsetVariableError as exc:
            unset_services[name] = exc.message
    known = {**catalog.services, **(extra_services or {}), **config.services}
    for link, table in _tables(raw, "connections", path.name).items():
        where = f"{path.name}: [connections.{link}]"
        service_name = table.get("service")
        if isinstance(service_name, str) and service_name in unset_services:
            config.broken[link] = unset_services[service_name]
            continue
        try:
            config.connections[link] = parse_connection(link, expand_env(table, env, where), known, catalog,
                                                        where=where)
        except UnsetVariableError as exc:  # only this connection is unusable; `list` shows why
            config.broken[link] = exc.message
    defaults = raw.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConnectionConfigError(f"{path.name}: defaults must be a table ([defaults], service = \"link\"), "
                                    f"not {kind_of(defaults)}")
    for service, link in defaults.items():
        here = f"{path.name}: [defaults] {service}"
        if not isinstance(link, str):
            raise ConnectionConfigError(f"{here} must be the link name of a connection as text, not {kind_of(link)}")
        if service not in known:
            raise ConnectionConfigError(f"{here}: unknown service '{service}'{did_you_mean(service, known)}")
        if link not in config.connections and link not in config.broken:
            raise ConnectionConfigError(f"{here} names unknown connection "
                                        f"'{link}'{did_you_mean(link, config.connections)}")
        bound = config.connections.get(link)
        if bound is not None and bound.service.source == "default" and service in catalog.services \
                and bound.service.name != service:  # two Zoho services claiming one link: wrong scopes, wrong API
            raise ConnectionConfigError(f"{here} names '{link}', a connection of {bound.service.name}, not of "
                                        f"{service}; give {service} a connection of its own")
        config.defaults[service] = link
    return config


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document in ``path``: a regular file, at most `MAX_CONFIG_BYTES`, UTF-8 text."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ConnectionConfigError(f"config file '{path}' is not a regular file")
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConnectionConfigError(f"cannot read config file '{path}': {exc.strerror or exc}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConnectionConfigError(f"{path.name}: larger than {MAX_CONFIG_BYTES:,} bytes; "
                                    f"is this the right file?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConnectionConfigError(f"{path.name}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                                    f"{line}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConnectionConfigError(f"{path.name}: not valid TOML: {exc}") from None


def expand_env(value: Any, env: Mapping[str, str], where: str, key: str = "") -> Any:
    """Replace every ``${NAME}`` in strings (recursively); an unset variable is an error."""
    if isinstance(value, str):
        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                field_name = f" {key}" if key else ""
                raise UnsetVariableError(
                    f"{where}{field_name}: environment variable {name} is not set "
                    f"(the value is written as ${{{name}}})")
            return env[name]
        return _ENV_REF.sub(substitute, value)
    if isinstance(value, dict):
        return {k: expand_env(v, env, where, k) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_env(v, env, where, key) for v in value]
    return value


def parse_service(name: str, table: Mapping[str, Any], *, where: str, source: str = "config") -> Service:
    """Validate one service table and build the `Service`."""
    check_name(name, where, "service name")
    auth_type = _enum(AuthType, table.get("auth_type"), "auth_type", where, required=True)
    _check_keys(table, _COMMON_SERVICE_KEYS | _SERVICE_KEYS[auth_type], where,
                hint=f" for auth_type '{auth_type.value}'")
    for key in _REQUIRED_SERVICE_KEYS[auth_type]:
        if not table.get(key):
            raise ConnectionConfigError(f"{where}: a {auth_type.label} service needs '{key}'")
    display = _display(table.get("display_name", name), where)
    param_type = _enum(ParamType, table.get("param_type", "header"), "param_type", where)
    if param_type not in ALLOWED_PARAM_TYPES[auth_type]:
        allowed = " or ".join(p.value for p in ALLOWED_PARAM_TYPES[auth_type])
        raise ConnectionConfigError(f"{where}: param_type for {auth_type.label} must be {allowed}, "
                                    f"not '{param_type.value}'")
    raw_params = table.get("params", [])
    if not isinstance(raw_params, list):
        raise ConnectionConfigError(f"{where}: params must be a list of tables ([[services.NAME.params]] "
                                    f"with name and param_type), not {kind_of(raw_params)}")
    params = tuple(_api_key_param(p, i, where) for i, p in enumerate(raw_params))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise ConnectionConfigError(f"{where}: API key parameter names must be unique")
    authorize_params = _text_table(table, "authorize_params", where)
    return Service(
        name=name, display_name=display, auth_type=auth_type, source=source,
        grant_type=_enum(GrantType, table.get("grant_type", "authorization_code"), "grant_type", where),
        client_id=_text(table, "client_id", where), client_secret=_text(table, "client_secret", where),
        authorize_url=_url(table, "authorize_url", where), token_url=_url(table, "token_url", where),
        refresh_url=_url(table, "refresh_url", where), param_type=param_type,
        token_prefix=_text(table, "token_prefix", where) or "Bearer",
        scopes=_scopes(table.get("scopes", ()), where),
        scope_delimiter=_text(table, "scope_delimiter", where) or " ",
        authorize_params=tuple(authorize_params.items()),
        consumer_key=_text(table, "consumer_key", where),
        consumer_secret=_text(table, "consumer_secret", where),
        request_token_url=_url(table, "request_token_url", where),
        access_token_url=_url(table, "access_token_url", where),
        signature_method=_text(table, "signature_method", where) or "HMAC-SHA1",
        params=params, api_domain=_url(table, "api_domain", where),
        api_path=_text(table, "api_path", where) or "",
        allowed_hosts=check_patterns(table["allowed_hosts"], where) if "allowed_hosts" in table else (),
        token_budget=parse_budget(table["token_budget"], where) if "token_budget" in table else None,
    )


def parse_connection(link: str, table: Mapping[str, Any], services: Mapping[str, Service],
                     catalog: Catalog, *, where: str, source: str = "config") -> Connection:
    """Validate one connection table against the known services and build the `Connection`."""
    try:
        check_link_name(link)
    except ConnectionConfigError as exc:
        raise ConnectionConfigError(f"{where}: {exc.message}") from None
    _check_keys(table, _CONNECTION_KEYS, where)
    display = _display(table.get("display_name", link), where)
    service_name = _text(table, "service", where)
    if not service_name:
        raise ConnectionConfigError(f"{where}: 'service' is required (a default service such as "
                                    f"'zoho_crm', or one of your [services])")
    if service_name not in services:
        raise ConnectionConfigError(f"{where}: unknown service '{service_name}'"
                                    f"{did_you_mean(str(service_name), services)}; "
                                    f"see deluge-lite connections services")
    service = services[service_name]
    accounts_server = _url(table, "accounts_server", where)
    api_domain = _url(table, "api_domain", where) or service.api_domain
    data_center = _text(table, "data_center", where)
    if service.source == "default":
        center = _located(lambda: catalog.data_center(data_center), where)
        data_center = center.name
        accounts_server = accounts_server or center.accounts_server
        api_domain = _url(table, "api_domain", where) or center.api_domain
    elif data_center:
        raise ConnectionConfigError(f"{where}: data_center applies only to default (Zoho) services")
    values = _text_table(table, "values", where, example='values = { appid = "..." }')
    expires_at = table.get("expires_at")
    if expires_at is not None and (isinstance(expires_at, bool) or not isinstance(expires_at, int | float)):
        raise ConnectionConfigError(f"{where}: expires_at must be a number (epoch seconds), not {kind_of(expires_at)}")
    seeds = Credentials(**{k: _text(table, k, where) for k in _SEED_KEYS}, values=dict(values),
                        expires_at=float(expires_at) if expires_at is not None else None)
    connection = Connection(
        link=link, display_name=display, service=service,
        scopes=_scopes(table["scopes"], where) if "scopes" in table else service.scopes,
        scope_delimiter=_text(table, "scope_delimiter", where) or service.scope_delimiter,
        data_center=data_center, client_id=_text(table, "client_id", where),
        client_secret=_text(table, "client_secret", where), accounts_server=accounts_server,
        api_domain=api_domain, seeds=seeds, source=source,
        allowed_hosts=check_patterns(table["allowed_hosts"], where) if "allowed_hosts" in table else (),
    )
    _check_connection_complete(connection, where)
    return connection


def _check_connection_complete(conn: Connection, where: str) -> None:
    service = conn.service
    if service.auth_type is AuthType.OAUTH2 and not conn.effective_client_id:
        raise ConnectionConfigError(f"{where}: 'client_id' is required (on the connection or its service)")
    if service.auth_type is AuthType.OAUTH2 and service.grant_type is GrantType.CLIENT_CREDENTIALS \
            and not conn.effective_client_secret:
        raise ConnectionConfigError(f"{where}: the client credentials grant needs 'client_secret'")
    if service.auth_type is AuthType.BASIC:
        for key in ("username", "password"):
            if getattr(conn.seeds, key) is None:
                raise ConnectionConfigError(f"{where}: a Basic connection needs '{key}'")
    if service.auth_type is AuthType.API_KEY:
        missing = [p.name for p in service.params if p.name not in conn.seeds.values]
        unknown = [k for k in conn.seeds.values if k not in {p.name for p in service.params}]
        if missing:
            raise ConnectionConfigError(f"{where}: values is missing the API key parameter "
                                        f"'{missing[0]}' of service '{service.name}'")
        if unknown:
            names = [p.name for p in service.params]
            raise ConnectionConfigError(f"{where}: values has '{unknown[0]}', which service "
                                        f"'{service.name}' does not define{did_you_mean(unknown[0], names)}")


def check_name(name: str, where: str, what: str) -> None:
    try:
        check_link_name(name)
    except ConnectionConfigError as exc:
        raise ConnectionConfigError(f"{where}: {what} {exc.message.removeprefix('link name ')}") from None


# ---- small validators
def kind_of(value: Any) -> str:
    """What a TOML value is, in TOML's words (never a Python class name)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, _dt.datetime):
        return "a date-time"
    if isinstance(value, _dt.date):
        return "a date"
    if isinstance(value, _dt.time):
        return "a time"
    return "a value of another kind"


def _tables(raw: Mapping[str, Any], key: str, where: str) -> dict[str, Mapping[str, Any]]:
    tables = raw.get(key, {})
    if not isinstance(tables, dict):
        raise ConnectionConfigError(f"{where}: {key} must be a table holding one table per name, e.g. "
                                    f"[{key}.NAME], not {kind_of(tables)}")
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConnectionConfigError(f"{where}: {key}.{name} must be a table ([{key}.{name}]), "
                                        f"not {kind_of(table)}")
    return tables


def _text_table(table: Mapping[str, Any], key: str, where: str, example: str = "") -> dict[str, str]:
    value = table.get(key, {})
    hint = f", e.g. {example}" if example else ""
    if not isinstance(value, dict):
        raise ConnectionConfigError(f"{where}: {key} must be a table of texts{hint}, not {kind_of(value)}")
    for name, item in value.items():
        if not isinstance(item, str):
            raise ConnectionConfigError(f"{where}: {key}.{name} must be text, not {kind_of(item)}")
    return dict(value)


def _check_keys(table: Mapping[str, Any], allowed: frozenset[str] | set[str], where: str,
                hint: str = "") -> None:
    for key in table:
        if key not in allowed:
            guess = did_you_mean(key, allowed)
            raise ConnectionConfigError(f"{where}: unknown field '{key}'{guess or hint}")


def _enum(kind: Any, value: Any, key: str, where: str, *, required: bool = False) -> Any:
    allowed = " | ".join(member.value for member in kind)
    if value is None and required:
        raise ConnectionConfigError(f"{where}: '{key}' is required ({allowed})")
    if not isinstance(value, str):
        raise ConnectionConfigError(f"{where}: {key} must be text ({allowed}), not {kind_of(value)}")
    try:
        return kind(value)
    except ValueError:
        raise ConnectionConfigError(f"{where}: unknown {key} '{value}'; expected {allowed}") from None


def _text(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConnectionConfigError(f"{where}: {key} must be text, not {kind_of(value)}")
    return value


def _url(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = _text(table, key, where)
    if value is None:
        return None
    if not (value.startswith(("https://", "http://", "{accounts_server}", "{api_domain}"))):
        raise ConnectionConfigError(f"{where}: {key} must be an http(s) URL, not '{value}'")
    return value.rstrip("/") if key in ("api_domain", "accounts_server") else value


def _display(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConnectionConfigError(f"{where}: display_name must be text, not {kind_of(value)}")
    try:
        return check_display_name(value)
    except ConnectionConfigError as exc:
        raise ConnectionConfigError(f"{where}: {exc.message}") from None


def _scopes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(s for s in re.split(r"[,\s]+", value) if s)
    if not isinstance(value, list | tuple):
        raise ConnectionConfigError(f"{where}: scopes must be a list of texts, not {kind_of(value)}")
    for index, scope in enumerate(value):
        if not isinstance(scope, str):
            raise ConnectionConfigError(f"{where}: scopes[{index}] must be text, not {kind_of(scope)}")
    return tuple(value)


def _api_key_param(table: Any, index: int, where: str) -> ApiKeyParam:
    here = f"{where} params[{index}]"
    if not isinstance(table, dict):
        raise ConnectionConfigError(f"{here}: each API key parameter is a table (name, display_name, "
                                    f"param_type), not {kind_of(table)}")
    _check_keys(table, {"name", "display_name", "param_type"}, here)
    name = table.get("name")
    if name is not None and not isinstance(name, str):
        raise ConnectionConfigError(f"{here}: name must be text, not {kind_of(name)}")
    if not name:
        raise ConnectionConfigError(f"{here}: 'name' is required")
    param_type = _enum(ParamType, table.get("param_type", "query"), "param_type", here)
    return ApiKeyParam(name, _display(table.get("display_name", name), here), param_type)


def _located(build: Any, where: str) -> Any:
    try:
        return build()
    except ConnectionConfigError as exc:
        raise ConnectionConfigError(f"{where}: {exc.message}") from None
