"""Presentation helpers shared by the pages: localized tables, charts and downloads.

Tables go through a pandas ``Styler`` whose display strings come from the ``i18n``
formatters, so a table shows ``1.234,5`` in Spanish and ``1,234.5`` in English; column
headers are translated through the catalogue's ``col.*`` keys. Charts are Altair charts
configured with the language's Vega locale. CSV downloads are neutralised against formula
injection (:func:`waitlab.report._safe.neutralize_cells`) and use the spreadsheet convention
of the language (``;`` and decimal comma in Spanish).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import altair as alt
import i18n
import pandas as pd
import streamlit as st
from i18n import t

if TYPE_CHECKING:
    from waitlab import Seats

#: How a column is shown: a formatter of one value in the current language.
KINDS: dict[str, Callable[[Any], str]] = {
    "int": lambda v: i18n.fmt_int(v),
    "num": lambda v: i18n.fmt_num(v, 1),
    "num2": lambda v: i18n.fmt_num(v, 2),
    "pct": lambda v: i18n.fmt_pct(v),
    "dur": lambda v: i18n.fmt_duration(v),
    "date": lambda v: i18n.fmt_date(v),
    "datetime": lambda v: i18n.fmt_datetime(v),
    "time": lambda v: i18n.fmt_time(v),
}

#: Rows shown in an on-screen table; the download always has all of them.
MAX_ROWS = 2000


def col_label(name: str) -> str:
    """The translated header of column `name` (the name itself when the catalogue has none)."""
    key = f"col.{name}"
    if key in i18n.STRINGS:
        return t(key)
    if name.startswith("p_wait_gt_") and name.endswith("s"):  # staffing_plan's per-limit columns
        return t("col.p_wait_gt", limit=i18n.fmt_duration(float(name[len("p_wait_gt_"):-1])))
    return name


def guess_kinds(df: pd.DataFrame) -> dict[str, str]:
    """Formatter kinds from dtypes and waitlab's column names (seconds, shares, counts)."""
    kinds: dict[str, str] = {}
    for col in df.columns:
        s = df[col]
        name = str(col)
        if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(s.dtype):
            kinds[name] = "datetime"
        elif pd.api.types.is_bool_dtype(s.dtype):
            continue
        elif pd.api.types.is_integer_dtype(s.dtype):
            kinds[name] = "int"
        elif pd.api.types.is_float_dtype(s.dtype):
            if name.endswith("_s") or name.startswith("wait_") or name in {"mean_service", "asa", "standing_seconds"}:
                kinds[name] = "dur"
            elif "rate" in name or name.startswith("sl_") or name in {"occupancy", "share"}:
                kinds[name] = "pct"
            else:
                kinds[name] = "num"
    return kinds


def table(
    df: pd.DataFrame,
    kinds: Mapping[str, str] | None = None,
    *,
    highlight: pd.Series | None = None,
    height: int | None = None,
    key: str | None = None,
) -> None:
    """Show `df` with localized numbers, dates and headers; rows where `highlight` is True in red."""
    if df.empty:
        st.caption(t("common.empty"))
        return
    shown = df.head(MAX_ROWS).reset_index(drop=True)
    use = {**guess_kinds(shown), **(kinds or {})}
    # headers are renamed in the data itself: st.dataframe draws a Styler's cells but not its relabelled headers
    labels: dict[str, str] = {}
    for c in shown.columns:
        label = col_label(str(c))
        labels[str(c)] = label if label not in labels.values() else f"{label} ({c})"
    shown.columns = [labels[str(c)] for c in shown.columns]
    fmt = {labels[c]: KINDS[k] for c, k in use.items() if c in labels}
    for col, show in list(fmt.items()):  # st.dataframe draws a missing number as "None": show those columns as text
        if shown[col].isna().any():
            shown[col] = [i18n.DASH if pd.isna(v) else show(v) for v in shown[col]]
            del fmt[col]
    styler = shown.style.format(fmt, na_rep=i18n.DASH)
    if highlight is not None:
        flags = highlight.head(MAX_ROWS).reset_index(drop=True).fillna(False).astype(bool)
        styler = styler.apply(
            lambda row: ["background-color: #f8d7da" if flags.iloc[row.name] else "" for _ in row], axis=1
        )
    st.dataframe(styler, hide_index=True, height=height or "auto", key=key, width="stretch")  # never wider than the page
    if len(df) > MAX_ROWS:
        st.caption(t("common.truncated", shown=i18n.fmt_int(MAX_ROWS), total=i18n.fmt_int(len(df))))


