"""Safe exports: formula neutralising and identifier hashing, applied to every export.

Spreadsheet programs execute a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
treat a leading tab or carriage return the same way) as a formula, so a customer name such
as ``=HYPERLINK(...)`` in a log would run on the analyst's machine ("CSV injection"). Every
text cell waitlab exports goes through :func:`neutralize_cells`, which prefixes such cells
with a single quote, the convention spreadsheet programs show as plain text.

Customer and contact identifiers can be replaced by salted hashes (:func:`hash_ids`): the
same salt maps the same id to the same hash in every table of one export, so the tables
still join, while the ids cannot be recovered without the salt.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

import pandas as pd

from waitlab.exceptions import ArgumentError

__all__ = ["DANGEROUS_PREFIXES", "ID_COLUMNS", "hash_ids", "hash_value", "neutralize_cells", "new_salt"]

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Columns holding identifiers of people or contacts, hashed by :func:`hash_ids`.
ID_COLUMNS = ("contact_id", "customer_id", "overtaken_contact_id", "overtaking_contact_id")


def _neutralize(value: object) -> object:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralize_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of `df` in which no text cell (or column name) can run as a formula.

    Text cells starting with one of :data:`DANGEROUS_PREFIXES` get a leading ``'``.
    Numeric, boolean and datetime columns are left alone (a negative *number* is data, not
    a formula).

    Examples
    --------
    >>> neutralize_cells(pd.DataFrame({"name": ["=1+1", "Ana", "-x"]}))["name"].tolist()
    ["'=1+1", 'Ana', "'-x"]
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype):
            if isinstance(s.dtype, pd.CategoricalDtype):
                continue
            if isinstance(s.dtype, pd.StringDtype):  # vectorised: one pass in C over the column
                risky = s.str.startswith(DANGEROUS_PREFIXES).fillna(False).to_numpy(dtype=bool)
                if risky.any():
                    s = s.copy()
                    s[risky] = "'" + s[risky]
                out[col] = s
            else:
                out[col] = s.map(_neutralize, na_action="ignore").astype(s.dtype)
    out.columns = [_neutralize(c) if isinstance(c, str) else c for c in out.columns]
    if isinstance(out.index, pd.Index) and pd.api.types.is_string_dtype(out.index.dtype):
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
        raise ArgumentError("`salt` must be a non-empty string; use waitlab.report._safe.new_salt().")
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = out[col].map(lambda v: hash_value(v, salt)).astype("string")
    return out
