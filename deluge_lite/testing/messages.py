"""Chat messages a test run sent (Zoho Cliq), read off the requests, for failure reports.

A request is a message when it is the HTTP call of a ``zoho.*`` task that takes a
``message`` argument (``zoho.cliq.postToChannel``, ``postToUser``, ``postToBot``...): the
task catalog (``stdlib/tasks.toml``) gives each one's method and path template, so a new
message task needs no change here. `MessageLog.note(request, status)` keeps the target (the
path's named parts: ``channel sales``) and the text (``{"text": ...}``, or the card/Map as
JSON) of every such request that went out, answered or not. The plugin shows them beside
the ``sendmail`` outbox when a test fails. This module does not send or answer anything.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

from ..fieldclass import field, fieldclass
from ..net.tasks import load_catalog

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass(frozen=True)
class Message:
    task: str  # e.g. zoho.cliq.postToChannel
    target: str  # e.g. "channel sales"
    text: str
    status: int | None  # None: nothing answered it

    def describe(self) -> str:
        answered = f" -> {self.status}" if self.status is not None else " -> not answered"
        return f"{self.task} to {self.target}{answered}: {self.text}"


@functools.lru_cache(maxsize=1)
def message_routes() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(method, path regex, task name) of every catalog task that sends a message."""
    routes = {}
    for spec in load_catalog().values():
        if not any(arg.to == "message" for arg in spec.args):
            continue
        parts = re.split(r"(\{\w+\})", spec.path)
        pattern = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
                          for part in parts)
        routes.setdefault((spec.method, pattern), spec.name)
    return tuple((method, re.compile(pattern + r"\Z"), name) for (method, pattern), name in routes.items())


def _text(content: bytes) -> str:
    try:
        body = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return content.decode("utf-8", errors="replace")
    if isinstance(body, dict) and set(body) == {"text"}:
        return str(body["text"])
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


@fieldclass
class MessageLog:
    """The messages one test sent, in order."""

    messages: list[Message] = field(default_factory=list)

    def note(self, request: Any, status: int | None, redact: Callable[[str], str] = str) -> None:
        """Keep ``request`` (an httpx.Request) if it is a message task's call; ``redact`` masks secrets."""
        path = request.url.path
        for method, pattern, task in message_routes():
            match = pattern.search(path) if request.method == method else None
            if match:
                target = ", ".join(f"{name} {value}" for name, value in match.groupdict().items())
                self.messages.append(Message(task, redact(target), redact(_text(request.read())), status))
                return
