"""The network side of Deluge: invokeurl, getUrl/postUrl and the zoho.* tasks.

`install(runtime)` wires a runtime: ``runtime.invokeurl_handler`` and one entry per catalog task
in ``runtime.tasks``. Modules: `client` (the only httpx import of this package), `http`
(one exchange: auth, limits, trace), `invokeurl`, `tasks` (the catalog dispatcher).
"""

from __future__ import annotations

from typing import Any

from ..builtins.registry import builtin
from . import invokeurl as _invokeurl
from . import tasks as _tasks
from .http import HttpCall


def install(runtime: Any) -> None:
    runtime.invokeurl_handler = _invokeurl.invoke_url
    _tasks.install(runtime.tasks)


@builtin("getUrl", on=None, args=(1, 3), runtime=True,
         doc="https://www.zoho.com/deluge/help/web-data/geturl.html")
def _get_url(rt: Any, url: Any, simple: Any = True, headers: Any = None) -> Any:
    return _invokeurl.get_url(rt, url, simple, headers)


@builtin("postUrl", on=None, args=(1, 4), runtime=True,
         doc="https://www.zoho.com/deluge/help/web-data/posturl.html")
def _post_url(rt: Any, url: Any, parameters: Any = None, headers: Any = None, simple: Any = True) -> Any:
    return _invokeurl.post_url(rt, url, parameters, headers, simple)


__all__ = ["HttpCall", "install"]
