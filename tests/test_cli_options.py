"""The log options are one argparse parent: the same names, defaults and checks in every command."""

from __future__ import annotations

import pytest

from waitlab.cli import build_parser, main

#: Each log-reading command with the extra arguments it requires.
COMMANDS = {"ingest": ["-o", "c.csv"], "report": [], "staff": [], "replay": []}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_log_command_reads_the_same_options_into_the_same_names(command):
    parser = build_parser()
    extra = COMMANDS[command]
    args = parser.parse_args([command, "log.csv", "--format", "acd", "--mapping", "acd_default", "--tz",
                              "Europe/Madrid", "--encoding", "latin-1", "--sep", ";", "--dayfirst", *extra])
    got = {k: getattr(args, k) for k in ("log", "format", "mapping", "tz", "encoding", "sep", "dayfirst")}
    assert got == {"log": "log.csv", "format": "acd", "mapping": "acd_default", "tz": "Europe/Madrid",
                   "encoding": "latin-1", "sep": ";", "dayfirst": True}
    assert parser.parse_args([command, "log.csv", "--monthfirst", *extra]).dayfirst is False
    bare = parser.parse_args([command, "log.csv", *extra])  # nothing required: the format is detected
    assert (bare.format, bare.mapping, bare.tz, bare.encoding, bare.sep, bare.dayfirst) == (None,) * 6


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_format_typo_gets_the_list_of_formats(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "log.csv", "--format", "acdd", *COMMANDS[command]])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'acdd' (choose from 'kiosk', 'acd', 'asterisk', 'seelab', 'contacts')" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_log_is_one_line_and_status_2(command, tmp_path, capsys):
    extra = ["-o", str(tmp_path / "c.csv")] if command == "ingest" else []
    assert main([command, str(tmp_path / "nope.csv"), *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"waitlab {command}: {tmp_path / 'nope.csv'}: no such file; check the path."]


def test_an_output_that_cannot_be_written_is_one_line_and_status_2(tmp_path, capsys):
    log = tmp_path / "acd.csv"
    log.write_text("call_id,site,queue,entered_at,answered_at,ended_at,agent,outcome,customer_id,priority\n"
                   "g1,Centro,ventas,2024-05-13 09:00:00,2024-05-13 09:01:00,2024-05-13 09:05:00,ag1,answered,cg1,0\n",
                   encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["ingest", str(log), "--format", "acd", "-o", str(blocker / "c.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("waitlab ingest: ") and str(blocker) in err[0]
    assert "Traceback" not in err[0]


def test_simulate_and_plan_find_bundled_examples_by_name(tmp_path, capsys):
    assert main(["simulate", "mmc", "-n", "2", "--seed", "1", "--json", "--no-progress"]) == 0
    assert '"scenario"' in capsys.readouterr().out
    assert main(["simulate", "nope", "-n", "2"]) == 2
    assert "name of a bundled example (branch, branch12h, mmc)" in capsys.readouterr().err
