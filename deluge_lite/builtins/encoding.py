"""Encoding built-ins: URL and base64 encoding, hashes, HMAC signatures, and the user system variables.

Owns the text methods ``encodeUrl``/``urlEncode``/``urlDecode``/``base64Encode``/
``base64Decode``/``textToHex``/``hexToText``, the ``zoho.encryption.*`` functions (base64, base32, URL, md5, sha1, sha256,
sha512, hmacsha1/256/512, hmacsign) and the system variables ``zoho.adminuser(id)`` and
``zoho.loginuser(id)``. Text is encoded as UTF-8 bytes. It does not own ``zoho.currentdate``/
``zoho.currenttime`` (``dates.py``) nor AES (not provided).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import urllib.parse

from ..errors import DelugeRuntimeError
from .core import text_arg
from .registry import TEXT, builtin, system_variable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FN = "https://www.zoho.com/deluge/help/functions"
_ENC = "https://www.zoho.com/deluge/help/encryption"


# ---------------------------------------------------------------- URL

def _java_url_encode(text: str) -> str:
    """Java's ``URLEncoder.encode(text, "UTF-8")``: space becomes ``+``; ``*-._`` stay as they are."""
    return urllib.parse.quote_plus(text, safe="*").replace("~", "%7E")


@builtin("encodeUrl", "urlEncode", on=TEXT, doc=f"{_FN}/string/encodeurl.html")
def encode_url(text: str) -> str:
    """Form-style URL encoding (``encodeUrl("a b&c")`` is ``a+b%26c``)."""
    return _java_url_encode(text)


@builtin("urlDecode", "decodeUrl", on=TEXT, doc=f"{_FN}/string/urldecode.html")
def url_decode(text: str) -> str:
    """Reverses ``encodeUrl`` (``+`` becomes a space, ``%XX`` a UTF-8 byte)."""
    return urllib.parse.unquote_plus(text)


@builtin("zoho.encryption.urlEncode", on=None, args=(1, 1), doc=f"{_FN}/encryption/urlencode.html")
def encryption_url_encode(text: Any) -> str:
    """Percent-encoding (reference section 5: ``a b&c`` becomes ``a%20b%26c``).

    *Decision:* the RFC 3986 unreserved characters ``A-Z a-z 0-9 - . _ ~`` stay as they are.
    """
    return urllib.parse.quote(text_arg("zoho.encryption.urlEncode", 1, text), safe="")


@builtin("zoho.encryption.urlDecode", on=None, args=(1, 1), doc=f"{_FN}/encryption/urldecode.html")
def encryption_url_decode(text: Any) -> str:
    return urllib.parse.unquote_plus(text_arg("zoho.encryption.urlDecode", 1, text))


# ---------------------------------------------------------------- hexadecimal

@builtin("textToHex", on=TEXT, doc=f"{_FN}/string/texttohex.html")
def text_to_hex(text: str) -> str:
    """The text's UTF-8 bytes as lower-case hexadecimal (``textToHex("Zoho")`` is ``5a6f686f``)."""
    return text.encode("utf-8").hex()


@builtin("hexToText", on=TEXT, doc=f"{_FN}/string/hextotext.html")
def hex_to_text(text: str) -> str:
    """Reverses ``textToHex``. *Decision:* text that is not an even count of hexadecimal digits is
    an error; bytes that are not UTF-8 become U+FFFD."""
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise DelugeRuntimeError("hexToText() cannot decode the text: it is not hexadecimal") from None
    return raw.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- base64 / base32

