"""Patience per group (queue, priority class, ...): the result of ``patience(contacts, by=...)``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from waitlab._notes import NotedFrame
from waitlab.exceptions import ArgumentError, SchemaError

if TYPE_CHECKING:
    from waitlab.analytics._patience import PatienceResult

__all__ = ["TABLE_COLUMNS", "PatienceTable", "by_groups"]

#: The columns of ``PatienceTable.table`` after the group columns.
TABLE_COLUMNS = [
    "n", "abandoned", "no_show", "answered", "simple_s", "simple_lo_s", "simple_hi_s",
    "choice", "mean_s", "mean_lo_s", "mean_hi_s", "cv", "horizon_s",
]  # fmt: skip


def by_groups(contacts: pd.DataFrame, by: str | Sequence[str]) -> tuple[tuple[str, ...], list[tuple[Any, pd.DataFrame]]]:
    """The group columns and (key, rows) per group; a key is a value, or a tuple with several columns."""
    keys = (by,) if isinstance(by, str) else tuple(by)
    if not keys or not all(isinstance(k, str) for k in keys):
        raise ArgumentError(f"patience: `by` must be a column name or a list of them, got {by!r}.")
    missing = [k for k in keys if k not in contacts.columns]
    if missing:
        raise SchemaError(
            f"patience: by={list(keys)!r} names column(s) {missing!r} that the contacts table does not have; "
            f"use some of {sorted(map(str, contacts.columns))!r}."
        )
    grouped = contacts.groupby(list(keys) if len(keys) > 1 else keys[0], dropna=False, sort=True, observed=True)
    return keys, [(key, sub) for key, sub in grouped]


def _label(keys: tuple[str, ...], key: Any) -> str:
    values = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=False))


@dataclass(frozen=True)
class PatienceTable:
    """Patience per group: ``patience(contacts, by="queue")`` or ``by=["queue", "priority"]``.

    Attributes
    ----------
    table : NotedFrame
        One row per group: the group columns, then ``n`` (usable contacts), ``abandoned``,
        ``no_show``, ``answered``; the simple estimate ``simple_s`` (exponential MLE:
        abandonments / time waited, seconds) with its interval ``simple_lo_s``,
        ``simple_hi_s``; the guarded ``choice`` (``"exponential"``, ``"weibull"``,
        ``"lognormal"``, or ``"none"`` = not enough data), its mean ``mean_s`` with interval
        ``mean_lo_s``, ``mean_hi_s`` and ``cv`` (NaN with ``"none"``); ``horizon_s``, the
        longest wait observed at least 10 times. ``.notes`` holds every group's notes,
        prefixed with the group.
    results : dict
        Group key (a value, or a tuple with several `by` columns) -> its PatienceResult.
    overall : PatienceResult
        All groups pooled: the fallback for a group without enough data.
    by : tuple of str
        The group columns.
    notes : tuple of str
        Same as ``table.notes``.
    """

    table: NotedFrame
    results: dict[Any, PatienceResult]
    overall: PatienceResult
    by: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls, by: tuple[str, ...], results: dict[Any, PatienceResult], overall: PatienceResult, notes: tuple[str, ...]
    ) -> PatienceTable:
        """The table of `results` (one row per group), with every group's notes prefixed by its label."""
        rows = []
        all_notes = list(notes)
        for key, r in results.items():
            values = key if isinstance(key, tuple) else (key,)
            rows.append({
                **dict(zip(by, values, strict=False)),
                "n": r.n_exact + r.n_right + r.n_left, "abandoned": r.n_exact, "no_show": r.n_left,
                "answered": r.n_right, "simple_s": r.mean_patience, "simple_lo_s": r.mean_patience_ci[0],
                "simple_hi_s": r.mean_patience_ci[1], "choice": r.choice, "mean_s": r.chosen_mean,
                "mean_lo_s": r.chosen_mean_ci[0], "mean_hi_s": r.chosen_mean_ci[1], "cv": r.chosen_cv,
                "horizon_s": r.horizon,
            })  # fmt: skip
            all_notes += [f"{_label(by, key)}: {n}" for n in r.notes]
        frame = pd.DataFrame(rows, columns=[*by, *TABLE_COLUMNS])
        unique = tuple(dict.fromkeys(all_notes))
        return cls(NotedFrame(frame, notes=unique), results, overall, by, unique)

    def __getitem__(self, key: Any) -> PatienceResult:
        """The PatienceResult of one group, e.g. ``table["PS"]`` or ``table[("PS", 1)]``."""
        try:
            return self.results[key]
        except KeyError:
            raise ArgumentError(
                f"patience table: no group {key!r}; the groups are {list(self.results)!r}."
            ) from None

    def mean_by_group(self, which: str = "chosen", *, fallback: bool = True) -> pd.Series:
        """Mean patience per group, seconds, with the pooled value where a group has too little data.

        Parameters
        ----------
        which : {"chosen", "simple"}
            ``"chosen"``: the guarded fit's mean (what a simulation draws around);
            ``"simple"``: the exponential MLE (what Erlang A takes).
        fallback : bool, default True
            A group without enough data (choice ``"none"``) gets the pooled estimate from
            `overall`; with False it stays NaN.
        """
        if which not in ("chosen", "simple"):
            raise ArgumentError(f'mean_by_group: `which` must be "chosen" or "simple", got {which!r}.')
        pooled = self.overall.chosen_mean if which == "chosen" else self.overall.mean_patience
        out = {}
        for key, r in self.results.items():
            value = r.chosen_mean if which == "chosen" else r.mean_patience
            out[key] = pooled if fallback and not r.enough_data else (value if r.enough_data else math.nan)
        index = pd.MultiIndex.from_tuples(list(out), names=list(self.by)) if len(self.by) > 1 else pd.Index(
            list(out), name=self.by[0]
        )  # fmt: skip
        return pd.Series(list(out.values()), index=index, name=f"{which}_mean_s", dtype=float)

    def summary(self) -> str:
        """One line per group: counts, chosen mean with interval, simple estimate with interval."""
        lines = [f"Patience by {', '.join(self.by)} ({len(self.results)} groups; means in seconds):"]
        for key, r in self.results.items():
            lo, hi = r.mean_patience_ci
            simple = f"simple {r.mean_patience:.0f} [{lo:.0f}, {hi:.0f}]"
            if r.enough_data:
                clo, chi = r.chosen_mean_ci
                chosen = f"{r.choice} {r.chosen_mean:.0f} [{clo:.0f}, {chi:.0f}]"
            else:
                chosen = f"not enough data ({r.n_exact + r.n_left} left, {r.min_abandons} needed)"
            lines.append(f"  {_label(self.by, key)}: {r.n_exact} abandoned of {r.n_exact + r.n_right + r.n_left}; "
                         f"{chosen}; {simple}")  # fmt: skip
        o = self.overall
        pooled = f"{o.choice} {o.chosen_mean:.0f}" if o.enough_data else "not enough data"
        lines.append(f"  all pooled: {pooled}; simple {o.mean_patience:.0f}")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
