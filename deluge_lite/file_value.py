"""The FILE value: what ``toFile``, a file download by ``invokeurl`` and ``extract`` give a script.

Zoho's file functions (https://www.zoho.com/deluge/help/file-methods.html) work on a file
object: a name, its bytes, a content type, and two settings that only matter when the file is
sent with ``invokeurl`` (the multipart parameter name, ``setParamName``) or encoded for sending
(``setCharset``). This module owns that object and how it is named, shown and sent; the
built-in functions on it live in ``builtins/files.py`` and ``builtins/file_archives.py``.

Decisions (each pinned by a golden test in tests/golden/builtins/files*):

- ``info``, ``toString`` and Text joins show the file's name, as Zoho's editor shows a
  downloaded file (``info file`` prints its name; the variable still holds the whole file).
  In JSON (a Map holding a File, ``toString`` of that Map) the File is its name as a Text.
- A File equals only itself (``==`` is identity): files are objects the setters change in
  place, as in Zoho, where ``file.setFileName("a")`` changes ``file``.
- The content type comes from the name's extension through Python's built-in MIME table
  (never the machine's files, so every machine gives the same answer), else
  ``application/octet-stream``; ``setFileType("pdf")`` takes an extension or a full type.
- A File made from Text (``toFile``) remembers that Text, so ``setCharset`` re-encodes it in
  the new character set (the page: the file "will be encoded with the specified Charset");
  a downloaded File keeps its bytes and only notes the charset for reading and sending.
"""

from __future__ import annotations

import codecs
import functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULT_PARAM_NAME = "file"
DEFAULT_TYPE = "application/octet-stream"


@functools.cache
def _mime_types() -> Any:
    """A `mimetypes.MimeTypes` of Python's own table only, the same on every machine (built on
    first use: importing and building it is a noticeable share of start-up)."""
    import mimetypes

    return mimetypes.MimeTypes()


class File:
    """One Deluge file object; mutable through the setters, compared by identity."""

    __slots__ = ("name", "content", "content_type", "charset", "param_name", "text")

    def __init__(self, name: str, content: bytes, content_type: str | None = None, *,
                 charset: str | None = None, text: str | None = None) -> None:
        self.name = name
        self.content = content
        self.content_type = content_type or type_for_name(name)
        self.charset = charset
        self.param_name = DEFAULT_PARAM_NAME
        self.text = text

    @classmethod
    def from_text(cls, text: str, name: str) -> File:
        """``text.toFile(name)``: the Text as UTF-8 bytes, typed by the name's extension."""
        return cls(name, text.encode("utf-8"), text=text)

    @property
    def size(self) -> int:
        return len(self.content)

    def decoded(self) -> str:
        """The content as Text, read in the file's charset (UTF-8 when none is set); bad bytes become U+FFFD."""
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except (LookupError, UnicodeError):  # a charset a server named that Python cannot read
            return self.content.decode("utf-8", errors="replace")

    def set_charset(self, charset: str) -> None:
        self.charset = charset
        if self.text is not None:
            self.content = self.text.encode(charset, errors="replace")

    def upload_part(self) -> tuple[str, tuple[str, bytes, str]]:
        """The multipart part httpx sends for this file: (param name, (file name, bytes, content type))."""
        kind = self.content_type
        if self.charset and "charset=" not in kind.lower():
            kind = f"{kind}; charset={self.charset}"
        return self.param_name, (self.name, self.content, kind)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<File {self.name}, {self.size} bytes>"


def type_for_name(name: str) -> str:
    """The content type a file name's extension implies (``report.csv`` -> ``text/csv``)."""
    guessed, _encoding = _mime_types().guess_type(name, strict=False)
    return guessed or DEFAULT_TYPE


def type_for(kind: str) -> str:
    """``setFileType``'s argument as a content type: ``"pdf"``/``".pdf"`` -> ``application/pdf``; a full type stays."""
    kind = kind.strip()
    if "/" in kind:
        return kind
    return type_for_name("file." + kind.lstrip(".")) if kind else DEFAULT_TYPE


def known_charset(name: str) -> str | None:
    """The canonical name of a text character set (``utf8`` -> ``utf-8``), or None if there is none such."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # 'hex', 'zlib', 'base64' are codecs, not charsets
        return None
    return info.name


def name_from_headers(headers: dict[str, str], url: str) -> str:
    """The name of a downloaded file: Content-Disposition's filename, else the URL's last path part."""
    from email.message import Message
    from urllib.parse import unquote, urlsplit

    disposition = next((value for key, value in headers.items() if key.lower() == "content-disposition"), "")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        try:
            found = message.get_filename()
        except (ValueError, LookupError, TypeError):  # a malformed header: name the file by its URL
            found = None
        if found:
            return str(found).replace("/", "_").replace("\\", "_")
    last = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    return last or "file"


def is_file(value: Any) -> bool:
    return type(value) is File
