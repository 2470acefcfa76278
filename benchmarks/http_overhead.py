"""1,000 sequential invokeurl GETs through an OAuth 2 connection vs the same requests with bare httpx.

Both sides talk to the fake OAuth provider's protected echo resource on 127.0.0.1, which
checks the bearer token on every request. deluge-lite's side runs a Deluge loop whose
invokeurl names the connection (token from the store-less registry, auth applied per
request); the baseline is an ``httpx.Client`` sending the same GETs with the same header.
Prints both timings and the ratio (target: under 1.3x). Nothing is asserted.

    .venv/bin/python benchmarks/http_overhead.py [--requests 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from deluge_lite import Interpreter, Limits, Runtime
from deluge_lite.connections import ConnectionRegistry
from deluge_lite.testing import FakeOAuthProvider

SCRIPT = """
digits = {0,1,2,3,4,5,6,7,8,9};
count = 0;
for each a in digits
{
\tfor each b in digits
\t{
\t\tfor each c in digits
\t\t{
\t\t\tif(count < LIMIT)
\t\t\t{
\t\t\t\tr = invokeurl [ url: "URL" type: GET connection: "bench" ];
\t\t\t\tcount = count + 1;
\t\t\t}
\t\t}
\t}
}
info count;
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with FakeOAuthProvider() as provider, tempfile.TemporaryDirectory() as folder:
        access, refresh = provider.issue_tokens("test-client", expires_in=3600)
        config = Path(folder) / "deluge.toml"
        config.write_text(f'''
[services.bench_api]
display_name = "Bench"
auth_type = "oauth2"
grant_type = "authorization_code"
client_id = "test-client"
client_secret = "test-secret"
authorize_url = "{provider.authorize_url}"
token_url = "{provider.token_url}"

[connections.bench]
display_name = "Bench"
service = "bench_api"
access_token = "{access}"
refresh_token = "{refresh}"
''')
        url = provider.echo_url
        source = SCRIPT.replace("URL", url).replace("LIMIT", str(options.requests))
        lite_times, bare_times = [], []
        for _ in range(options.repeat):
            lines: list[str] = []
            runtime = Runtime(info=lines.append, limits=Limits(statements=10_000_000, seconds=600),
                              connections=ConnectionRegistry.load(config, use_store=False, env={}))
            interpreter = Interpreter(runtime)
            script = interpreter.load(source, "http_overhead.dg")
            runtime.http_client()  # made once per run; the baseline's client is also made before timing
            started = time.perf_counter()
            interpreter.execute(script)
            lite_times.append(time.perf_counter() - started)
            runtime.close()
            assert lines == [str(options.requests)], lines
            assert all(call.status == 200 for call in runtime.http_log)

            with httpx.Client() as client:
                started = time.perf_counter()
                for _ in range(options.requests):
                    response = client.get(url, headers={"Authorization": f"Bearer {access}"})
                    response.json()
                bare_times.append(time.perf_counter() - started)
    lite, bare = statistics.median(lite_times), statistics.median(bare_times)
    print(f"{options.requests} GETs with an OAuth 2 connection, median of {options.repeat} runs")
    print(f"  deluge-lite invokeurl : {lite * 1000:8.1f} ms  ({lite / options.requests * 1e6:6.0f} us per request)")
    print(f"  bare httpx.Client     : {bare * 1000:8.1f} ms  ({bare / options.requests * 1e6:6.0f} us per request)")
    print(f"  ratio                 : {lite / bare:8.2f}x  (target < 1.3x)")


if __name__ == "__main__":
    main()
