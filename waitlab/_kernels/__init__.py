"""Numba kernels for the readers' hot loops: over the raw buffers of Arrow string arrays (text,
times, ids) and over int64 columns (local times to UTC, the contacts table's row rules).

An Arrow string chunk is three buffers: a validity bitmap (absent when nothing is missing),
``n + 1`` offsets, and the UTF-8 bytes of all values end to end. Each kernel walks them once,
without the GIL, so a reader can run several columns side by side in threads. Each one has a
plain reference (pandas or pyarrow compute) that the tests compare it with; callers fall back
to that reference whenever a kernel says it does not apply.

Kernels are compiled on first use and cached on disk (``cache=True``). The package itself loads
lazily (PEP 562): ``from waitlab import _kernels`` costs nothing, and numba is imported the first
time a name is looked up (``_kernels.clean_text``), so ``import waitlab`` does not load numba.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from waitlab._kernels._arrow import string_buffers, utf8_chunks
    from waitlab._kernels.ids import distinct_in_range, hash_strings, id_numbers, strings_distinct
    from waitlab._kernels.rules import ROW_RULES, row_rules
    from waitlab._kernels.text import (
        clean_text,
        count_byte,
        decode_codes,
        edges_clean,
        factorize_few,
        integers_column,
        lone_cr,
        plain_integers,
        small_factorize,
        text_from_codes,
    )
    from waitlab._kernels.times import (
        ISO_MISSING,
        ISO_OK,
        ISO_OTHER,
        iso19_column,
        iso19_parse,
        known_range,
        shift_by_hour,
    )

__all__ = [
    "ISO_MISSING",
    "ISO_OK",
    "ISO_OTHER",
    "ROW_RULES",
    "clean_text",
    "count_byte",
    "decode_codes",
    "distinct_in_range",
    "edges_clean",
    "factorize_few",
    "hash_strings",
    "id_numbers",
    "integers_column",
    "iso19_column",
    "iso19_parse",
    "known_range",
    "lone_cr",
    "plain_integers",
    "row_rules",
    "shift_by_hour",
    "small_factorize",
    "string_buffers",
    "strings_distinct",
    "text_from_codes",
    "utf8_chunks",
]

#: The submodule that defines each public name.
_HOME = {
    "string_buffers": "_arrow",
    "utf8_chunks": "_arrow",
    "distinct_in_range": "ids",
    "hash_strings": "ids",
    "id_numbers": "ids",
    "strings_distinct": "ids",
    "ROW_RULES": "rules",
    "row_rules": "rules",
    **dict.fromkeys(
        ["clean_text", "count_byte", "decode_codes", "edges_clean", "factorize_few", "integers_column",
         "lone_cr", "plain_integers", "small_factorize", "text_from_codes"],
        "text",
    ),
    **dict.fromkeys(
        ["ISO_MISSING", "ISO_OK", "ISO_OTHER", "iso19_column", "iso19_parse", "known_range", "shift_by_hour"],
        "times",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'waitlab._kernels' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"waitlab._kernels.{home}"), name)
    globals()[name] = value  # later look-ups are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
