"""Deluge values as a debugger shows them: ``info`` format, secrets masked, Maps and Lists expandable.

`shown(value, redact)` is the one-line text (cut at ``LIMIT`` characters), `children(value)`
the entries a Map or List expands into (``key`` / ``[index]``), `kind(value)` the Deluge
type name. The redactor (`secret_aware`) is the runtime's (the connections' secrets become
``****``) after URL masking (secret-looking query values, userinfo).
"""

from __future__ import annotations

from collections.abc import Callable

from .. import values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LIMIT = 1000


def shown(value: Any, redact: Callable[[str], str], limit: int = LIMIT) -> str:
    text = redact(values.to_text(value))
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


def kind(value: Any) -> str:
    return values.type_name(value)


def expandable(value: Any) -> bool:
    return type(value) in (dict, list) and len(value) > 0


def children(value: Any) -> list[tuple[str, Any]]:
    if type(value) is dict:
        return [(str(key), item) for key, item in value.items()]
    if type(value) is list:
        return [(f"[{index}]", item) for index, item in enumerate(value)]
    return []


def secret_aware(runtime: Any) -> Callable[[str], str]:
    """The runtime's redactor, with the connection registry loaded so that its secrets are known, after
    the secret-looking query values and userinfo of every URL in the text (source lines show URLs too)."""
    from ..connections.redact import mask_urls_in

    try:
        runtime.connection_registry()
    except Exception:  # a broken config shows up when the script uses it; masking falls back to what is known
        pass
    return lambda text: mask_urls_in(text, runtime.redact)


__all__ = ["LIMIT", "children", "expandable", "kind", "secret_aware", "shown"]
