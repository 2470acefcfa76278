"""``deluge-lite connections ...`` and ``deluge-lite fake-oauth``: the command-line face of connections.

Owns argument parsing for the subcommands (`add_subparsers`), their handlers (`handle`),
interactive prompts for ``add``, and printing. Every line printed goes through the
registry's redactor; secrets are shown as ``****``. Exit codes: 0 ok, 1 a user error
(message on stderr), 2 bad usage (argparse). `main` runs it standalone
(``python -m deluge_lite.connections``).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
import webbrowser
from collections.abc import Callable, Sequence

from ..errors import DelugeError, UsageError
from ..net.client import httpx
from .config import parse_connection, parse_service
from .errors import ConnectionConfigError, UnknownConnectionError
from .explain import describe, explain_lines, status_of
from .flows import Interaction, authorize
from .models import AuthType, Connection, GrantType, check_link_name
from .redact import Redactor, mask_url, mask_urls_in
from .registry import ConnectionRegistry
from .samples import deluge_sample, json_sample
from .store_cli import add_store_parser
from .store_cli import run as run_store_command

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

Handler = Callable[[argparse.Namespace], int]


# ---- parsers
def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (a free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 0 (any free port) to 65535, not '{text}'")
    return port


def add_subparsers(subparsers: Any) -> None:
    """Add ``connections`` (with its subcommands) and ``fake-oauth`` to an argparse subparsers object."""
    conn = subparsers.add_parser("connections", help="define, authorize and inspect connections",
                                 description="Manage connections: named, authenticated links to services.")
    conn.add_argument("--config", dest="connections_config", metavar="FILE",
                      help="config file (default: $DELUGE_LITE_CONFIG or ./deluge.toml)")
    sub = conn.add_subparsers(dest="connections_command", metavar="COMMAND", required=True)
    sub.add_parser("list", help="list connections and whether they are ready")
    show = sub.add_parser("show", help="show one connection (secrets as ****)")
    show.add_argument("link")
    show.add_argument("--sample", action="store_true",
                      help="also print sample Deluge code and the connection's JSON, as Zoho's summary does")
    sub.add_parser("services", help="list default and custom services")
    auth = sub.add_parser("authorize", help="authorize a connection (OAuth): get its first tokens")
    auth.add_argument("link")
    auth.add_argument("--code", help="exchange a grant code (e.g. from Zoho's self-client console)")
    auth.add_argument("--no-browser", action="store_true", help="print the URL and read the pasted redirect URL")
    auth.add_argument("--port", type=port_number, default=0, help="fixed loopback port for the redirect URI")
    auth.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the browser")
    test = sub.add_parser("test", help="fetch or refresh a token and report; optionally call a URL")
    test.add_argument("link")
    test.add_argument("--url", help="also send GET URL with the connection's credentials")
    test.add_argument("--refresh", action="store_true", help="refresh the token even if it is still valid")
    remove = sub.add_parser("remove", help="remove a stored connection and its tokens")
    remove.add_argument("link")
    explain = sub.add_parser("explain", help="show where each credential goes on a request")
    explain.add_argument("link")
    _add_add_parser(sub)
    add_store_parser(sub)
    conn.set_defaults(connections_handler=handle)

    fake = subparsers.add_parser("fake-oauth", help="run the fake OAuth provider on 127.0.0.1 (for testing)")
    fake.add_argument("--port", type=port_number, default=0, help="port (default: a free one)")
    fake.set_defaults(connections_handler=handle, connections_command="fake-oauth")


def _add_add_parser(sub: Any) -> None:
    add = sub.add_parser("add", help="add a connection (prompts for what the flags do not give)")
    add.add_argument("--link", help="link name: lowercase letters, digits and _, starting with a letter")
    add.add_argument("--display-name")
    add.add_argument("--service", help="a default service (see `services`) or a custom one")
    add.add_argument("--auth-type", choices=[t.value for t in AuthType],
                     help="define a custom service for this connection instead of --service")
    add.add_argument("--grant-type", choices=[g.value for g in GrantType])
    for flag in ("client-id", "client-secret", "authorize-url", "token-url", "refresh-url", "param-type",
                 "token-prefix", "scope-delimiter", "data-center", "accounts-server", "api-domain",
                 "consumer-key", "consumer-secret", "request-token-url", "access-token-url", "username",
                 "password", "refresh-token", "access-token", "token", "token-secret"):
        add.add_argument(f"--{flag}")
    add.add_argument("--scopes", help="scopes separated by commas or spaces")
    add.add_argument("--param", action="append", default=[], metavar="NAME:TYPE[:DISPLAY]",
                     help="an API key parameter, where it goes (query|form|header) and the name its value "
                          "is asked by; repeatable")
    add.add_argument("--value", action="append", default=[], metavar="NAME=VALUE",
                     help="an API key parameter's value; repeatable")
    add.add_argument("--no-input", action="store_true", help="never prompt; missing fields are an error")


# ---- entry points
def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry: ``python -m deluge_lite.connections connections list`` (or ``list``)."""
    parser = argparse.ArgumentParser(prog="deluge-lite")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_subparsers(subparsers)
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in ("connections", "fake-oauth", "-h", "--help"):
        args_list.insert(0, "connections")
    try:
        return handle(parser.parse_args(args_list))
    except UsageError as exc:  # `deluge-lite` proper prints these the same way
        print(f"deluge-lite: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader left; not an error of ours
        sys.stderr.close()
        return 0


def handle(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a parsed ``connections`` / ``fake-oauth`` command; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    redactor = Redactor()
    try:
        command = args.connections_command
        if command == "fake-oauth":
            from ..testing.fake_oauth import serve_forever

            serve_forever(args.port, say=lambda line: print(line, file=out, flush=True))
            return 0
        config = getattr(args, "connections_config", None) or getattr(args, "config", None)
        registry = ConnectionRegistry.load(config)
        redactor = registry.redactor
        cli = _Commands(registry, args, lambda line="": print(redactor.redact(line), file=out, flush=True), err)
        return _COMMANDS[command](cli)
    except DelugeError as exc:
        print(f"error: {mask_urls_in(exc.message, redactor.redact)}", file=err)
        return 1
    except OSError as exc:  # a home folder we may not write, a full disk, ...
        print(f"error: {mask_urls_in(str(exc), redactor.redact)}", file=err)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=err)
        return 1


class _Commands:
    """The handlers, sharing the registry, the arguments and the output functions."""

    def __init__(self, registry: ConnectionRegistry, args: argparse.Namespace, say: Callable[..., None],
                 err: TextIO) -> None:
        self.registry = registry
        self.args = args
        self.say = say
        self.err = err

    def list(self) -> int:
        rows = [("LINK", "DISPLAY NAME", "SERVICE", "AUTH", "STATUS", "DEFINED IN")]
        for link in sorted([*self.registry.links(), *self.registry.broken]):
            if link in self.registry.broken:  # an unset ${VAR}: shown, not fatal to the listing
                why = self.registry.broken[link]
                found = re.search(r"environment variable (\w+) is not set", why)
                status = f"unusable: ${{{found.group(1)}}} is not set" if found else "unusable"
                rows.append((link, "?", "?", "?", status, "config"))
                continue
            conn = self.registry.get(link)
            where = "config" if conn.source == "config" else "store"
            if link in self.registry.shadowed:  # the config wins; say so rather than hide it
                where = "config (hides a stored one)"
            rows.append((link, conn.display_name, conn.service.name, conn.auth_type.label,
                         status_of(conn, self.registry.keeper(link)), where))
        if len(rows) == 1:
            self.say("no connections yet: add one to deluge.toml or run deluge-lite connections add")
            return 0
        _table(rows, self.say)
        return 0

    def show(self) -> int:
        conn = self.registry.get(self.args.link)
        for key, value in describe(conn, self.registry.keeper(conn.link)):
            self.say(f"{key + ':':<18}{value}")
        if self.args.sample:
            self.say("")
            self.sample(conn)
        return 0

    def sample(self, conn: Connection) -> None:
        """Zoho's Connection Summary: sample Deluge code and the JSON form (secrets masked)."""
        self.say("Sample Deluge code:")
        for line in deluge_sample(conn).splitlines():
            self.say(f"  {line}" if line else "")
        self.say("")
        self.say("JSON:")
        for line in json_sample(conn).splitlines():
            self.say(f"  {line}")

    def explain(self) -> int:
        conn = self.registry.get(self.args.link)
        for line in explain_lines(conn, self.registry.keeper(conn.link)):
            self.say(line)
        return 0

    def services(self) -> int:
        rows = [("SERVICE", "DISPLAY NAME", "AUTH", "SOURCE")]
        for name in sorted(self.registry.services):
            service = self.registry.services[name]
            rows.append((name, service.display_name, service.auth_type.label, service.source))
        _table(rows, self.say)
        if self.registry.catalog is not None:
            centers = ", ".join(self.registry.catalog.data_centers)
            self.say("")
            self.say(f"default (Zoho) services take data_center = one of: {centers}")
        return 0

    def authorize(self) -> int:
        conn = self.registry.get(self.args.link)
        keeper = self.registry.keeper(conn.link)
        ui = Interaction(say=self.say, open_url=None if self.args.no_browser else webbrowser.open,
                         read_line=_reader(self.err), timeout=self.args.timeout)
        creds = authorize(conn, keeper, ui, port=self.args.port, code=self.args.code)
        left = creds.expires_in()
        extra = f"; access token valid for {_minutes(left)}" if left is not None else ""
        self.say(f"authorized '{conn.link}'{extra}; tokens saved in the encrypted store")
        gap = keeper.scope_gap()
        if gap is not None:
            print(f"warning: {self.registry.redactor.redact(gap)}", file=self.err)
        self.say("")
        self.sample(conn)
        return 0

    def test(self) -> int:
        conn = self.registry.get(self.args.link)
        keeper = self.registry.keeper(conn.link)
        if conn.auth_type is AuthType.OAUTH2:
            before = keeper.refreshes
            creds = keeper.access(force=self.args.refresh)
            how = "fetched a new access token" if keeper.refreshes > before else "the access token is still valid"
            left = creds.expires_in()
            self.say(f"ok: {conn.link}: {how}" + (f"; it expires in {_minutes(left)}" if left is not None else ""))
        elif conn.auth_type is AuthType.OAUTH1 and not keeper.current().token:
            raise ConnectionConfigError(f"connection '{conn.link}' is not authorized yet; authorize it with "
                                        f"deluge-lite connections authorize {conn.link}")
        else:
            self.say(f"ok: {conn.link}: {conn.auth_type.label} credentials are present; nothing to fetch")
        if self.args.url:
            shown = mask_url(self.args.url, self.registry.redactor.redact)
            if not self.args.url.lower().startswith(("http://", "https://")):
                raise UsageError(f"--url must be an http:// or https:// URL, not '{shown}'")
            try:
                with httpx.Client(timeout=30) as client:
                    response = client.get(self.args.url, auth=self.registry.auth_for(conn.link))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError):
                raise UsageError(f"--url '{shown}' is not a valid URL") from None
            except httpx.TransportError as exc:
                raise ConnectionConfigError(f"cannot reach {shown}: {type(exc).__name__}") from None
            self.say(f"GET {shown} -> HTTP {response.status_code}")
            return 0 if response.status_code < 400 else 1
        return 0

    def remove(self) -> int:
        link = self.args.link
        conn = self.registry.get(link)
        store = self.registry.store
        if store is None:
            raise ConnectionConfigError("there is no store to remove from")
        if conn.source == "config":
            store.remove_tokens(link)
            self.say(f"removed the stored tokens of '{link}'; its definition stays in {self.registry.config_path}")
            return 0
        store.remove_connection(link)
        service = conn.service
        if service.source == "store" and service.name == link and not any(
                c.service.name == link for c in self.registry.connections.values() if c.link != link):
            store.remove_service(link)
        self.say(f"removed connection '{link}' and its tokens")
        return 0

    def add(self) -> int:
        return _Adder(self.registry, self.args, self.say, self.err).run()

    def store(self) -> int:
        return run_store_command(self.registry, self.args, self.say)


