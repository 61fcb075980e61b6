"""What-if page body: a real day as a scenario, its desk schedule edited, both simulated and compared.

The flow: pick a site and a day of the log (default the busiest) -> :meth:`waitlab.sim.Scenario.from_log`
gives "the day as it was" (arrival rates, service and patience, desk groups with the desks open
per interval) -> the schedule is shown in an editable table -> on *Simulate*, the baseline and
the edited scenario run with the same seed (common random numbers, see ``_sim.py``) and the page
compares their KPIs with 95 % intervals, the mean wait by interval with bands, and the
probability that a day breaches each limit of the rule set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import _data
import _sim
import _ui
import altair as alt
import i18n
import numpy as np
import pandas as pd
import streamlit as st
from i18n import t

from waitlab.exceptions import WaitlabError

#: Schedule interval widths offered (the library reads them: :func:`waitlab.parse_interval`).
INTERVALS = ["1h", "30min"]
#: KPIs of the comparison table, in order, and how each is shown.
ROWS = {
    "wait_mean": "dur", "wait_p90": "dur", "wait_max": "dur", "asa": "dur", "sl_offered": "pct",
    "prob_wait": "pct", "abandon_rate": "pct", "served": "num", "waiting_max": "num", "desk_hours": "num",
    "occupancy_scheduled": "pct", "overrun_s": "dur", "breaching_share": "pct",
}
SIM_ONLY = {"prob_wait", "desk_hours", "occupancy_scheduled", "overrun_s", "breaching_share"}
RUN_STATE = "wif_ran"


def _fmt(kind: str, v: Any) -> str:
    return {"dur": i18n.fmt_duration, "pct": i18n.fmt_pct}.get(kind, lambda x: i18n.fmt_num(x, 1))(v)


def _fmt_diff(kind: str, d: float) -> str:
    """A signed difference: ``+2,5 min``, ``-3,0 pp`` (percentage points), ``+1,0``."""
    if d != d:
        return i18n.DASH
    sign = "+" if d > 0 else ""
    if kind == "pct":
        return f"{sign}{i18n.fmt_num(100.0 * d, 1)} pp"
    if kind == "dur":
        return sign + i18n.fmt_duration(d)
    return sign + i18n.fmt_num(d, 1)


def _ci(kind: str, lo: float, hi: float) -> str:
    return i18n.DASH if lo != lo else f"{_fmt(kind, lo)} – {_fmt(kind, hi)}"


def _label(kpi: str) -> str:
    return t(f"wif.kpi_{kpi}") if kpi in SIM_ONLY else t(f"kpi.{kpi}")


def _pick_day(loaded: Any) -> tuple[str, pd.DataFrame, dt.date, str] | None:
    """Site, its contacts, the day and the interval width chosen (None when there is nothing to simulate)."""
    c = loaded.contacts
    sites = sorted(str(s) for s in c["site"].dropna().unique())
    if not sites:
        st.warning(t("flt.empty"))
        return None
    cols = st.columns([2, 2, 1]) if len(sites) > 1 else [None, *st.columns([4, 1])]
    site = _ui.selectbox(t("flt.site"), sites, "wif_site", sites[0], where=cols[0]) if len(sites) > 1 else sites[0]
    part = c.loc[(c["site"] == site).fillna(False).to_numpy(dtype=bool)]
    counts = part["arrived_at"].dt.date.value_counts().sort_index()
    busiest = counts.idxmax()
    days = list(counts.index)
    if _ui.kept("wif_day") not in days:  # another dataset or site: start again from its busiest day
        for k in ("keep.wif_day", *(f"wif_day.{lang}" for lang in i18n.LANGS)):
            st.session_state.pop(k, None)

    def day_label(d: dt.date) -> str:
        text = t("wif.day_option", date=i18n.fmt_date(d), n=i18n.fmt_int(counts[d]))
        return text + (f" · {t('wif.busiest')}" if d == busiest else "")

    day = _ui.selectbox(t("wif.day"), days, "wif_day", busiest, where=cols[1], format_func=day_label)
    width = _ui.selectbox(t("wif.interval"), INTERVALS, "wif_width", "1h", where=cols[2],
                          format_func=lambda f: t(f"freq.{f}"))
    return site, part, day, width


def _edit_schedule(base: Any, base_toml: str) -> pd.DataFrame:
    """The editable table of desks open per group and interval; edits survive page and language changes."""
    ekey = "wif_sched_" + hashlib.sha256(base_toml.encode()).hexdigest()[:12]
    keep = f"keep.{ekey}"
    start = _sim.schedule(base)

    def reset() -> None:
        st.session_state.pop(keep, None)
        st.session_state.pop(ekey, None)

    config: dict[str, Any] = {"time": st.column_config.TextColumn(t("wif.time"), disabled=True)}
    for g in base.desks:
        config[g.name] = st.column_config.NumberColumn(
            g.name, min_value=0, max_value=99, step=1, format="%d",
            help=t("wif.group_help", queues=", ".join(g.serves), peak=i18n.fmt_int(max(g.open, default=0))),
        )
    data = st.session_state.get(keep, start)
    edited = st.data_editor(data, key=ekey, num_rows="fixed", hide_index=True, column_config=config,
                            disabled=["time"], width="stretch")
    st.session_state[keep] = edited
    st.button(t("wif.reset"), key="wif_reset", on_click=reset, icon=":material/undo:")
    return edited


def _settings(contacts: pd.DataFrame) -> tuple[int, int, str | None, int | None, float]:
    c1, c2, c3, c4 = st.columns([2, 1, 2, 1])
    reps = int(_ui.slider(t("wif.replications"), "wif_reps", 100, where=c1, min_value=10, max_value=500, step=10,
                          help=t("wif.replications_help")))
    seed = int(_ui.number(t("wif.seed"), "wif_seed", 1, where=c2, min_value=0, step=1, help=t("wif.seed_help")))
    branch = set(contacts["channel"].dropna().unique()) == {"kiosk"}  # the shipped rule sets are for branches
    rules = _ui.selectbox(t("cmp.rules"), [None, *_data.rule_sets()], "wif_rules",
                          _ui.kept("cmp_rules", "CABA") if branch else None,
                          where=c3, format_func=lambda r: t("wif.no_rules") if r is None else r,
                          help=t("wif.rules_help"))
    seats = _ui.number(t("cmp.seats"), "cmp_seats", None, where=c4, min_value=0, step=1,
                       placeholder=t("cmp.seats_unknown"), help=t("cmp.seats_help"))
    sl = float(_ui.kept("ov_sl", _ui.default_sl_threshold(contacts)))
    return reps, seed, rules, None if seats is None else int(seats), sl


def _cards(base: _sim.SimRun, new: _sim.SimRun, rules: str | None) -> None:
    cards = st.columns(4)
    b, n = base.summary.loc["wait_mean", "mean"], new.summary.loc["wait_mean", "mean"]
    cards[0].metric(t("wif.metric_base", kpi=t("kpi.wait_mean")), i18n.fmt_duration(b), border=True)
    cards[1].metric(t("wif.metric_new", kpi=t("kpi.wait_mean")), i18n.fmt_duration(n), _fmt_diff("dur", n - b),
                    delta_color="inverse" if n != b else "off", delta_arrow="auto" if n != b else "off", border=True)
    kpi = t("wif.sl_card")  # short enough for a quarter-width card; the definition is its help
    b, n = base.summary.loc["sl_offered", "mean"], new.summary.loc["sl_offered", "mean"]
    cards[2].metric(t("wif.metric_base", kpi=kpi), i18n.fmt_pct(b), border=True, help=t("wif.sl_card_help"))
    cards[3].metric(t("wif.metric_new", kpi=kpi), i18n.fmt_pct(n), _fmt_diff("pct", n - b),
                    delta_color="normal" if n != b else "off", delta_arrow="auto" if n != b else "off", border=True,
                    help=t("wif.sl_card_help"))
    if rules is None or not len(base.breach_probability):
        return
    # one headline per limit of the rule set: "any limit" alone hides a limit that went from 80 % to 28 % of days
    limits = {lim.id: t(f"dash.limit_{lim.kind}", m=i18n.fmt_num(lim.minutes, 0)) for lim in _data.rule_set(rules).limits}
    ids = [rid for rid in base.breach_probability.index if rid != "any"] or list(base.breach_probability.index)
    row = st.columns(min(len(ids), 3))
    for k, rid in enumerate(ids):
        b, n = base.breach_probability.loc[rid, "probability"], new.breach_probability.loc[rid, "probability"]
        row[k % len(row)].metric(
            t("dash.p_breach_rule", rule=limits.get(rid, t("wif.rule_any") if rid == "any" else str(rid))),
            f"{i18n.fmt_pct(b)} → {i18n.fmt_pct(n)}", _fmt_diff("pct", n - b),
            delta_color="inverse" if n != b else "off", delta_arrow="auto" if n != b else "off", border=True,
            help=t("dash.p_breach_help"))


def _kpi_table(base: _sim.SimRun, new: _sim.SimRun) -> pd.DataFrame:
    """Baseline and what-if means with 95 % intervals, and the paired difference (same seed) with its own."""
    from waitlab.sim import compare

    diffs = compare(base.result, new.result).table
    rows = []
    for kpi, kind in ROWS.items():
        if kpi not in diffs.index:
            continue
        bs, ns = base.summary.loc[kpi], new.summary.loc[kpi]
        d, dlo, dhi = diffs.loc[kpi, ["difference", "ci_low", "ci_high"]]
        rows.append({
            t("wif.col_kpi"): _label(kpi),
            t("wif.col_base"): _fmt(kind, bs["mean"]), t("wif.col_base_ci"): _ci(kind, bs["ci_low"], bs["ci_high"]),
            t("wif.col_new"): _fmt(kind, ns["mean"]), t("wif.col_new_ci"): _ci(kind, ns["ci_low"], ns["ci_high"]),
            t("wif.col_diff"): _fmt_diff(kind, d),
            t("wif.col_diff_ci"): i18n.DASH if dlo != dlo else f"{_fmt_diff(kind, dlo)} … {_fmt_diff(kind, dhi)}",
        })
    return pd.DataFrame(rows, dtype="string")


def _breach_table(base: _sim.SimRun, new: _sim.SimRun, rules: str) -> pd.DataFrame:
    limits = {lim.id: t(f"cmp.kind_{lim.kind}", m=i18n.fmt_num(lim.minutes, 0)) for lim in _data.rule_set(rules).limits}
    rows = []
    for rid in base.breach_probability.index:
        b, n = base.breach_probability.loc[rid], new.breach_probability.loc[rid]
        rows.append({
            t("wif.col_rule"): t("wif.rule_any") if rid == "any" else limits.get(rid, str(rid)),
            t("wif.col_base"): i18n.fmt_pct(b["probability"]), t("wif.col_base_ci"): _ci("pct", b["ci_low"], b["ci_high"]),
            t("wif.col_new"): i18n.fmt_pct(n["probability"]), t("wif.col_new_ci"): _ci("pct", n["ci_low"], n["ci_high"]),
        })
    return pd.DataFrame(rows, dtype="string")


def _chart(base: _sim.SimRun, new: _sim.SimRun, observed: pd.DataFrame) -> alt.Chart:
    series = t("wif.series")
    frames = []
    for run, name in ((base, t("wif.base")), (new, t("wif.new"))):
        f = run.by_interval.copy()
        for col in ("mean", "ci_low", "ci_high"):
            f[col] = f[col] / 60.0
        f[series] = name
        frames.append(f)
    sims = pd.concat(frames, ignore_index=True)
    obs = observed.assign(mean=observed["wait_mean"] / 60.0)[["interval_start", "mean"]]
    obs[series] = t("wif.observed")
    lines = pd.concat([sims[["interval_start", "mean", series]], obs], ignore_index=True)
    order = [t("wif.base"), t("wif.new"), t("wif.observed")]
    color = alt.Color(f"{series}:N", title=None, sort=order, legend=alt.Legend(orient="bottom"),
                      scale=alt.Scale(domain=order, range=["#4c78a8", "#f58518", "#7f7f7f"]))
    x = alt.X("interval_start:T", title=t("ov.time"), axis=_ui.time_axis())
    band = alt.Chart(sims).mark_area(opacity=0.22).encode(x=x, y=alt.Y("ci_low:Q", title=t("wif.chart_y")),
                                                          y2="ci_high:Q", color=color)
    line = alt.Chart(lines).mark_line(point=True).encode(
        x=x, y="mean:Q", color=color,
        strokeDash=alt.condition(alt.datum[series] == t("wif.observed"), alt.value([4, 3]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("interval_start:T", title=t("ov.time"), format=_ui.tooltip_time()),
                 alt.Tooltip(f"{series}:N"), alt.Tooltip("mean:Q", title=t("ov.minutes"), format=",.1f")],
    )
    return alt.layer(band, line).properties(height=320)


def _gap(base: _sim.SimRun, logged: Any) -> None:
    """One sentence: the logged day's mean wait against the spread of the simulated as-is days."""
    days = base.result.per_replication["wait_mean"].dropna().to_numpy(dtype=float) / 60.0
    obs = float(logged["wait_mean"]) / 60.0
    if not len(days) or not obs > 0:
        return
    sim = float(days.mean())
    lo, hi = (float(x) for x in np.percentile(days, [2.5, 97.5]))
    inside = t("wif.gap_inside") if lo <= obs <= hi else t("wif.gap_outside")
    st.caption(t("wif.gap", obs=i18n.fmt_num(obs, 1), sim=i18n.fmt_num(sim, 1), lo=i18n.fmt_num(lo, 1),
                 hi=i18n.fmt_num(hi, 1), gap=i18n.fmt_pct(sim / obs - 1.0), inside=inside))


