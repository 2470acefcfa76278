"""End to end: the real ``deluge-lite repl`` in a pseudo-terminal, and with a piped stdin.

The pseudo-terminal test forks with `pty.fork` (the child gets the pty as its controlling
terminal, so Ctrl-C really sends SIGINT) and reads the screen output until an expected
text shows up. Waits are generous and nothing asserts on elapsed time.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TIMEOUT = 90.0


def _command() -> list[str]:
    script = Path(sys.executable).with_name("deluge-lite")
    if script.exists():
        return [str(script)]
    found = shutil.which("deluge-lite")
    return [found] if found else [sys.executable, "-m", "deluge_lite"]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DELUGE_LITE_HOME=str(home), TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="100", LINES="30")
    env.pop("DELUGE_LITE_CONFIG", None)
    return env


# ---------------------------------------------------------------- piped stdin

def _piped(script: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_command(), *args], input=script, capture_output=True, text=True,
                          env=_env(home), timeout=TIMEOUT)


def test_piped_script_runs_without_prompts(repl_home):
    result = _piped("x = 1; info x;\n", repl_home, "repl")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\n"
    assert result.stderr == ""


def test_piped_script_error_exits_1_with_caret(repl_home):
    result = _piped('x = 1;\ninfo x + 1;\ny = x / 0;\ninfo "not reached";\n', repl_home, "repl")
    assert result.returncode == 1
    assert result.stdout == "2\n"
    assert "<stdin>:3:5: error: division by zero" in result.stderr
    assert "^" in result.stderr


def test_piped_script_with_functions_and_meta_commands(repl_home, tmp_path):
    (tmp_path / "lib.dg").write_text('greeting = "hello";\n', encoding="utf-8")
    script = ("string standalone.shout(string s)\n{\n  if (s == \"\")\n  {\n    return \"?\";\n  }\n"
              "  else\n  {\n    return s.toUpperCase();\n  }\n}\n"
              f":load {tmp_path / 'lib.dg'}\n"
              "info standalone.shout(greeting);\n:quit\ninfo \"after quit\";\n")
    result = _piped(script, repl_home, "repl")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "HELLO\n"


# ---------------------------------------------------------------- pseudo-terminal

class Terminal:
    """A child process on a pty, with expect-style reading."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pty

        pid, fd = pty.fork()
        if pid == 0:  # the child: become the REPL
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.seen = ""
        self.position = 0
        self._set_size(30, 100)

    def _set_size(self, rows: int, cols: int) -> None:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.seen += data.decode("utf-8", errors="replace")
        return True

    def expect(self, pattern: str, timeout: float = TIMEOUT) -> str:
        """Wait until ``pattern`` (a regex) shows up after the last match; return the match."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(_plain(self.seen), self.position)
            if match:
                self.position = match.end()
                return match.group(0)
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} not seen; screen output so far:\n{_plain(self.seen)[-3000:]}")
            if not self._read(0.2):
                match = regex.search(_plain(self.seen), self.position)
                if match:
                    self.position = match.end()
                    return match.group(0)
                raise AssertionError(f"the REPL ended before {pattern!r}; output:\n{_plain(self.seen)[-3000:]}")

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def wait(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        self.kill()
        raise AssertionError("the REPL did not exit")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")


def _plain(text: str) -> str:
    return _ANSI.sub("", text)


@pytest.fixture
def terminal(repl_home):
    started: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal([*_command(), *args], _env(repl_home))
        started.append(term)
        return term

    yield start
    for term in started:
        term.kill()


pytestmark_posix = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


@pytestmark_posix
def test_repl_in_a_terminal(terminal):
    term = terminal("repl", "--max-statements", "2000000000", "--timeout", "3600")
    term.expect(r"deluge-lite \S+ · :help")
    term.expect(r"dg>")
    term.send("x = 6;\r")
    term.send("info x * 7;\r")
    term.expect(r"\n42\n")

    # an incomplete entry continues on a '...' line
    term.send("if (x > 1)\r")
    term.expect(r"\.\.\.")
    term.send('{\rinfo "in" + "side";\r}\r')
    term.expect(r"\.\.\.")  # an 'else' may follow the '}': Enter on the empty line runs it
    term.send("\r")
    term.expect(r"\ninside\n")

    # a bare expression prints its value; an error keeps the session
    term.send('m = {"k": "v" + "al"};\r')
    term.send('m.get("k")\r')
    term.expect(r"\nval\n")
    term.send("y = x / 0;\r")
    term.expect(r"division by zero")

    # Ctrl-C stops a long-running entry and the session survives
    loop = ('l = "a,b,c,d,e,f,g,h,i,j".toList(); info "start" + "ed"; '
            "for each a in l { for each b in l { for each c in l { for each d in l { for each e in l "
            "{ for each f in l { for each g in l { for each h in l { for each i in l { z = 1; } } } } } } } } }\r")
    term.expect(r"dg>")
    term.send(loop)
    term.expect(r"\nstarted\n")
    time.sleep(0.5)
    term.send("\x03")
    term.expect(r"interrupted")
    term.send("info x + 1;\r")
    term.expect(r"\n7\n")

    # Ctrl-C while typing drops the input. Control keys are sent only once the prompt is
    # drawn: between prompts the terminal is in cooked mode, where ^C is a signal and ^D an EOF.
    term.expect(r"dg>")
    term.send('info "drop" + "ped"')
    term.send("\x03")
    term.expect(r"dg>")
    term.send(":vars\r")
    term.expect(r"x\s+Number\s+6")
    assert "dropped" not in _plain(term.seen)

    term.expect(r"dg>")
    term.send("\x04")
    assert term.wait() == 0


@pytestmark_posix
def test_no_arguments_in_a_terminal_opens_the_repl(terminal):
    term = terminal()
    term.expect(r"dg>")
    term.send(":quit\r")
    assert term.wait() == 0
