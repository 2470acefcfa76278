"""`deluge-lite run --sandbox` end to end in a subprocess: links, Zoho URLs, stubs, seeds, --db, --module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, script: str, *options: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "script.dg"
    path.write_text(script, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--sandbox", *options, str(path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_a_script_using_several_services_runs_to_the_end(tmp_path: Path) -> None:
    script = (
        'lead = zoho.crm.getRecords("Leads", 1, 1, Map(), "zcrm").get(0);\n'
        'r = invokeurl [ url: "https://www.zohoapis.eu/crm/v6/Leads/" + lead.get("id") type: GET '
        'connection: "zcrm" ];\n'
        'c = zoho.creator.createRecord("me", "shop", "Orders", {"Item": "Pen"}, Map(), "creator_conn");\n'
        'o = zoho.creator.getRecords("me", "shop", "All_Orders", "Item == \\"Pen\\"", 1, 10, "creator_conn");\n'
        'b = zoho.books.createRecord("contacts", "42", {"contact_name": lead.get("Last_Name")}, "books");\n'
        'zoho.cliq.postToChannel("sales", "New order: " + o.get("data").get(0).get("Item"), "cliq");\n'
        'info r.get("data").get(0).get("id") == lead.get("id");\n'
        'info c.get("code") + " " + b.get("message");\n')
    proc = _run(tmp_path, script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "true\n3000 The contact has been created.\n"
    notices = [line for line in proc.stderr.splitlines() if line.startswith("sandbox: connection")]
    assert notices == ["sandbox: connection 'zcrm' is bound to the fake Zoho CRM",
                       "sandbox: connection 'creator_conn' is bound to the fake Zoho Creator",
                       "sandbox: connection 'books' is bound to the fake Zoho Books",
                       "sandbox: connection 'cliq' is bound to the fake Zoho Cliq"]
    assert "--- cliq message 1 to channel:sales ---\nNew order: Pen" in proc.stderr
    assert "Traceback" not in proc.stderr and "Zoho-oauthtoken" not in proc.stderr


def test_other_hosts_are_offline_unless_stubbed(tmp_path: Path) -> None:
    script = 'r = invokeurl [ url: "https://api.rates.test/v1/latest?base=USD" type: GET ];\ninfo r.get("EUR");\n'
    offline = _run(tmp_path, script)
    assert offline.returncode == 1
    assert "script.dg:1:5: error: offline: the sandbox does not reach api.rates.test" in offline.stderr
    assert "--stub https://api.rates.test/v1=FILE.json" in offline.stderr and "Traceback" not in offline.stderr
    answer = tmp_path / "rates.json"
    answer.write_text(json.dumps({"EUR": 0.9}))
    stubbed = _run(tmp_path, script, "--stub", f"https://api.rates.test/v1={answer}")
    assert stubbed.returncode == 0, stubbed.stderr
    assert stubbed.stdout == "0.9\n"
    not_faked = _run(tmp_path, 'r = invokeurl [ url: "https://fsm.zoho.com/fsm/v1/x" type: GET ];\n')
    assert not_faked.returncode == 1 and "does not fake Zoho FSM (fsm.zoho.com)" in not_faked.stderr


def test_connectors_answer_from_a_stub(tmp_path: Path) -> None:
    answer = tmp_path / "sms.json"
    answer.write_text('{"sid": "SM1"}')
    proc = _run(tmp_path, 'r = zoho.crm.invokeConnector("twilio.sendsms", {"to": "+1555"});\n'
                          'info r.get("response").toMap().get("sid");\n', "--stub", f"connector:twilio.sendsms={answer}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "SM1\n" and "crm action 1: connector:twilio.sendsms" in proc.stderr


def test_bad_sandbox_options_are_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    for options, words in ((["--stub", f"https://a.test={bad}"], "is not valid JSON"),
                           (["--stub", "https://a.test"], "must be URL_PREFIX=FILE.json"),
                           (["--stub", f"https://a.test={tmp_path / 'none.json'}"], "does not exist"),
                           (["--module", "9x"], "must be NAME or NAME:FIELD"),
                           (["--db", str(tmp_path)], "is not a file")):
        proc = _run(tmp_path, "info 1;\n", *options)
        assert proc.returncode == 2, (options, proc.stderr)
        assert words in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    script = tmp_path / "plain.dg"
    script.write_text("info 1;\n")
    alone = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--stub", f"https://a.test={bad}",
                            str(script)], capture_output=True, text=True, timeout=60)
    assert alone.returncode == 2 and "--stub only goes with --sandbox" in alone.stderr


def test_db_keeps_records_between_runs_and_seeds_other_services(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"Leads": [{"Last_Name": "Seeded"}], "creator": {"Orders": [{"Item": "Cap"}]},
                                "books": {"contacts": [{"contact_name": "Old Co"}]}}))
    db = tmp_path / "store.db"
    first = _run(tmp_path, 'zoho.creator.createRecord("o", "a", "Orders", {"Item": "Pen"}, Map(), "c");\n'
                           'info zoho.books.getRecords("contacts", "1", Map(), "b").get("contacts").size();\n',
                 "--seed", str(seed), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert first.stdout == "1\n"
    second = _run(tmp_path, 'r = zoho.creator.getRecords("o", "a", "All_Orders", "", 1, 10, "c");\n'
                            'for each o in r.get("data") { info o.get("Item"); }\n'
                            'info zoho.crm.searchRecords("Leads", "(Last_Name:equals:Seeded)").size();\n',
                  "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert second.stdout == "Cap\nPen\n1\n"


def test_custom_modules_and_invalid_module(tmp_path: Path) -> None:
    script = ('ok = zoho.crm.createRecord("Projects", {"Name": "Apollo"});\n'
              'miss = zoho.crm.createRecord("Projects", {"Other": 1});\n'
              'bad = zoho.crm.getRecords("Spaceships");\n'
              'info ok.get("id") != null;\ninfo miss.get("code");\ninfo bad.get("code");\n')
    proc = _run(tmp_path, script, "--module", "Projects:Name", "--trace")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "true\nMANDATORY_NOT_FOUND\nINVALID_MODULE\n"
    assert "trace: GET https://www.zohoapis.com/crm/v2/Spaceships" in proc.stderr and "-> 400" in proc.stderr


def test_seed_file_with_a_bad_service_section(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"creator": [1, 2]}))
    proc = _run(tmp_path, "info 1;\n", "--seed", str(seed))
    assert proc.returncode == 2 and "creator must be an object of collections" in proc.stderr


def test_functions_execute_runs_the_scripts_own_function(tmp_path: Path) -> None:
    script = ('string standalone.greet(String who)\n{\n\treturn "hello " + who;\n}\n'
              'r = invokeurl [ url: "https://www.zohoapis.com/crm/v7/functions/greet/actions/execute" type: POST '
              'parameters: {"arguments": {"who": "Ana"}.toString()} connection: "zcrm" ];\n'
              'info r.get("details").get("output");\n'
              'm = invokeurl [ url: "https://www.zohoapis.com/crm/v7/functions/nope/actions/execute" type: POST '
              'connection: "zcrm" ];\ninfo m.get("code");\n')
    proc = _run(tmp_path, script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hello Ana\nINVALID_DATA\n"


def test_writes_before_a_failure_stay_in_the_db(tmp_path: Path) -> None:
    db = tmp_path / "keep.db"
    failing = _run(tmp_path, 'zoho.crm.createRecord("Leads", {"Last_Name": "Before"});\n'
                             'x = invokeurl [ url: "https://api.elsewhere.test/v1/x" type: GET ];\n', "--db", str(db))
    assert failing.returncode == 1 and "offline" in failing.stderr
    later = _run(tmp_path, 'info zoho.crm.searchRecords("Leads", "(Last_Name:equals:Before)").size();\n',
                 "--db", str(db))
    assert later.returncode == 0, later.stderr
    assert later.stdout == "1\n"


def test_the_sandbox_command_config_serves_each_service(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "deluge_lite", "sandbox", "--dir", str(tmp_path / "sb")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        while line and not line.startswith("press Ctrl-C"):
            line = proc.stdout.readline()  # type: ignore[union-attr]
        config = (tmp_path / "sb" / "deluge.toml").read_text()
        assert all(f"[connections.{name}]" in config for name in ("zoho_crm", "zoho_desk", "zoho_cliq", "zoho_books"))
        script = tmp_path / "tasks.dg"
        script.write_text('info zoho.desk.create("1", "tickets", {"subject": "x"}).get("ticketNumber");\n'
                          'info zoho.cliq.postToChannel("c", "hi");\n'
                          'info zoho.books.getRecords("contacts", "1").get("code");\n')
        run = subprocess.run([sys.executable, "-m", "deluge_lite", "run", "--config", str(tmp_path / "sb" / "deluge.toml"),
                              str(script)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stdout == "101\n{}\n0\n"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_real_config_is_never_used_with_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "deluge.toml").write_text('[services.acme]\nauth_type = "api_key"\napi_domain = "https://api.acme.test"\n'
                                          'param_name = "key"\nparam_type = "query"\n\n'
                                          '[connections.mine]\nservice = "acme"\napi_key = "REAL-SECRET-123"\n')
    proc = _run(tmp_path, 'r = invokeurl [ url: "https://www.zohoapis.com/crm/v2/org" type: GET connection: "mine" ];\n'
                          'info r.get("org").get(0).get("company_name");\n')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Sandbox Inc\n"
    assert "sandbox: connection 'mine' is bound to the fake Zoho CRM" in proc.stderr
    assert "REAL-SECRET-123" not in proc.stderr
    refused = _run(tmp_path, "info 1;\n", "--config", str(tmp_path / "deluge.toml"))
    assert refused.returncode == 2 and "leave out --config" in refused.stderr
