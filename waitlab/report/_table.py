"""One table to one file a person may open: CSV and Excel neutralised, Parquet as it is; ids hashed on request."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from waitlab._cells import ID_COLUMNS, hash_ids, neutralize_cells
from waitlab.exceptions import ArgumentError

__all__ = ["TABLE_SUFFIXES", "write_table"]

#: File types :func:`write_table` writes, by suffix.
TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")


def write_table(
    df: pd.DataFrame,
    path: str | Path,
    *,
    salt: str | None = None,
    id_columns: Iterable[str] = ID_COLUMNS,
    sheet: str = "data",
) -> Path:
    """Write `df` to `path` as CSV, Excel or Parquet (by its suffix), safe to open.

    Parameters
    ----------
    df : DataFrame
        Any table (a contacts table, a quarantine, a staffing plan ...).
    path : str or pathlib.Path
        Ends in ``.csv``, ``.xlsx`` or ``.parquet``; its folder is created when missing.
    salt : str, optional
        When given, the `id_columns` present are replaced by salted hashes
        (:func:`waitlab.report.hash_ids`; use one salt for every file of one export).
    id_columns : iterable of str
        Identifier columns to hash (default: contact and customer ids).
    sheet : str
        Worksheet name for ``.xlsx``.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    CSV and Excel cells and column names go through :func:`waitlab.report.neutralize_cells`
    (formula-like text gets a leading ``'``); Parquet keeps the true values. CSV times keep
    their UTC offset (``%Y-%m-%d %H:%M:%S%z``); Excel has no timezones, so its times are
    local wall time and a ``notes`` sheet names the timezone.

    Raises
    ------
    ArgumentError
        When the suffix is not one of :data:`TABLE_SUFFIXES`, or a table is too long for Excel.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ArgumentError(f"{out}: the file must end in {', '.join(TABLE_SUFFIXES)}; rename it.")
    table = hash_ids(df, salt, id_columns) if salt else df
    if suffix == ".xlsx":
        from waitlab.report._excel import EXCEL_MAX_ROWS, write_workbook

        if len(table) > EXCEL_MAX_ROWS:
            raise ArgumentError(
                f"{out}: {len(table):,} rows do not fit in an Excel sheet ({EXCEL_MAX_ROWS:,} at most); "
                "write .csv or .parquet instead."
            )
        zones = sorted({str(table[c].dt.tz) for c in table.columns if isinstance(table[c].dtype, pd.DatetimeTZDtype)})
        sheets = {sheet: table}
        if zones:
            sheets["notes"] = pd.DataFrame({"note": [f"times are local wall time in {', '.join(zones)}"]})
        return write_workbook(out, sheets)  # neutralised there, sheet by sheet
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        table.to_parquet(out, index=False)
    else:
        neutralize_cells(table).to_csv(out, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M:%S%z")
    return out
