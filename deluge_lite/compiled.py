"""What compiled Deluge looks like from outside: the `CompiledProgram` record and the Python names.

The compiler (``compiler.py``) makes these names and records; the executor, the program
cache, the debugger and the coverage plugin read them. This module imports nothing heavy
(no parser, no AST module at run time), so running a cached program never loads the
front end. Names: every Deluge variable is ``v_<lowercase name>``, every function
``f_<lowercase name>`` (or `qualified_function_name` when another function's short name
shadows it), every runtime helper starts with ``__``.
"""

from __future__ import annotations

import os

from .fieldclass import field, fieldclass
from .lazy_pattern import LazyPattern
from .source import Source, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from . import ast

CODE_FILENAME_PREFIX = "<deluge:"
DELUGE_SUFFIXES = (".dg", ".deluge")  # code from such a file on disk carries the file's own path
_SESSION_ENTRY = LazyPattern(r"#\d+$")
MAIN_NAME = "__main__"


def variable_name(name: str) -> str:
    """The Python local that holds a Deluge variable (names are case-insensitive: Decision)."""
    return "v_" + name.lower()


def function_name(name: str) -> str:
    """The Python name of a function called by its short name (``f_<lowercase name>``)."""
    return "f_" + name.lower()


def qualified_function_name(full_name: str) -> str:
    """The Python name of a function another one's short name shadows: ``f<len(category)>_<category>_<name>``.

    The category's length makes the mapping injective (``thisapp.x`` is ``f7_thisapp_x``,
    ``standalone.thisapp__x`` is ``f10_standalone_thisapp__x``), and a digit after the ``f``
    keeps it apart from every short-name ``f_...``.
    """
    category, _, name = full_name.lower().rpartition(".")
    return f"f{len(category)}_{category}_{name}"


@fieldclass
class CompiledProgram:
    """A compiled script: its code object plus what the executor must bind before running it."""

    code: Any
    source: Source
    program: ast.Program
    method_callers: set[tuple[str, int, bool]] = field(default_factory=set)
    function_callers: set[tuple[str, int, bool]] = field(default_factory=set)
    task_callers: set[tuple[str, int]] = field(default_factory=set)
    constants: dict[str, Any] = field(default_factory=dict)
    function_names: dict[str, str] = field(default_factory=dict)  # python name -> Deluge name
    function_params: dict[str, list[ast.Param]] = field(default_factory=dict)  # lower name -> params
    function_spans: dict[str, Span] = field(default_factory=dict)  # python name -> definition span
    bulk: bool = False  # statements counted in bulk (compiler_ticks): the executor binds __steps
    # (name, argc, statement, receiver type name): method calls on a receiver of known type (compiler_methods)
    typed_callers: set[tuple[str, int, bool, str]] = field(default_factory=set)


def code_filename(name: str) -> str:
    """The file name compiled code carries, by which the executor finds the source of a frame.

    Code from a Deluge file on disk carries the file's absolute path, so tools that follow
    Python's line events by file name (coverage.py through `deluge_lite.testing.coverage_plugin`)
    see the lines of that file; any other code carries ``<deluge:NAME>``.
    """
    path = _SESSION_ENTRY.sub("", name)  # a session numbers its entries: NAME#N
    if path.endswith(DELUGE_SUFFIXES) and os.path.isfile(path):
        return os.path.abspath(path)
    return f"{CODE_FILENAME_PREFIX}{name}>"


def is_deluge_code(filename: str) -> bool:
    """Whether a code object's file name is one `code_filename` gives (compiled Deluge, not Python)."""
    return filename.startswith(CODE_FILENAME_PREFIX) or filename.endswith(DELUGE_SUFFIXES)


def input_name(name: str) -> str:
    return "__input_" + name.lower()


def method_caller_name(name: str, argc: int, statement: bool) -> str:
    return f"__m{'s' if statement else ''}_{name.lower()}_{argc}"


def typed_caller_name(name: str, argc: int, statement: bool, kind: str) -> str:
    """The one implementation of a method for receivers of type ``kind`` (``str``, ``list``, ...)."""
    return f"{method_caller_name(name, argc, statement)}__{kind}"


def function_caller_name(name: str, argc: int, statement: bool) -> str:
    return f"__fn{'s' if statement else ''}_{name.lower()}_{argc}"


def task_caller_name(path: str, argc: int) -> str:
    return f"__task_{path.lower().replace('.', '__')}_{argc}"
