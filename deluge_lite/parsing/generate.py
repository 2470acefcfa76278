"""Computes the parse tables from ``grammar/deluge.lark`` with lark, and writes them as JSON data.

Run ``python -m deluge_lite.parsing.generate`` after changing the grammar (``--check`` only says
whether the committed file is current). This is the only module of the table-driven parser that
imports lark; the runtime (``lexer``, ``lalr``) reads what it writes:

- ``terminals``: every terminal in lark's lexing order (priority, then longest possible match,
  then the longer literal, then the name), with its regular expression and whether it may span
  lines (lark counts lines only in those);
- ``scanners``: for each set of terminals a parser state accepts (plus the ignored ones), the
  terminals tried in order, those a regular expression terminal absorbs ("unless": a literal the
  regex matches whole is lexed by the regex and then renamed), and the names an error reports;
- ``states``: per LALR state, its scanner and its actions (shift to state ``n`` is ``n``, reduce
  by rule ``r`` is ``-1 - r``; a nonterminal's entry is the goto), states renumbered breadth-first
  from the start so that the file is the same whatever order lark built them in;
- ``rules``: what the tree builder keeps of each rule, with and without keep_all_tokens.

The file carries the sha256 of the grammar text it was made from (see ``tables.current``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys

from lark import Lark

from .tables import FORMAT, LARK_OPTIONS, TABLES_PATH, grammar_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Shape = list[list[int]] | None  # [[child index, inlined 0/1], ...], None: every child kept as it is


def build_tables(grammar_text: str) -> dict[str, Any]:
    """All the runtime needs, computed from the grammar text with the installed lark."""
    plain = Lark(grammar_text, **LARK_OPTIONS)
    keeping = Lark(grammar_text, **LARK_OPTIONS, keep_all_tokens=True)
    table = _parse_table(plain)
    numbering = _canonical_numbering(table.states, table.start_states["start"])
    keeping_table = _parse_table(keeping)
    keeping_numbering = _canonical_numbering(keeping_table.states, keeping_table.start_states["start"])
    if _canonical_actions(keeping, keeping_numbering) != _canonical_actions(plain, numbering):
        raise RuntimeError("keep_all_tokens changed the LALR tables: one table set cannot serve both views")
    terminals = _ordered(plain.terminals)
    by_name = {terminal.name: terminal for terminal in terminals}
    ignore = sorted(plain.ignore_tokens)
    flags = plain.lexer_conf.g_regex_flags
    root = _scanner([t.name for t in terminals], by_name, ignore, flags)
    _check_against_lark(plain, terminals, root)
    scanners: list[dict[str, Any]] = []
    scanner_of: dict[tuple[str, ...], int] = {}
    states: list[dict[str, Any]] = []
    actions = _canonical_actions(plain, numbering)
    for lark_state in sorted(numbering, key=numbering.__getitem__):
        accepted = sorted({name for name in table.states[lark_state] if name in by_name} | set(ignore))
        key = tuple(accepted)
        if key not in scanner_of:
            scanner_of[key] = len(scanners)
            scanners.append(_scanner(accepted, by_name, ignore, flags))
        states.append({"scanner": scanner_of[key], "actions": actions[numbering[lark_state]]})
    return {
        "format": FORMAT,
        "grammar_sha256": hashlib.sha256(grammar_text.encode("utf-8")).hexdigest(),
        "options": LARK_OPTIONS,
        "regex_flags": flags,
        "terminals": [{"name": t.name, "regex": t.pattern.to_regexp(), "priority": t.priority,
                       "literal": t.pattern.type == "str", "newline": _may_span_lines(t.pattern.to_regexp())}
                      for t in terminals],
        "ignore": ignore,
        "root_scanner": root,
        "scanners": scanners,
        "start_state": numbering[table.start_states["start"]],
        "end_state": numbering[table.end_states["start"]],
        "states": states,
        "rules": [_rule(rule, keeping_rule) for rule, keeping_rule in zip(plain.rules, keeping.rules, strict=True)],
    }


def _parse_table(parser: Lark) -> Any:
    """Lark's LALR table (states of symbol -> (Shift, state) or (Reduce, rule), start and end states)."""
    return parser.parser.parser.parser.parse_table


def _canonical_numbering(states: dict[int, dict[str, tuple[Any, Any]]], start: int) -> dict[int, int]:
    """Lark's state ids -> ids in breadth-first order from the start, following symbols by name."""
    order, seen = [start], {start: 0}
    for state in order:
        for _symbol, (action, target) in sorted(states[state].items(), key=lambda item: item[0]):
            if action.name == "Shift" and target not in seen:
                seen[target] = len(order)
                order.append(target)
    return seen


