"""Files on the wire: the multipart parts a script uploads, and the File a download becomes.

Uploads (``invokeurl [ files: ... ]``, the ``file`` argument of tasks such as
``zoho.crm.attachFile``, sendmail attachments over SMTP) take a File or a List of Files
(https://www.zoho.com/deluge/help/webhook/invokeurl-api-task.html lists ``files`` as the
files to send as multipart/form-data); each part is named by the file's ``setParamName``
(default "file"). A Map ``{"paramName", "content", "fileName", "contentType", "stringPart"}``
describes one part as real scripts write it (``content`` a File or Text; ``stringPart`` "true"
makes a plain form field), and plain Text is a file named "file".

Downloads: the invokeurl page gives the response as "KEY-VALUE / FILE / TEXT / LIST", and
Zoho's file-function pages fetch a .csv, a .png and a .pdf with a plain ``invokeUrl`` GET and
then call ``getFileContent``/``getFileType`` on the answer. *Decision* (`is_file_response`):
an answer is a File when ``response-format`` says FILE, when it comes as an attachment
(Content-Disposition with a file name), or when its content type is not one read as text
(`TEXT_TYPES`: plain text, HTML, JSON, XML, JavaScript, form data); with no content type at
all, bytes that are not UTF-8 are a File. The File is named by Content-Disposition, else the
last part of the URL, typed by the response's content type and charset.
"""

from __future__ import annotations

from .. import values
from ..errors import DelugeRuntimeError
from ..file_value import DEFAULT_PARAM_NAME, File, known_charset, name_from_headers, type_for_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Part = tuple[str, tuple[str, bytes, str]]

# content types whose answers stay Text (or become a Map/List when they hold JSON)
TEXT_TYPES = ("text/plain", "text/html", "text/xml", "application/json", "text/json", "application/xml",
              "application/javascript", "text/javascript", "application/x-www-form-urlencoded",
              "application/problem+json", "application/hal+json", "application/vnd.api+json")
_TEXT_SUFFIXES = ("+json", "+xml")


def upload_parts(value: Any, what: str) -> list[Part]:
    """The multipart parts for a File, a List of Files, or the legacy Map form (see the module docstring)."""
    items = value if type(value) is list else [value]
    return [_part(item, what) for item in items if item is not None]


def _part(item: Any, what: str) -> Part:
    kind = type(item)
    if kind is File:
        return item.upload_part()
    if kind is dict:
        return _map_part(item, what)
    if kind is str:
        return DEFAULT_PARAM_NAME, ("file", item.encode("utf-8"), "text/plain")
    raise DelugeRuntimeError(f"{what}: files must be file objects (from invokeurl or toFile), got "
                             f"{values.type_name(item)}")


def _map_part(item: dict[str, Any], what: str) -> Part:
    """A part described by a Map: ``paramName``, ``content`` (a File or Text), ``fileName``, ``contentType``,
    and ``stringPart`` ("true": a plain form field, no file name), as real scripts write Zoho's key-value form."""
    if "content" not in item:
        raise DelugeRuntimeError(f'{what}: a file given as a Map needs "content" (and optionally "fileName", '
                                 '"paramName", "contentType"); or make a file with toFile("name.ext")')
    content = item["content"]
    param = values.to_text(item.get("paramName", DEFAULT_PARAM_NAME))
    if values.to_text(item.get("stringPart", "false")).strip().lower() == "true":
        text = content.decoded() if type(content) is File else values.to_text(content)
        return param, (None, text.encode("utf-8"), "text/plain")  # type: ignore[return-value]
    default_name = content.name if type(content) is File else "file"
    name = values.to_text(item.get("fileName", default_name))
    data = content.content if type(content) is File else values.to_text(content).encode("utf-8")
    kind = item.get("contentType")
    kind_text = values.to_text(kind) if kind is not None else (
        content.content_type if type(content) is File else type_for_name(name))
    return param, (name, data, kind_text)


def is_file_response(content_type: str, headers: dict[str, str], content: bytes) -> bool:
    """Whether an answer is a file rather than text (the Decision of the module docstring)."""
    disposition = next((value for key, value in headers.items() if key.lower() == "content-disposition"), "")
    if "filename" in disposition.lower() or disposition.strip().lower().startswith("attachment"):
        return True
    kind = content_type.split(";", 1)[0].strip().lower()
    if not kind:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    return kind not in TEXT_TYPES and not kind.endswith(_TEXT_SUFFIXES)


def response_file(rt: Any, url: str, headers: dict[str, str], content: bytes, content_type: str,
                  charset: str | None) -> File:
    """The File an answer becomes, its bytes charged to the run's value budget."""
    rt.charge(len(content), "invokeurl")
    return File(name_from_headers(headers, url), content, content_type or None,
                charset=known_charset(charset) if charset else None)
