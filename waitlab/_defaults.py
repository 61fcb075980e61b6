"""Channel-aware defaults: the one place that says what a phone log and a branch log are judged by.

A phone log (ACD, Asterisk, SEELab) is read the call-centre way: a service level of 80 %
answered within 20 s, ASA and abandonment, times in seconds, and no wait-limit rule unless one
is asked for (the branch regulations limit how long a customer *stands in a branch*, not how long
a caller holds). A kiosk log (a branch's turn terminal) is read the branch way: the CABA rule
set, times in minutes and a branch-sized service-level threshold of 15 minutes. A log holding
both channels is split: each channel gets its own defaults (:attr:`ChannelDefaults.parts`).

The report, the CLI ``report`` command and the dashboard all ask :func:`defaults_for`, so they
use the same answer, and every output prints :meth:`ChannelDefaults.sentences`, which states
each choice and whether it was a default or asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from waitlab._i18n import fmt_duration, fmt_pct, t
from waitlab.exceptions import ArgumentError

__all__ = ["CHANNEL_DEFAULTS", "ChannelDefaults", "defaults_for"]

#: Per channel: service-level threshold (s), target share, rule set (None: no rule) and time unit.
CHANNEL_DEFAULTS: dict[str, tuple[float, float, str | None, Literal["s", "min"]]] = {
    "phone": (20.0, 0.80, None, "s"),
    "kiosk": (900.0, 0.80, "CABA", "min"),
}

AUTO = "auto"


@dataclass(frozen=True)
class ChannelDefaults:
    """What a log is judged by, and which of it was asked for.

    Attributes
    ----------
    channel : {"phone", "kiosk", "mixed"}
        The log's channel; ``"mixed"`` when it holds both (then see `parts`).
    sl_threshold : float
        Service-level threshold T, seconds (answered within T counts as within target).
    sl_share : float
        Target share answered within T, in (0, 1].
    rules : str, Path or None
        Wait-limit rule set to check (name or TOML path), or None for no compliance check.
    time_unit : {"s", "min"}
        Unit of the waits in tables and charts.
    given : frozenset of str
        The settings the caller gave (``"sl_threshold"``, ``"sl_share"``, ``"rules"``); the rest
        are the channel's defaults.
    parts : dict of str to ChannelDefaults
        For a mixed log, the defaults of each channel (``"phone"``, ``"kiosk"``); else empty.
    """

    channel: str
    sl_threshold: float
    sl_share: float
    rules: str | Path | None
    time_unit: Literal["s", "min"]
    given: frozenset[str] = frozenset()
    parts: dict[str, ChannelDefaults] = field(default_factory=dict)

    @property
    def rules_name(self) -> str | None:
        """The rule set's name as shown (a TOML path shows its file name), or None."""
        if self.rules is None:
            return None
        return Path(self.rules).stem if isinstance(self.rules, Path) or str(self.rules).endswith(".toml") else str(self.rules)

    def sentences(self, lang: str = "es") -> tuple[str, ...]:
        """One sentence per choice (channel, service level, rule set, time unit), in `lang`."""
        if self.parts:
            out = [t("dflt.mixed", lang)]
            for ch, part in self.parts.items():
                out += [f"{t('dflt.channel_' + ch, lang)}: {s}" for s in part.sentences(lang)[1:]]
            return tuple(out)
        how = {k: t("dflt.given" if k in self.given else "dflt.default", lang) for k in ("sl", "rules")}
        sl_given = "sl_threshold" in self.given or "sl_share" in self.given
        out = [
            t(f"dflt.channel_is_{self.channel}", lang),
            t("dflt.sl", lang, share=fmt_pct(self.sl_share, lang, 0), s=fmt_duration(self.sl_threshold, lang),
              how=t("dflt.given" if sl_given else "dflt.default", lang)),
        ]
        if self.rules is None:
            out.append(t(f"dflt.no_rules_{self.channel}", lang) if "rules" not in self.given else t("dflt.no_rules_given", lang))
        else:
            out.append(t("dflt.rules", lang, name=self.rules_name, how=how["rules"]))
        out.append(t(f"dflt.unit_{self.time_unit}", lang))
        return tuple(out)

    @property
    def notes(self) -> tuple[str, ...]:
        """:meth:`sentences` in English."""
        return self.sentences("en")

    def scale(self) -> float:
        """Seconds per shown time unit (1 or 60)."""
        return 60.0 if self.time_unit == "min" else 1.0


