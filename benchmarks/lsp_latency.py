"""How fast `deluge-lite lsp` answers on a 1,000-line script (issue 17 asks for 50 ms).

Starts the server over stdio, opens a generated script of about 1,000 lines (functions with
maps, loops, ifs and zoho.* calls), then times each kind of request several times and
prints the median and the slowest, in milliseconds of wall-clock time:

    python benchmarks/lsp_latency.py [--repeat N]

A benchmark, not a test: the figures depend on the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import time
from typing import Any

_ids = itertools.count(1)


def script(lines: int = 1000) -> str:
    parts: list[str] = []
    number = 0
    while sum(part.count("\n") for part in parts) < lines:
        parts.append(f"""void thisapp.step{number}(int amount, string label)
{{
\trecord = Map();
\trecord.put("amount", amount + {number});
\tfor each item in {{1, 2, 3}}
\t{{
\t\tif(item > amount)
\t\t{{
\t\t\tinfo label.toUpperCase() + item;
\t\t}}
\t}}
\tlead = zoho.crm.getRecordById("Leads", amount);
\treturn;
}}
""")
        number += 1
    return "".join(parts) + "thisapp.step0(1, \"a\");\n"


class Client:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "deluge_lite", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: Any) -> tuple[Any, float]:
        number = next(_ids)
        started = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == number:
                return message.get("result"), (time.perf_counter() - started) * 1000

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=20)
    repeat = options.parse_args().repeat
    text = script()
    uri = "file:///tmp/deluge-lite-bench/bench.dg"
    client = Client()
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    started = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "deluge", "version": 1,
                                                            "text": text}})
    doc = {"uri": uri}
    client.request("textDocument/documentSymbol", {"textDocument": doc})
    print(f"{text.count(chr(10))} lines; open + first diagnostics: {(time.perf_counter() - started) * 1000:.0f} ms")
    line = text.count("\n") // 2
    line -= line % 14  # the start of a function
    requests = {
        "completion (record.)": ("textDocument/completion", {"textDocument": doc,
                                                             "position": {"line": line + 3, "character": 8}}),
        "completion (zoho.crm.)": ("textDocument/completion", {"textDocument": doc,
                                                               "position": {"line": line + 11, "character": 17}}),
        "hover": ("textDocument/hover", {"textDocument": doc, "position": {"line": line + 8, "character": 14}}),
        "signature help": ("textDocument/signatureHelp", {"textDocument": doc,
                                                          "position": {"line": line + 11, "character": 40}}),
        "definition": ("textDocument/definition", {"textDocument": doc,
                                                   "position": {"line": text.count("\n") - 1, "character": 10}}),
        "references": ("textDocument/references", {"textDocument": doc, "position": {"line": line, "character": 15},
                                                   "context": {"includeDeclaration": True}}),
        "document symbols": ("textDocument/documentSymbol", {"textDocument": doc}),
        "formatting": ("textDocument/formatting", {"textDocument": doc,
                                                   "options": {"tabSize": 4, "insertSpaces": False}}),
    }
    print(f"{'request':<24}{'median ms':>10}{'max ms':>10}")
    for label, (method, params) in requests.items():
        times = [client.request(method, params)[1] for _ in range(repeat)]
        print(f"{label:<24}{statistics.median(times):>10.1f}{max(times):>10.1f}")
    client.request("shutdown", None)
    client.notify("exit", None)
    client.process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
