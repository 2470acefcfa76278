"""AES built-ins: ``zoho.encryption.aesEncode`` and ``zoho.encryption.aesDecode``.

The pages (https://www.zoho.com/deluge/help/functions/encryption/aesencode.html,
https://www.zoho.com/deluge/help/functions/encryption/aesdecode.html) say AES with 256 bits,
an optional 16-character IV, base64 text out. Their sample ciphertexts fix the rest, and
decrypt with exactly this scheme: the key's UTF-8 bytes padded with zero bytes to 32 (AES-256),
CBC mode, PKCS#7 padding; with an IV the result is the base64 of the ciphertext, without one
a random 16-byte IV is generated and put in front of the ciphertext (so each run differs,
and aesDecode reads the IV back from there).

*Decisions:* a key longer than 32 bytes, an IV that is not 16 bytes, text that is not base64,
or a wrong key (bad padding) is a Deluge error that never shows the key. The crypto is the
``cryptography`` package. Hashes and encodings are ``encoding.py``.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from ..errors import DelugeRuntimeError
from .core import text_arg
from .registry import builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PAGE = "https://www.zoho.com/deluge/help/functions/encryption"
_ENCODE, _DECODE = "zoho.encryption.aesEncode", "zoho.encryption.aesDecode"


def _key(function: str, key: Any) -> bytes:
    raw = text_arg(function, 1, key).encode("utf-8")
    if not raw or len(raw) > 32:
        raise DelugeRuntimeError(f"{function}() needs a key of 1 to 32 bytes, got {len(raw)}")
    return raw.ljust(32, b"\0")


def _iv(function: str, iv: Any) -> bytes | None:
    if iv is None:
        return None
    raw = text_arg(function, 3, iv).encode("utf-8")
    if len(raw) != 16:
        raise DelugeRuntimeError(f"{function}() needs an IV of 16 characters, got {len(raw)}")
    return raw


@builtin(_ENCODE, on=None, args=(2, 3), doc=f"{_PAGE}/aesencode.html")
def aes_encode(key: Any, text: Any, iv: Any = None) -> str:
    """The text encrypted with AES-256-CBC under the key, as base64 (see the module docstring)."""
    from cryptography.hazmat.primitives import padding  # loaded on first use, not with the built-ins
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    secret = _key(_ENCODE, key)
    given_iv = _iv(_ENCODE, iv)
    vector = given_iv if given_iv is not None else secrets.token_bytes(16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(text_arg(_ENCODE, 2, text).encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(vector)).encryptor()
    sealed = encryptor.update(plain) + encryptor.finalize()
    return base64.b64encode(sealed if given_iv is not None else vector + sealed).decode("ascii")


@builtin(_DECODE, on=None, args=(2, 3), doc=f"{_PAGE}/aesdecode.html")
def aes_decode(key: Any, encrypted: Any, iv: Any = None) -> str:
    """The original text of an ``aesEncode`` result, given the same key (and IV, if one was used)."""
    from cryptography.hazmat.primitives import padding  # loaded on first use, not with the built-ins
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    secret = _key(_DECODE, key)
    given_iv = _iv(_DECODE, iv)
    try:
        sealed = base64.b64decode(text_arg(_DECODE, 2, encrypted).strip(), validate=True)
    except (binascii.Error, ValueError):
        raise DelugeRuntimeError(f"{_DECODE}() needs base64 text made by aesEncode") from None
    if given_iv is None:
        given_iv, sealed = sealed[:16], sealed[16:]
    if not sealed or len(sealed) % 16:
        raise DelugeRuntimeError(f"{_DECODE}() got text that is not an aesEncode result")
    decryptor = Cipher(algorithms.AES(secret), modes.CBC(given_iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plain = unpadder.update(decryptor.update(sealed) + decryptor.finalize()) + unpadder.finalize()
        return plain.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise DelugeRuntimeError(f"{_DECODE}() cannot decrypt the text with this key and IV") from None
