"""`HttpStub`: answer a script's HTTP calls by URL pattern, in process (the ``http_stub`` fixture).

    http_stub.post("https://hooks.slack.com/services/*", json={"ok": True})
    http_stub.get("https://api.example.com/users/*", status=404, text="no such user")
    route = http_stub.add("PUT", re.compile(r".*/items/\\d+$"), handler=lambda request: ...)
    ... run the script ...
    assert route.called and route.last_json() == {...}

Patterns: a string is the full URL, ``*`` matching any run of characters; the query
string is ignored unless the pattern has one. A compiled regex is searched in the whole
URL. Method ``"*"`` (`any`) matches every method. The first matching route answers; a
``handler`` gets the ``httpx.Request`` and returns an ``httpx.Response`` (or a dict, taken
as JSON). A request that matches no route is refused with `UnstubbedRequest` naming it,
and kept in ``unmatched`` so the test fails even if the script caught the error. This
module owns matching and answering; wiring into a runtime is the harness's job.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import Callable
from typing import Any

from ..fieldclass import field, fieldclass
from ..net.client import httpx

Handler = Callable[[httpx.Request], Any]


class UnstubbedRequest(httpx.ConnectError):
    """A test script called a URL that nothing stubs (and the network is closed in tests)."""


@fieldclass
class Route:
    """One stubbed method + URL pattern and its answer; records the requests it answered."""

    method: str
    pattern: str | re.Pattern[str]
    status: int = 200
    json: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    handler: Handler | None = None
    calls: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        if isinstance(self.pattern, str):
            self._regex = re.compile("^" + ".*".join(map(re.escape, self.pattern.split("*"))) + "$")
            self._with_query = "?" in self.pattern
        else:
            self._regex, self._with_query = self.pattern, True

    def __repr__(self) -> str:
        shown = self.pattern if isinstance(self.pattern, str) else self.pattern.pattern
        return f"Route({self.method} {shown}, calls={len(self.calls)})"

    def matches(self, request: httpx.Request) -> bool:
        return self.method in ("*", request.method) and self.matches_url(str(request.url))

    def matches_url(self, url: str) -> bool:
        """Whether the pattern matches ``url`` (whatever the method)."""
        if isinstance(self.pattern, str):
            url = url if self._with_query else url.split("?", 1)[0]
            return self._regex.match(url) is not None
        return self._regex.search(url) is not None

    @property
    def called(self) -> bool:
        return bool(self.calls)

    @property
    def call_count(self) -> int:
        return len(self.calls)

    @property
    def last_request(self) -> httpx.Request:
        if not self.calls:
            raise AssertionError(f"{self!r} was never called")
        return self.calls[-1]

    def last_json(self) -> Any:
        """The JSON body of the last request this route answered."""
        return _json.loads(self.last_request.content or b"null")

    def respond(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.handler is not None:
            answer = self.handler(request)
            if isinstance(answer, httpx.Response):
                return answer
            return httpx.Response(200, json=answer)
        if self.text is not None:
            return httpx.Response(self.status, text=self.text, headers=self.headers)
        if self.json is not None:
            return httpx.Response(self.status, json=self.json, headers=self.headers)
        return httpx.Response(self.status, headers=self.headers)


class HttpStub:
    """A router of stubbed URLs; `handle` answers one request or refuses it."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.unmatched: list[str] = []
        self.reasons: dict[str, str] = {}  # an unmatched request -> why it was refused, when not just unstubbed

    def __repr__(self) -> str:
        return f"HttpStub({len(self.routes)} routes)"

    def add(self, method: str, pattern: str | re.Pattern[str], *, status: int = 200, json: Any = None,
            text: str | None = None, headers: dict[str, str] | None = None,
            handler: Handler | None = None) -> Route:
        route = Route(method, pattern, status, json, text, dict(headers or {}), handler)
        self.routes.append(route)
        return route

    def get(self, pattern: str | re.Pattern[str], **answer: Any) -> Route:
        return self.add("GET", pattern, **answer)

    def post(self, pattern: str | re.Pattern[str], **answer: Any) -> Route:
        return self.add("POST", pattern, **answer)

    def put(self, pattern: str | re.Pattern[str], **answer: Any) -> Route:
        return self.add("PUT", pattern, **answer)

    def patch(self, pattern: str | re.Pattern[str], **answer: Any) -> Route:
        return self.add("PATCH", pattern, **answer)

    def delete(self, pattern: str | re.Pattern[str], **answer: Any) -> Route:
        return self.add("DELETE", pattern, **answer)

    def any(self, pattern: str | re.Pattern[str], **answer: Any) -> Route:
        return self.add("*", pattern, **answer)

    @property
    def calls(self) -> list[httpx.Request]:
        """Every request a route answered, in order."""
        return [request for route in self.routes for request in route.calls]

    def covers(self, url: str) -> bool:
        """Whether some route's pattern matches ``url``, for any method."""
        return any(route.matches_url(url) for route in self.routes)

    def route_for(self, request: httpx.Request) -> Route | None:
        return next((route for route in self.routes if route.matches(request)), None)

    def handle(self, request: httpx.Request) -> httpx.Response:
        route = self.route_for(request)
        if route is None:
            raise self.refuse(request)
        return route.respond(request)

    def refuse(self, request: httpx.Request, why: str = "") -> UnstubbedRequest:
        """Note an unanswered request and build the error the script sees."""
        from ..net.http import mask_url

        shown = f"{request.method} {mask_url(str(request.url), lambda text: text)}"
        self.unmatched.append(shown)
        if why:
            self.reasons[shown] = why
        hint = why or ("tests do not reach the network: stub it with http_stub.{method}(\"{url}\", json=...) "
                       "or record a cassette with --deluge-record").format(
            method=request.method.lower(), url=str(request.url).split("?", 1)[0])
        return UnstubbedRequest(f"unstubbed HTTP request {shown}; {hint}", request=request)

    def assert_all_called(self) -> None:
        idle = [route for route in self.routes if not route.called]
        if idle:
            raise AssertionError("stubbed but never called: " + ", ".join(map(repr, idle)))

    @property
    def transport(self) -> httpx.MockTransport:
        """This router alone as an httpx transport."""
        return httpx.MockTransport(self.handle)
