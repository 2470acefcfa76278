"""Regular expressions compiled on first use, so that importing a module does not import ``re``.

``re`` with ``enum`` and the pattern compiler is about a tenth of a cached run's start-up, and a
run that never matches text never needs it. A `LazyPattern` stands where a module would hold
``re.compile(source)``: the first method read compiles the pattern and keeps its methods on the
instance, so later reads find them directly and cost what the compiled pattern's do.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """``re.compile(source, flags)``, done the first time one of its methods is read."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags

    def __getattr__(self, name: str) -> Any:  # only for names not yet set on the instance
        if name not in _METHODS and name not in ("pattern", "groups", "groupindex"):
            raise AttributeError(name)
        import re

        compiled = re.compile(self.source, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.pattern, self.groups, self.groupindex = compiled.pattern, compiled.groups, compiled.groupindex
        return getattr(self, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.source!r})"
