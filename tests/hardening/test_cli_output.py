"""`run` streams what a script prints and mails instead of keeping it, and its size budget is an option (issue 13).

A run that prints (or mails) more than its memory cap could hold must still end with exit
0: each info line and each mail is written as it happens and not kept. ``--max-value-size``
sets the value budget as ``--max-statements`` sets the statement limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .cli_runner import deluge_error, loop, run_script

CAP = 400 << 20  # 400 MB: deluge-lite itself needs under 200 MB
BIG = 'big = leftpad("", 2000000);\n'


def test_info_lines_past_the_memory_cap_are_streamed(tmp_path: Path) -> None:
    """300 fresh 2 MB lines are 600 MB: kept for the run's result they would not fit under the cap."""
    ran = run_script(tmp_path, f"{BIG}{loop(300)} {{ info big + i; }}\n", "--timeout", "60", discard_output=True,
                     memory=CAP)
    assert ran.code == 0


def test_mail_past_the_memory_cap_is_streamed(tmp_path: Path) -> None:
    script = (f"{BIG}{loop(300)} {{ sendmail [ from: zoho.adminuserid to: \"a@example.com\" subject: i "
              "message: big + i ]; }\n")
    ran = run_script(tmp_path, script, "--timeout", "60", discard_output=True, memory=CAP)
    assert ran.code == 0


def test_mail_is_printed_as_it_is_written_and_numbered(tmp_path: Path) -> None:
    script = ('for each i in {1, 2} { sendmail [ from: zoho.adminuserid to: "a@example.com" subject: "s" + i '
              'message: "m" ]; }\ninfo 1 / 0;\n')
    ran = run_script(tmp_path, script)
    deluge_error(ran, "division by zero")
    assert ran.err.index("--- mail 1 (") < ran.err.index("--- mail 2 (") < ran.err.index("division by zero")
    assert "subject: s2" in ran.err


def test_max_value_size_sets_the_budget(tmp_path: Path) -> None:
    script = f"l = {{1, 2}};\n{loop(20)} {{ l.addAll(l); }}\ninfo l.size();\n"
    deluge_error(run_script(tmp_path, script, "--max-value-size", "1000"), "size limit of 1,000", "addAll")
    ran = run_script(tmp_path, script, "--max-value-size", "5000000")
    assert ran.code == 0, ran.err
    assert ran.out.strip() == str(2 ** 21)
    bad = run_script(tmp_path, script, "--max-value-size", "-4")
    assert bad.code == 2 and "--max-value-size must be a positive number" in bad.err


def test_to_string_to_list_alternation_stops_at_the_budget(tmp_path: Path) -> None:
    """The issue's toString/toList bomb, under a smaller budget so the suite stays quick."""
    script = f'x = {{"a,b"}};\n{loop(60)} {{ x = x.toString().toList(); x.addAll(x); }}\ninfo "not reached";\n'
    deluge_error(run_script(tmp_path, script, "--max-value-size", "2000000"), "size limit of 2,000,000")


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    """``deluge-lite run x | head -1``: the closed pipe ends the run with exit 0, no internal error, no traceback."""
    script = tmp_path / "chatty.dg"
    script.write_text(f'{loop(200000)} {{ info "line " + i; }}\n', encoding="utf-8")
    for env_extra in ({}, {"DELUGE_LITE_NO_CACHE": "1"}):
        process = subprocess.Popen([sys.executable, "-m", "deluge_lite", "run", str(script)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env_extra})
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().startswith(b"line ")
        process.stdout.close()  # the reader goes away while the script still prints
        err = process.stderr.read().decode()
        assert process.wait(timeout=120) == 0, err
        assert "internal error" not in err and "Traceback" not in err and "BrokenPipe" not in err
