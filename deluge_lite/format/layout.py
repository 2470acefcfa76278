"""The formatter's printer: the concrete view's tokens in, laid-out text out.

The style (README "Formatting"): tab indentation; block braces on their own lines; one
statement per line; spaces around binary operators, ``=`` and after commas; ``if(`` and
calls without a space before ``(``; bracketed tasks (invokeurl, sendmail, invokeapi) with
``[`` and ``]`` on their own lines, one ``key :value`` per line and the colons aligned.
Every comment is kept where it was (trailing a line or on its own line); a line break
that the user wrote inside an expression is kept (the continuation indented one tab),
at most one blank line is kept between lines; empty statements (``;;``) go.

Decisions are tables keyed by token kind and the rule the token sits in. The printer never
looks at the text of a token except to copy it, so it cannot change what a script means;
``format.verify`` proves it for every output anyway.
"""

from __future__ import annotations

import re

from ..concrete import STATEMENT_PARENTS, Comment, ConcreteView, Placed
from ..fieldclass import fieldclass

# Rules whose '[' ... ']' hold one `key: value` per line (the bracketed tasks).
TASK_BRACKET_PARENTS = frozenset({"invokeurl", "invokeapi", "sendmail_stmt", "creator_insert"})
# Rules whose '(' follows a word directly: `f(x)`, `if(x)`, `void f(int a)`, `List:String()`.
CALL_PAREN_PARENTS = frozenset({"call", "method_call", "if_stmt", "else_if", "if_expr", "function_def",
                                "typed_new", "pair_call", "pair_method_call"})
# Rules whose '[' follows a name directly: Creator's `Form[criteria]`, `delete from Form[...]`.
INDEX_BRACKET_PARENTS = frozenset({"creator_fetch", "creator_delete"})
# The first token of these rules starts a line, like a statement does.
LINE_RULES = frozenset({"task_param", "creator_field"})
# Tokens written with their inner whitespace normalised (the lexer allows any run of spaces).
_SQUEEZE = {"TYPED_NEW": "", "INSERT_INTO": " ", "DELETE_FROM": " ", "SORT_BY": " ", "RANGE_FROM": " ", "CANCEL_SUBMIT": " "}
_BINARY_KINDS = frozenset({"EQUAL", "COMP_OP", "MUL_OP", "AND_OP", "OR_OP", "COMPOUND_OP"})
# Token kinds after which the user's line break is not kept (the words of a statement's head).
_JOINED_AFTER = frozenset({"ELSE", "IF", "FOR", "IN", "INFO", "RETURN", "THROW", "CATCH", "SENDMAIL", "INVOKEURL",
                           "INVOKEAPI", "INSERT_INTO", "DELETE_FROM", "TRY"})
_JOINED_PARENTS = frozenset({"for_stmt", "function_def", "param", "qualified_name", "task_key", "try_stmt"})

# Roles: how a token binds to its neighbours.
NO_SPACE_BEFORE = frozenset({"comma", "semi", "close", "dot", "call_open", "index_open", "map_colon", "tight"})
NO_SPACE_AFTER = frozenset({"open", "call_open", "index_open", "dot", "prefix", "tight", "task_colon"})


def role(placed: Placed) -> str:
    """How a token binds: one of the roles above, or 'block_open'/'task_open'/... or 'word'."""
    kind, parent = placed.token.kind, placed.parent
    if kind == "LBRACE":
        return "block_open" if parent == "block" else "open"
    if kind == "RBRACE":
        return "block_close" if parent == "block" else "close"
    if kind == "LSQB":
        if parent in TASK_BRACKET_PARENTS:
            return "task_open"
        return "index_open" if parent in INDEX_BRACKET_PARENTS else "open"
    if kind == "RSQB":
        return "task_close" if parent in TASK_BRACKET_PARENTS else "close"
    if kind == "LPAR":
        return "call_open" if parent in CALL_PAREN_PARENTS else "open"
    return _SIMPLE_ROLES.get((kind, parent)) or _KIND_ROLES.get(kind) or (
        "binop" if kind in _BINARY_KINDS else "word")


_KIND_ROLES = {"RPAR": "close", "COMMA": "comma", "SEMICOLON": "semi", "DOT": "dot", "UNARY_OP": "prefix",
               "ADD_OP": "binop", "COLON": "tight", "MINUS": "tight"}
_SIMPLE_ROLES = {("ADD_OP", "unary"): "prefix", ("COLON", "map_item"): "map_colon",
                 ("COLON", "task_param"): "task_colon", ("COLON", "attachment"): "tight"}

ROLES = ("block_open", "block_close", "task_open", "task_close", "open", "close", "call_open", "index_open",
         "comma", "semi", "dot", "prefix", "binop", "map_colon", "task_colon", "tight", "word")


@fieldclass
class _Frame:
    """An open block, task bracket or inline bracket, for indentation."""

    structural: bool  # a block or task bracket: its content is one level deeper
    line: int  # the output line it was opened on
    cont: bool = False  # its content continues on further lines: one level deeper again


