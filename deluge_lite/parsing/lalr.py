"""The LALR driver and the tree each rule builds, read from the committed tables.

Each token is looked up in the action table of the state on top of the stack: a shift pushes
the state and the token; a reduce pops the rule's symbols, shapes them into the rule's tree and
pushes the goto state, until the token is shifted. At the end of the input ``$END`` (placed at
the last token) reduces until the start rule is done.

The tree of a rule (lark's shaping, with ``maybe_placeholders`` off): anonymous punctuation is
dropped unless ``keep_all_tokens``, the children of a ``_rule`` are inlined into its parent, a
``?rule`` without alias that keeps one child is that child, an alias names the tree. Positions
(``Meta``) start at the first child that covers text and end at the last, counting the dropped and
inlined ones (their ``container_*`` span); a ``?rule``'s child keeps its own span.
"""

from __future__ import annotations

from .failure import BadToken
from .lexer import Lexer, LexTables, root_tokens
from .tree import Meta, Token, Tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# (origin, length, tree name, is a `?rule` without alias, [(child index, inlined), ...] or None)
Rule = tuple[str, int, str, bool, "tuple[tuple[int, bool], ...] | None"]


class TableParser:
    """The parser of one set of tables; ``parse`` may be called for any number of texts."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self.lex = LexTables(tables)
        self._actions: list[dict[str, int]] = [state["actions"] for state in tables["states"]]
        self._scanner_of = [self.lex.scanners[state["scanner"]] for state in tables["states"]]
        self._start, self._end = tables["start_state"], tables["end_state"]
        self._rules = [_rule(entry, entry[4]) for entry in tables["rules"]]
        self._rules_keeping = [_rule(entry, entry[5]) for entry in tables["rules"]]

    def tokens(self, text: str, kinds: frozenset[str] | None = None) -> Any:
        """The text's tokens by the root scanner (no parser state), up to a bad character;
        only those of ``kinds`` when given."""
        return root_tokens(self.lex, text, kinds)

    def parse(self, text: str, keep_all_tokens: bool = False) -> Tree:
        """The text's tree, or BadCharacter / BadToken."""
        rules = self._rules_keeping if keep_all_tokens else self._rules
        actions, scanner_of = self._actions, self._scanner_of
        lexer = Lexer(self.lex, text)
        states: list[int] = [self._start]
        values: list[Any] = []
        last: Token | None = None
        while (token := lexer.next(scanner_of[states[-1]])) is not None:
            last = token
            kind = token.type
            while True:
                table = actions[states[-1]]
                action = table.get(kind)
                if action is None:
                    raise BadToken(token, _expected(table))
                if action >= 0:
                    states.append(action)
                    values.append(token)
                    break
                _reduce(rules[-1 - action], states, values, actions)
        end = Token("$END", "", 0, 1, 1) if last is None else Token(
            "$END", "", last.start_pos, last.line, last.column, last.end_line, last.end_column, last.end_pos)
        while True:
            table = actions[states[-1]]
            action = table.get("$END")
            if action is None or action >= 0:
                raise BadToken(end, _expected(table))
            _reduce(rules[-1 - action], states, values, actions)
            if states[-1] == self._end:
                return values[-1]  # type: ignore[no-any-return]


def _rule(entry: list[Any], shape: list[list[int]] | None) -> Rule:
    origin, size, name, single_child = entry[0], entry[1], entry[2], entry[3]
    kept = None if shape is None else tuple((index, bool(inlined)) for index, inlined in shape)
    return origin, size, name, single_child, kept


def _expected(table: dict[str, int]) -> set[str]:
    return {symbol for symbol in table if symbol.isupper()}


def _reduce(rule: Rule, states: list[int], values: list[Any], actions: list[dict[str, int]]) -> None:
    origin, size, name, single_child, shape = rule
    if size:
        children = values[-size:]
        del values[-size:]
        del states[-size:]
    else:
        children = []
    if shape is None:
        kept = children
    else:
        kept = []
        for index, inlined in shape:
            if inlined:
                kept.extend(children[index].children)
            else:
                kept.append(children[index])
    result = kept[0] if single_child and len(kept) == 1 else Tree(name, kept, Meta())
    if type(result) is Tree:
        _place(result.meta, children)
    values.append(result)
    states.append(actions[states[-1]][origin])


def _place(meta: Meta, children: list[Any]) -> None:
    """Set a tree's span (if it has none yet) and its container span from its children as matched."""
    for child in children:
        if type(child) is Tree:
            first = child.meta
            if first.empty:
                continue
            line, column, start = first.container_line, first.container_column, first.container_start_pos
        else:
            line, column, start = child.line, child.column, child.start_pos
        break
    else:
        return
    for child in reversed(children):
        if type(child) is Tree:
            last = child.meta
            if last.empty:
                continue
            end_line, end_column, end = last.container_end_line, last.container_end_column, last.container_end_pos
        else:
            end_line, end_column, end = child.end_line, child.end_column, child.end_pos
        break
    if meta.empty:
        meta.empty = False
        meta.line, meta.column, meta.start_pos = line, column, start
        meta.end_line, meta.end_column, meta.end_pos = end_line, end_column, end
    meta.container_line, meta.container_column, meta.container_start_pos = line, column, start
    meta.container_end_line, meta.container_end_column, meta.container_end_pos = end_line, end_column, end
