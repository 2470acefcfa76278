"""Zoho's file functions on the FILE value: make one, read it, rename and retype it, mark it for upload.

The pages (the list: https://www.zoho.com/deluge/help/file-methods.html):

- ``<text or collection>.toFile(name)``: wraps the content in a file object named ``name``
  (the extension names its type); a List or Map becomes its ``toString()`` text.
- ``getFileName``/``setFileName``, ``getFileType``/``setFileType``, ``getFileSize``
  (in bytes), ``getFileContent`` (the content as Text), ``setCharset`` (the charset the file
  is encoded in when sent), ``setParamName`` (the multipart part name ``invokeurl`` sends it
  under), ``isFile`` (any value; true only for a file object).

The setters change the file in place and give null, as ``file.setFileName("a.pdf");`` is
written as a statement. *Decisions* (each with a golden): ``getFileSize`` gives a Number (the
page's table says TEXT, its example shows 545, and scripts compare it with numbers);
``getFileType`` gives the content type without parameters (the page's example: ``image/png``);
``getFileContent`` takes an optional charset (else the one set, else UTF-8); every file's bytes
count against the run's value budget (`Runtime.charge`, one unit per byte), so no loop of
``toFile`` can exhaust memory. The value itself is `file_value.File`; archives (``compress``,
``extract``) live in ``file_archives.py``. ``convertToPDF`` is not simulated (it needs Zoho's
renderer): stdlib/unsimulated.toml lists it, so check warns DL210 and a run stops there.
"""

from __future__ import annotations

from ..errors import DelugeRuntimeError
from ..file_value import File, known_charset, type_for
from ..values import to_text
from .core import text_arg
from .registry import ANY, FILE, LIST, MAP, TEXT, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FILE = "https://www.zoho.com/deluge/help/file"
_FUNCTIONS = "https://www.zoho.com/deluge/help/functions"


def made(rt: Any, file: File, function: str) -> File:
    """A new File, its bytes charged to the run's value budget."""
    rt.charge(file.size, function)
    return file


def _name_arg(function: str, value: Any) -> str:
    name = text_arg(function, 1, value).strip()
    if not name:
        raise DelugeRuntimeError(f"{function}() needs a file name (with its extension), got empty text")
    return name


@builtin("toFile", on=TEXT | LIST | MAP, args=(1, 1), runtime=True, doc=f"{_FUNCTIONS}/file/to-file.html")
def to_file(rt: Any, value: Any, name: Any) -> File:
    """The content (Text, or a List/Map as its toString text) as a file object named ``name``."""
    return made(rt, File.from_text(to_text(value), _name_arg("toFile", name)), "toFile")


@builtin("getFileName", on=FILE, doc=f"{_FILE}/get-file-name.html")
def get_file_name(file: File) -> str:
    return file.name


@builtin("setFileName", on=FILE, args=(1, 1), doc=f"{_FILE}/set-file-name.html")
def set_file_name(file: File, name: Any) -> None:
    file.name = _name_arg("setFileName", name)


@builtin("getFileSize", on=FILE, doc=f"{_FILE}/get-file-size.html")
def get_file_size(file: File) -> int:
    return file.size


@builtin("getFileType", on=FILE, doc=f"{_FILE}/get-file-type.html")
def get_file_type(file: File) -> str:
    return file.content_type.split(";", 1)[0].strip()


@builtin("setFileType", on=FILE, args=(1, 1), doc=f"{_FILE}/set-file-type.html")
def set_file_type(file: File, kind: Any) -> None:
    text = text_arg("setFileType", 1, kind).strip()
    if not text:
        raise DelugeRuntimeError('setFileType() needs a file type such as "pdf" or "application/pdf", got empty text')
    file.content_type = type_for(text)


def _charset_arg(function: str, value: Any) -> str:
    text = text_arg(function, 1, value).strip()
    found = known_charset(text)
    if found is None:
        raise DelugeRuntimeError(f"{function}(): unknown character set '{text[:60]}'; use one such as "
                                 '"UTF-8", "UTF-16", "ISO-8859-1" or "windows-1252"')
    return found


@builtin("getFileContent", on=FILE, args=(0, 1), doc=f"{_FILE}/get-file-content.html")
def get_file_content(file: File, charset: Any = None) -> str:
    """The content as Text, read in ``charset``, else the file's charset, else UTF-8 (bad bytes become U+FFFD)."""
    if charset is None:
        return file.decoded()
    return file.content.decode(_charset_arg("getFileContent", charset), errors="replace")


@builtin("setCharset", on=FILE, args=(1, 1), doc=f"{_FILE}/set-charset.html")
def set_charset(file: File, charset: Any) -> None:
    file.set_charset(_charset_arg("setCharset", charset))


@builtin("setParamName", on=FILE, args=(1, 1),
         doc=f"{_FUNCTIONS}/file/setparamname.html")
def set_param_name(file: File, name: Any) -> None:
    """The name of the multipart part ``invokeurl [ files: ... ]`` sends this file under (default "file")."""
    text = text_arg("setParamName", 1, name).strip()
    if not text:
        raise DelugeRuntimeError("setParamName() needs a parameter name, got empty text")
    file.param_name = text


@builtin("isFile", on=ANY, doc=f"{_FUNCTIONS}/common/is-file.html")
def is_file(value: Any) -> bool:
    return type(value) is File
