"""JSON and XML built-ins: ``toMap``, ``toJSONList``, ``getJSON``, ``toCollection``, ``executeXPath``, ``toXMLList``.

Owns turning JSON text into Maps and Lists (numbers keep their kind: ``1`` is a Number,
``1.5`` a Decimal, via `values.from_json`) and a small XPath subset over XML text with
``xml.etree``. It does not own turning values into JSON (``values.to_json``, used by
``toString`` in ``core.py``) nor HTTP responses (``net/``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from ..errors import DelugeRuntimeError
from ..values import from_json, type_name
from .core import text_arg
from .registry import LIST, MAP, TEXT, builtin

_JSON = "https://www.zoho.com/deluge/help/functions/json"
_XML = "https://www.zoho.com/deluge/help/functions/xml"


def parse_json(function: str, text: str) -> Any:
    """Parse JSON text; malformed text is a Deluge error naming the function and the problem."""
    try:
        return from_json(text)
    except json.JSONDecodeError as error:
        raise DelugeRuntimeError(
            f"{function}() cannot parse the text as JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}") from None
    except (ValueError, RecursionError) as error:
        raise DelugeRuntimeError(f"{function}() cannot parse the text as JSON: {error}") from None


@builtin("toMap", on=TEXT | MAP, doc=f"{_JSON}/tomap.html")
def to_map(value: Any) -> dict[Any, Any]:
    """JSON object text to a Map; a Map gives itself.

    *Decision:* empty (or all-space) text gives an empty Map; JSON that is not an object
    (an array, a number) is an error.
    """
    if type(value) is dict:
        return value
    if value.strip() == "":
        return {}
    parsed = parse_json("toMap", value)
    if type(parsed) is not dict:
        raise DelugeRuntimeError(f"toMap() needs JSON object text ({{...}}), got a JSON {_json_kind(parsed)}")
    return parsed


@builtin("toJSONList", on=TEXT | LIST, doc=f"{_JSON}/tojsonlist.html")
def to_json_list(value: Any) -> list[Any]:
    """JSON array text to a List whose items work with ``get``/``getJSON``; a List gives itself.

    *Decision:* empty text gives an empty List; JSON that is not an array is an error.
    """
    if type(value) is list:
        return value
    if value.strip() == "":
        return []
    parsed = parse_json("toJSONList", value)
    if type(parsed) is not list:
        raise DelugeRuntimeError(f"toJSONList() needs JSON array text ([...]), got a JSON {_json_kind(parsed)}")
    return parsed


@builtin("getJSON", on=TEXT | MAP, args=(1, 1), doc=f"{_JSON}/getjson.html")
def get_json(value: Any, key: Any) -> Any:
    """The value of a key in a Map or in JSON object text; a missing key gives null."""
    name = text_arg("getJSON", 1, key)
    if type(value) is str:
        parsed = parse_json("getJSON", value) if value.strip() else {}
        if type(parsed) is not dict:
            raise DelugeRuntimeError(f"getJSON() needs JSON object text, got a JSON {_json_kind(parsed)}")
        value = parsed
    if name in value:
        return value[name]
    if type(key) is not str and key in value:  # a Map with a Number key
        return value[key]
    return None


@builtin("toCollection", on=TEXT | MAP | LIST, doc=f"{_JSON}/tocollection.html")
def to_collection(value: Any) -> Any:
    """JSON text to a Map (object) or a List (array); a Map or List gives itself.

    *Decision:* text that is not a JSON object or array is split at commas into a List.
    """
    if type(value) is not str:
        return value
    stripped = value.strip()
    if stripped[:1] in ("{", "["):
        return parse_json("toCollection", stripped)
    return [] if stripped == "" else value.split(",")


def _json_kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type_name(value))


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
    """Evaluate an XPath on XML text and give the matches as text (null when nothing matches).

    Supported subset (``xml.etree``): absolute ``/a/b``, descendant ``//b``, ``*``, ``[n]``,
    ``[@attr='v']``, ``[tag='v']``, and a final ``/text()`` (the text of each match) or ``/@attr``
    (an attribute). *Decision:* several matches are joined without a separator; element matches
    are given as their XML text.
    """
    expression = text_arg("executeXPath", 1, path).strip()
    root = _parse_xml("executeXPath", text)
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
        found = [element.get(attribute) for element in matches if element.get(attribute) is not None]
        return "".join(found) if found else None
    if not matches:
        return None
    if wants_text:
        return "".join(element.text or "" for element in matches)
    return "".join(_element_text(_tail_free(element)) for element in matches)


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
