"""Unit tests for builtins/encoding.py: URL, base64, hashes, HMAC and the user system variables."""

from __future__ import annotations

import pytest

from deluge_lite.builtins import REGISTRY
from deluge_lite.errors import DelugeRuntimeError
from deluge_lite.runtime import Runtime
from tests.builtin_calls import RT, function, method  # noqa: F401


def test_url_encoding_two_styles():
    assert method("encodeUrl", "a b&c") == "a+b%26c"
    assert function("urlEncode", "a b&c") == "a+b%26c"
    assert method("encodeUrl", "x*y.z-_~é") == "x*y.z-_%7E%C3%A9"
    assert function("zoho.encryption.urlEncode", "a b&c") == "a%20b%26c"
    assert method("urlDecode", "a+b%26c") == "a b&c"
    assert function("zoho.encryption.urlDecode", "a%20b%26c") == "a b&c"


def test_base64_method_and_function_forms():
    assert method("base64Encode", "Hello World") == "SGVsbG8gV29ybGQ="
    assert function("base64Encode", "é") == "w6k="
    assert function("zoho.encryption.base64Encode", "Hello World") == "SGVsbG8gV29ybGQ="
    assert function("zoho.encryption.base64Decode", "SGVsbG8gV29ybGQ=") == "Hello World"
    assert method("base64Decode", "SGVsbG8gV29ybGQ") == "Hello World"  # padding is optional
    with pytest.raises(DelugeRuntimeError, match="not base64"):
        method("base64Decode", "***")


def test_base32_round_trip():
    encoded = function("zoho.encryption.base32Encode", "Zoho")
    assert encoded == "LJXWQ3Y="
    assert function("zoho.encryption.base32Decode", encoded) == "Zoho"
    with pytest.raises(DelugeRuntimeError):
        function("zoho.encryption.base32Decode", "1")


def test_hmac_examples_from_zoho_help():
    # Inputs and outputs documented on the HMAC-SHA1 and HMAC-SHA256 help pages.
    assert function("zoho.encryption.hmacsha1", "Use me to generate hash", "My#New#Password") == \
        "VK9VMxdsbxZBLHKgSEZYMEUlURs="
    assert function("zoho.encryption.hmacsha256", "Use me to generate hash", "My#New#Password") == \
        "edYCyxkU4jL2dEjEDO8aUy8WZrpKRvQquNpgKUqe5vA="
    assert function("zoho.encryption.hmacsha256", "sk_5Ow7B_4eC39H",
                    "{Order ID: 0932, Currency: USD, Amount: 2500}", "hex") == \
        "13721963e7ac439f5a2e63c261856393647f3f51b493beebf5919af4bc3de19c"


def test_hmacsign():
    assert function("zoho.encryption.hmacsign", "sha256", "My#New#Password", "Use me to generate hash") == \
        "edYCyxkU4jL2dEjEDO8aUy8WZrpKRvQquNpgKUqe5vA="
    assert len(function("zoho.encryption.hmacsign", "HmacMD5", "d", "k", "hex")) == 32
    with pytest.raises(DelugeRuntimeError, match="supports md5"):
        function("zoho.encryption.hmacsign", "crc32", "d", "k")
    with pytest.raises(DelugeRuntimeError, match="output type"):
        function("zoho.encryption.hmacsha256", "k", "d", "binary-ish")


def test_hashes_are_hex():
    assert function("zoho.encryption.md5", "password") == "5f4dcc3b5aa765d61d8327deb882cf99"
    assert function("zoho.encryption.sha1", "abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert function("zoho.encryption.sha256", "abc") == \
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert len(function("zoho.encryption.sha512", "abc")) == 128
    assert function("zoho.encryption.md5", "password", "base64") == "X03MO1qnZdYdgyfeuILPmQ=="
    with pytest.raises(DelugeRuntimeError, match="expects Text"):
        function("zoho.encryption.md5", None)


def test_user_system_variables():
    rt = Runtime(user="me@example.com")
    variables = REGISTRY.system_variables
    assert variables["zoho.loginuser"][1](rt) == "me@example.com"
    assert variables["zoho.loginuserid"][1](rt) == "me@example.com"
    assert variables["zoho.adminuserid"][1](rt) == "me@example.com"
    boss = Runtime(user="me@example.com", admin_user="boss@example.com")
    assert variables["zoho.adminuser"][1](boss) == "boss@example.com"
    assert variables["zoho.adminuserid"][1](boss) == "boss@example.com"


def test_text_to_hex_and_back():
    assert method("textToHex", "Zoho Creator") == "5a6f686f2043726561746f72"  # the textToHex page
    assert method("hexToText", "5a6f686f2043726561746f72") == "Zoho Creator"  # the hexToText page
    assert method("hexToText", method("textToHex", "caf\u00e9 \u20ac")) == "caf\u00e9 \u20ac"
    with pytest.raises(DelugeRuntimeError, match="not hexadecimal"):
        method("hexToText", "abc")