def csv_bytes(df: pd.DataFrame, lang: str | None = None) -> bytes:
    """`df` as CSV for a spreadsheet in `lang` (``;`` and decimal comma in Spanish), formula cells neutralised."""
    from waitlab.report._safe import neutralize_cells

    safe = neutralize_cells(df)
    if (lang or i18n.current_lang()) == "es":
        return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return safe.to_csv(index=False).encode("utf-8-sig")


def download_csv(df: pd.DataFrame | Callable[[], pd.DataFrame], label_key: str, file_name: str, key: str) -> None:
    """A download button for `df` (or a function returning it, run only on click) as a neutralised CSV."""
    lang = i18n.current_lang()  # bound now: the file is built later, outside this script run

    def build() -> bytes:
        return csv_bytes(df() if callable(df) else df, lang)

    st.download_button(
        t(label_key), data=build, file_name=file_name, mime="text/csv", key=key,
        icon=":material/download:", disabled=isinstance(df, pd.DataFrame) and df.empty,
    )


def chart(ch: alt.TopLevelMixin) -> None:
    """Show an Altair chart with the current language's number and date conventions."""
    st.altair_chart(ch.configure(locale=i18n.vega_locale()), width="stretch")


def show_error(exc: BaseException) -> None:
    """Show a waitlab error as its own one-sentence message (never a traceback)."""
    st.error(str(exc), icon=":material/error:")


# ---------------------------------------------------------------- widgets that keep their value
# A widget's state is dropped by Streamlit when its page is left, and a widget whose option
# labels change with the language cannot keep a value stored under the old labels. These
# wrappers keep each choice under a plain session key ("keep.<key>") and render the widget
# under a per-language key, so choices survive both page changes and the language switch.

def kept(key: str, default: Any = None) -> Any:
    """The value last chosen in the kept widget `key` (or `default`)."""
    return st.session_state.get(f"keep.{key}", default)


def picked(key: str) -> bool:
    """Whether the user changed the kept widget `key` themselves (a default shown does not count)."""
    return bool(st.session_state.get(f"picked.{key}", False))


def _keep(widget: Callable[..., Any], label: str, key: str, value_kw: str, value: Any, **kwargs: Any) -> Any:
    lang = i18n.current_lang()
    wkey = f"{key}.{lang}"
    skey = f"keep.{key}"
    shown = kwargs.get("format_func")
    if shown is not None:  # option labels keep the language they were drawn in (Streamlit calls this later)

        def bound(value: Any) -> Any:
            with i18n.using(lang):
                return shown(value)

        kwargs["format_func"] = bound

    def sync() -> None:
        st.session_state[skey] = st.session_state[wkey]
        st.session_state[f"picked.{key}"] = True  # the user chose it (not just the page's default shown)

    if wkey not in st.session_state:
        kwargs[value_kw] = value
    out = widget(label, key=wkey, on_change=sync, **kwargs)
    st.session_state[skey] = out
    return out


def _index(options: list[Any], value: Any) -> int:
    return options.index(value) if value in options else 0


def radio(label: str, options: list[Any], key: str, default: Any = None, *, where: Any = st, **kw: Any) -> Any:
    """A radio button group whose choice survives page and language changes."""
    return _keep(where.radio, label, key, "index", _index(options, kept(key, default)), options=options, **kw)


def selectbox(label: str, options: list[Any], key: str, default: Any = None, *, where: Any = st, **kw: Any) -> Any:
    """A select box whose choice survives page and language changes."""
    return _keep(where.selectbox, label, key, "index", _index(options, kept(key, default)), options=options, **kw)


def multiselect(label: str, options: list[Any], key: str, *, where: Any = st, **kw: Any) -> list[Any]:
    """A multiselect (empty = all) whose choice survives page and language changes."""
    chosen = [v for v in kept(key, []) if v in options]
    return _keep(where.multiselect, label, key, "default", chosen, options=options, **kw)


