"""`deluge-lite dap` over stdio, driven by a small DAP client (tests/debug/dap_client.py) in a subprocess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .dap_client import DapClient


@pytest.fixture
def client() -> Iterator[DapClient]:
    dap = DapClient()
    yield dap
    dap.close()


def test_breakpoints_stack_scopes_variables_evaluate_and_output(client: DapClient, script: Path) -> None:
    started = client.start(str(script), [{"line": 8}, {"line": 16}])
    assert started["capabilities"]["supportsConditionalBreakpoints"] is True
    assert {f["filter"] for f in started["capabilities"]["exceptionBreakpointFilters"]} == {"raised", "uncaught"}
    moved, last = started["breakpoints"]
    assert moved["verified"] and moved["line"] == 10 and "moved to line 10" in moved["message"]
    assert last["verified"] and last["line"] == 16

    stop = client.stopped()
    assert stop["reason"] == "breakpoint" and stop["hitBreakpointIds"] == [moved["id"]]
    top = stop["frames"][0]
    assert (top["name"], top["line"], top["source"]["path"]) == ("the script", 10, str(script))
    assert client.request("threads")["threads"] == [{"id": 1, "name": "Deluge script"}]

    local = client.scope_variables(top["id"], "Locals")
    assert local["x"]["value"] == "1" and local["x"]["type"] == "Number"
    assert "y" not in local
    m = local["m"]
    assert m["value"] == '{"k":1,"l":[1,2]}' and m["variablesReference"] > 0
    entries = {v["name"]: v for v in client.request("variables", variablesReference=m["variablesReference"])["variables"]}
    assert entries["k"]["value"] == "1" and entries["l"]["type"] == "List"
    items = client.request("variables", variablesReference=entries["l"]["variablesReference"])["variables"]
    assert [(v["name"], v["value"]) for v in items] == [("[0]", "1"), ("[1]", "2")]

    assert client.request("evaluate", expression="x + 5", frameId=top["id"], context="watch")["result"] == "6"
    hover = client.request("evaluate", expression="m.get(\"l\")", frameId=top["id"], context="hover")
    assert hover["result"] == "1,2" and hover["variablesReference"] > 0
    error = client.failing("evaluate", expression="nothing + 1", frameId=top["id"], context="repl")
    assert "Variable 'nothing' is not defined" in error and "^" in error

    client.request("continue", threadId=1)
    stop = client.stopped()
    assert stop["frames"][0]["line"] == 16
    assert client.scope_variables(stop["frames"][0]["id"], "Locals")["x"]["value"] == "11"
    client.request("continue", threadId=1)
    assert client.event("exited") == {"exitCode": 0}
    client.event("terminated")
    assert client.output() == "3\n11\n"


def test_step_in_next_and_step_out(client: DapClient, script: Path) -> None:
    client.start(str(script), [{"line": 10}])
    client.stopped()
    client.request("stepIn", threadId=1)
    stop = client.stopped()
    assert stop["reason"] == "step"
    assert [(f["name"], f["line"]) for f in stop["frames"]] == [("add", 3), ("the script", 10)]
    arguments = client.scope_variables(stop["frames"][0]["id"], "Arguments")
    assert {name: v["value"] for name, v in arguments.items()} == {"a": "1", "b": "2"}
    assert client.scope_variables(stop["frames"][0]["id"], "Locals") == {}
    caller = client.scope_variables(stop["frames"][1]["id"], "Locals")
    assert caller["x"]["value"] == "1"
    client.request("next", threadId=1)
    stop = client.stopped()
    assert stop["frames"][0]["line"] == 4
    assert client.scope_variables(stop["frames"][0]["id"], "Locals")["total"]["value"] == "3"
    client.request("stepOut", threadId=1)
    stop = client.stopped()
    assert [(f["name"], f["line"]) for f in stop["frames"]] == [("the script", 11)]
    client.request("next", threadId=1)
    assert client.stopped()["frames"][0]["line"] == 12
    client.request("continue", threadId=1)
    assert client.event("exited") == {"exitCode": 0}


def test_conditions_and_hit_counts(client: DapClient, script: Path) -> None:
    started = client.start(str(script), [{"line": 14, "condition": "n > 1", "hitCondition": "2"},
                                         {"line": 16, "condition": "x >"}, {"line": 11, "hitCondition": "twice"}])
    good, bad, odd = started["breakpoints"]
    assert good["verified"]
    assert not bad["verified"] and "the condition does not parse" in bad["message"]
    assert not odd["verified"] and "hit condition 'twice'" in odd["message"]
    stop = client.stopped()
    assert client.request("evaluate", expression="n", frameId=stop["frames"][0]["id"])["result"] == "3"
    client.request("continue", threadId=1)
    assert client.event("exited") == {"exitCode": 0}


def test_function_breakpoints_and_stop_on_entry(client: DapClient, script: Path) -> None:
    client.request("initialize", adapterID="deluge")
    client.request("launch", program=str(script), stopOnEntry=True)
    client.event("initialized")
    placed = client.request("setFunctionBreakpoints", breakpoints=[{"name": "add"}, {"name": "nope"}])["breakpoints"]
    assert placed[0]["verified"] and placed[0]["line"] == 3
    assert not placed[1]["verified"] and "no function named 'nope'" in placed[1]["message"]
    client.request("configurationDone")
    stop = client.stopped()
    assert stop["reason"] == "entry" and stop["frames"][0]["line"] == 6
    client.request("continue", threadId=1)
    stop = client.stopped()
    assert stop["reason"] == "function breakpoint" and stop["frames"][0]["name"] == "add"
    client.request("continue", threadId=1)
    assert client.event("exited") == {"exitCode": 0}


ERRORS = """\
total = 5;
try
{
    bad = total / 0;
}
catch (e)
{
    info "caught";
}
items = {1, 2};
last = items.size() + total / 0;
info "never";
"""


def test_exception_breakpoints_and_post_mortem(client: DapClient, tmp_path: Path) -> None:
    path = tmp_path / "errors.dg"
    path.write_text(ERRORS, encoding="utf-8")
    client.request("initialize", adapterID="deluge")
    client.request("launch", program=str(path))
    client.event("initialized")
    client.request("setExceptionBreakpoints", filters=["raised", "uncaught"])
    client.request("configurationDone")
    stop = client.stopped()
    assert stop["reason"] == "exception" and stop["frames"][0]["line"] == 4
    assert "division by zero" in stop["text"]
    assert client.request("exceptionInfo", threadId=1)["breakMode"] == "always"
    client.request("continue", threadId=1)
    stop = client.stopped()  # the uncaught one, where it is raised: the run is still live
    assert stop["reason"] == "exception" and stop["frames"][0]["line"] == 11
    assert client.request("exceptionInfo", threadId=1)["breakMode"] == "always"
    client.request("continue", threadId=1)  # one stop per error: no second, post-mortem stop for it
    assert client.event("exited") == {"exitCode": 1}
    assert client.output() == "caught\n"
    assert "errors.dg:11:" in client.output("stderr") and "division by zero" in client.output("stderr")
    assert sum(1 for event in client.seen if event["event"] == "stopped") == 2


def test_post_mortem_on_an_uncaught_error(client: DapClient, tmp_path: Path) -> None:
    path = tmp_path / "errors.dg"
    path.write_text(ERRORS, encoding="utf-8")
    client.start(str(path))  # uncaught errors stop by default; the caught one does not
    stop = client.stopped()
    assert stop["reason"] == "exception" and stop["frames"][0]["line"] == 11
    info = client.request("exceptionInfo", threadId=1)
    assert info["breakMode"] == "unhandled" and "errors.dg:11" in info["details"]["message"]
    scopes = client.request("scopes", frameId=stop["frames"][0]["id"])["scopes"]
    local = {v["name"]: v for v in client.request("variables", variablesReference=scopes[0]["variablesReference"])["variables"]}
    assert local["total"]["value"] == "5" and local["items"]["value"] == "1,2"
    error = client.failing("setVariable", variablesReference=scopes[0]["variablesReference"], name="total", value="1")
    assert "can be read but not changed" in error
    assert client.request("evaluate", expression="total * 3", frameId=1)["result"] == "15"
    client.request("continue", threadId=1)
    assert client.event("exited") == {"exitCode": 1}
    assert client.output() == "caught\n"


# Long enough (2,000 x 2,000 iterations) that the pause always lands in the loop, even on a fast
# or a loaded machine; disconnect ends it early.
LOOP = """\
count = 0;
info "looping";
for each i in leftpad("", 2000).toList("")
{
    for each j in leftpad("", 2000).toList("")
    {
        count = count + 1;
    }
}
info count;
"""


def test_pause_set_variable_and_disconnect(client: DapClient, tmp_path: Path) -> None:
    path = tmp_path / "loop.dg"
    path.write_text(LOOP, encoding="utf-8")
    client.start(str(path), maxStatements=100_000_000)
    assert client.event("output")["output"] == "looping\n"  # the run has started: the pause lands in the loop
    client.request("pause", threadId=1)
    stop = client.stopped()
    assert stop["reason"] == "pause" and stop["frames"][0]["line"] in (3, 5, 7), stop
    scopes = client.request("scopes", frameId=stop["frames"][0]["id"])["scopes"]
    local = scopes[0]["variablesReference"]
    changed = client.request("setVariable", variablesReference=local, name="count", value="-1000000")
    assert changed["value"] == "-1000000"
    assert client.request("evaluate", expression="count < 0", frameId=1)["result"] == "true"
    client.request("disconnect")
    assert client.process.wait(timeout=60) == 0
    assert "count" not in client.output()


def test_a_client_that_goes_away_mid_run_stops_it(tmp_path: Path, script: Path) -> None:
    client = DapClient()
    client.start(str(script), [{"line": 10}])
    client.stopped()
    assert client.process.stdin is not None
    client.process.stdin.close()
    assert client.process.wait(timeout=60) == 0
    assert "3\n" not in client.output()
    client.close()


def test_launch_errors_are_clear(client: DapClient, tmp_path: Path) -> None:
    client.request("initialize", adapterID="deluge")
    missing = client.failing("launch", program=str(tmp_path / "nope.dg"))
    assert "nope.dg" in missing
    assert client.failing("launch") == "launch needs 'program': the path of the .dg script to debug"
    bad = tmp_path / "bad.dg"
    bad.write_text("x = ;\n", encoding="utf-8")
    syntax = client.failing("launch", program=str(bad))
    assert "bad.dg:1:5" in syntax and "^" in syntax
    assert "not supported" in client.failing("gotoTargets")
    assert "Traceback" not in client.output("stderr")


def test_script_arguments_from_launch(client: DapClient, tmp_path: Path) -> None:
    path = tmp_path / "args.dg"
    path.write_text('info name + " " + count;\n', encoding="utf-8")
    client.request("initialize", adapterID="deluge")
    client.request("launch", program=str(path), args={"name": "Ann", "count": 3}, stopOnEntry=True)
    client.event("initialized")
    client.request("configurationDone")
    stop = client.stopped()
    arguments = client.scope_variables(stop["frames"][0]["id"], "Arguments")
    assert arguments["name"]["value"] == "Ann" and arguments["count"]["type"] == "Number"
    client.request("continue", threadId=1)
    client.event("terminated")
    assert client.output() == "Ann 3\n"


def test_context_scope_holds_what_the_product_injects(client: DapClient, tmp_path: Path) -> None:
    path = tmp_path / "books.dg"
    path.write_text('name = organization.get("name");\ninfo name;\n', encoding="utf-8")
    client.request("initialize", adapterID="deluge")
    client.request("launch", program=str(path), context="books", stopOnEntry=True)
    client.event("initialized")
    client.request("configurationDone")
    stop = client.stopped()
    frame = stop["frames"][0]["id"]
    names = [scope["name"] for scope in client.request("scopes", frameId=frame)["scopes"]]
    assert names == ["Locals", "Arguments", "Context"]
    context = client.scope_variables(frame, "Context")
    assert list(context) == ["organization"] and context["organization"]["variablesReference"] > 0
    assert client.scope_variables(frame, "Locals") == {}
    client.request("continue", threadId=1)
    assert client.event("exited") == {"exitCode": 0}
    assert client.output() == context["organization"]["value"].split('"name":"')[1].split('"')[0] + "\n"


def test_a_client_that_goes_away_while_the_script_runs_stops_it(tmp_path: Path) -> None:
    path = tmp_path / "loop.dg"
    path.write_text(LOOP, encoding="utf-8")
    client = DapClient()
    try:
        client.start(str(path), maxStatements=100_000_000, timeout=600)
        assert client.process.stdin is not None
        client.process.stdin.close()  # mid-run, not paused
        assert client.process.wait(timeout=60) == 0
        assert "count" not in client.output() and "4000000" not in client.output()
    finally:
        client.close()
