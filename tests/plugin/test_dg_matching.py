"""test_*.dg chunks: includes bring functions only, output matching modes, per-test problems."""

from __future__ import annotations

import pytest

LIBRARY = """\
// scoring.dg: a function, plus top-level statements that must not run from an include
info "library top level ran";
getUrl("https://api.example.com/should-not-be-called");
int standalone.double(int n)
{
\tinfo "debug: doubling " + n;
\treturn n * 2;
}
"""


def test_include_brings_functions_only(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", scoring=LIBRARY)
    pytester.makefile(".dg", test_inc="""\
// include: scoring.dg
---
info standalone.double(2);   // expect: 4
// expect-match: debug: doubling \\d
""")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)  # the function's own info line comes first: the diff shows it
    result.stdout.fnmatch_lines(["info output differs:", "--- expected info", "+++ actual info", "@@*",
                                 "+debug: doubling 2", " 4", "-debug: doubling \\d"])
    out = result.stdout.str()
    assert "library top level ran" not in out and "should-not-be-called" not in out


def test_run_include_runs_the_top_level_too(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", scoring=LIBRARY.replace('getUrl("https://api.example.com/should-not-be-called");\n', ""))
    pytester.makefile(".dg", test_inc="""\
// run-include: scoring.dg
---
info "chunk";
// expect: library top level ran
// expect: chunk
""")
    pytester.runpytest().assert_outcomes(passed=1)


def test_error_inside_an_included_function_points_into_that_file(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", lib="int standalone.boom(int n)\n{\n\treturn n / 0;\n}\n")
    pytester.makefile(".dg", test_err="""\
// include: lib.dg
---
// name: caught where it was called
x = 1;
y = standalone.boom(x);   // expect-error: division by zero
---
// name: unexpected
y = standalone.boom(1);
""")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["unexpected error at lib.dg:3:", "*/lib.dg:3:9: error: division by zero",
                                 "*return n / 0;", "*^*", "  in standalone.boom (*/lib.dg:3:9)",
                                 "  in the script (*test_err.dg:8:*)"])


def test_matching_modes(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", lib="int standalone.total(list items)\n{\n\tsum = 0;\n\tfor each i in items\n\t{\n"
                                 "\t\tinfo \"adding \" + i;\n\t\tsum = sum + i;\n\t}\n\treturn sum;\n}\n")
    pytester.makefile(".dg", test_modes="""\
// include: lib.dg
---
// name: return value only
// expect-info: ignore
return standalone.total({1, 2, 3});
// expect-return: 6
---
// name: contains
info "total " + standalone.total({4, 5});
// expect-contains: adding 5
// expect-contains: total 9
---
// name: ordered lines among others
// expect-info: contains
info "start";
info standalone.total({7});
// expect: start
// expect-match: \\d+
---
// name: regex lines
info "id " + 12345;   // expect-match: id \\d{5}
info zoho.currentdate;   // expect-match: \\d{2}-[A-Z][a-z]{2}-\\d{4}
""")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)


@pytest.mark.parametrize(("chunk", "words"), [
    ('info "a";\ninfo "b";\n// expect-contains: c\n', ["no info line contains:", "  'c' (line 3)", "  | a", "  | b"]),
    ('// expect-info: contains\ninfo "b";\ninfo "a";\n// expect: a\n// expect: b\n',
     ["expected the line 'b' (line 5) in this order, not found in the info output:"]),
    ('info "x1";   // expect-match: x\\d\\d\n', ["info output differs:", "-x\\d\\d", "+x1"]),
    ('// expect-info: ignore\nreturn 1;\n// expect-return: 2\n', ["  expected: 2", "  actual:   1"]),
])
def test_mismatches_read_well(pytester: pytest.Pytester, chunk: str, words: list[str]) -> None:
    pytester.makefile(".dg", test_bad=chunk)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(words)


@pytest.mark.parametrize(("text", "words"), [
    ("// include: missing.dg\n---\ninfo 1;   // expect: 1\n---\ninfo 2;   // expect: 2\n",
     "test_broken.dg:1: include: no such file 'missing.dg'"),
    ('info 1;   // expect-match: (unclosed\n---\ninfo 2;   // expect: 2\n',
     "test_broken.dg:1: expect-match: the regular expression does not compile (missing ), unterminated subpattern"),
])
def test_bad_include_or_regex_fails_only_its_tests(pytester: pytest.Pytester, text: str, words: str) -> None:
    pytester.makefile(".dg", test_broken=text)
    pytester.makefile(".dg", test_fine="info 3;   // expect: 3\n")
    result = pytester.runpytest()
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 1 and outcomes["failed"] >= 1 and "errors" not in outcomes
    assert words in result.stdout.str()
    assert "INTERNALERROR" not in result.stdout.str()


def test_expect_info_value_is_checked(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_bad="// expect-info: sometimes\ninfo 1;\n")
    result = pytester.runpytest()
    assert result.ret != 0
    assert "test_bad.dg:1: expect-info takes exact, contains, ignore; got 'sometimes'" in result.stdout.str()


def test_outbox_is_shown_when_the_script_fails(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_mail="""\
sendmail [ from: zoho.adminuserid to: "sales@example.com" subject: "Hot lead" message: "call Okafor" ];
x = 1 / 0;
""")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["unexpected error at test_mail.dg:2*", "sendmail outbox:",
                                 "*to: sales@example.com*subject: Hot lead*", "*call Okafor"])


def test_cliq_messages_are_shown_when_the_script_fails(pytester: pytest.Pytester) -> None:
    pytester.makefile(".dg", test_chat="""\
// stub: POST https://cliq.zoho.com/* -> 204
body = {"text": "Hot lead: Okafor"};
r = invokeurl [ url: "https://cliq.zoho.com/api/v2/channelsbyname/sales/message" type: POST
                parameters: body.toString() headers: {"Content-Type": "application/json"} ];
x = 1 / 0;
""")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["unexpected error at test_chat.dg:5*", "Cliq messages:",
                                 "  zoho.cliq.postToChannel to channel sales -> 204: Hot lead: Okafor",
                                 "HTTP calls:", "  POST https://cliq.zoho.com/api/v2/channelsbyname/sales/message*"])
