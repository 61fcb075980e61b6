"""Channel-aware defaults and the consultant's report, on hand-built logs whose answers are known."""

import html as htmlmod

import openpyxl
import pandas as pd
import pytest

import waitlab
from waitlab.cli import main
from waitlab.exceptions import ArgumentError
from waitlab.report import compute_report, write_report
from waitlab.schema import coerce_contacts

TZ = "America/Argentina/Buenos_Aires"


def _calls(waits_s, outcomes, channel="phone", day="2025-03-03", queue="Ventas", start="10:00"):
    """One call every 2 minutes from `start`; waits in seconds; served calls talk 60 s."""
    t0 = pd.Timestamp(f"{day} {start}")
    rows = []
    for i, (w, o) in enumerate(zip(waits_s, outcomes, strict=True)):
        arr = t0 + pd.Timedelta(minutes=2 * i)
        called = arr + pd.Timedelta(seconds=w)
        served = o == "served"
        rows.append({"contact_id": f"{channel[0]}{day}-{i}", "queue": queue, "site": "Sitio", "channel": channel,
                     "arrived_at": arr, "called_at": called if served else None,
                     "started_at": called if served else None,
                     "ended_at": called + pd.Timedelta(seconds=60) if served else called,
                     "outcome": o, "server": "d1" if served else None})
    return coerce_contacts(pd.DataFrame(rows), tz=TZ)


def test_phone_defaults_are_the_call_centre_ones():
    d = waitlab.defaults_for(_calls([5, 30], ["served", "served"]))
    assert (d.channel, d.sl_threshold, d.sl_share, d.rules, d.time_unit) == ("phone", 20.0, 0.8, None, "s")
    en = " ".join(d.sentences("en"))
    assert "No wait-limit rule set" in en and "80% answered within 20 s (this channel's default)" in en
    assert "Sin norma de límites de espera" in " ".join(d.sentences("es"))


def test_kiosk_defaults_are_the_branch_ones_and_given_values_win():
    kiosk = _calls([60], ["served"], channel="kiosk")
    d = waitlab.defaults_for(kiosk)
    assert (d.sl_threshold, d.rules, d.time_unit) == (900.0, "CABA", "min")
    asked = waitlab.defaults_for(kiosk, rules=None, sl_threshold=600, sl_share=0.9)
    assert (asked.sl_threshold, asked.sl_share, asked.rules) == (600.0, 0.9, None)
    assert "No wait-limit rule set, as asked." in asked.sentences("en")
    assert "(as asked)" in asked.sentences("en")[1]
    with pytest.raises(ArgumentError, match="sl_share"):
        waitlab.defaults_for(kiosk, sl_share=80)


def test_a_log_with_both_channels_is_split():
    mixed = pd.concat([_calls([5], ["served"]), _calls([60], ["served"], channel="kiosk")], ignore_index=True)
    d = waitlab.defaults_for(mixed)
    assert d.channel == "mixed" and set(d.parts) == {"phone", "kiosk"}
    assert d.parts["phone"].rules is None and d.parts["kiosk"].rules == "CABA"
    data = compute_report(mixed)
    assert {ch: len(p.contacts) for ch, p in data.parts.items()} == {"phone": 1, "kiosk": 1}


def test_phone_report_numbers_and_no_compliance(tmp_path):
    # 10 calls: waits 0,10,...,90 s; 8 served, the 30 s and 90 s calls abandon.
    # Within 20 s and served: 0, 10, 20 -> SL = 3/10 = 30 %; ASA = (0+10+20+40+50+60+70+80)/8 = 41.25 s.
    waits = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]
    outcomes = ["served"] * 3 + ["abandoned"] + ["served"] * 5 + ["abandoned"]
    paths = write_report(_calls(waits, outcomes), tmp_path, lang="en")
    page = htmlmod.unescape(paths["html"].read_text("utf-8"))
    assert "Service level (20 s)<b>30.0%</b>" in page
    assert "<b>41 s</b>" in page  # ASA 41.25 s
    assert "Only 30.0% were answered within 20 s, below the target of 80%." in page
    assert "Regulatory compliance" not in page and "no wait-limit rule set was judged" in page
    assert "Abandonment rate<b>20.0%</b>" in page


