"""Which kind an empty ``collection()`` becomes: index-value (a List) or key-value (a Map).

Zoho's Collection (https://www.zoho.com/deluge/help/functions/collection.html) is one of the
two, fixed by how it is created or first filled: ``collection("a", "b")`` holds elements,
``collection("a": 1)`` pairs, and an empty ``collection()`` takes the kind of what goes in
first. deluge-lite keeps a collection as a plain List or Map value (the run's fast paths test
``type(x) is list/dict``), so the kind of an empty one is decided when the file is built:
the builder reports each ``x = collection()`` and each method called on ``x``; a variable
filled only with elements (``x.insert(e)``, ``x.add(e)``, ``x.insertAll({e, ...})``) makes
its empty collections Lists, anything key-value (``x.insert(k: v)``, ``put``, ``keys``...)
or no evidence leaves them Maps.

*Decision:* the evidence is per variable name within one file (a REPL entry is its own
file); a collection only filled elsewhere (in another function) stays a Map.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:  # (the built-ins read PAIR_INSERT at start-up; the syntax tree loads with the builder)
    from . import ast

# The method a ``c.insert(key: value, ...)`` call becomes: its one argument is a Map of the pairs,
# so that a List's ``insert({"a": 1})`` (one Map element) stays distinct from it. The name is not
# a word a script can write, so only the pairs form reaches it.
PAIR_INSERT = "insert:pairs"
# Method names (lower case) whose use on a variable says its collection holds elements.
ELEMENT_METHODS = frozenset({"add", "addall", "insert", "indexof", "contains", "sublist", "removeelement"})
# ... and those that say it holds key-value pairs.
PAIR_METHODS = frozenset({PAIR_INSERT.lower(), "put", "putall", "containskey", "containkey", "sortkey",
                          "getkey", "remove", "removekey", "tomap"})


class EmptyCollections:
    """What the builder saw of empty ``collection()`` assignments and their variables' methods."""

    def __init__(self) -> None:
        self.created: dict[str, list[ast.Call]] = {}
        self.element_evidence: set[str] = set()
        self.pair_evidence: set[str] = set()

    def assigned(self, target: str, value: ast.Node) -> None:
        from . import ast

        if isinstance(value, ast.Call) and value.name.lower() == "collection" and not value.args:
            self.created.setdefault(target.lower(), []).append(value)

    def method(self, receiver: ast.Node, name: str, args: tuple[ast.Node, ...]) -> None:
        from . import ast

        if not isinstance(receiver, ast.Name):
            return
        variable, method = receiver.name.lower(), name.lower()
        if method == "insertall" and len(args) == 1:
            (self.pair_evidence if isinstance(args[0], ast.MapLiteral) else self.element_evidence).add(variable)
        elif method in PAIR_METHODS:
            self.pair_evidence.add(variable)
        elif method in ELEMENT_METHODS:
            self.element_evidence.add(variable)

    def decide(self) -> None:
        """Turns the empty collections of element-only variables into ``List()`` calls.

        The Call nodes are the builder's own, not yet seen by anyone else, so they are
        changed in place rather than rebuilding the tree around them.
        """
        for variable, calls in self.created.items():
            if variable in self.element_evidence and variable not in self.pair_evidence:
                for call in calls:
                    object.__setattr__(call, "name", "List")
