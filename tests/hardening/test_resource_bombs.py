"""The issue's resource bombs, each run by the real CLI under a 1 GB address-space cap (issue 13).

Every one must end with exit 0 or 1 and a Deluge message, inside its limits: a MemoryError
under the cap would be exit 3, a hang the subprocess timeout. The time limit is set low
(``--timeout``) where the bomb is a slow one, so the suite stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .cli_runner import PlainServer, deluge_error, loop, run_script

TEXT_CAP = "deluge-lite allows 10,000,000 characters in a Text"
BUDGET = "size limit of 20,000,000"

BOMBS: dict[str, tuple[Any, ...]] = {
    # name: (script, words the error must contain[, more CLI options])
    "concat doubling": (f's = "ab";\n{loop(40)} {{ s = s.concat(s); }}\ninfo s.length();', [TEXT_CAP]),
    "plus doubling": (f's = "ab";\n{loop(40)} {{ s = s + s; }}\ninfo s.length();', [TEXT_CAP]),
    "replaceAll empty": (f's = leftpad("", 5000).replaceAll(" ", "ab");\n'
                         f'{loop(10)} {{ s = s.replaceAll("", s, true); }}', [TEXT_CAP, "replaceAll"]),
    "replaceAll regex empty": (f's = leftpad("", 4000);\n{loop(10)} {{ s = s.replaceAll("", s); }}', [TEXT_CAP]),
    "encodings": (f's = "<a&b>\\"\' ";\n{loop(60)} {{ s = htmlEncode(s); s = base64Encode(s); s = encodeUrl(s); }}',
                  [TEXT_CAP]),
    "addAll self": (f"l = {{1, 2}};\n{loop(60)} {{ l.addAll(l); }}", [BUDGET, "addAll"]),
    "big texts in a list": (f'big = leftpad("", 9000000);\nl = List();\n{loop(1000)} {{ l.add(big + i); }}',
                            [BUDGET, "add()"]),
    "big texts in a map": (f'big = leftpad("", 9000000);\nm = Map();\n{loop(1000)} {{ m.put(i + m.size(), big); }}',
                           [BUDGET, "put()"]),
    "leftPad huge": ('info leftpad("x", 999999999999);', ["leftPad", "10,000,000"]),
    "nested info": (f"x = {{1}};\n{loop(80)} {{ x = {{x, x}}; }}\ninfo x;", [TEXT_CAP]),
    "nested toString": (f"x = {{1}};\n{loop(80)} {{ x = {{x, x}}; }}\ninfo x.toString().length();", [TEXT_CAP]),
    "nested map text": (f'm = {{"k": 1}};\n{loop(80)} {{ m = {{"a": m, "b": m}}; }}\ninfo m.toString().length();',
                        [TEXT_CAP]),
    "addBusinessDay far": ("d = '01-Jan-2020';\ninfo d.addBusinessDay(999999999999);", ["addBusinessDay", "years 1"]),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_bomb_stops_with_a_deluge_error(tmp_path: Path, name: str) -> None:
    script, words, *options = BOMBS[name]
    extra = options[0] if options else []
    deluge_error(run_script(tmp_path, script + "\ninfo \"not reached\";\n", "--timeout", "20", *extra), *words)


def test_nested_shared_lists_compare_and_search_in_linear_time(tmp_path: Path) -> None:
    """x = {x, x} 80 times is 2**80 leaves: ==, !=, contains, indexOf and containsValue
    must go by identity and remembered pairs, not leaf by leaf."""
    script = (f"x = {{1}};\ny = {{1}};\nz = {{2}};\n{loop(80)} {{ x = {{x, x}}; y = {{y, y}}; z = {{z, z}}; }}\n"
              "info x == y;\ninfo x != y;\ninfo x == z;\ninfo x.contains(y.get(0));\ninfo x.indexOf(z.get(1));\n"
              'm = Map();\nm.put("k", x);\ninfo m.containsValue(y);\ninfo {x, y}.distinct().size();\n'
              'n = Map();\nn.put("k", y);\ninfo m == n;\n')
    ran = run_script(tmp_path, script, "--timeout", "20")
    assert ran.code == 0, ran.err
    assert ran.out.split() == ["true", "false", "false", "true", "-1", "true", "1", "true"]


def test_hashed_distinct_intersect_remove_all_on_60000_items(tmp_path: Path) -> None:
    script = ('l = leftpad("", 60000).replaceAll(" ", "x,").toList();\nn = List();\n'
              "for each v in l { n.add(v + n.size()); }\n"
              "info n.size();\ninfo n.distinct().size();\ninfo n.intersect(n).size();\nn.removeAll(n);\n"
              "info n.size();\n")
    ran = run_script(tmp_path, script, "--timeout", "30")
    assert ran.code == 0, ran.err
    size, *rest = ran.out.split()
    assert int(size) >= 60000
    assert rest == [size, size, "0"]


def test_catastrophic_regex_in_a_loop_stops_at_the_run_limit(tmp_path: Path) -> None:
    """Each match is cut at the time left in the run; catching the error does not buy more time."""
    script = (f's = leftpad("", 28).replaceAll(" ", "a") + "!";\n{loop(100)} {{\n'
              '  try { info s.matches("(a|a)+$"); } catch (e) { info "caught"; }\n}\n')
    err = deluge_error(run_script(tmp_path, script, "--timeout", "1"), "longer than the limit of 1 seconds")
    assert ":3:" in err


def test_add_business_day_is_arithmetic(tmp_path: Path) -> None:
    ran = run_script(tmp_path, "d = '01-Jan-2020';\ninfo d.addBusinessDay(999999);\ninfo d.addBusinessDay(-5);\n")
    assert ran.code == 0, ran.err
    # counted day by day in Python: 999,999 weekdays after 1 Jan 2020, and 5 before it
    assert ran.out.split("\n")[:2] == ["25-Jan-5853 00:00:00", "25-Dec-2019 00:00:00"]


@pytest.mark.parametrize("request_part", ["parameters: x.toString()", "parameters: x", 'parameters: {"a": x}',
                                          "body: x", 'parameters: x headers: {"Content-Type": "application/json"}'])
def test_nested_shared_request_bodies_stop_at_the_text_cap(tmp_path: Path, request_part: str) -> None:
    """x = {"a": x, "b": x} 80 times: its JSON would be ~2**80 characters; building it stops at the cap."""
    server = PlainServer().start()
    try:
        script = (f'x = {{"k": 1}};\n{loop(80)} {{ x = {{"a": x, "b": x}}; }}\n'
                  f'r = invokeurl [ url: "{server.url}/" type: POST {request_part} ];\ninfo r;\n')
        deluge_error(run_script(tmp_path, script, "--timeout", "20"), "10,000,000")
    finally:
        server.stop()


def test_memory_past_the_cap_is_a_deluge_error(tmp_path: Path) -> None:
    """List literals are no built-in, so no budget counts them: x = {x, big + i} keeps a new 9 MB
    Text per step. The process's data cap (--max-memory-mb) turns the failed allocation into a
    Deluge error at the line, not exit 3."""
    script = f'big = leftpad("", 9000000);\nx = {{}};\n{loop(1000)} {{ x = {{x, big + i}}; }}\ninfo "not reached";\n'
    err = deluge_error(run_script(tmp_path, script, "--max-memory-mb", "300"), "needed more memory", "--max-memory-mb")
    assert ":3:" in err
