"""The test_*.dg collector: collection, passing and failing chunks, malformed files."""

from __future__ import annotations

import pytest

SCORING = """\
int standalone.double(int n)
{
\treturn n * 2;
}
"""


def test_collects_only_test_dg_files_one_item_per_chunk(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_one='info 1; // expect: 1\n---\n// name: second\ninfo 2;\n// expect: 2\n---\n',
                      other='info "not a test";\n')
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["test_one.dg::line 1", "test_one.dg::second", "*2 tests collected*"])
    assert "other" not in result.stdout.str()


def test_passing_chunks(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", scoring=SCORING)
    pytester.makefile(".dg", test_ok="""\
// include: scoring.dg
---
// name: info lines in order
info standalone.double(2);    // expect: 4
info "done";
// expect: done
---
// name: return value
return {"n": standalone.double(5)};
// expect-return: {"n":10}
---
// name: expected error inside a called function
x = standalone.double("a");   // expect-error: Text
---
// name: pinned clock and time zone
// timezone: Asia/Kolkata
// clock: 2026-03-01T20:00:00+00:00
info zoho.currentdate;        // expect: 02-Mar-2026
""")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)


def test_failure_shows_line_and_diff(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_bad='info "same";  // expect: same\n---\n// name: wrong output\ninfo "same";\ninfo "actual";\n'
                      '// expect: same\n// expect: expected\n')
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["test_bad.dg:3: chunk 'wrong output'", "info output differs:",
                                 "--- expected info", "+++ actual info", " same", "-expected", "+actual"])


def test_unexpected_and_missing_errors(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_err="""\
// name: unexpected
x = 1;
y = x / 0;
---
// name: missing
x = 1;  // expect-error: division by zero
---
// name: elsewhere
a = 1;
// expect-error: zero
b = a / 0;
""")
    result = pytester.runpytest()
    result.assert_outcomes(failed=3)
    out = result.stdout.str()
    assert "unexpected error at test_err.dg:3:" in out and "y = x / 0;" in out
    assert "expected an error at line 6 containing: division by zero" in out
    assert "expected the error at line 9, got it at test_err.dg:11" in out


@pytest.mark.parametrize(("text", "line", "words"), [
    ("info 1;\n// expect-eror: 1\n", 2, "unknown directive 'expect-eror'; did you mean 'expect-error'?"),
    ("info 1;\n\n// seed: Leads {not json}\n", 3, "seed: the records are not valid JSON"),
    ("// stub: GET https://x.example.com 200\ninfo 1;\n", 1, "stub must read METHOD URL -> STATUS"),
    ("// expect-error: boom\ninfo 1;\n", 1, "refers to the code line above it"),
    ("info 1;  // expect-errors: 1\n", 1, "unknown directive 'expect-errors' after the code"),
    ("// include: missing.dg\n---\ninfo 1;\n", 1, "include: no such file 'missing.dg'"),
    ("// expect: 1\n---\ninfo 1;\n", 1, "'expect' in the header"),
])
def test_malformed_file_names_file_and_line(pytester: pytest.Pytester, text: str, line: int, words: str) -> None:
    pytester.makefile(".dg", test_broken=text)
    result = pytester.runpytest()
    assert result.ret != 0
    result.stdout.fnmatch_lines([f"*test_broken.dg:{line}: *"])
    assert words in result.stdout.str()


def test_dg_chunks_use_seeds_and_stubs(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_net="""\
// seed: Leads [{"Last_Name": "Ng", "Company": "Acme"}, {"Last_Name": "Ito", "Company": "Beta"}]
// stub: POST https://hooks.example.com/* -> 200 {"ok": true}
---
leads = zoho.crm.getRecords("Leads");
info leads.size();                      // expect: 2
reply = invokeurl [ url: "https://hooks.example.com/t/1" type: POST parameters: {"n": leads.size()} ];
info reply.get("ok");                   // expect: true
---
// name: unstubbed url
getUrl("https://api.example.org/v1/things?api_key=s3cr3t");
""")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "unstubbed HTTP request GET https://api.example.org/v1/things?api_key=****" in out
    assert "GET https://api.example.org/v1/things?api_key=s3cr3t" not in out  # only the source line shows it


def test_context_directive_gives_the_products_names(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_ctx="""\
// context: books
---
// name: sample organization
info organization.get("currency_code");   // expect: USD
---
// name: a chunk gives its own value
invoice = {"total": 7};
info invoice.get("total");                // expect: 7
---
// name: creator in one chunk
// context: creator
info zoho.appname;                        // expect: sample_app
""")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)
    pytester.makefile(".dg", test_bad_ctx="// context: bokks\ninfo 1;  // expect: 1\n")
    bad = pytester.runpytest("test_bad_ctx.dg")
    bad.stdout.fnmatch_lines(["*test_bad_ctx.dg:1*unknown context 'bokks'; did you mean 'books'?*"])
