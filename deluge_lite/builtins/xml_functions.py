"""XML built-ins: ``toXML`` (JSON or a Map to XML text), ``executeXPath`` (on XML or JSON text), ``toXMLList``.

Owns XML text: writing it from JSON text or a Map (in the key order Zoho shows, see
`json_reader`), and a small XPath subset over it with ``xml.etree``. It does not own
reading JSON (``json_reader``/``json_functions``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import DelugeRuntimeError
from ..values import to_text
from .core import text_arg
from .json_functions import parse_json
from .registry import MAP, TEXT, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_XML = "https://www.zoho.com/deluge/help/functions/xml"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_NOT_A_TAG = re.compile(r"[^\w.-]")


@builtin("toXML", on=TEXT | MAP, doc=f"{_XML}/toxml.html")
def to_xml(value: Any) -> str:
    """JSON object text (lenient forms included) or a Map as XML text under a ``<root>`` element.

    Each key becomes an element; a List value repeats the element once per item, as the
    page's ``OrderNo:[343,443,577]`` example shows; nested Maps nest. *Decision:* one
    element per line, as the page prints it; text is XML-escaped; null is an empty
    element; a key that is not a valid tag name has its other characters replaced by ``_``.
    """
    data = parse_json("toXML", value) if type(value) is str else value
    if type(data) is not dict:
        raise DelugeRuntimeError("toXML() needs JSON object text ({...}) or a Map")
    lines: list[str] = ["<root>"]
    _write_members(data, lines, 0)
    lines.append("</root>")
    return "\n".join(lines)


def _tag(key: Any) -> str:
    name = _NOT_A_TAG.sub("_", to_text(key)) or "_"
    return "_" + name if name[0].isdigit() or name[0] in ".-" else name


def _write_members(data: dict[Any, Any], lines: list[str], depth: int) -> None:
    if depth > 256:
        raise DelugeRuntimeError("toXML() cannot write values nested more than 256 deep")
    for key, item in data.items():
        tag = _tag(key)
        for one in item if type(item) is list else [item]:
            _write_element(tag, one, lines, depth)


def _write_element(tag: str, item: Any, lines: list[str], depth: int) -> None:
    if item is None:
        lines.append(f"<{tag}/>")
    elif type(item) is dict:
        lines.append(f"<{tag}>")
        _write_members(item, lines, depth + 1)
        lines.append(f"</{tag}>")
    elif type(item) is list:  # a list inside a list
        lines.append(f"<{tag}>")
        for one in item:
            _write_element("array", one, lines, depth + 1)
        lines.append(f"</{tag}>")
    else:
        text = "".join(_ESCAPES.get(char, char) for char in to_text(item))
        lines.append(f"<{tag}>{text}</{tag}>")


# ---------------------------------------------------------------- XML

def _parse_xml(function: str, text: str) -> ET.Element:
    try:
        return ET.fromstring(text.strip())
    except ET.ParseError as error:
        raise DelugeRuntimeError(f"{function}() cannot parse the text as XML: {error}") from None


_STRIP_NS = re.compile(r"\{[^}]*\}")


def _element_text(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", short_empty_elements=True).strip()


def _tail_free(element: ET.Element) -> ET.Element:
    copy = ET.Element(element.tag, element.attrib)
    copy.text = element.text
    copy.extend(list(element))
    return copy


@builtin("executeXPath", on=TEXT, args=(1, 1), doc=f"{_XML}/executexpath.html")
def execute_xpath(text: str, path: Any) -> str | None:
    """Evaluate an XPath on XML or JSON text and give the matches as text (null when nothing matches).

    Supported subset (``xml.etree``): absolute ``/a/b``, descendant ``//b``, ``*``, ``[n]``,
    ``[@attr='v']``, ``[tag='v']``, and a final ``/text()`` (the text of each match) or ``/@attr``.
    As the page gives it, JSON object text is read as the XML ``toXML`` writes for it (so paths
    start ``/root``), and an attribute match is an element named after the attribute, so
    ``x.executeXPath("/a/@href").executeXPath("/href/text()")`` is the attribute's value; its
    value is written as CDATA, as real scripts read it (``.getSuffix("<count><![CDATA[")``).
    *Decision:* several matches are joined without a separator; element matches are given as
    their XML text.
    """
    expression = text_arg("executeXPath", 1, path).strip()
    root = _parse_xml("executeXPath", to_xml(text) if text.lstrip().startswith("{") else text)
    wants_text = expression.endswith("/text()")
    if wants_text:
        expression = expression[: -len("/text()")]
    attribute = None
    attr_match = re.search(r"/@([\w:.-]+)$", expression)
    if attr_match:
        attribute = attr_match.group(1)
        expression = expression[: attr_match.start()]
    matches = _select(root, expression)
    if attribute is not None:
        found = [_attribute_element(attribute, element.get(attribute)) for element in matches
                 if element.get(attribute) is not None]
        return "".join(found) if found else None
    if not matches:
        return None
    if wants_text:
        return "".join(element.text or "" for element in matches)
    return "".join(_element_text(_tail_free(element)) for element in matches)


def _attribute_element(name: str, value: str) -> str:
    """An attribute match as XML: ``<name><![CDATA[value]]></name>`` (a ``]]>`` in it split in two)."""
    return f"<{name}><![CDATA[{value.replace(']]>', ']]]]><![CDATA[>')}]]></{name}>"


def _select(root: ET.Element, expression: str) -> list[ET.Element]:
    if expression in ("", "/"):
        return [root]
    wrapper = ET.Element("document")
    wrapper.append(root)
    if expression.startswith("//"):
        relative = ".//" + expression[2:]
    elif expression.startswith("/"):
        relative = "./" + expression[1:]
    else:
        relative = ".//" + expression  # a relative path: search anywhere
    try:
        found = list(wrapper.findall(relative))
    except SyntaxError as error:  # ElementPath's own words: "invalid predicate", "invalid descendant"
        raise DelugeRuntimeError(f"executeXPath() does not support the path {expression!r}: {error.msg}") from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        # ElementPath fails on some unfinished paths ("/a/b[") with errors that describe its own code
        raise DelugeRuntimeError(f"executeXPath() does not support the path {expression!r}: it is "
                                 "incomplete or uses XPath that is not supported") from None
    return [root if element is wrapper else element for element in found]  # "/a/.." is the document


@builtin("toXMLList", on=TEXT, doc=f"{_XML}/toxmllist.html")
def to_xml_list(text: str) -> list[str]:
    """XML text holding one or more elements (e.g. an ``executeXPath`` result) to a List of their XML texts.

    *Decision:* a single root element with children gives its children; several top-level
    elements give each of them.
    """
    if text.strip() == "":
        return []
    wrapper = _parse_xml("toXMLList", f"<document>{text}</document>")
    elements = list(wrapper)
    if len(elements) == 1 and len(elements[0]):
        elements = list(elements[0])
    return [_element_text(_tail_free(element)) for element in elements]