def number(label: str, key: str, default: float | int, *, where: Any = st, **kw: Any) -> Any:
    """A number input whose value survives page and language changes.

    Decimals show only when the value has them (``5`` for five percent, ``0.1``, not ``5.000`` or
    ``900.00``) unless `format` is given; a whole-number default keeps Streamlit's integer input.
    """
    whole = isinstance(default, int) or (default is None and isinstance(kw.get("step"), int))
    if not whole:
        kw.setdefault("format", "%g")
    return _keep(where.number_input, label, key, "value", kept(key, default), **kw)


def slider(label: str, key: str, default: Any, *, where: Any = st, **kw: Any) -> Any:
    """A slider whose value survives page and language changes."""
    return _keep(where.slider, label, key, "value", kept(key, default), **kw)


def checkbox(label: str, key: str, default: bool = False, *, where: Any = st, **kw: Any) -> bool:
    """A checkbox whose value survives page and language changes."""
    return bool(_keep(where.checkbox, label, key, "value", kept(key, default), **kw))


def date_range(label: str, key: str, lo: Any, hi: Any, *, where: Any = st, **kw: Any) -> tuple[Any, Any]:
    """A (start, end) date picker clipped to [lo, hi]; a half-picked range counts as its one day."""
    start, end = kept(key, (lo, hi)) if isinstance(kept(key), tuple) and len(kept(key)) == 2 else (lo, hi)
    start, end = max(lo, min(start, hi)), max(lo, min(end, hi))
    fmt = "DD/MM/YYYY" if i18n.current_lang() == "es" else "YYYY-MM-DD"
    out = _keep(where.date_input, label, key, "value", (start, end), min_value=lo, max_value=hi, format=fmt, **kw)
    if isinstance(out, tuple | list):
        if len(out) == 2:
            return out[0], out[1]
        if len(out) == 1:
            return out[0], out[0]
        return lo, hi
    return out, out


def text(label: str, key: str, default: str = "", *, where: Any = st, **kw: Any) -> str:
    """A text input whose value survives page and language changes."""
    return str(_keep(where.text_input, label, key, "value", kept(key, default), **kw))


# ---------------------------------------------------------------- KPIs, filters and chart axes

#: The KPIs of :func:`waitlab.analytics.summary_kpis`, in the order the tables list them.
KPI_ORDER = (
    "arrivals", "served", "abandoned", "no_show", "other", "wait_mean", "wait_p50", "wait_p90", "wait_p95",
    "wait_max", "mean_service", "asa", "sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short",
    "waiting_mean", "waiting_max", "desks_present", "desks_busy", "occupancy",
)
_COUNTS = {"arrivals", "served", "abandoned", "no_show", "other"}
_SHARES = {"sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short", "occupancy"}
_TIMES = {"wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max", "mean_service", "asa"}

#: Interval widths offered (as :func:`waitlab.parse_interval` reads them; also the i18n keys ``freq.<width>``).
INTERVALS = ["15min", "30min", "1h"]


def fmt_kpi(name: str, value: Any) -> str:
    """A KPI value formatted by its kind: count, share, duration (seconds) or plain number."""
    if name in _COUNTS:
        return i18n.fmt_int(value)
    if name in _SHARES:
        return i18n.fmt_pct(value)
    if name in _TIMES:
        return i18n.fmt_duration(value)
    return i18n.fmt_num(value, 2)


def default_sl_threshold(contacts: pd.DataFrame) -> float:
    """Default service-level threshold, seconds: the channel's, from :func:`waitlab.defaults_for`."""
    from waitlab import defaults_for

    return float(defaults_for(contacts).sl_threshold)


@dataclass(frozen=True)
class View:
    """A filtered view of the dataset: cache key, contacts and the interval width chosen."""

    key: str
    contacts: pd.DataFrame
    interval: str


def filters(loaded: Any, *, width: bool = True) -> View | None:
    """Site, queue, date-range (and interval-width) filters shared by the analysis pages.

    Returns None (after saying why) when the filters leave no contact.
    """
    import _data

    c = loaded.contacts
    sites = sorted(str(s) for s in c["site"].dropna().unique())
    queues = sorted(str(q) for q in c["queue"].dropna().unique())
    days = c["arrived_at"].dt.date
    lo, hi = days.min(), days.max()
    cols = st.columns([2, 2, 2, 1] if width else [2, 2, 2])
    chosen_sites = multiselect(t("flt.site"), sites, "flt_site", where=cols[0], placeholder=t("flt.all"))
    chosen_queues = multiselect(t("flt.queue"), queues, "flt_queue", where=cols[1], placeholder=t("flt.all"))
    start, end = date_range(t("flt.dates"), "flt_dates", lo, hi, where=cols[2])
    interval = "1h"
    if width:
        interval = selectbox(t("flt.width"), INTERVALS, "flt_width", "1h", where=cols[3],
                             format_func=lambda f: t(f"freq.{f}"))
    key = _data.filter_key(loaded.key, tuple(chosen_sites), tuple(chosen_queues), start, end)
    view = _data.filtered(key, c, tuple(chosen_sites), tuple(chosen_queues), start, end)
    if view.empty:
        st.warning(t("flt.empty"))
        return None
    return View(key, view, interval)


