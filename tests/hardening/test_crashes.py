"""The issue's crash list, end to end: each is a Deluge error or a result, never exit 3 (issue 13).

Huge literals, integers past 64 bits from JSON, ``response-decoding`` names that are not
text encodings, ``executeXPath`` with bad paths, and JSON escapes of half a UTF-16 pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .cli_runner import PYTHON_WORDS, PlainServer, deluge_error, run_script


@pytest.mark.parametrize("literal, words", [
    ("9" * 4301, ["4,301 digits", "largest Number"]),
    ("-" + "9" * 5000, ["5,000 digits"]),
    ("9223372036854775808", ["9223372036854775808 is larger"]),
    ("9" * 400 + ".5", ["largest Decimal"]),
])
def test_huge_literals_are_syntax_errors(tmp_path: Path, literal: str, words: list[str]) -> None:
    deluge_error(run_script(tmp_path, f"x = {literal};\ninfo x;\n"), *words)


BIG_JSON = ("m = '{\"a\": 123456789012345678901234567890, \"b\": -99999999999999999999, "
            "\"l\": [99999999999999999999, 1]}'.toMap();\na = m.get(\"a\");\nb = m.get(\"b\");\nl = m.get(\"l\");\n")


@pytest.mark.parametrize("expression, expected", [
    # a JSON integer past 64 bits is a Decimal (values._json_integer): Decimal arithmetic, or a 64-bit error
    ("a.sqrt()", "3.5136418288201444E14"), ("a.round(2)", "1.2345678901234568E29"), ("l.average()", "5.0E19"),
    ("l.median()", "5.0E19"), ("a % 7", "1.0"), ("b % 3", "-1.0"), ("abs(b)", "1.0E20"), ("l.sort()", "1,1.0E20"),
    ("a.floor()", "error: floor() result does not fit in a 64-bit Number"), ("a.toLong()", "error: toNumber()"),
    ("a * a", "1.5241578753238835E58"), ("a.toString()", "1.2345678901234568E29"),
    (f'"{"9" * 400}".toDecimal()', "Infinity"), (f'"-{"9" * 400}".toDecimal()', "-Infinity"),
    (f'"{"9" * 400}".toNumber()', "error: toNumber()"),
])
def test_integers_past_64_bits_from_json(tmp_path: Path, expression: str, expected: str) -> None:
    ran = run_script(tmp_path, f"{BIG_JSON}info {expression};\n")
    if expected.startswith("error: "):
        deluge_error(ran, expected.removeprefix("error: "))
    else:
        assert ran.code == 0, ran.err
        assert ran.out.strip() == expected


@pytest.mark.parametrize("json_text, shown", [
    ('{"a": "x\\ud800y"}', "x?y"),
    ('["\\udfff"]', "?"),
    ('{"\\ud83d": "\\ud83d\\ude00"}', '"?":"\U0001F600"'),
])
def test_json_escapes_of_half_a_surrogate_pair_become_question_marks(tmp_path: Path, json_text: str,
                                                                      shown: str) -> None:
    escaped = json_text.replace("\\", "\\\\").replace('"', '\\"')
    script = (f'v = "{escaped}".toJSONList();\nm = "{escaped}".toMap();\n'
              f'info v;\ninfo m;\ninfo base64Encode(m.toString());\ninfo encodeUrl(v.toString());\n'
              f'info zoho.encryption.sha256(m.toString());\n')
    ran = run_script(tmp_path, script)
    assert ran.code in (0, 1), ran.err
    assert not PYTHON_WORDS.search(ran.err), ran.err
    if ran.code == 0:
        assert shown in ran.out


@pytest.mark.parametrize("path", ["", "//", "/root/", "[", "//a[", "/r/a/@", "//a[999999999999999999999]",
                                  "/r/a/text()/text()", "count(//a)", "//a[@x=", "..//..", "/" * 500])
def test_execute_xpath_with_bad_paths(tmp_path: Path, path: str) -> None:
    script = f'x = "<r><a x=\\"1\\">1</a><a>2</a></r>";\ninfo x.executeXPath("{path}");\n'
    ran = run_script(tmp_path, script)
    assert ran.code in (0, 1), ran.err
    assert not PYTHON_WORDS.search(ran.err), ran.err
    if ran.code == 1:
        deluge_error(ran, "executeXPath")


@pytest.fixture()
def plain_server() -> Iterator[str]:
    server = PlainServer().start()
    yield server.url
    server.stop()


@pytest.mark.parametrize("decoding", ["undefined", "hex", "rot13", "base64", "idna", "no-such-charset", "utf-8"])
def test_response_decoding_names_that_are_not_text_encodings(tmp_path: Path, plain_server: str,
                                                             decoding: str) -> None:
    script = (f'r = invokeurl\n[\n  url: "{plain_server}/x"\n  type: GET\n  response-decoding: "{decoding}"\n];\n'
              "info r;\n")
    ran = run_script(tmp_path, script)
    if decoding == "utf-8":
        assert ran.code == 0, ran.err
        assert "caf\u00e9" in ran.out
    else:
        deluge_error(ran, "response-decoding", decoding)


def test_a_server_naming_an_undecodable_charset_falls_back_to_utf8(tmp_path: Path, plain_server: str) -> None:
    ran = run_script(tmp_path, f'r = invokeurl\n[\n  url: "{plain_server}/x"\n  type: GET\n];\ninfo r;\n')
    assert ran.code == 0, ran.err
    assert "caf\u00e9" in ran.out


DATE_EXPRESSIONS = ("getWeekOfYear()", "toStartOfWeek()", "toTime()", "toDateTimeString()", "toDate()",
                    "addHour(1)", "subHour(1)", "addDay(1)", "subDay(1)", "addMonth(1)", "subMonth(1)",
                    "addYear(1)", "toStartOfMonth()", "eomonth(1)", "addBusinessDay(1)", "subBusinessDay(1)",
                    "getDayOfWeek()", "unixEpoch()", "toLong()", 'toString("yyyy-MM-dd HH:mm:ss", "Pacific/Kiritimati")',
                    'toString("EEEE w", "Etc/GMT+12")', 'toTime("dd-MMM-yyyy", "Asia/Kolkata")',
                    'toDateTimeString("Pacific/Kiritimati")')


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("moment", ["'01-Jan-0001 00:00:00'", "'31-Dec-9999 23:59:59'"])
def test_date_builtins_at_years_1_and_9999_in_the_cli(tmp_path: Path, moment: str, zone: str) -> None:
    """Each one a result or a Deluge error (caught here so that one run tries them all)."""
    lines = [f"d = {moment};"] + [f'try {{ info "{i}: " + d.{expression}; }} catch (e) {{ info "{i}: error " + e; }}'
                                  for i, expression in enumerate(DATE_EXPRESSIONS)]
    ran = run_script(tmp_path, "\n".join(lines) + "\n", "--timezone", zone)
    assert ran.code == 0, ran.err
    assert len(ran.out.strip().splitlines()) == len(DATE_EXPRESSIONS)
    assert not PYTHON_WORDS.search(ran.out), ran.out
    assert "internal error" not in ran.out
