"""The network side of Deluge: invokeurl, getUrl/postUrl and the zoho.* tasks.

`install(runtime)` wires a runtime: ``runtime.invokeurl_handler`` and one entry per catalog task
in ``runtime.tasks``. Modules: `client` (the only httpx import of this package), `http`
(one exchange: auth, limits, trace), `invokeurl`, `tasks` (the catalog dispatcher).

Importing this package loads neither httpx nor the HTTP layer: they are imported by the
first request (`invokeurl`, ``getUrl``/``postUrl``, a task), so a script that never calls
out, and the static check of any script, start without them.
"""

from __future__ import annotations

from ..builtins.registry import builtin
from . import tasks as _tasks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .http import HttpCall


def install(runtime: Any) -> None:
    runtime.invokeurl_handler = _invoke_url
    _tasks.install(runtime.tasks)


def _invoke_url(rt: Any, params: dict[str, Any]) -> Any:
    from .invokeurl import invoke_url

    return invoke_url(rt, params)


def __getattr__(name: str) -> Any:
    if name == "HttpCall":  # PEP 562: the HTTP layer loads on first use
        from .http import HttpCall

        return HttpCall
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@builtin("getUrl", on=None, args=(1, 3), runtime=True,
         doc="https://www.zoho.com/deluge/help/web-data/geturl.html")
def _get_url(rt: Any, url: Any, simple: Any = True, headers: Any = None) -> Any:
    from .invokeurl import get_url

    return get_url(rt, url, simple, headers)


@builtin("postUrl", on=None, args=(1, 4), runtime=True,
         doc="https://www.zoho.com/deluge/help/web-data/posturl.html")
def _post_url(rt: Any, url: Any, parameters: Any = None, headers: Any = None, simple: Any = True) -> Any:
    from .invokeurl import post_url

    return post_url(rt, url, parameters, headers, simple)


__all__ = ["HttpCall", "install"]