def naive_times(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """`df` with the timezone dropped from `cols` (local wall time), so charts show the data's clock."""
    out = df.copy()
    for col in cols:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


def time_axis() -> alt.Axis:
    """A time axis labelled in the current language (``25/03 14:00`` or ``03-25 14:00``)."""
    return alt.Axis(format=i18n.AXIS_DATETIME[i18n.current_lang()], labelAngle=-30)


def tooltip_time() -> str:
    """d3 format of a timestamp in tooltips."""
    return "%d/%m/%Y %H:%M" if i18n.current_lang() == "es" else "%Y-%m-%d %H:%M"


def report_downloads(loaded: Any, view: View, *, rules: str, seats: Seats, prefix: str,
                     hash_ids: bool = False, lang: str | None = None) -> None:
    """A button that builds the HTML report and Excel workbook, then their download buttons."""
    import _data

    lang = lang or i18n.current_lang()
    state = f"{prefix}_report_for"
    wanted = (view.key, rules, seats, hash_ids, lang)
    if st.button(t("rep.build"), key=f"{prefix}_build", icon=":material/description:"):
        st.session_state[state] = wanted
    if st.session_state.get(state) != wanted:
        st.caption(t("rep.build_help"))
        return
    with st.spinner(t("rep.building")):
        try:
            files = _data.report_files(view.key, view.contacts, loaded.report, rules, seats, hash_ids, lang)
        except Exception as exc:  # a waitlab message, or an unexpected failure: one sentence, no traceback
            show_error(exc)
            return
    c1, c2 = st.columns(2)
    c1.download_button(t("rep.html"), files["html"], file_name="report.html", mime="text/html",
                       key=f"{prefix}_dl_html", icon=":material/html:", type="primary")
    c2.download_button(t("rep.excel"), files["excel"], file_name="report.xlsx", key=f"{prefix}_dl_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:")
    if hash_ids:
        st.caption(t("rep.hashed"))


def default_rules(contacts: pd.DataFrame) -> str | None:
    """The channel's rule set from :func:`waitlab.defaults_for` (CABA for kiosk logs, None for phone logs)."""
    from waitlab import defaults_for

    d = defaults_for(contacts)
    names = [part.rules_name for part in (d, *d.parts.values())]
    return next((n for n in names if n is not None), None)


def chosen_rules(contacts: pd.DataFrame) -> str | None:
    """The rule set to judge `contacts` by: the user's pick on the Compliance page, else the channel's default."""
    return kept("cmp_rules") if picked("cmp_rules") else default_rules(contacts)


def rules_and_seats(rule_sets: list[str], contacts: pd.DataFrame) -> tuple[str, int | None]:
    """The rule set and seat-count widgets shared by the Compliance and Export pages (same keys).

    The rule set defaults to the channel's (CABA for a kiosk log); a phone log, which no rule
    applies to by default, shows the first shipped rule set with a caption saying so.
    """
    c1, c2 = st.columns([2, 1])
    channel_rules = default_rules(contacts)
    default = chosen_rules(contacts) or rule_sets[0]
    wkey = f"cmp_rules.{i18n.current_lang()}"
    if not picked("cmp_rules") and st.session_state.get(wkey) != default:
        st.session_state.pop(wkey, None)  # another log was loaded: show this channel's default
    rules = selectbox(t("cmp.rules"), rule_sets, "cmp_rules", default, where=c1)
    if channel_rules is None and not picked("cmp_rules"):
        c1.caption(t("cmp.no_rules_phone"))
    seats = number(t("cmp.seats"), "cmp_seats", None, where=c2, min_value=0, step=1,
                   placeholder=t("cmp.seats_unknown"), help=t("cmp.seats_help"))
    return rules, None if seats is None else int(seats)
