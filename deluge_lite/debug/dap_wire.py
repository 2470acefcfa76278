"""The Debug Adapter Protocol's framing: ``Content-Length: N`` headers, a blank line, N bytes of JSON.

`Wire(reader, writer)` reads one message at a time from a binary stream (``None`` at the
end of the stream or on a frame that cannot be read: the client is gone) and writes
messages from any thread (one lock keeps frames whole). It knows nothing of requests
or events; `dap.py` does.
"""

from __future__ import annotations

import json
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

MAX_MESSAGE = 64 * 1024 * 1024  # a larger frame is refused (the client is broken or hostile)


class WireError(Exception):
    """A frame that does not follow the protocol (the message says what was wrong)."""


class Wire:
    """One DAP connection over a pair of binary streams."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO) -> None:
        self.reader = reader
        self.writer = writer
        self._lock = threading.Lock()
        self._seq = 0

    def read(self) -> dict[str, Any] | None:
        """The next message, or None when the stream ended; raises WireError on a malformed frame."""
        length: int | None = None
        while True:
            line = self.reader.readline(4096)
            if not line:
                return None
            text = line.decode("ascii", "replace").strip()
            if not text:
                if length is None:
                    continue  # stray blank lines between frames
                break
            name, _, value = text.partition(":")
            if name.strip().lower() == "content-length":
                if not value.strip().isdigit():
                    raise WireError(f"Content-Length is not a number: {value.strip()!r}")
                length = int(value.strip())
        if length > MAX_MESSAGE:
            raise WireError(f"a message of {length:,} bytes is larger than the limit of {MAX_MESSAGE:,}")
        body = self.reader.read(length)
        if len(body) < length:
            return None
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise WireError(f"a message is not JSON: {error}") from None
        if not isinstance(message, dict):
            raise WireError("a message is not a JSON object")
        return message

    def send(self, message: dict[str, Any]) -> None:
        """Write one message (``seq`` is filled in); a closed stream is ignored (the client left)."""
        with self._lock:
            self._seq += 1
            body = json.dumps({"seq": self._seq, **message}, ensure_ascii=False).encode("utf-8")
            try:
                self.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.writer.flush()
            except (OSError, ValueError):
                pass

    def event(self, name: str, body: dict[str, Any] | None = None) -> None:
        self.send({"type": "event", "event": name, **({"body": body} if body is not None else {})})

    def respond(self, request: dict[str, Any], body: dict[str, Any] | None = None, *,
                error: str | None = None) -> None:
        message: dict[str, Any] = {"type": "response", "request_seq": request.get("seq", 0),
                                   "command": request.get("command", ""), "success": error is None}
        if error is not None:
            message["message"] = error
        elif body is not None:
            message["body"] = body
        self.send(message)


__all__ = ["MAX_MESSAGE", "Wire", "WireError"]