def _b64_encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _b64_decode(function: str, text: str) -> str:
    cleaned = "".join(text.split())
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        raw = base64.b64decode(cleaned.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise DelugeRuntimeError(f"{function}() cannot decode the text: it is not base64") from None
    return raw.decode("utf-8", errors="replace")


@builtin("base64Encode", on=TEXT, doc=f"{_FN}/encryption/base64encode.html")
def base64_encode(text: str) -> str:
    """Base64 of the text's UTF-8 bytes."""
    return _b64_encode(text)


@builtin("base64Decode", on=TEXT, doc=f"{_FN}/encryption/base64decode.html")
def base64_decode(text: str) -> str:
    """Text from base64. *Decision:* missing padding and the URL-safe alphabet are accepted;
    bytes that are not UTF-8 become U+FFFD."""
    return _b64_decode("base64Decode", text)


@builtin("zoho.encryption.base64Encode", on=None, args=(1, 2), doc=f"{_FN}/encryption/base64encode.html")
def encryption_base64_encode(text: Any, _charset: Any = None) -> str:
    """*Decision:* the optional character set argument is accepted and UTF-8 is always used."""
    return _b64_encode(text_arg("zoho.encryption.base64Encode", 1, text))


@builtin("zoho.encryption.base64Decode", on=None, args=(1, 2), doc=f"{_FN}/encryption/base64decode.html")
def encryption_base64_decode(text: Any, _charset: Any = None) -> str:
    return _b64_decode("zoho.encryption.base64Decode", text_arg("zoho.encryption.base64Decode", 1, text))


@builtin("zoho.encryption.base32Encode", on=None, args=(1, 1), doc=f"{_ENC}/base32-encode.html")
def encryption_base32_encode(text: Any) -> str:
    return base64.b32encode(text_arg("zoho.encryption.base32Encode", 1, text).encode("utf-8")).decode("ascii")


@builtin("zoho.encryption.base32Decode", on=None, args=(1, 1), doc=f"{_ENC}/base32-decode.html")
def encryption_base32_decode(text: Any) -> str:
    cleaned = "".join(text_arg("zoho.encryption.base32Decode", 1, text).split()).upper()
    cleaned += "=" * (-len(cleaned) % 8)
    try:
        return base64.b32decode(cleaned).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        raise DelugeRuntimeError("zoho.encryption.base32Decode() cannot decode the text: it is not base32") from None


# ---------------------------------------------------------------- hashes and HMAC

_ALGORITHMS = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha512": "sha512",
               "hmacmd5": "md5", "hmacsha1": "sha1", "hmacsha256": "sha256", "hmacsha512": "sha512",
               "sha-1": "sha1", "sha-256": "sha256", "sha-512": "sha512"}


def _output(function: str, digest: bytes, output: Any, default: str, position: int) -> str:
    kind = default if output is None else text_arg(function, position, output).strip().lower()
    if kind == "hex":
        return digest.hex()
    if kind == "base64":
        return base64.b64encode(digest).decode("ascii")
    raise DelugeRuntimeError(f"{function}() output type must be \"base64\" or \"hex\", got {kind!r}")


def _hmac(function: str, algorithm: str, key: Any, data: Any, output: Any) -> str:
    secret = text_arg(function, 1, key).encode("utf-8")
    message = text_arg(function, 2, data).encode("utf-8")
    return _output(function, hmac.new(secret, message, algorithm).digest(), output, "base64", 3)


@builtin("zoho.encryption.hmacsha1", on=None, args=(2, 3), doc=f"{_ENC}/hmac-sha1.html")
def hmac_sha1(key: Any, data: Any, output: Any = None) -> str:
    """HMAC-SHA1 of the data with the key; base64 unless the third argument is "hex"."""
    return _hmac("zoho.encryption.hmacsha1", "sha1", key, data, output)


@builtin("zoho.encryption.hmacsha256", on=None, args=(2, 3), doc=f"{_ENC}/hmac-sha256.html")
def hmac_sha256(key: Any, data: Any, output: Any = None) -> str:
    """HMAC-SHA256 of the data with the key; base64 unless the third argument is "hex"."""
    return _hmac("zoho.encryption.hmacsha256", "sha256", key, data, output)


@builtin("zoho.encryption.hmacsha512", on=None, args=(2, 3), doc=f"{_ENC}/hmac-sha512.html")
def hmac_sha512(key: Any, data: Any, output: Any = None) -> str:
    return _hmac("zoho.encryption.hmacsha512", "sha512", key, data, output)