def page(loaded: Any) -> None:
    """The What-if page for the session's dataset `loaded`."""
    picked = _pick_day(loaded)
    if picked is None:
        return
    site, part, day, width = picked
    key = f"{loaded.key}|site={site}"
    try:
        with st.spinner(t("wif.building")):
            base, base_toml = _sim.baseline(key, part, day, width)
    except WaitlabError as exc:
        _ui.show_error(exc)
        return
    arrivals = sum(round(sum(q.rates_per_hour) * base.interval / 3600.0) if q.arrival_times is None
                   else len(q.arrival_times) for q in base.queues)
    st.caption(t("wif.scenario", date=i18n.fmt_date(base.date), n=i18n.fmt_int(arrivals), queues=len(base.queues),
                 groups=len(base.desks), start=i18n.fmt_time(base.start), end=i18n.fmt_time(base.end)))

    st.subheader(t("wif.schedule"))
    st.caption(t("wif.schedule_help"))
    table = _edit_schedule(base, base_toml)
    try:
        new = base
        for g in base.desks:
            new = new.with_desks(g.name, table[g.name].tolist())
    except WaitlabError as exc:
        _ui.show_error(exc)
        return
    new_toml = new.to_toml()
    hb, hn = base.desk_hours(), new.desk_hours()
    st.caption(t("wif.desk_hours", base=i18n.fmt_num(hb, 1), new=i18n.fmt_num(hn, 1), diff=_fmt_diff("num", hn - hb)))

    reps, seed, rules, seats, sl = _settings(part)
    wanted = (base_toml, new_toml, reps, seed, rules, seats, sl)
    if st.button(t("wif.run"), key="wif_run", type="primary", icon=":material/play_arrow:"):
        st.session_state[RUN_STATE] = wanted
    ran = st.session_state.get(RUN_STATE)
    if ran != wanted:
        st.caption(t("wif.stale") if ran is not None else t("wif.press_run"))
        return
    try:
        text = t("wif.running", n=i18n.fmt_int(reps)) + (" " + t("wif.compiling") if _sim.first_simulation() else "")
        with st.spinner(text, show_time=True):
            b = _sim.simulate(base_toml, base, reps, seed, rules, seats, sl)
            n = _sim.simulate(new_toml, new, reps, seed, rules, seats, sl)
        _sim.simulated()
    except WaitlabError as exc:
        _ui.show_error(exc)
        return
    engine = t(f"wif.engine_{b.engine}")
    seconds = b.seconds + (n.seconds if new_toml != base_toml else 0.0)  # the time it took when computed
    st.caption(t("wif.ran", n=i18n.fmt_int(reps), s=i18n.fmt_num(seconds, 1), engine=engine, seed=seed))

    _cards(b, n, rules)
    st.subheader(t("wif.kpis"))
    _ui.table(_kpi_table(b, n), key="wif_kpis")
    st.caption(t("wif.diff_help"))

    st.subheader(t("wif.chart", width=t(f"freq.{width}")))
    day_rows = part.loc[(part["arrived_at"].dt.date == day).to_numpy(dtype=bool)]
    stats = _data.intervals(f"{key}|day={day}", day_rows, width, (), sl)
    observed = _ui.naive_times(stats, "interval_start")
    lo, hi = b.by_interval["interval_start"].min(), b.by_interval["interval_start"].max()
    observed = observed.loc[(observed["interval_start"] >= lo) & (observed["interval_start"] <= hi)]
    _ui.chart(_chart(b, n, observed))
    st.caption(t("wif.chart_help"))
    _gap(b, _data.summary(f"{key}|day={day}", day_rows, sl))

    if rules is not None and len(b.breach_probability):
        st.subheader(t("wif.breach", rules=rules))
        _ui.table(_breach_table(b, n, rules), key="wif_breach")
        st.caption(t("wif.breach_help", n=i18n.fmt_int(reps)))
    else:
        st.caption(t("wif.no_rules_note"))

    st.download_button(t("wif.download"), new_toml.encode("utf-8"), file_name="whatif_scenario.toml",
                       mime="application/toml", key="wif_dl", icon=":material/download:", help=t("wif.download_help"))
    with st.expander(t("common.notes")):
        st.markdown("\n".join(f"- {i18n.lib.note_text(x, i18n.current_lang())}" for x in dict.fromkeys(base.notes))
                    or t("common.none"))

