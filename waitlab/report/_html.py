"""A self-contained HTML page (figures embedded as PNG) built from escaped blocks."""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from waitlab._i18n import fmt_date, fmt_datetime, fmt_int, fmt_number, fmt_pct, t
from waitlab.report._columns import Table
from waitlab.report._safe import neutralize_cells

__all__ = ["Section", "render_page"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;max-width:1120px;
padding:0 1rem;color:#222}p,li{overflow-wrap:anywhere}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0;max-width:100%}
td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:right}td{white-space:nowrap}th{background:#f4f4f4;vertical-align:bottom}
td:first-child,th:first-child{text-align:left}img{max-width:100%;height:auto}.note{color:#555;font-size:.9rem}
.kpis{display:flex;flex-wrap:wrap;gap:.6rem}.kpi{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:9rem}
.kpi b{display:block;font-size:1.2rem;white-space:nowrap}.lead{font-size:1rem;line-height:1.45;color:#222}
.lead li{margin:.25rem 0}details>summary{cursor:pointer;color:#333;margin:.4rem 0}.channel{margin-top:2.5rem;
border-top:3px solid #4c78a8;padding-top:.3rem}
"""


@dataclass
class Section:
    """One titled part of the page; blocks are rendered in order."""

    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    collapsed: str | None = None  # the summary line of a <details> holding the blocks, or None
    level: int = 2

    def text(self, s: str) -> Section:
        self.blocks.append(("p", s))
        return self

    def bullets(self, items: list[str]) -> Section:
        self.blocks.append(("ul", list(items)))
        return self

    def kpis(self, pairs: list[tuple[str, str]]) -> Section:
        self.blocks.append(("kpis", list(pairs)))
        return self

    def table(self, df: pd.DataFrame, max_rows: int = 200) -> Section:
        self.blocks.append(("table", (df, max_rows)))
        return self

    def ltable(self, table: Table, max_rows: int = 200) -> Section:
        """A localised :class:`waitlab.report._columns.Table` (headers and kinds already chosen)."""
        self.blocks.append(("ltable", (table, max_rows)))
        return self

    def lead(self, items: list[str]) -> Section:
        """Sentences in plain words, shown large."""
        self.blocks.append(("lead", list(items)))
        return self

    def figure(self, png: bytes, alt: str) -> Section:
        self.blocks.append(("img", (png, alt)))
        return self


def _cell_text(col: pd.Series, lang: str) -> pd.Series:
    """The cells of one column written for `lang` (numbers, dates and yes/no); text cells unchanged."""
    if pd.api.types.is_bool_dtype(col):
        return col.map(lambda v: t("common.yes" if v else "common.no", lang))
    if pd.api.types.is_integer_dtype(col):
        return col.map(lambda v: fmt_int(v, lang))
    if pd.api.types.is_float_dtype(col):
        finite = col[np.isfinite(col.to_numpy(dtype=float, na_value=np.nan))]
        decimals = 0 if (finite == finite.round()).all() else 2
        return col.map(lambda v: fmt_number(v, lang, decimals))
    if pd.api.types.is_datetime64_any_dtype(col):
        moments = col.dropna()
        whole_days = bool((moments == moments.dt.normalize()).all())
        return col.map(lambda v: fmt_date(v, lang) if whole_days else fmt_datetime(v, lang))
    if col.map(lambda v: isinstance(v, dt.date)).all() and len(col):
        return col.map(lambda v: fmt_date(v, lang))
    return col


def _kind_text(col: pd.Series, kind: str, lang: str, unit: str) -> pd.Series:
    """The cells of one localised column written for `lang` by its kind."""
    if kind == "int":
        return col.map(lambda v: fmt_int(v, lang))
    if kind == "num":
        return col.map(lambda v: fmt_number(v, lang, 1))
    if kind == "dur":
        return col.map(lambda v: fmt_number(v, lang, 1 if unit == "min" else 0))
    if kind == "pct":
        return col.map(lambda v: fmt_pct(v, lang))
    if kind == "bool":
        return col.map(lambda v: "–" if v is None or v is pd.NA else t("common.yes" if v else "common.no", lang))
    if kind == "date":
        return col.map(lambda v: fmt_date(v, lang))
    if kind == "datetime":
        return col.map(lambda v: fmt_datetime(v, lang))
    return col.map(lambda v: "–" if v is None or v != v else str(v))


def _ltable(table: Table, max_rows: int, lang: str) -> str:
    e = html.escape
    shown = neutralize_cells(table.frame.head(max_rows))
    head = "".join(f"<th>{e(str(h))}</th>" for h in shown.columns)
    cols = [_kind_text(shown.iloc[:, j], k, lang, table.time_unit).tolist() for j, k in enumerate(table.kinds)]
    rows = "".join("<tr>" + "".join(f"<td>{e(str(c[i]))}</td>" for c in cols) + "</tr>" for i in range(len(shown)))
    more = (f'<p class="note">{e(t("report.more_rows", lang, n=fmt_int(len(table) - max_rows, lang)))}</p>'
            if len(table) > max_rows else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


def _block(kind: str, payload: Any, lang: str = "es") -> str:
    e = html.escape
    if kind == "raw":
        return "\n".join(_section(payload, lang))
    if kind == "ltable":
        return _ltable(payload[0], payload[1], lang)
    if kind == "lead":
        return '<ul class="lead">' + "".join(f"<li>{e(str(i))}</li>" for i in payload) + "</ul>"  # type: ignore[attr-defined]
    if kind == "p":
        return f'<p class="note">{e(str(payload))}</p>'
    if kind == "ul":
        return "<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in payload) + "</ul>"  # type: ignore[attr-defined]
    if kind == "kpis":
        cards = "".join(f'<div class="kpi">{e(k)}<b>{e(v)}</b></div>' for k, v in payload)  # type: ignore[attr-defined]
        return f'<div class="kpis">{cards}</div>'
    if kind == "table":
        df, max_rows = payload
        shown = neutralize_cells(df.head(max_rows))  # numbers stay numbers here, then are written for `lang`
        shown = shown.apply(lambda col: _cell_text(col, lang))
        more = (f'<p class="note">{e(t("report.more_rows", lang, n=fmt_int(len(df) - max_rows, lang)))}</p>'
                if len(df) > max_rows else "")
        return shown.to_html(index=False, escape=True, na_rep="–", border=0) + more
    if kind == "img":
        png, alt = payload
        data = base64.b64encode(bytes(png)).decode("ascii")
        return f'<img alt="{e(str(alt))}" src="data:image/png;base64,{data}">'
    raise ValueError(f"unknown block kind {kind!r}")


def _section(sec: Section, lang: str) -> list[str]:
    out = []
    if sec.level == 1:
        out.append(f'<h2 class="channel">{html.escape(sec.title)}</h2>')
    elif sec.title:
        out.append(f"<h{sec.level}>{html.escape(sec.title)}</h{sec.level}>")
    blocks = [_block(k, p, lang) for k, p in sec.blocks]
    if sec.collapsed is not None:
        blocks = [f"<details><summary>{html.escape(sec.collapsed)}</summary>", *blocks, "</details>"]
    return out + blocks


def render_page(title: str, sections: list[Section], lang: str = "es", footer: str = "") -> str:
    """Return the whole HTML document."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    for sec in sections:
        body.extend(_section(sec, lang))
    if footer:
        body.append(f'<p class="note">{html.escape(footer)}</p>')
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
