"""Build the consultant's report: an HTML page and an Excel workbook from one contacts table.

The numbers come from :mod:`waitlab.report._compute` (the library's public functions, with the
channel's defaults from :func:`waitlab.defaults_for`); :mod:`waitlab.report._sections` lays them
out, every table localised; a log with both channels gets one part per channel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._clock import parse_interval
from waitlab._i18n import t
from waitlab.compliance import Seats
from waitlab.report._compute import ReportData, compute_report
from waitlab.report._excel import excel_ready, write_workbook
from waitlab.report._html import Section, render_page
from waitlab.report._safe import ID_COLUMNS, new_salt
from waitlab.report._safe import hash_ids as _hash_ids
from waitlab.report._sections import sections, sheets

__all__ = ["ReportData", "compute_report", "write_report"]


def _raw(data: ReportData, salt: str | None) -> dict[str, pd.DataFrame]:
    """The id-bearing tables, hashed when asked (the same salt in every one, so they still join)."""
    raw: dict[str, pd.DataFrame] = {"contacts": data.contacts}
    if data.compliance is not None:
        raw["breaches"], raw["turn_order"] = data.compliance.breaches, data.compliance.turn_order
    if data.ingest is not None and len(getattr(data.ingest, "quarantine", ())):
        raw["quarantine"] = data.ingest.quarantine
    if salt:
        # the quarantine: the file's own id fields too, under the file's names (each column hashed once)
        own = tuple(dict.fromkeys((*ID_COLUMNS, *getattr(data.ingest, "id_fields", ()))))
        raw = {k: _hash_ids(v, salt, own if k == "quarantine" else ID_COLUMNS) for k, v in raw.items()}
    return raw


def _channel_parts(data: ReportData) -> list[tuple[str, ReportData]]:
    if data.parts:
        return [(ch, part) for ch, part in data.parts.items()]
    return [("", data)]


def write_report(
    contacts: pd.DataFrame,
    out_dir: str | Path,
    *,
    ingest: Any | None = None,
    rules: Any = "auto",
    seats: Seats = None,
    hash_ids: bool = False,
    salt: str | None = None,
    lang: str = "es",
    interval: str | pd.Timedelta | float = "30min",
    sl_threshold: float | None = None,
    sl_share: float | None = None,
    contacts_sheet: bool = False,
) -> dict[str, Path]:
    """Write ``report.html`` and ``report.xlsx`` for `contacts` into `out_dir`.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (from a reader or the simulator).
    out_dir : path
        Folder to write into (created when missing).
    ingest : IngestReport, optional
        The reader's report; its row accounting, notes and quarantined rows are shown.
    rules : str, Path or None, default "auto"
        Wait-limit rule set: ``"auto"`` is the channel's default (CABA for branch logs, none
        for phone logs), a name or TOML path checks that one, None checks none.
    seats : int, mapping or None
        Waiting-room seats (see :data:`waitlab.compliance.Seats`).
    hash_ids : bool
        Replace customer and contact ids by salted hashes in every table (salt random unless
        `salt` is given).
    lang : {"es", "en"}
        Language of the report.
    interval : str, Timedelta or float, default "30min"
        Width of the interval tables: "30min", a Timedelta or seconds.
    sl_threshold : float, optional
        Service-level threshold T, seconds (default: 20 s for phone logs, 15 min for branch logs).
    sl_share : float, optional
        Service-level target share (default 0.8).
    contacts_sheet : bool, default False
        Also put the contacts table in the workbook (one row per contact: slow for a month of
        calls). By default it is written beside the report as ``contacts.csv``, local times,
        neutralised and hashed like every other table.

    Returns
    -------
    dict
        ``{"html": path, "excel": path, "contacts": path}`` (no ``"contacts"`` with `contacts_sheet`).
    """
    t("report.title", lang)  # validates lang before any work
    width = parse_interval(interval)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = compute_report(contacts, ingest=ingest, rules=rules, seats=seats, interval=width,
                          sl_threshold=sl_threshold, sl_share=sl_share)
    use_salt = (salt or new_salt()) if hash_ids else None
    parts = _channel_parts(data)
    page: list[Section] = []
    book: dict[str, Any] = {}
    if data.parts:
        page.append(Section(t("report.summary", lang)).lead([t("rsum.channels", lang)])
                    .bullets(list(data.defaults.sentences(lang))))
    for ch, part in parts:
        if ch:
            page.append(Section(t("rsec.channel", lang, channel=t(f"dflt.channel_{ch}", lang)), level=1))
        raw = _raw(part, use_salt)
        page.extend(sections(part, lang, hashed=use_salt is not None, raw=raw))
        prefix = f"{t(f'dflt.channel_{ch}', lang)[:4]} · " if ch else ""
        if not contacts_sheet:
            raw.pop("contacts")
        book.update(sheets(part, lang, raw, prefix))
    if data.parts and data.ingest is not None:
        from waitlab.report._sections import _quality

        page.append(_quality(data, lang))
        quarantine = _raw(data, use_salt).get("quarantine")
        if quarantine is not None:
            from waitlab.report._columns import localise

            book[t("rsec.sheet_quarantine", lang)] = localise(quarantine, lang)
    paths = {"excel": write_workbook(out / "report.xlsx", book, lang)}
    if not contacts_sheet:
        table = data.contacts if use_salt is None else _hash_ids(data.contacts, use_salt)
        paths["contacts"] = out / "contacts.csv"
        excel_ready(table).to_csv(paths["contacts"], index=False, encoding="utf-8")
    paths["html"] = out / "report.html"
    paths["html"].write_text(render_page(t("report.title", lang), page, lang, footer=t("report.generated", lang)),
                             encoding="utf-8")
    return paths
