"""``invokeurl [ ... ]`` and the legacy ``getUrl``/``postUrl``, per Zoho's invokeurl page.

Keys: url, type, parameters, body, headers, content-type, connection, files, detailed,
response-format, response-decoding (https://www.zoho.com/deluge/help/web-data/invokeurl-task.html).
Map parameters go to the query for GET and are form-encoded otherwise, unless the content
type is JSON; text parameters and ``body`` are sent as given, a File as its bytes; ``files`` (a File or a List of
them) go as multipart/form-data parts beside the parameters (`file_parts`). A JSON answer
becomes a Map or List, a file (a download: see `file_parts.is_file_response`) a File,
anything else Text; ``detailed: true`` gives responseCode, responseHeader and responseText.
4xx/5xx answers are returned, not thrown (Decision, reference section 6).
"""

from __future__ import annotations

import difflib
import json

from .. import values
from ..check import INVOKEURL_KEYS
from ..errors import DelugeRuntimeError
from ..file_value import File
from .file_parts import is_file_response, response_file, upload_parts
from .http import Reply, send

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
_JSON_TYPES = ("application/json", "text/json")


def invoke_url(rt: Any, params: dict[str, Any]) -> Any:
    """Run one invokeurl task; ``params`` maps each written key to its value."""
    for key in params:
        if key not in INVOKEURL_KEYS:
            match = difflib.get_close_matches(key, INVOKEURL_KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{match[0]}'?" if match else f"; known keys: {', '.join(INVOKEURL_KEYS)}"
            raise DelugeRuntimeError(f"invokeurl has no key '{key}'{hint}")
    if "url" not in params:
        raise DelugeRuntimeError("invokeurl needs a url: add  url: \"https://...\"")
    method = _method(params.get("type", "GET"))
    headers = _headers(params.get("headers"))
    content_type = params.get("content-type")
    if content_type is not None:
        headers["Content-Type"] = values.to_text(content_type)
    declared = next((value for key, value in headers.items() if key.lower() == "content-type"), "")
    request = _body(method, params.get("parameters"), params.get("body"), declared, params.get("files"))
    raw = next((value for value in (params.get("body"), params.get("parameters")) if type(value) is File), None)
    if raw is not None and not declared:  # a File as the body goes as its bytes, typed as the file
        headers["Content-Type"] = raw.content_type
    if request.get("files"):
        # a file upload is multipart/form-data whatever type the headers name (real scripts keep a JSON
        # one from the request before): httpx writes that Content-Type itself, with the body's boundary
        headers = {key: value for key, value in headers.items() if key.lower() != "content-type"}
    reply = send(rt, method, params["url"], connection=params.get("connection"), headers=headers, **request)
    return shape_reply(rt, reply, values.to_text(params["url"]),
                       detailed=values.truth(params.get("detailed", False)) is True,
                       response_format=params.get("response-format"), decoding=params.get("response-decoding"))


def _method(value: Any) -> str:
    method = values.to_text(value).upper() if value is not None else "GET"
    if method not in METHODS:
        raise DelugeRuntimeError(f"invokeurl type must be one of {', '.join(METHODS)}; got '{values.to_text(value)}'")
    return method


def _headers(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if type(value) is not dict:
        raise DelugeRuntimeError(f"invokeurl headers must be a Map, got {values.type_name(value)}")
    return {str(key): values.to_text(item) for key, item in value.items()}


def _body(method: str, parameters: Any, body: Any, content_type: str, files: Any) -> dict[str, Any]:
    is_json = content_type.split(";")[0].strip().lower() in _JSON_TYPES and files is None  # files: form fields
    request: dict[str, Any] = {}
    if files is not None:
        request["files"] = upload_parts(files, "invokeurl files")
    if body is not None:
        if type(body) in (dict, list):
            if is_json or not content_type:
                request["json_body"] = body
            else:
                request["content"] = values.to_text(body).encode()
        elif type(body) is File:
            request["content"] = body.content
        else:
            request["content"] = values.to_text(body).encode()
    if parameters is None:
        return request
    if type(parameters) is dict:
        if method in ("GET", "HEAD") or (method == "DELETE" and body is None and not is_json):
            request["params"] = {str(k): values.to_text(v) for k, v in parameters.items()}
        elif is_json:
            if "json_body" in request or "content" in request:
                raise DelugeRuntimeError("invokeurl: give the JSON either as parameters or as body, not both")
            request["json_body"] = parameters
        else:
            request["data"] = {str(k): values.to_text(v) for k, v in parameters.items()}
        return request
    if type(parameters) is str:
        if is_json:
            try:
                json.loads(parameters)
            except ValueError:
                raise DelugeRuntimeError("invokeurl: the parameters are declared as JSON (content-type) "
                                         "but the text is not valid JSON") from None
        request["content"] = parameters.encode()
        return request
    # a File is sent as its bytes ("binary" in the page's list of body kinds); anything else as its text
    request["content"] = parameters.content if type(parameters) is File else values.to_text(parameters).encode()
    return request


def shape_reply(rt: Any, reply: Reply, url: str, *, detailed: bool = False, response_format: Any = None,
                decoding: Any = None) -> Any:
    """The script's value for an answer: a File for a download, a Map or List for JSON, else Text."""
    fmt = values.to_text(response_format).upper() if response_format is not None else ""
    body: Any
    if fmt == "FILE" or (fmt != "TEXT" and is_file_response(reply.content_type, reply.headers, reply.content)):
        body = response_file(rt, url, reply.headers, reply.content, reply.content_type, reply.encoding)
    else:
        text = reply.text(values.to_text(decoding) if decoding else None)
        body = text if fmt == "TEXT" else parse_body(text, reply.content_type)
    if detailed:
        return {"responseCode": reply.status, "responseHeader": dict(reply.headers), "responseText": body}
    return body


def parse_body(text: str, content_type: str = "") -> Any:
    """JSON text becomes a Map or List; anything else stays Text (empty text for an empty body)."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[") or "json" in content_type.lower():
        try:
            parsed = values.from_json(stripped)
        except ValueError:
            return text
        if type(parsed) in (dict, list):
            return parsed
    return text


def get_url(rt: Any, url: Any, simple: Any = True, headers: Any = None) -> Any:
    """Legacy ``getUrl(url[, simple, headers])``: a GET whose answer is the response text."""
    reply = send(rt, "GET", values.to_text(url), headers=_headers(headers), what="getUrl")
    if simple is False:
        return {"responseCode": reply.status, "responseText": reply.text()}
    return reply.text()


def post_url(rt: Any, url: Any, parameters: Any = None, headers: Any = None, simple: Any = True) -> Any:
    """Legacy ``postUrl(url, map[, headers, simple])``: a form POST whose answer is the response text."""
    data = None
    content = None
    if type(parameters) is dict:
        data = {str(k): values.to_text(v) for k, v in parameters.items()}
    elif parameters is not None:
        content = values.to_text(parameters).encode()
    reply = send(rt, "POST", values.to_text(url), data=data, content=content, headers=_headers(headers),
                 what="postUrl")
    if simple is False:
        return {"responseCode": reply.status, "responseText": reply.text()}
    return reply.text()
