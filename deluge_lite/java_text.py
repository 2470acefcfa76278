"""Facts about Java's text handling that Deluge inherits, shared by the text built-ins and the compiler.

What ``trim`` removes (Java's ``String.trim``: the space and every control character up to
U+0020), which characters are regular-expression syntax in a Java pattern, and when a
``replaceAll`` is a plain text replacement. ``builtins/text.py`` implements the built-ins
with these; ``compiler_methods.py`` compiles a call inline when they show the plain Python
operation gives exactly the built-in's result. Nothing here runs a script.
"""

from __future__ import annotations

from .lazy_pattern import LazyPattern

TRIM_CHARACTERS = "".join(chr(code) for code in range(33))  # what Java's trim removes: space and controls
REGEX_SYNTAX = LazyPattern(r"[\\^$.|?*+()\[\]{}]")  # Java regex metacharacters


def plain_replacement(search: str, replacement: str) -> bool:
    """Whether a regex replacement is a plain text replacement: a non-empty search without regex
    syntax matches only itself, and a replacement without ``$`` or ``\\`` is itself."""
    return (bool(search) and not REGEX_SYNTAX.search(search)
            and "$" not in replacement and "\\" not in replacement)
