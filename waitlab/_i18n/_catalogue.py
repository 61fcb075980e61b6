"""The es/en catalogue: every word of the report, the plan figures and the dashboard.

The words live in ``strings.toml`` next to this file, one table per key with an ``es`` and an
``en`` entry (tables nest: ``[kpi] arrivals = {...}`` is the key ``"kpi.arrivals"``). The file
is read once, on first use.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from waitlab.exceptions import ArgumentError

__all__ = ["LANGS", "check_lang", "strings", "t"]

LANGS = ("es", "en")
CATALOGUE = Path(__file__).with_name("strings.toml")


def check_lang(lang: str) -> str:
    """Return `lang` if it is a language of the catalogue; else an ArgumentError naming the choices."""
    if lang not in LANGS:
        raise ArgumentError(f"`lang` must be one of {LANGS}, got {lang!r}.")
    return lang


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) == set(LANGS) and all(isinstance(v, str) for v in value.values()):
            out[name] = (value["es"], value["en"])
        elif isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            raise RuntimeError(f"{CATALOGUE.name}: `{name}` must have exactly the keys es and en.")
    return out


@functools.cache
def strings() -> dict[str, tuple[str, str]]:
    """The whole catalogue: key -> ``(es, en)``."""
    with CATALOGUE.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def t(key: str, lang: str = "es", **values: Any) -> str:
    """The text of `key` in `lang` (``"es"`` or ``"en"``), with its ``{name}`` fields filled from `values`.

    Raises
    ------
    ValueError
        If `lang` is not ``"es"`` or ``"en"``.
    KeyError
        If `key` is not in the catalogue (a programming error, caught by the tests).
    """
    text = strings()[key][LANGS.index(check_lang(lang))]
    return text.format(**values) if values else text
