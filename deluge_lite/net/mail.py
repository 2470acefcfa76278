"""``sendmail`` delivery over SMTP, for when the user asks for real mail (``--smtp HOST:PORT``).

By default mail only goes to the runtime's outbox (Decision, reference section 4). With an
SMTP server configured, each message is also built as a MIME message (from, to, cc, bcc,
reply to, subject, message, content type ``html``/``text``, attachments: files with their own type, or text) and sent
with smtplib; STARTTLS and login are used when ``DELUGE_LITE_SMTP_USER`` /
``DELUGE_LITE_SMTP_PASSWORD`` are set. Failures are Deluge runtime errors at the
``sendmail`` line.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from .. import values
from ..errors import DelugeRuntimeError, UsageError
from ..fieldclass import fieldclass
from .file_parts import upload_parts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@fieldclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def parse(cls, text: str, env: dict[str, str]) -> SmtpSettings:
        host, _, port = text.rpartition(":") if ":" in text else (text, "", "25")
        if not host or not port.isdigit():
            raise UsageError(f"--smtp expects HOST:PORT, got '{text}'")
        return cls(host, int(port), env.get("DELUGE_LITE_SMTP_USER"), env.get("DELUGE_LITE_SMTP_PASSWORD"))


def _addresses(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if type(value) is list else values.to_text(value).split(",")
    return [values.to_text(item).strip() for item in items if values.to_text(item).strip()]


def build_message(fields: dict[str, Any]) -> tuple[EmailMessage, list[str]]:
    """The MIME message for a sendmail's fields, and every recipient (to, cc, bcc)."""
    message = EmailMessage()
    message["From"] = values.to_text(fields["from"])
    message["To"] = ", ".join(_addresses(fields.get("to")))
    if fields.get("cc") is not None:
        message["Cc"] = ", ".join(_addresses(fields["cc"]))
    if fields.get("reply-to") is not None:
        message["Reply-To"] = values.to_text(fields["reply-to"])
    message["Subject"] = values.to_text(fields.get("subject", ""))
    body = values.to_text(fields.get("message", ""))
    kind = values.to_text(fields.get("content-type", "html")).lower()
    message.set_content(body, subtype="plain" if kind in ("text", "plain", "text/plain") else "html")
    attachments = fields.get("attachments")
    for index, (_param, (name, content, kind)) in enumerate(upload_parts(attachments, "sendmail attachments")):
        maintype, _, subtype = kind.split(";", 1)[0].strip().partition("/")
        filename = name if name != "file" else f"attachment-{index + 1}.txt"  # Text or a Map without fileName
        message.add_attachment(content, maintype=maintype or "application", subtype=subtype or "octet-stream",
                               filename=filename)
    recipients = _addresses(fields.get("to")) + _addresses(fields.get("cc")) + _addresses(fields.get("bcc"))
    return message, recipients


def send(settings: SmtpSettings, fields: dict[str, Any]) -> None:
    message, recipients = build_message(fields)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.user:
                smtp.starttls()
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as error:
        raise DelugeRuntimeError(f"sendmail could not deliver through {settings.host}:{settings.port}: "
                                 f"{error}") from None
