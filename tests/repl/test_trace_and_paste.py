"""REPL: ``:trace on`` shows the HTTP lines ``--trace`` prints; pasted blocks run at once; tabs render as spaces.

The terminal side goes through prompt_toolkit's pipe input and a VT100 output into a string
(what a terminal would receive); HTTP goes to a small server on 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from deluge_lite.repl import start_repl
from deluge_lite.runtime import Runtime

SECRET = "s3cr3tTokenValue42"
PASTE_START, PASTE_END, CTRL_D = "\x1b[200~", "\x1b[201~", "\x04"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _info(line: str) -> None:
    sys.stdout.write(line + "\n")


def _repl(keys: str) -> str:
    """Run the REPL on ``keys``; returns what the terminal was sent."""
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=24, columns=100), term="xterm")
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        assert start_repl(Runtime(info=_info), input=pipe, output=output) == 0
    return screen.getvalue()


def _shape(line: str) -> str:
    return re.sub(r"\(\d+ ms\)", "(N ms)", line)


def test_trace_on_prints_the_lines_of_dash_dash_trace(api: str, capsys: pytest.CaptureFixture[str],
                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    call = f'r = getUrl("{api}/items?access_token={SECRET}&page=2");'
    _repl(f"{call}\r:trace on\r{call}\r:trace off\r{call}\r{CTRL_D}")
    err = capsys.readouterr().err
    shown = [_shape(line) for line in err.splitlines() if line.startswith("trace: GET")]

    script = tmp_path / "call.dg"
    script.write_text(call + "\n")
    cli = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--trace", str(script)], text=True,
                         capture_output=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    expected = [_shape(line) for line in cli.stderr.splitlines() if line.startswith("trace: ")]
    assert expected and shown == expected  # once: only the call made while trace was on
    assert SECRET not in err and SECRET not in cli.stderr
    assert f"{api}/items" in shown[0] and "page=2" in shown[0]


def test_a_pasted_block_ending_in_a_line_break_runs_without_enter(capsys: pytest.CaptureFixture[str]) -> None:
    block = 'void standalone.hi(string who)\n{\n\tinfo "hi " + who;\n}\nstandalone.hi("there");\n'
    _repl(PASTE_START + block + PASTE_END + CTRL_D)  # no Enter after the paste
    assert capsys.readouterr().out.splitlines()[1:] == ["hi there"]


def test_a_pasted_incomplete_block_waits_for_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    # after the '}' of an if the entry waits for a possible else: Enter on the empty line runs it
    _repl(PASTE_START + "if(true)\n{\n" + PASTE_END + 'info "in";\r}\r\r' + CTRL_D)
    assert capsys.readouterr().out.splitlines()[1:] == ["in"]


def test_tabs_render_as_spaces(capsys: pytest.CaptureFixture[str]) -> None:
    screen = _repl(PASTE_START + 'if(true)\n{\n\tinfo "tabbed";\n}' + PASTE_END + "\r\r" + CTRL_D)
    assert "^I" not in screen and "\t" not in screen
    assert re.search(r"\.\.\. (\x1b\[[0-9;]*m)* {4}(\x1b\[[0-9;]*m)*info", screen)
    assert capsys.readouterr().out.splitlines()[1:] == ["tabbed"]