def _channels(contacts: pd.DataFrame) -> list[str]:
    if "channel" not in contacts.columns:
        raise ArgumentError("`contacts` has no `channel` column; read the log with waitlab.read_log or add one "
                            "('phone' or 'kiosk').")
    seen = [str(c) for c in pd.unique(contacts["channel"].dropna()) if str(c) in CHANNEL_DEFAULTS]
    return sorted(seen, key=list(CHANNEL_DEFAULTS).index)


def defaults_for(
    contacts: pd.DataFrame,
    *,
    rules: str | Path | None = AUTO,
    sl_threshold: float | None = None,
    sl_share: float | None = None,
    channel: str | None = None,
) -> ChannelDefaults:
    """The service-level target, rule set and time unit a log is judged by.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table; its ``channel`` column decides (``"phone"`` or ``"kiosk"``). A table
        without contacts gets the phone defaults.
    rules : str, Path or None, default "auto"
        ``"auto"``: the channel's default (CABA for kiosk logs, none for phone logs); a rule-set
        name or TOML path to check one; None for no compliance check.
    sl_threshold : float, optional
        Service-level threshold T in seconds (default 20 s for phone, 900 s for kiosk).
    sl_share : float, optional
        Target share answered within T (default 0.8).
    channel : {"phone", "kiosk"}, optional
        Force the channel instead of reading it from `contacts`.

    Returns
    -------
    ChannelDefaults
        For a log with both channels, ``channel == "mixed"`` and ``parts`` holds each channel's
        defaults (the given settings apply to both).

    Examples
    --------
    >>> import pandas as pd
    >>> d = defaults_for(pd.DataFrame({"channel": ["phone", "phone"]}))
    >>> d.sl_threshold, d.rules, d.time_unit
    (20.0, None, 's')
    >>> defaults_for(pd.DataFrame({"channel": ["kiosk"]})).rules
    'CABA'
    """
    if sl_threshold is not None and not (isinstance(sl_threshold, int | float) and 0 <= sl_threshold < float("inf")):
        raise ArgumentError(f"`sl_threshold` must be a number of seconds >= 0, got {sl_threshold!r}.")
    if sl_share is not None and not (isinstance(sl_share, int | float) and 0 < sl_share <= 1):
        raise ArgumentError(f"`sl_share` must be a share in (0, 1] (0.8 for 80 %), got {sl_share!r}.")
    if channel is not None and channel not in CHANNEL_DEFAULTS:
        raise ArgumentError(f"`channel` must be one of {tuple(CHANNEL_DEFAULTS)} or None, got {channel!r}.")
    given = frozenset(name for name, v in (("sl_threshold", sl_threshold), ("sl_share", sl_share)) if v is not None)
    if not (isinstance(rules, str) and rules == AUTO):
        given |= {"rules"}
    channels = [channel] if channel else (_channels(contacts) or ["phone"])
    parts = {ch: _one(ch, rules, sl_threshold, sl_share, given) for ch in channels}
    if len(parts) == 1:
        return parts[channels[0]]
    first = parts[channels[0]]
    return ChannelDefaults("mixed", first.sl_threshold, first.sl_share, first.rules, first.time_unit, given, parts)


def _one(ch: str, rules: str | Path | None, sl_threshold: float | None, sl_share: float | None,
         given: frozenset[str]) -> ChannelDefaults:
    d_threshold, d_share, d_rules, unit = CHANNEL_DEFAULTS[ch]
    use_rules = d_rules if isinstance(rules, str) and rules == AUTO else rules
    return ChannelDefaults(ch, float(d_threshold if sl_threshold is None else sl_threshold),
                           float(d_share if sl_share is None else sl_share), use_rules, unit, given)
