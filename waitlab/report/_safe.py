"""Safe exports: formula neutralising and identifier hashing, applied to every export.

Spreadsheet programs execute a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
treat a leading tab or carriage return the same way) as a formula, so a customer name such
as ``=HYPERLINK(...)`` in a log would run on the analyst's machine ("CSV injection"). Every
text cell waitlab exports goes through :func:`neutralize_cells`, which prefixes such cells
with a single quote, the convention spreadsheet programs show as plain text.

Customer and contact identifiers can be replaced by salted hashes (:func:`hash_ids`): the
same salt maps the same id to the same hash in every table of one export, so the tables
still join, while the ids cannot be recovered without the salt.

The implementation is :mod:`waitlab._cells`, below every layer, so that the readers'
quarantine files go through the very same functions; :func:`write_table` writes one table
as CSV, Excel or Parquet through them.
"""

from __future__ import annotations

from waitlab._cells import DANGEROUS_PREFIXES, ID_COLUMNS, hash_ids, hash_value, neutralize_cells, new_salt

__all__ = ["DANGEROUS_PREFIXES", "ID_COLUMNS", "hash_ids", "hash_value", "neutralize_cells", "new_salt"]
