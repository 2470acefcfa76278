"""The Pygments lexer: sensible token kinds, never an Error token, text kept as is."""

from __future__ import annotations

from pygments import lex
from pygments.lexers import get_lexer_by_name
from pygments.token import Comment, Error, Keyword, Name, Number, String

from deluge_lite.repl.lexer import DelugeLexer

SAMPLE = '''// sync contacts
void standalone.sync(int id, string name)
{
    m = Map();
    m.put("name", "a \\"quoted\\" word");
    /* a block
       comment */
    for each item in {1, 2.5}
    {
        IF (item > 1 && true) { info item; } else { info null; }
    }
    resp = invokeurl [ url: "https://example.com" type: GET connection: "acme_main" ];
    when = '01-Jan-2024 10:00:00';
    info zoho.currentdate;
    return zoho.crm.getRecords("Leads");
}
'''


def tokens(text):
    return [(kind, value) for kind, value in lex(text, DelugeLexer()) if value.strip()]


def test_round_trip_and_no_errors():
    found = list(lex(SAMPLE, DelugeLexer()))
    assert "".join(value for _kind, value in found) == SAMPLE
    assert not [value for kind, value in found if kind in Error]


def test_token_kinds():
    found = tokens(SAMPLE)
    assert (Keyword.Type, "void") in found
    assert (Name.Function, "standalone.sync") in found
    assert (Keyword.Type, "int") in found and (Name.Variable, "id") in found
    assert (Name.Function, "put") in found
    assert (String.Escape, '\\"') in found
    assert any(kind in Comment for kind, _ in found)
    assert (Keyword, "IF") in found and (Keyword, "info") in found
    assert (Number.Float, "2.5") in found
    assert (Keyword.Constant, "null") in found
    assert (Name.Builtin, "zoho.currentdate") in found
    assert (Name.Attribute, "connection") in found


def test_half_typed_code_does_not_break():
    for text in ['info "open', "/* open", "m.", "if (", "'01-Jan"]:
        assert "".join(value for _kind, value in lex(text, DelugeLexer())) == text + "\n"


def test_names_match_the_plugin_registration():
    assert "deluge" in DelugeLexer.aliases
    assert "*.dg" in DelugeLexer.filenames


def test_found_by_pygments_when_registered():
    try:
        lexer = get_lexer_by_name("deluge")
    except Exception:  # until the pygments.lexers entry point is in the installed metadata
        return
    assert isinstance(lexer, DelugeLexer)


def test_guesses_deluge_text():
    assert DelugeLexer.analyse_text("info zoho.currentdate;\nfor each x in l { info x; }") > 0.5
    assert DelugeLexer.analyse_text("print('python')") == 0
