"""Owns the cache of compiled programs: a repeated run skips lark, parsing, checking and compiling.

An entry is one `marshal` blob: the compiled programs (code objects plus what the executor
binds: caller tables, constants, function names) and a small record the caller adds
(warnings to print again, the limits). The key is a SHA-256 of everything the compiled
code depends on: the caller's parts (source texts, file names, options, limits) plus
`fingerprint()` (deluge-lite's version, the Python version and bytecode tag, and the size
and modification time of every module and the grammar, so an edited compiler never
meets code compiled by the old one).

Entries live only in the per-user private cache (`private_cache`: a 0700 folder owned by
the user, files 0600, owner, mode and symlinks checked before a read): a marshal blob is
code, and nothing here ever reads one another user could have written. Setting
``DELUGE_LITE_NO_CACHE=1`` turns the cache off. A value marshal cannot hold (a constant of
a type other than the basic ones and dates) makes an entry uncacheable; any unreadable or
mismatched entry is a miss. Nothing here parses or compiles.
"""

from __future__ import annotations

import datetime as _dt
import functools
import marshal
import os
import sys
from collections.abc import Iterable

from . import private_cache
from .compiled import CompiledProgram
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:  # CPython's own SHA-256 (_sha256 in 3.11, _sha2 later): hashlib first loads OpenSSL, a share of start-up
    from _sha256 import sha256
except ImportError:  # pragma: no cover (other Pythons)
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

FORMAT = 2
NO_CACHE_ENV = "DELUGE_LITE_NO_CACHE"
MAX_ENTRIES = 256
_PACKAGE = os.path.dirname(os.path.realpath(__file__))
_BASIC = (str, int, float, bool, type(None))
# the Python types compiled code may hold as constants (type tests), by name
_TYPES: dict[str, type] = {kind.__qualname__: kind for kind in (str, int, float, bool, type(None), list, dict,
                                                              _dt.date, _dt.datetime)}


class Uncacheable(Exception):
    """A compiled program holds a value the cache cannot store; it is simply not cached."""


def enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


@functools.cache
def fingerprint() -> str:
    """deluge-lite's version, Python's, and the size and mtime of every module and grammar file.

    Worked out once per process (the built-in catalog and the run's key both need it): a
    process runs the code it loaded, whatever is edited while it runs."""
    from . import __version__

    parts = [__version__, sys.version, sys.implementation.cache_tag or ""]
    folders = [_PACKAGE, *(entry.path for entry in os.scandir(_PACKAGE)
                           if entry.is_dir() and not entry.name.startswith("_"))]
    grammar = os.path.join(os.path.dirname(_PACKAGE), "grammar")
    for folder in [*folders, grammar if os.path.isdir(grammar) else os.path.join(_PACKAGE, "_data", "grammar")]:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".py", ".lark")):
                info = entry.stat()
                parts.append(f"{os.path.basename(folder)}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def key(parts: Iterable[str]) -> str:
    digest = sha256(fingerprint().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def text_digest(text: str) -> str:
    return sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---- values marshal cannot hold: dates, tagged
def _encode_constant(value: Any) -> Any:
    if type(value) in _BASIC:
        return ("v", value)
    if type(value) is _dt.datetime and value.tzinfo is None:
        return ("datetime", value.isoformat())
    if type(value) is _dt.date:
        return ("date", value.isoformat())
    if type(value) is tuple:
        return ("tuple", [_encode_constant(item) for item in value])
    if type(value) is type and value in _TYPES.values():
        return ("type", value.__qualname__)
    raise Uncacheable(type(value).__name__)


def _decode_constant(tagged: tuple[str, Any]) -> Any:
    kind, value = tagged
    if kind == "datetime":
        return _dt.datetime.fromisoformat(value)
    if kind == "date":
        return _dt.date.fromisoformat(value)
    if kind == "tuple":
        return tuple(_decode_constant(item) for item in value)
    if kind == "type":
        return _TYPES[value]
    return value


def _span(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.col, span.end_line, span.end_col)


def encode_program(compiled: CompiledProgram) -> dict[str, Any]:
    return {
        "code": compiled.code,
        "source": (compiled.source.text, compiled.source.name),
        "method_callers": sorted(compiled.method_callers),
        "function_callers": sorted(compiled.function_callers),
        "task_callers": sorted(compiled.task_callers),
        "constants": {name: _encode_constant(value) for name, value in compiled.constants.items()},
        "function_names": dict(compiled.function_names),
        "function_spans": {name: _span(span) for name, span in compiled.function_spans.items()},
        "bulk": compiled.bulk,
        "typed_callers": sorted(compiled.typed_callers),
    }


def decode_program(data: dict[str, Any]) -> CompiledProgram:
    """A `CompiledProgram` without its syntax tree (``program`` is None: running needs only the code)."""
    text, name = data["source"]
    return CompiledProgram(
        code=data["code"], source=Source(text, name), program=None,  # type: ignore[arg-type]
        method_callers={tuple(item) for item in data["method_callers"]},  # type: ignore[misc]
        function_callers={tuple(item) for item in data["function_callers"]},  # type: ignore[misc]
        task_callers={tuple(item) for item in data["task_callers"]},  # type: ignore[misc]
        constants={name: _decode_constant(value) for name, value in data["constants"].items()},
        function_names=dict(data["function_names"]),
        function_spans={name: Span(*span) for name, span in data["function_spans"].items()},
        bulk=bool(data["bulk"]),
        typed_callers={tuple(item) for item in data.get("typed_callers", ())},  # type: ignore[misc]
    )


def store(cache_key: str, programs: list[CompiledProgram], record: dict[str, Any],
          env: dict[str, str] | None = None) -> bool:
    """Save programs and a marshal-able record under the key; False when not cacheable or no safe place."""
    if not enabled():
        return False
    try:
        blob = marshal.dumps({"format": FORMAT, "python": sys.version, "key": cache_key,
                              "programs": [encode_program(program) for program in programs], "record": record})
    except (Uncacheable, ValueError):
        return False
    stored = private_cache.store(_file_name(cache_key), lambda handle: handle.write(blob), env)
    if stored:
        _prune(env)
    return stored


def _prune(env: dict[str, str] | None) -> None:
    """Keep the newest `MAX_ENTRIES` programs: a cache of every script ever run must not grow forever."""
    folder = private_cache.cache_dir(env)
    if folder is None:
        return
    dated = []
    for entry in os.scandir(folder):
        if not (entry.name.startswith("program-") and entry.name.endswith(".marshal")):
            continue
        try:  # another run may prune the same folder at the same time: a file gone is simply gone
            dated.append((entry.stat().st_mtime_ns, entry.path))
        except OSError:
            continue
    for _mtime, stale in sorted(dated)[:-MAX_ENTRIES]:
        try:
            os.unlink(stale)
        except OSError:
            pass


def load(cache_key: str, env: dict[str, str] | None = None) -> tuple[list[CompiledProgram], dict[str, Any]] | None:
    """The programs and record stored under the key, or None (a miss, unsafe file or stale entry)."""
    if not enabled():
        return None
    data = private_cache.load(_file_name(cache_key), lambda handle: marshal.loads(handle.read()), env)
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("python") != sys.version \
            or data.get("key") != cache_key:
        return None
    try:
        return [decode_program(item) for item in data["programs"]], data["record"]
    except (KeyError, TypeError, ValueError):
        return None


def _file_name(cache_key: str) -> str:
    return f"program-{cache_key[:40]}.marshal"