_COMMANDS: dict[str, Callable[[_Commands], int]] = {
    "list": _Commands.list, "show": _Commands.show, "explain": _Commands.explain,
    "services": _Commands.services, "authorize": _Commands.authorize, "test": _Commands.test,
    "remove": _Commands.remove, "add": _Commands.add, "store": _Commands.store,
}


class _Adder:
    """``connections add``: flags first, prompts for the rest, then the same validation as config."""

    _SECRET = {"client_secret", "consumer_secret", "password", "refresh_token", "access_token", "token_secret"}

    def __init__(self, registry: ConnectionRegistry, args: argparse.Namespace, say: Callable[..., None],
                 err: TextIO) -> None:
        self.registry, self.args, self.say, self.err = registry, args, say, err
        self.read = _reader(err)

    def get(self, key: str, prompt: str, *, required: bool = True, default: str | None = None) -> str | None:
        value = getattr(self.args, key, None)
        if value not in (None, ""):
            return value
        if self.args.no_input:
            if required and default is None:
                raise ConnectionConfigError(f"missing --{key.replace('_', '-')} (and --no-input forbids asking)")
            return default
        shown = f" [{default}]" if default else ("" if required else " (optional)")
        secret = key in self._SECRET or key.startswith("value:")
        answer = self.read(f"{prompt}{shown}: ", secret=secret).strip()
        if not answer:
            if required and default is None:
                raise ConnectionConfigError(f"{prompt.lower()} is required")
            return default
        return answer

    def run(self) -> int:
        link = self.get("link", "Link name")
        assert link is not None
        check_link_name(link)
        if link in self.registry:
            raise ConnectionConfigError(f"a connection named '{link}' already exists; pick another link name")
        display = self.get("display_name", "Display name", default=link)
        service_name = self.args.service
        auth_type = self.args.auth_type
        if not service_name and not auth_type:
            answer = self.get("service", "Service (a name from `connections services`, or an auth type: "
                              "api_key, basic, oauth1, oauth2)")
            if answer in [t.value for t in AuthType] and answer not in self.registry.services:
                auth_type = answer
            else:
                service_name = answer
        service_table: dict[str, Any] | None = None
        if auth_type:
            service_table = self._service_table(link, display or link, auth_type)
            service = parse_service(link, service_table, where="new service", source="store")
            if link in self.registry.services:
                raise ConnectionConfigError(f"a service named '{link}' already exists; use --service {link}")
            services = {**self.registry.services, link: service}
            service_name = link
        else:
            services = self.registry.services
            if service_name not in services:
                from .errors import did_you_mean

                raise UnknownConnectionError(f"unknown service '{service_name}'"
                                             f"{did_you_mean(str(service_name), services)}; "
                                             f"see deluge-lite connections services")
            service = services[service_name]
        table = self._connection_table(display or link, service_name or "", service)
        catalog = self.registry.catalog
        assert catalog is not None
        parse_connection(link, table, services, catalog, where="new connection", source="store")
        store = self.registry.store
        if store is None:
            raise ConnectionConfigError("there is no store to add to")
        if service_table is not None:
            store.put_service(link, service_table)
        store.put_connection(link, table)
        hint = ""
        if service.auth_type in (AuthType.OAUTH1, AuthType.OAUTH2) and not table.get("refresh_token") \
                and not table.get("token") and service.grant_type is not GrantType.CLIENT_CREDENTIALS:
            hint = f"; next: deluge-lite connections authorize {link}"
        self.say(f"added connection '{link}' ({service.display_name}, {service.auth_type.label}){hint}")
        self.say("")
        _Commands(self.registry, self.args, self.say, self.err).sample(
            parse_connection(link, table, services, catalog, where="new connection", source="store"))
        return 0

    def _service_table(self, link: str, display: str, auth_type: str) -> dict[str, Any]:
        table: dict[str, Any] = {"display_name": display, "auth_type": auth_type}
        if self.args.api_domain:  # where its API lives: also the host its credentials may go to
            table["api_domain"] = self.args.api_domain
        kind = AuthType(auth_type)
        if kind is AuthType.OAUTH2:
            grant = self.get("grant_type", "Grant type (authorization_code or client_credentials)",
                             default="authorization_code")
            table["grant_type"] = grant
            table["client_id"] = self.get("client_id", "Client id")
            table["client_secret"] = self.get("client_secret", "Client secret")
            if grant == GrantType.AUTHORIZATION_CODE.value:
                table["authorize_url"] = self.get("authorize_url", "Authorize URL")
            table["token_url"] = self.get("token_url", "Access token URL")
            for key, prompt in (("refresh_url", "Refresh token URL"), ("token_prefix", "Token prefix")):
                value = self.get(key, prompt, required=False)
                if value:
                    table[key] = value
            table["param_type"] = self.get("param_type", "Param type (header or query)", default="header")
        elif kind is AuthType.OAUTH1:
            for key, prompt in (("consumer_key", "Consumer key"), ("consumer_secret", "Consumer secret")):
                table[key] = self.get(key, prompt)
            # with an access token and its secret in hand there is nothing to authorize: the
            # three flow URLs are only needed by `connections authorize`
            has_token = bool(self.args.token and self.args.token_secret)
            for key, prompt in (("request_token_url", "Request token URL"), ("authorize_url", "Authorize URL"),
                                ("access_token_url", "Access token URL")):
                value = self.get(key, prompt, required=not has_token)
                if value:
                    table[key] = value
            table["param_type"] = self.get("param_type", "Param type (header, query or form)", default="header")
        elif kind is AuthType.API_KEY:
            specs = list(self.args.param)
            if not specs:
                answer = self.get("param", "API key parameters as NAME:TYPE[:Display name], comma-separated "
                                  "(TYPE: query, form or header)")
                specs = [s.strip() for s in (answer or "").split(",") if s.strip()]
            params = []
            for spec in specs:
                name, _, rest = spec.partition(":")
                where, _, display = rest.partition(":")
                param = {"name": name.strip(), "param_type": (where or "query").strip()}
                if display.strip():
                    param["display_name"] = display.strip()
                params.append(param)
            table["params"] = params
        return table

    def _connection_table(self, display: str, service_name: str, service: Any) -> dict[str, Any]:
        table: dict[str, Any] = {"display_name": display, "service": service_name}
        if service.source == "default":
            table["data_center"] = self.get("data_center", "Data centre (com, eu, in, com.au, jp, com.cn)",
                                            default="com")
            table["client_id"] = self.get("client_id", "Client id (from your Zoho API console)")
            table["client_secret"] = self.get("client_secret", "Client secret")
            for key in ("accounts_server", "api_domain"):
                if getattr(self.args, key):
                    table[key] = getattr(self.args, key)
        if service.auth_type is AuthType.OAUTH2:
            scopes = self.args.scopes
            if scopes is None and not self.args.no_input and not service.scopes:
                scopes = self.get("scopes", "Scopes (comma or space separated)", required=False)
            if scopes:
                table["scopes"] = [s for s in scopes.replace(",", " ").split() if s]
            if self.args.scope_delimiter:
                table["scope_delimiter"] = self.args.scope_delimiter
        if service.auth_type is AuthType.BASIC:
            table["username"] = self.get("username", "Username")
            table["password"] = self.get("password", "Password")
        if service.auth_type is AuthType.API_KEY:
            given = dict(v.partition("=")[::2] for v in self.args.value)
            values = {}
            for param in service.params:
                values[param.name] = given.get(param.name) or self.get(f"value:{param.name}",
                                                                        f"Value of {param.display_name}")
            table["values"] = values
        for key in ("refresh_token", "access_token", "token", "token_secret"):
            if getattr(self.args, key):
                table[key] = getattr(self.args, key)
        return {k: v for k, v in table.items() if v is not None}


# ---- helpers
def _reader(err: TextIO) -> Callable[..., str]:
    def read(prompt: str, *, secret: bool = False) -> str:
        if secret and sys.stdin.isatty():
            return getpass.getpass(prompt, stream=err)
        err.write(prompt)
        err.flush()
        line = sys.stdin.readline()
        if not line:
            raise ConnectionConfigError(f"no answer for '{prompt.strip().rstrip(':')}' (input ended)")
        return line.rstrip("\n")

    return read


def _table(rows: list[tuple[str, ...]], say: Callable[..., None]) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        say("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "an unknown time"
    if seconds < 120:
        return f"{max(0, int(seconds))} seconds"
    return f"{int(seconds // 60)} minutes"


__all__ = ["add_subparsers", "handle", "main"]
