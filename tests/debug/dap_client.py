"""A small Debug Adapter Protocol client for the tests: `deluge-lite dap` in a subprocess, JSON over stdio."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from typing import Any

TIMEOUT = 60.0


class DapError(AssertionError):
    pass


class DapClient:
    """Sends requests, collects responses and events (each kind in arrival order)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        full = dict(os.environ)
        full.pop("DELUGE_LITE_CONFIG", None)
        full.update(env or {})
        self.process = subprocess.Popen([sys.executable, "-m", "deluge_lite", "dap"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full)
        self.seq = 0
        self.responses: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []  # every event, for assertions on output
        self.raw: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # ---- wire
    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = stream.read(1)
                if not byte:
                    self.events.put({"type": "event", "event": "<eof>"})
                    return
                header += byte
            length = int(header.split(b":")[1].strip())
            message = json.loads(stream.read(length))
            self.raw.append(message)
            if message["type"] == "response":
                with self._lock:
                    self.responses.setdefault(message["request_seq"], queue.Queue()).put(message)
            else:
                self.seen.append(message)
                self.events.put(message)

    def send(self, command: str, **arguments: Any) -> int:
        with self._lock:
            self.seq += 1
            seq = self.seq
            self.responses.setdefault(seq, queue.Queue())
        body = json.dumps({"seq": seq, "type": "request", "command": command, "arguments": arguments}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return seq

    def response(self, seq: int) -> dict[str, Any]:
        try:
            return self.responses[seq].get(timeout=TIMEOUT)
        except queue.Empty:
            raise DapError(f"no response to request {seq}; stderr: {self._stderr()}") from None

    def request(self, command: str, **arguments: Any) -> dict[str, Any]:
        """The response body of a request that must succeed."""
        answer = self.response(self.send(command, **arguments))
        if not answer["success"]:
            raise DapError(f"{command} failed: {answer.get('message')}")
        return answer.get("body") or {}

    def failing(self, command: str, **arguments: Any) -> str:
        """The error message of a request that must fail."""
        answer = self.response(self.send(command, **arguments))
        if answer["success"]:
            raise DapError(f"{command} succeeded: {answer}")
        return str(answer.get("message"))

    def event(self, name: str) -> dict[str, Any]:
        """The next event called ``name`` (earlier events of other kinds are passed over)."""
        while True:
            try:
                event = self.events.get(timeout=TIMEOUT)
            except queue.Empty:
                raise DapError(f"no '{name}' event; stderr: {self._stderr()}") from None
            if event["event"] == name:
                return event.get("body") or {}
            if event["event"] == "<eof>":
                raise DapError(f"the server exited before a '{name}' event; stderr: {self._stderr()}")

    def output(self, category: str = "stdout") -> str:
        return "".join(event["body"]["output"] for event in self.seen
                       if event["event"] == "output" and event["body"]["category"] == category)

    # ---- a session
    def start(self, program: str, breakpoints: list[dict[str, Any]] | None = None,
              **launch: Any) -> dict[str, Any]:
        """initialize, launch, the initialized event, setBreakpoints in ``program``, configurationDone."""
        capabilities = self.request("initialize", adapterID="deluge", linesStartAt1=True, columnsStartAt1=True)
        self.request("launch", program=program, **launch)
        self.event("initialized")
        placed: dict[str, Any] = {}
        if breakpoints is not None:
            placed = self.request("setBreakpoints", source={"path": program}, breakpoints=breakpoints)
        self.request("configurationDone")
        return {"capabilities": capabilities, **placed}

    def stopped(self) -> dict[str, Any]:
        """The next stop, with the top frame's stack trace."""
        body = self.event("stopped")
        frames = self.request("stackTrace", threadId=1)["stackFrames"]
        return {**body, "frames": frames}

    def scope_variables(self, frame_id: int, scope: str) -> dict[str, dict[str, Any]]:
        scopes = {s["name"]: s for s in self.request("scopes", frameId=frame_id)["scopes"]}
        if scope not in scopes:
            return {}
        found = self.request("variables", variablesReference=scopes[scope]["variablesReference"])
        return {v["name"]: v for v in found["variables"]}

    def close(self) -> int:
        if self.process.poll() is None:
            try:
                self.request("disconnect")
            except (DapError, OSError):
                pass
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
            except OSError:
                pass
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read().decode(errors="replace")