@builtin("zoho.encryption.hmacsign", on=None, args=(3, 4), doc=f"{_ENC}/hmac-sha256.html")
def hmac_sign(algorithm: Any, data: Any, key: Any, output: Any = None) -> str:
    """The older generic HMAC task: ``hmacsign(algorithm, data, key[, output])``.

    *Decision:* algorithm is one of md5, sha1, sha256, sha512 (with or without an ``hmac``
    prefix); the output is base64 unless "hex", as for ``hmacsha256``.
    """
    function = "zoho.encryption.hmacsign"
    name = _ALGORITHMS.get(text_arg(function, 1, algorithm).strip().lower().replace("hmac-", "hmac"))
    if name is None:
        raise DelugeRuntimeError(f"{function}() supports md5, sha1, sha256 and sha512, got {algorithm!r}")
    secret = text_arg(function, 3, key).encode("utf-8")
    message = text_arg(function, 2, data).encode("utf-8")
    digest = hmac.new(secret, message, name).digest()
    return _output(function, digest, output, "base64", 4)


def _hash(function: str, algorithm: str, data: Any, output: Any) -> str:
    digest = hashlib.new(algorithm, text_arg(function, 1, data).encode("utf-8")).digest()
    return _output(function, digest, output, "hex", 2)


@builtin("zoho.encryption.md5", on=None, args=(1, 2), doc=f"{_ENC}/md5.html")
def md5(data: Any, output: Any = None) -> str:
    """MD5 digest as lower-case hex (32 characters); "base64" as a second argument gives base64."""
    return _hash("zoho.encryption.md5", "md5", data, output)


@builtin("zoho.encryption.sha1", on=None, args=(1, 2), doc=f"{_ENC}/sha1.html")
def sha1(data: Any, output: Any = None) -> str:
    return _hash("zoho.encryption.sha1", "sha1", data, output)


@builtin("zoho.encryption.sha256", on=None, args=(1, 2), doc=f"{_ENC}/sha256.html")
def sha256(data: Any, output: Any = None) -> str:
    """SHA-256 digest as lower-case hex (64 characters) unless "base64" is asked for."""
    return _hash("zoho.encryption.sha256", "sha256", data, output)


@builtin("zoho.encryption.sha512", on=None, args=(1, 2), doc=f"{_ENC}/sha512.html")
def sha512(data: Any, output: Any = None) -> str:
    return _hash("zoho.encryption.sha512", "sha512", data, output)


# ---------------------------------------------------------------- system variables (users)

@system_variable("zoho.loginuser")
def login_user(rt: Any) -> str:
    """The email of the user running the script (the runtime's ``user``)."""
    return str(rt.user)


@system_variable("zoho.loginuserid")
def login_user_id(rt: Any) -> str:
    """*Decision:* the login user's id is their email, as in Creator."""
    return str(rt.user)


def _context_value(rt: Any, name: str) -> Any:
    """A system variable only some products define: the run's context value, else a clear error."""
    value = rt.system_values.get(name)
    if value is None:
        raise DelugeRuntimeError(f"{name} is defined only in Zoho Creator; run with --context creator")
    return value


@system_variable("zoho.appname")
def app_name(rt: Any) -> str:
    """The Creator application's link name (from the context's sample: stdlib/contexts.toml)."""
    return _context_value(rt, "zoho.appname")


@system_variable("zoho.appuri")
def app_uri(rt: Any) -> str:
    return _context_value(rt, "zoho.appuri")


@system_variable("zoho.ipaddress")
def ip_address(rt: Any) -> str:
    return _context_value(rt, "zoho.ipaddress")


@system_variable("zoho.adminuser")
def admin_user(rt: Any) -> str:
    """The admin's email: the runtime's ``admin_user``, else its ``user``."""
    return str(rt.admin_user or rt.user)


@system_variable("zoho.adminuserid")
def admin_user_id(rt: Any) -> str:
    return str(rt.admin_user or rt.user)
