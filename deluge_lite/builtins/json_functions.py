"""JSON built-ins: ``toMap``, ``toJSONList``, ``getJSON``, ``toCollection``.

Owns turning JSON text into Maps and Lists the way Zoho reads it (`json_reader`: lenient
forms, Java key order; numbers keep their kind: ``1`` is a Number, ``1.5`` a Decimal). It
does not own turning values into JSON (``values.to_json``, used by ``toString`` in
``core.py``), XML (``xml_functions.py``) nor HTTP responses (``net/``).
"""

from __future__ import annotations

from ..errors import DelugeRuntimeError
from ..values import type_name
from .core import text_arg
from .json_reader import JsonTextError, read_json
from .registry import LIST, MAP, TEXT, builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_JSON = "https://www.zoho.com/deluge/help/functions/json"


def parse_json(function: str, text: str) -> Any:
    """Parse JSON text as Zoho reads it (`json_reader`: lenient forms, Java key order);
    text that is not JSON is a Deluge error naming the function and the problem."""
    try:
        return read_json(text)
    except JsonTextError as error:
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

    Per its page (https://www.zoho.com/deluge/help/functions/collection/to-collection.html)
    ``"{company:Zoho, product:Deluge}"`` is a Map and ``"{company, Zoho, product, Deluge}"``
    (braces, no keys) a List of the items as written. *Decision:* other text that is not a
    JSON object or array is split at commas into a List.
    """
    if type(value) is not str:
        return value
    stripped = value.strip()
    if stripped[:1] == "{" and stripped[-1:] == "}" and ":" not in stripped:
        # the page's "{company, Zoho, product, Deluge}": values without keys make a List
        inner = stripped[1:-1].strip()
        return [item.strip() for item in inner.split(",")] if inner else []
    if stripped[:1] in ("{", "["):
        return parse_json("toCollection", stripped)
    return [] if stripped == "" else value.split(",")


def _json_kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type_name(value))
