"""The host of one run: everything with a side effect or a policy.

A `Runtime` carries where ``info`` lines go, the ``sendmail`` outbox, the clock and time
zone, the run limits, the configured user, the task table (``zoho.*`` integration tasks
added by the network layer) and, later, the HTTP client and connection registry. The CLI,
the REPL and the pytest plugin each build one; tests pass their own. There is no
module-level state: two runtimes never share anything.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import time
from collections.abc import Callable, Iterator

from .errors import DelugeRuntimeError, LimitExceeded
from .fieldclass import field, fieldclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass(frozen=True)
class Limits:
    """Run limits; the first three defaults follow Zoho CRM (reference section 4).

    ``value_size`` is the size budget for values, in units of one Text character or one
    List/Map element (default 20,000,000, about 200 MB at worst): no value a built-in makes
    may be larger, and the material built-ins put into lists and maps over one run
    (``add``, ``addAll``, ``put``, ...) may not add up to more. A single Text is also capped at
    `values.MAX_TEXT` (10,000,000 characters) wherever it is made.
    """

    statements: int = 200_000
    call_depth: int = 75
    seconds: float = 60.0
    value_size: int = 20_000_000


@fieldclass
class Mail:
    """One message written by ``sendmail``."""

    fields: dict[str, Any]

    def render(self, number: int, sent: bool, redact: Callable[[str], str]) -> str:
        """The mail as ``run`` and the REPL show it: a header line, then ``key: value`` lines (secrets masked)."""
        from .values import to_text

        how = "sent through SMTP" if sent else "not sent: deluge-lite keeps mail in the outbox"
        lines = [f"--- mail {number} ({how}) ---"]
        lines += [f"{key}: {redact(to_text(value))}" for key, value in self.fields.items()]
        return "\n".join(lines)


_TICK_CHUNK = 4096


@fieldclass
class Runtime:
    """Everything a running script may touch outside its own variables."""

    info: Callable[[str], None] = print
    limits: Limits = field(default_factory=Limits)
    timezone: str = "UTC"
    clock: Callable[[], _dt.datetime] | None = None
    user: str = "user@example.com"
    admin_user: str | None = None
    # values of the zoho.* system variables a platform context defines (Creator's zoho.appname, ...)
    system_values: dict[str, Any] = field(default_factory=dict)
    # the platform context's name ("creator", "crm", ...; "" when none was chosen) and, in Creator,
    # the record store its own statements use (creator_records.CreatorStore)
    context: str = ""
    creator_store: Any = None
    outbox: list[Mail] = field(default_factory=list)
    tasks: dict[str, Callable[..., Any]] = field(default_factory=dict)
    redact: Callable[[str], str] = field(default=lambda text: text)
    invokeurl_handler: Callable[[Runtime, dict[str, Any]], Any] | None = None  # set by net.install
    # network: the connection registry (or a loader called on first use), the httpx
    # transport (tests inject one), limits, the --trace sink and the log of calls made
    connections: Any = None
    connections_loader: Callable[[], Any] | None = None
    transport: Any = None
    http_timeout: float = 40.0
    max_response_bytes: int = 20 * 1024 * 1024
    trace: Callable[[str], None] | None = None
    http_log: list[Any] = field(default_factory=list)
    # chat messages the run posted (zoho.cliq.postTo...): {"task", "to", "message", "status"}, newest kept
    messages: list[dict[str, Any]] = field(default_factory=list)
    script_line: Callable[[], int | None] | None = None
    mail_sender: Callable[[dict[str, Any]], None] | None = None  # real delivery (SMTP), off by default
    # a debugger's hook, called before each effect: ("info", {"text"}), ("mail", fields),
    # ("http", {"method", "url", "connection"}); None (no debugger) costs one attribute test
    on_effect: Callable[[str, dict[str, Any]], None] | None = None
    # streaming (the CLI's `run`): each mail goes to mail_sink as it is written instead of into the
    # outbox, and a run's result keeps no info lines (keep_info False), so a long run holds neither
    mail_sink: Callable[[Mail], None] | None = None
    keep_info: bool = True
    # --sandbox: called as url_router(url, connection) before each request; gives the URL to
    # really use (a Zoho URL -> the local fake) or raises the offline error (sandbox.hosts.Router)
    url_router: Callable[[str, str | None], str] | None = None
    _http_client: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._zone: _dt.tzinfo | None = None if self.timezone == "UTC" else _zone_info(self.timezone)
        self._adopt_redactor()
        self.deadline = time.monotonic() + self.limits.seconds
        self.grown = 0  # size units built-ins have put into lists and maps this run
        self._statements_left = self.limits.statements  # the budget `take_statements` hands out
        self.tick: Callable[[], int] = self._new_ticker()

    # ---- side effects the language itself has
    def emit_info(self, text: str) -> None:
        """One ``info`` line, with any known secret masked."""
        if self.on_effect is not None:
            self.on_effect("info", {"text": text})
        self.info(self.redact(text))

    def sendmail(self, fields: dict[str, Any]) -> None:
        """``sendmail [...]``: the message goes to the outbox (Decision: never sent unless configured)."""
        missing = [key for key in ("to", "subject") if key not in fields]
        if "from" not in fields:
            missing.insert(0, "from")
        if missing:
            raise DelugeRuntimeError(f"sendmail needs {', '.join(repr(key) for key in missing)}")
        if self.on_effect is not None:
            self.on_effect("mail", dict(fields))
        if self.mail_sender is not None:
            self.mail_sender(dict(fields))
        if self.mail_sink is not None:
            self.mail_sink(Mail(dict(fields)))
        else:
            self.outbox.append(Mail(dict(fields)))

    def invokeurl(self, params: dict[str, Any]) -> Any:
        if self.invokeurl_handler is None:
            raise DelugeRuntimeError("invokeurl is not available in this build of deluge-lite yet "
                                     "(the HTTP layer is a separate feature)")
        return self.invokeurl_handler(self, params)

    # ---- network
    def http_client(self) -> Any:
        """The one pooled HTTP client of this runtime, made on first use."""
        if self._http_client is None:
            from .net.client import make_client

            self._http_client = make_client(timeout=self.http_timeout, transport=self.transport)
        return self._http_client

    def connection_registry(self) -> Any:
        """The connection registry, loaded on first use (scripts without connections never touch the store)."""
        if self.connections is None and self.connections_loader is not None:
            self.connections = self.connections_loader()  # a failure leaves the loader for the next try
            self.connections_loader = None
            self._adopt_redactor()
            if self.trace is not None and hasattr(self.connections, "trace"):
                self.connections.trace = self.trace  # --trace shows token requests too
        return self.connections

    def _adopt_redactor(self) -> None:
        """Everything the runtime prints goes through the connections' redactor (secrets -> ****)."""
        redactor = getattr(self.connections, "redactor", None)
        if redactor is not None:
            self.redact = redactor.redact

    def close(self) -> None:
        """Release the HTTP client and the connection registry (token clients, store)."""
        client, self._http_client = self._http_client, None
        if client is not None:
            client.close()
        closer = getattr(self.connections, "close", None)
        if callable(closer):
            closer()

    # ---- clock
    @property
    def zone(self) -> _dt.tzinfo:
        """The time zone, a `ZoneInfo` (UTC's made on first use: a run without dates never loads zoneinfo)."""
        if self._zone is None:
            self._zone = _zone_info(self.timezone)
        return self._zone

    def set_timezone(self, timezone: str) -> None:
        """Change the time zone of zoho.currenttime and date conversions (an IANA name)."""
        self._zone = _zone_info(timezone)
        self.timezone = timezone

    def now(self) -> _dt.datetime:
        """The current Date-Time in the runtime's time zone, as a naive local value."""
        moment = self.clock() if self.clock is not None else _dt.datetime.now(_dt.UTC)
        if moment.tzinfo is None:
            return moment.replace(microsecond=0)
        return moment.astimezone(self.zone).replace(tzinfo=None, microsecond=0)

    def today(self) -> _dt.date:
        return self.now().date()

    # ---- limits
    def start_budget(self) -> None:
        """Reset the statement, time and size budgets (each run, each REPL entry)."""
        self.grown = 0
        self.deadline = time.monotonic() + self.limits.seconds
        self._statements_left = self.limits.statements
        self.tick = self._new_ticker()

    def extend_deadline(self, seconds: float) -> None:
        """Move the time limit later (a debugger adds the time a run spent paused)."""
        self.deadline += seconds

    def check_deadline(self) -> None:
        """Stop with LimitExceeded once the run is past its time limit (long built-ins call this in their loops)."""
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"the script ran longer than the limit of {self.limits.seconds:g} seconds")

    def charge(self, units: int, function: str) -> None:
        """Count material a built-in put into a list or map; past ``limits.value_size`` it is LimitExceeded."""
        self.grown += units
        if self.grown > self.limits.value_size:
            raise LimitExceeded(f"{function}() would take the values of this run past the size limit of "
                                f"{self.limits.value_size:,} (text characters plus list and map elements)")

    def take_statements(self) -> int:
        """The next chunk of the statement budget, for code that counts statements in bulk (``__steps``).

        The same budget and the same checks as `tick`: the statement limit once nothing is
        left, else the time limit, then up to `_TICK_CHUNK` statements.
        """
        if self._statements_left <= 0:
            raise LimitExceeded(f"the script executed more than the limit of {self.limits.statements:,} statements")
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"the script ran longer than the limit of {self.limits.seconds:g} seconds")
        size = min(_TICK_CHUNK, self._statements_left)
        self._statements_left -= size
        return size

    def _new_ticker(self) -> Callable[[], int]:
        """A C-speed ``tick()``: each call counts one statement; every few thousand the clock is read."""
        return itertools.chain.from_iterable(self._budget_chunks()).__next__

    def _budget_chunks(self) -> Iterator[range]:
        self.deadline = time.monotonic() + self.limits.seconds
        remaining = self.limits.statements
        while remaining > 0:
            if time.monotonic() > self.deadline:
                raise LimitExceeded(f"the script ran longer than the limit of {self.limits.seconds:g} seconds")
            size = min(_TICK_CHUNK, remaining)
            remaining -= size
            yield range(size)
        raise LimitExceeded(f"the script executed more than the limit of {self.limits.statements:,} statements")


def _zone_info(name: str) -> _dt.tzinfo:
    """The zone by its IANA name; UTC (the default) even where the machine has no zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        if name == "UTC":
            return _dt.UTC
        raise
