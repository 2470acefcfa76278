"""The Deluge formatter: ``format_text`` lays a script out in the one documented style
(README "Formatting"; the rules live in ``layout``) and proves the result means the same.

It works on the concrete view (``parser.parse_concrete``): tokens are copied, only the
whitespace between them is chosen, comments are kept where they were. Before returning, the
output is parsed again and its syntax tree compared with the input's (``verify``); a
difference is a bug in deluge-lite, raised as ``InternalError`` and never written out. A
script that does not parse raises its ``DelugeSyntaxError`` (nothing to format).
"""

from __future__ import annotations

import re

from ..ast import Program
from ..errors import DelugeError, InternalError
from ..parser import parse, parse_concrete
from ..source import Source
from .layout import layout
from .verify import same_meaning

_BOM = "\ufeff"
_LINE_BREAK = re.compile(r"\r?\n")


def format_text(text: str, name: str = "<script>") -> str:
    """The formatted text. Keeps a leading byte-order mark and CRLF line endings when the input
    used them; raises DelugeSyntaxError for text that does not parse."""
    bom = text.startswith(_BOM)
    body = text.removeprefix(_BOM)
    crlf = body.count("\r\n") * 2 > body.count("\n")
    program, view = parse_concrete(Source(body, name))
    formatted = layout(view)
    if formatted == body:  # already in style: nothing changed, nothing to prove
        return text
    if crlf:  # a lone line break inside a text literal would change the text: then keep \n endings
        converted = _LINE_BREAK.sub("\r\n", formatted)
        formatted = converted if _means(program, converted, name) else formatted
    if not _means(program, formatted, name):
        raise InternalError(f"the formatter would change what {name} means; the file was left as it was")
    return (_BOM if bom else "") + formatted


def _means(program: Program, text: str, name: str) -> bool:
    """Whether ``text`` parses to ``program`` (positions aside)."""
    try:
        again = parse(Source(text, name))
    except DelugeError:
        return False
    return same_meaning(program, again)


__all__ = ["format_text"]
