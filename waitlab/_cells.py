"""Safe cells for every file a person may open: formula neutralising and identifier hashing.

The one implementation, re-exported by :mod:`waitlab.report` (``neutralize_cells``,
``hash_ids``); it sits below every layer so that the readers' quarantine files use it too.

Spreadsheet programs execute a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
treat a leading tab or carriage return the same way, or look past leading spaces) as a formula,
so a customer name such as ``=HYPERLINK(...)`` in a log would run on the analyst's machine
("CSV injection"). :func:`neutralize_cells` prefixes such cells, and such column names, with a
single quote, the convention spreadsheet programs show as plain text. A plain number written as
text (``-5``, ``+54``, ``-1.5e3``) is data, not a formula, and is left as it is. Parquet files
keep the true values.

Customer and contact identifiers can be replaced by salted hashes (:func:`hash_ids`): the
same salt maps the same id to the same hash in every table of one export, so the tables
still join, while the ids cannot be recovered without the salt.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from waitlab.exceptions import ArgumentError

__all__ = ["DANGEROUS_PREFIXES", "ID_COLUMNS", "hash_ids", "hash_value", "neutralize_cells", "new_salt", "write_csv"]

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Columns holding identifiers of people or contacts, hashed by :func:`hash_ids`.
ID_COLUMNS = ("contact_id", "customer_id", "overtaken_contact_id", "overtaking_contact_id")

#: A cell a spreadsheet may run: a dangerous first character, or one after leading white space.
_FORMULA = re.compile(r"^(?:[\t\r]|\s*[=+\-@])")
#: A plain number written as text: shown as a number, never run.
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def _neutralize(value: object) -> object:
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def _neutralize_text(s: pd.Series) -> pd.Series:
    """`s` (text, or objects of any kind) with every formula-like text cell prefixed."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if isinstance(s.dtype, pd.StringDtype):  # vectorised: Arrow or Python strings, missing kept
        danger = s.str.match(_FORMULA.pattern) & ~s.str.match(_NUMBER.pattern)
        danger = danger.fillna(False).astype(bool)
        return s.where(~danger, "'" + s) if danger.any() else s
    return s.map(_neutralize, na_action="ignore").astype(s.dtype)


def _neutralize_label(label: object) -> object:
    if isinstance(label, tuple):  # a MultiIndex column name
        return tuple(_neutralize(part) for part in label)
    return _neutralize(label)


def neutralize_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of `df` in which no text cell (or column name) can run as a formula.

    Text cells that start with one of :data:`DANGEROUS_PREFIXES`, or with white space and
    then ``=``, ``+``, ``-`` or ``@``, get a leading ``'``, unless they are a plain number.
    Text in object, string and categorical columns is covered, and so are the column names
    and a text index. Numeric, boolean and datetime columns are left alone (a negative
    *number* is data, not a formula).

    Examples
    --------
    >>> neutralize_cells(pd.DataFrame({"name": ["=1+1", "Ana", "-x", "-5"]}))["name"].tolist()
    ["'=1+1", 'Ana', "'-x", '-5']
    """
    out = df.copy()
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype) or isinstance(
            s.dtype, pd.CategoricalDtype
        ):
            out.isetitem(i, _neutralize_text(s))
    out.columns = pd.Index([_neutralize_label(c) for c in out.columns], tupleize_cols=isinstance(out.columns, pd.MultiIndex))
    if isinstance(out.index, pd.Index) and not isinstance(out.index, pd.MultiIndex) and (
        pd.api.types.is_string_dtype(out.index.dtype) or pd.api.types.is_object_dtype(out.index.dtype)
    ):
        out.index = out.index.map(_neutralize)
    return out


def new_salt() -> str:
    """A fresh random salt (32 hex characters) for one export."""
    return secrets.token_hex(16)


def hash_value(value: object, salt: str) -> object:
    """Salted SHA-256 of one identifier, shortened to 16 hex characters; nulls stay null."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return value
    digest = hashlib.sha256(f"{salt}\x00{value}".encode()).hexdigest()
    return digest[:16]


def hash_ids(df: pd.DataFrame, salt: str, columns: Iterable[str] = ID_COLUMNS) -> pd.DataFrame:
    """Return a copy of `df` with the identifier `columns` it has replaced by salted hashes.

    Parameters
    ----------
    df : DataFrame
        Any table (contacts, breaches, turn-order pairs ...).
    salt : str
        Secret salt; use the same salt for every table of one export so they still join.
    columns : iterable of str
        Identifier columns to hash when present (default :data:`ID_COLUMNS`).
    """
    if not salt:
        raise ArgumentError("`salt` must be a non-empty string; use waitlab.report.new_salt().")
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = out[col].map(lambda v: hash_value(v, salt)).astype("string")
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write `df` to a UTF-8 CSV file, cells neutralised, times as ``yyyy-mm-dd HH:MM:SS+hhmm``; the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    neutralize_cells(df).to_csv(out, index=False, encoding="utf-8", date_format="%Y-%m-%d %H:%M:%S%z")
    return out