def _canonical_actions(parser: Lark, numbering: dict[int, int]) -> list[dict[str, int]]:
    table = _parse_table(parser)
    rule_index = {id(rule): index for index, rule in enumerate(parser.rules)}
    actions: list[dict[str, int]] = [{} for _ in numbering]
    for lark_state, entries in table.states.items():
        actions[numbering[lark_state]] = {
            symbol: numbering[target] if action.name == "Shift" else -1 - rule_index[id(target)]
            for symbol, (action, target) in sorted(entries.items())}
    return actions


def _ordered(terminals: list[Any]) -> list[Any]:
    """Lark's lexing order: higher priority first, then the longer possible match, the longer literal, the name."""
    return sorted(terminals, key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))


def _may_span_lines(regex: str) -> bool:
    """Whether lark counts line breaks in a token of this terminal (its test, on the pattern text)."""
    return any(mark in regex for mark in ("\n", "\\n", "\\s", "[^")) or ("(?s" in regex and "." in regex)


def _scanner(names: list[str], by_name: dict[str, Any], ignore: list[str], flags: int) -> dict[str, Any]:
    """One scanner: its terminals in lark's order, minus literals a regex terminal lexes for them."""
    ordered = _ordered([by_name[name] for name in names])
    literals = [t for t in ordered if t.pattern.type == "str"]
    absorbed: set[str] = set()
    unless: dict[str, list[str]] = {}
    for regex_terminal in (t for t in ordered if t.pattern.type == "re"):
        for literal in literals:
            if literal.priority != regex_terminal.priority:
                continue
            found = re.match(regex_terminal.pattern.to_regexp(), literal.pattern.value, flags)
            if found is not None and found.group(0) == literal.pattern.value:
                unless.setdefault(regex_terminal.name, []).append(literal.name)
                if literal.pattern.flags <= regex_terminal.pattern.flags:
                    absorbed.add(literal.name)
    tried = [t.name for t in ordered if t.name not in absorbed]
    return {"terminals": tried, "unless": unless,
            "allowed": sorted(set(tried) - set(ignore)) or ["<END-OF-FILE>"]}


def _check_against_lark(parser: Lark, terminals: list[Any], root: dict[str, Any]) -> None:
    """Refuse to write tables if this lark orders or counts terminals otherwise than computed here."""
    lexer = parser.parser.lexer.root_lexer
    if [t.name for t in lexer.terminals] != [t.name for t in terminals]:
        raise RuntimeError("lark orders the terminals differently from generate._ordered")
    if set(lexer.newline_types) != {t.name for t in terminals if _may_span_lines(t.pattern.to_regexp())}:
        raise RuntimeError("lark counts lines in other terminals than generate._may_span_lines says")
    if sorted(lexer.scanner.allowed_types) != sorted(root["terminals"]):
        raise RuntimeError("lark's scanner keeps other terminals than generate._scanner")


def _shape(rule: Any, keep_all_tokens: bool) -> Shape:
    """Which children of a match the tree keeps: filtered punctuation is dropped, ``_rule`` children inlined."""
    kept = [[index, int(not symbol.is_term and symbol.name.startswith("_"))]
            for index, symbol in enumerate(rule.expansion)
            if keep_all_tokens or not (symbol.is_term and symbol.filter_out)]
    if len(kept) == len(rule.expansion) and not any(inline for _, inline in kept):
        return None
    return kept


def _rule(rule: Any, keeping_rule: Any) -> list[Any]:
    """[origin, length, tree name, `?rule` without alias, shape, shape with keep_all_tokens]."""
    if (rule.origin.name, [s.name for s in rule.expansion]) != (keeping_rule.origin.name,
                                                                [s.name for s in keeping_rule.expansion]):
        raise RuntimeError("keep_all_tokens changed the rules")
    name = rule.alias or rule.options.template_source or rule.origin.name
    return [str(rule.origin.name), len(rule.expansion), str(name), bool(rule.options.expand1 and not rule.alias),
            _shape(rule, rule.options.keep_all_tokens), _shape(keeping_rule, True)]


def render(tables: dict[str, Any]) -> str:
    """The JSON text: one state and one rule per line, so a grammar change reads as a small diff."""
    lines = ["{"]
    items = list(tables.items())
    for position, (key, value) in enumerate(items):
        comma = "," if position < len(items) - 1 else ""
        if key in ("states", "rules", "scanners", "terminals"):
            body = ",\n".join("  " + json.dumps(item, ensure_ascii=True, sort_keys=True) for item in value)
            lines.append(f"{json.dumps(key)}: [\n{body}\n]{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=True, sort_keys=True)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--check", action="store_true", help="only say whether the committed tables are current")
    args = options.parse_args(argv)
    text = render(build_tables(grammar_path().read_text(encoding="utf-8")))
    current = TABLES_PATH.read_text(encoding="utf-8") if TABLES_PATH.exists() else ""
    if args.check:
        print("tables are current" if text == current else f"{TABLES_PATH.name} is out of date: regenerate it")
        return 0 if text == current else 1
    if text != current:
        TABLES_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {TABLES_PATH}" if text != current else "tables were already current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
