"""A self-contained HTML page (figures embedded as PNG) built from escaped blocks."""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from waitlab._i18n import fmt_date, fmt_datetime, fmt_int, fmt_number, t
from waitlab.report._safe import neutralize_cells

__all__ = ["Section", "render_page"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1000px;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left}img{max-width:100%}.note{color:#555;font-size:.9rem}
.kpis{display:flex;flex-wrap:wrap;gap:.6rem}.kpi{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem}
.kpi b{display:block;font-size:1.2rem}
"""


@dataclass
class Section:
    """One titled part of the page; blocks are rendered in order."""

    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)

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


def _block(kind: str, payload: Any, lang: str = "es") -> str:
    e = html.escape
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


def render_page(title: str, sections: list[Section], lang: str = "es", footer: str = "") -> str:
    """Return the whole HTML document."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    for sec in sections:
        body.append(f"<h2>{html.escape(sec.title)}</h2>")
        body.extend(_block(k, p, lang) for k, p in sec.blocks)
    if footer:
        body.append(f'<p class="note">{html.escape(footer)}</p>')
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
