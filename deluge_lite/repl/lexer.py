"""A Pygments lexer for Deluge, for the REPL's highlighting and for any other tool.

`DelugeLexer` is a plain `pygments.lexer.RegexLexer` (name ``deluge``, files
``*.dg``/``*.deluge``) registered as a Pygments entry point, so ``pygmentize -l deluge``,
Sphinx and MkDocs can use it. It mirrors the token rules of ``grammar/deluge.lark``
(keywords are case-insensitive and word-bounded; text may span lines; single quotes hold
date-time literals) but it never rejects input: highlighting must survive half-typed code.
This module imports only Pygments; it owns no parsing and no completion.
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["DelugeLexer", "KEYWORDS", "TYPE_NAMES"]

#: Statement keywords, as the grammar spells them (matching is case-insensitive).
KEYWORDS = ("if", "else", "for", "each", "index", "in", "return", "info", "try", "catch", "throw",
            "break", "continue", "invokeurl", "sendmail")
#: Types that open a function definition or declare a parameter.
TYPE_NAMES = ("void", "string", "text", "int", "bigint", "long", "number", "decimal", "float", "double",
              "bool", "boolean", "date", "datetime", "timestamp", "map", "list", "collection", "file")
_CONSTANTS = ("true", "false", "null")
_WORD_OPERATORS = ("and", "or")
_CATEGORIES = ("standalone", "thisapp", "automation", "button", "schedule", "workflow", "validation",
               "related_list", "custom")
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


class DelugeLexer(RegexLexer):
    """Zoho Deluge scripts (``.dg``)."""

    name = "Deluge"
    aliases = ["deluge"]  # not "dg": Pygments already has a lexer for the dg language under that name
    filenames = ["*.dg", "*.deluge"]
    mimetypes = ["text/x-deluge"]
    url = "https://www.zoho.com/deluge/help/"
    flags = re.IGNORECASE | re.MULTILINE

    @staticmethod
    def analyse_text(text: str) -> float:
        """How Deluge-like a text looks, for Pygments' guessing (``*.dg`` is shared with dg)."""
        score = 0.0
        if re.search(r"^\s*info\b", text, re.IGNORECASE | re.MULTILINE):
            score += 0.3
        if re.search(r"\bzoho\.\w+", text, re.IGNORECASE):
            score += 0.3
        if re.search(r"\bfor\s+each\b", text, re.IGNORECASE):
            score += 0.2
        if re.search(r";\s*$", text, re.MULTILINE):
            score += 0.1
        return min(score, 0.9)

    tokens = {
        "root": [
            # a parameter: `(int id` or `, string name`
            (r"(?<=[(,])(\s*)(" + "|".join(TYPE_NAMES) + r")(\s+)(" + _IDENT + r")(?=\s*[,)])",
             bygroups(Whitespace, Keyword.Type, Whitespace, Name.Variable)),
            (r"\s+", Whitespace),
            (r"//[^\n]*", Comment.Single),
            (r"/\*", Comment.Multiline, "comment"),
            (r'"', String.Double, "text"),
            (r"'", String.Single, "quoted"),
            (r"\d+\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            # `void standalone.sync(int id)`: a function definition
            (r"(" + "|".join(TYPE_NAMES) + r")(\s+)(" + _IDENT + r"(?:\." + _IDENT + r")*)(\s*)(?=\()",
             bygroups(Keyword.Type, Whitespace, Name.Function, Whitespace)),
            (words(_CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(_WORD_OPERATORS, suffix=r"\b"), Operator.Word),
            # zoho.currentdate, zoho.crm.getRecords, zoho.encryption.md5
            (r"zoho(?:\." + _IDENT + r")+", Name.Builtin),
            (words(_CATEGORIES, suffix=r"(?=\.)"), Name.Namespace),
            # invokeurl / sendmail parameter keys: `url :`, `content-type:`
            (r"(" + _IDENT + r"(?:-" + _IDENT + r")*)(\s*)(:)(?!:)",
             bygroups(Name.Attribute, Whitespace, Punctuation)),
            (r"(\.)(\s*)(" + _IDENT + r")(?=\s*\()", bygroups(Punctuation, Whitespace, Name.Function)),
            (r"(\.)(\s*)(" + _IDENT + r")", bygroups(Punctuation, Whitespace, Name.Attribute)),
            (_IDENT + r"(?=\s*\()", Name.Function),
            (_IDENT, Name),
            (r"\+=|-=|\*=|/=|%=|==|!=|<=|>=|&&|\|\||[-+*/%<>!=]", Operator),
            (r"[{}()\[\];,.:]", Punctuation),
            (r".", Text),
        ],
        "comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
        "text": [
            (r'\\.', String.Escape),
            (r'[^"\\]+', String.Double),
            (r'"', String.Double, "#pop"),
        ],
        "quoted": [
            (r"\\.", String.Escape),
            (r"[^'\\]+", String.Single),
            (r"'", String.Single, "#pop"),
        ],
    }
