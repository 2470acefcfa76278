"""sendmail: the outbox by default, and real delivery to an SMTP server on 127.0.0.1 with --smtp."""

from __future__ import annotations

import email
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest

from deluge_lite import DelugeRuntimeError, Interpreter, Runtime


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message per connection."""

    def handle(self) -> None:
        server: _Smtp = self.server  # type: ignore[assignment]
        self.wfile.write(b"220 fake-smtp ready\r\n")
        envelope: dict[str, list[str] | str] = {"rcpt": []}
        while True:
            line = self.rfile.readline().decode()
            if not line:
                return
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 fake-smtp\r\n")
            elif verb == "MAIL":
                envelope["from"] = line.split(":", 1)[1].strip()
                self.wfile.write(b"250 ok\r\n")
            elif verb == "RCPT":
                envelope["rcpt"].append(line.split(":", 1)[1].strip().strip("<>"))  # type: ignore[union-attr]
                self.wfile.write(b"250 ok\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 end with .\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                envelope["data"] = b"".join(data).decode()
                server.received.append(envelope)
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class _Smtp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.received: list[dict] = []


@pytest.fixture
def smtp_server() -> Iterator[_Smtp]:
    server = _Smtp()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


SCRIPT = '''
sendmail
[
	from :zoho.adminuserid
	to :"ada@example.com,bob@example.com"
	cc :"carol@example.com"
	bcc :"dan@example.com"
	reply to :"help@example.com"
	subject :"Weekly report " + 7
	message :"<b>All good</b>"
	content type :"html"
]
info "sent";
'''


def test_mail_goes_to_the_outbox_by_default() -> None:
    runtime = Runtime(info=lambda _line: None)
    result = Interpreter(runtime).run(SCRIPT)
    assert result.info == ["sent"]
    (mail,) = result.outbox
    assert mail.fields["subject"] == "Weekly report 7"
    assert mail.fields["reply-to"] == "help@example.com"
    assert mail.fields["content-type"] == "html"


def test_missing_keys_are_a_runtime_error_at_the_line() -> None:
    with pytest.raises(DelugeRuntimeError, match="sendmail needs 'to'") as caught:
        Interpreter(Runtime(info=lambda _line: None)).run('x = 1;\nsendmail [ from: "a@b.c" subject: "s" ]')
    assert caught.value.line == 2


def test_smtp_delivers_every_key(tmp_path: Path, smtp_server: _Smtp) -> None:
    script = tmp_path / "mail.dg"
    script.write_text(SCRIPT)
    port = smtp_server.server_address[1]
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--smtp", f"127.0.0.1:{port}",
                           "--user", "admin@example.com", str(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "sent through SMTP" in proc.stderr
    (envelope,) = smtp_server.received
    assert envelope["rcpt"] == ["ada@example.com", "bob@example.com", "carol@example.com", "dan@example.com"]
    message = email.message_from_string(envelope["data"], policy=policy.default)
    assert message["From"] == "admin@example.com"
    assert message["Subject"] == "Weekly report 7"
    assert message["Reply-To"] == "help@example.com"
    assert message["Bcc"] is None
    assert message.get_content_type() == "text/html"
    assert "<b>All good</b>" in message.get_content()


def test_unreachable_smtp_server_is_a_clear_error(tmp_path: Path) -> None:
    script = tmp_path / "mail.dg"
    script.write_text(SCRIPT)
    proc = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--smtp", "127.0.0.1:9", str(script)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "sendmail could not deliver through 127.0.0.1:9" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_file_attachment_keeps_its_name_type_and_bytes() -> None:
    from deluge_lite.net.mail import build_message

    lines: list[str] = []
    runtime = Runtime(info=lines.append)
    Interpreter(runtime).run('''report = "id,name\\n1,Ana".toFile("report.csv");
sendmail [ from: "a@b.c" to: "d@e.f" subject: "Export" message: "attached" Attachments: file: report ]''')
    (mail,) = runtime.outbox
    assert "attachments: report.csv" in mail.render(1, False, str)
    message, _recipients = build_message(mail.fields)
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "report.csv" and attachment.get_content_type() == "text/csv"
    assert attachment.get_payload(decode=True) == b"id,name\n1,Ana"