class _Printer:
    def __init__(self, view: ConcreteView) -> None:
        self.view = view
        self.lines: list[str] = []
        self.current: list[str] = []
        self.frames: list[_Frame] = [_Frame(True, 0)]
        self.line_no = 0
        self.break_next = False  # the next token or comment starts a line
        self.blank_allowed = False
        self.at_boundary = True  # the last token ended a statement or opened a block
        self.padding = _key_padding(view.tokens)

    # ---- output
    def indent(self) -> int:
        return sum(1 for frame in self.frames[1:] if frame.structural) + sum(1 for f in self.frames if f.cont)

    def write(self, text: str, space: bool) -> None:
        if not self.current:
            self.current.append("\t" * self.indent())
        elif space:
            self.current.append(" ")
        self.current.append(text)

    def newline(self, blank: bool = False) -> None:
        if self.current:
            self.lines.append("".join(self.current).rstrip(" \t"))
            if blank and self.blank_allowed:
                self.lines.append("")
            self.current = []
            self.line_no += 1
        self.break_next = False

    def continuation(self) -> None:
        """A line break inside a statement: indent what follows one level more."""
        opened_here = [frame for frame in self.frames if not frame.structural and frame.line == self.line_no]
        (opened_here[-1] if opened_here else self.frames[-1]).cont = True

    def end_statement(self) -> None:
        for frame in reversed(self.frames):
            if frame.structural:
                frame.cont = False
                break
        self.break_next = True

    # ---- comments
    def comment(self, comment: Comment) -> None:
        if comment.newlines_before > 0 or not self.current:
            if self.current and not self.break_next and not self.at_boundary:
                self.continuation()
            self.newline(blank=comment.newlines_before >= 2)
            self.write(comment.text, False)
        else:
            self.write(comment.text, True)
        self.blank_allowed = True
        if not comment.block or comment.newlines_after > 0:
            self.break_next = True

    # ---- tokens
    def run(self) -> str:
        tokens = self.view.tokens
        previous: Placed | None = None
        for index, placed in enumerate(tokens):
            for comment in placed.gap.comments:
                self.comment(comment)
            if placed.parent == "empty_stmt":
                continue
            self.token(index, placed, previous)
            previous = placed
        for comment in self.view.trailing.comments:
            self.comment(comment)
        self.newline()
        return "\n".join(self.lines)

    def token(self, index: int, placed: Placed, previous: Placed | None) -> None:
        kind = role(placed)
        boundary = (placed.statement_start or kind in ("block_open", "block_close", "task_open", "task_close")
                    or any(rule in LINE_RULES for rule in placed.first_of))
        if kind in ("block_close", "task_close") or (kind == "close" and not self.frames[-1].structural):
            self.frames.pop()
        gap = placed.gap
        newlines = gap.newlines_before_token if gap.comments else gap.newlines
        if previous is None or boundary or self.break_next:
            if boundary:
                for frame in reversed(self.frames):
                    if frame.structural:
                        frame.cont = False
                        break
            elif not self.at_boundary:
                self.continuation()
            blank = newlines >= 2 and kind not in ("block_close", "task_close")
            self.newline(blank)
            self.write(_text(placed), False)
        elif newlines > 0 and _keeps_break(previous, placed):  # previous is set from here on
            self.continuation()
            self.newline(newlines >= 2)
            self.write(_text(placed), False)
        else:
            space = _spaced(previous, placed)
            if kind == "task_colon":
                self.write(" " * self.padding.get(index, 0) + _text(placed), True)
            else:
                self.write(_text(placed), space)
        self.at_boundary = False
        self.blank_allowed = kind not in ("block_open", "task_open")
        if kind in ("block_open", "task_open"):
            self.frames.append(_Frame(True, self.line_no))
            self.break_next = True
            self.at_boundary = True
        elif kind in ("open", "call_open", "index_open"):
            self.frames.append(_Frame(False, self.line_no))
        elif kind == "block_close" or (kind == "semi" and placed.parent in STATEMENT_PARENTS):
            self.end_statement()
            self.at_boundary = True


def _text(placed: Placed) -> str:
    token = placed.token
    squeeze = _SQUEEZE.get(token.kind)
    if squeeze is not None:
        return re.sub(r"\s+", squeeze, token.text)
    return token.text


def _spaced(previous: Placed, current: Placed) -> bool:
    before, after = role(previous), role(current)
    if after in NO_SPACE_BEFORE:
        return False
    return before not in NO_SPACE_AFTER


def _keeps_break(previous: Placed, current: Placed) -> bool:
    """Whether a line break the user wrote between these tokens is kept."""
    if role(current) in ("comma", "semi", "task_colon") or role(previous) == "task_colon":
        return False
    if previous.token.kind in _JOINED_AFTER or current.parent in _JOINED_PARENTS:
        return False
    return previous.parent not in _JOINED_PARENTS


def _key_padding(tokens: list[Placed]) -> dict[int, int]:
    """For each task colon (by token index), the spaces that align it with the longest key."""
    padding: dict[int, int] = {}
    brackets: list[list[tuple[int, int]]] = []  # per open task bracket: (colon index, key length)
    key_length = 0
    for index, placed in enumerate(tokens):
        kind = role(placed)
        if kind == "task_open":
            brackets.append([])
        elif kind == "task_close" and brackets:
            params = brackets.pop()
            if params and placed.parent != "creator_insert":
                width = max(length for _, length in params)
                padding.update({colon: width - length for colon, length in params})
        elif placed.parent == "task_key":
            key_length += len(placed.token.text) + (1 if key_length and placed.token.kind == "NAME"
                                                   and tokens[index - 1].token.kind == "NAME" else 0)
        elif kind == "task_colon" and brackets:
            brackets[-1].append((index, key_length))
            key_length = 0
    return padding


def layout(view: ConcreteView) -> str:
    """The formatted text (lines joined with \\n, ending with one), before verification."""
    text = _Printer(view).run()
    return text + "\n" if text else ""
