"""The whole local Zoho on one port: the fake CRM plus Creator, Books, Inventory, Desk, Cliq, WorkDrive, more.

`FakeZoho` is a `FakeZohoCRM` (same server, store, token check and request log) whose
router also serves the services of `fake_services` through one generic engine
(`ServiceEngine`: list/get/create/update/delete/related/messages/uploads over the shared
SQLite store), the CRM additions of `fake_crm_actions` (COQL, actions, attachments,
related writes, functions, connectors), and answers fixed by the user for other hosts
(``/__stub/N/...``: ``deluge-lite run --stub URL_PREFIX=FILE.json``). Every service asks for
a live token of the fake OAuth provider, answered in that service's own error shape.
"""

from __future__ import annotations

from collections.abc import Callable

from . import fake_crm_actions as crm_actions
from .fake_crm import ApiError, FakeZohoCRM, _Answer
from .fake_services import MESSAGES, ServiceEngine, ServiceError, Style, find_service

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class FakeZoho(FakeZohoCRM):
    """A fake Zoho account on 127.0.0.1: every faked service on one port, one SQLite store."""

    thread_name = "fake-zoho"

    def __init__(self, *args: Any, stubs: list[tuple[str, Any]] | None = None,
                 connectors: dict[str, Any] | None = None,
                 functions: Callable[[str, dict[str, Any]], Any] | None = None, **options: Any) -> None:
        super().__init__(*args, **options)
        self.engine = ServiceEngine(self.store)
        self.stubs = list(stubs or [])  # (URL prefix, JSON answer), answered at /__stub/N
        self.connectors = dict(connectors or {})
        self.functions = functions  # runs a project function for /crm/{v}/functions/NAME/actions/execute

    def messages(self) -> list[dict[str, Any]]:
        """The Cliq messages posted so far, oldest first."""
        return self.store.all(MESSAGES) if self.store.resolve_module(MESSAGES) else []

    def _route(self, method: str, segments: list[str], query: dict[str, str], headers: dict[str, str],
               body: bytes) -> _Answer:
        if segments[:1] == ["__stub"] and len(segments) >= 2 and segments[1].isdigit():
            index = int(segments[1])
            if index < len(self.stubs):
                return _Answer(200, self.stubs[index][1])
        if segments[:1] == ["crm"]:
            handled = crm_actions.route(self, method, segments, query, headers, body)
            return handled if handled is not None else super()._route(method, segments, query, headers, body)
        found = find_service(segments)
        if found is None:
            raise ApiError(404, "INVALID_URL_PATTERN", "the URL does not match any API of the sandbox")
        service, bound, rest = found
        try:
            self._check_service_token(service.style, headers)
            status, answer = self.engine.handle(service, bound, rest, method, query, headers, body)
        except ServiceError as error:
            return _Answer(error.status, error.body)
        return _Answer(status, answer)

    def _check_service_token(self, style: Style, headers: dict[str, str]) -> None:
        try:
            self._check_token(next((v for k, v in headers.items() if k.lower() == "authorization"), ""))
        except ApiError:
            raise style.bad_token() from None