def test_kiosk_report_uses_minutes_and_a_branch_threshold(tmp_path):
    # waits 5, 10, 20 min, all served: within 15 min -> SL 2/3
    kiosk = _calls([300, 600, 1200], ["served"] * 3, channel="kiosk")
    page = htmlmod.unescape(write_report(kiosk, tmp_path, lang="es")["html"].read_text("utf-8"))
    assert "Nivel de servicio (15,0 min)<b>66,7 %</b>" in page
    assert "Norma de límites de espera: CABA (valor por omisión para este canal)." in page
    assert "Espera media (min)" in page


def test_daily_trend_flags_the_missing_day_not_the_closed_ones():
    days = ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-10", "2025-03-12"]  # Tue 11 missing
    log = pd.concat([_calls([5], ["served"], day=d) for d in days], ignore_index=True)
    daily = compute_report(log).daily
    assert [str(d) for d in daily.loc[daily["missing"], "day"]] == ["2025-03-11"]
    assert [str(d) for d in daily.loc[daily["closed"], "day"]] == ["2025-03-06", "2025-03-07", "2025-03-08", "2025-03-09"]


def test_too_few_leavers_give_not_enough_data_not_a_patience_number(tmp_path):
    # one abandonment after 60 s, nine served after 600 s: too few leavers to choose any fit
    log = _calls([60] + [600] * 9, ["abandoned"] + ["served"] * 9)
    data = compute_report(log)
    assert not data.patience.enough_data and not data.patience_simple
    # the simple estimate is still computed: total time waited / abandonments = (60 + 9 * 600) / 1
    assert data.patience.mean_patience == pytest.approx(60 + 9 * 600)
    page = htmlmod.unescape(write_report(log, tmp_path, lang="en")["html"].read_text("utf-8"))
    assert "Mean patience: not enough data (1 left; 10 needed)" in page
    assert "Mean patience of those waiting" not in page  # no number in the plain-words summary


def test_workbook_is_localised_and_neutralised(tmp_path):
    log = _calls([5, 30, 300], ["served", "served", "abandoned"], queue='=HYPERLINK("http://evil")')
    book = openpyxl.load_workbook(write_report(log, tmp_path, lang="es")["excel"])
    assert {"Resumen", "Criterios", "Por cola", "Por horario", "Día y hora", "Por día", "Dotación"} <= set(book.sheetnames)
    for ws in book.worksheets:
        header = [c.value for c in ws[1]]
        assert not any("_" in str(h) for h in header if h), (ws.title, header)
        assert ws.freeze_panes == "A2"
        values = {c.value for row in ws.iter_rows() for c in row}
        assert not any(isinstance(v, bool) or v in ("True", "False") for v in values), ws.title
        assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in values), ws.title
    by_queue = book["Por cola"]
    header = [c.value for c in by_queue[1]]
    assert by_queue.cell(2, 1).value == "'=HYPERLINK(\"http://evil\")"
    sl = by_queue.cell(2, header.index("Nivel de servicio") + 1)
    assert sl.number_format == "0.0%" and sl.value == pytest.approx(1 / 3)
    page = htmlmod.unescape((tmp_path / "report.html").read_text("utf-8"))
    assert "<td>'=HYPERLINK(\"http://evil\")</td>" in page


def test_cli_report_defaults_follow_the_channel(tmp_path, capsys):
    log = tmp_path / "calls.parquet"
    _calls([5, 30], ["served", "served"]).to_parquet(log)
    assert main(["report", str(log), "--format", "contacts", "-o", str(tmp_path / "a"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "No wait-limit rule set" in out and "within 20 s" in out
    assert "Regulatory compliance" not in (tmp_path / "a" / "report.html").read_text("utf-8")
    assert main(["report", str(log), "--format", "contacts", "-o", str(tmp_path / "b"), "--lang", "en",
                 "--rules", "CABA", "--sl-threshold", "60"]) == 0
    out = capsys.readouterr().out
    assert "Wait-limit rule set: CABA (as asked)." in out and "within 1.0 min (as asked)" in out
    assert "Regulatory compliance" in (tmp_path / "b" / "report.html").read_text("utf-8")
