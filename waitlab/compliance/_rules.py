"""Rule sets: wait limits as data (TOML), loaded and validated with the line and key named.

A rule set file looks like::

    name = "CABA"
    source = "..."                 # citation / URL of the regulation
    jurisdiction = "..."
    description = "..."            # optional
    source_es = "..."              # optional, likewise jurisdiction_es/_en, description_es/_en:
    source_en = "..."              #   the text shown on Spanish / English pages and reports

    [[limit]]
    id = "standing_30"             # letters, digits, "_" and "-"; unique in the file
    kind = "standing"              # standing | seated | total
    minutes = 30                   # > 0
    description = "..."            # optional; description_es / description_en likewise

    [turn_order]                   # optional
    required = true
    tolerance_seconds = 0          # optional, >= 0
    description = "..."            # optional

Shipped rule sets live next to this module in ``rules/*.toml`` and are found by name,
case-insensitively (``load_rules("caba")``).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from waitlab.compliance._toml_lines import _LineFinder
from waitlab.exceptions import RuleError

__all__ = ["LIMIT_KINDS", "Limit", "RuleSet", "TurnOrderRule", "available_rules", "load_rules"]

#: What a limit measures: seconds spent standing, seconds spent seated, or the whole wait.
LIMIT_KINDS: Final = ("standing", "seated", "total")

RULES_DIR: Final = Path(__file__).with_name("rules")

#: Optional per-language texts: ``source_es``, ``source_en``, ... (the plain key is the fallback).
_LANG_KEYS: Final = tuple(f"{k}_{lang}" for k in ("source", "jurisdiction", "description") for lang in ("es", "en"))
_TOP_KEYS: Final = ("name", "source", "jurisdiction", "description", "limit", "turn_order", *_LANG_KEYS)
_LIMIT_KEYS: Final = ("id", "kind", "minutes", "description", "description_es", "description_en")
_TURN_KEYS: Final = ("required", "tolerance_seconds", "description", "description_es", "description_en")


def _text(obj: Limit | TurnOrderRule | RuleSet, key: str, lang: str | None) -> str:
    return str(obj.texts.get(f"{key}_{lang}") or getattr(obj, key)) if lang else str(getattr(obj, key))
_ID_RE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    """One wait limit of a rule set.

    Parameters
    ----------
    id : str
        Short identifier, unique within the rule set (used as the ``rule`` column of breaches).
    kind : {"standing", "seated", "total"}
        ``standing``: seconds the customer spent standing in the waiting room; ``seated``:
        seconds spent seated; ``total``: the whole wait, ``arrived_at`` to ``called_at`` (or to
        ``ended_at`` for abandonments).
    minutes : float
        The limit, minutes (> 0). A wait breaches it when it is strictly longer.
    description : str
        Plain-language statement of the limit.
    texts : dict of str to str
        The description per language (``"description_es"``, ``"description_en"``); see :meth:`text`.
    """

    id: str
    kind: str
    minutes: float
    description: str = ""
    texts: dict[str, str] = field(default_factory=dict, compare=False)

    def text(self, key: str = "description", lang: str | None = None) -> str:
        """The `key` text in `lang` ("es" or "en") when the rule set gives one, else the plain one."""
        return _text(self, key, lang)

    def __post_init__(self) -> None:
        if not (isinstance(self.id, str) and _ID_RE.match(self.id)):
            raise RuleError(f"limit `id` must be letters, digits, '_' or '-', got {self.id!r}.")
        if self.kind not in LIMIT_KINDS:
            raise RuleError(f"limit `kind` must be one of {list(LIMIT_KINDS)}, got {self.kind!r}.")
        if (
            isinstance(self.minutes, bool)
            or not isinstance(self.minutes, int | float)
            or not (math.isfinite(self.minutes) and self.minutes > 0)
        ):
            raise RuleError(f"limit `minutes` must be a positive finite number, got {self.minutes!r}.")

    @property
    def seconds(self) -> float:
        """The limit in seconds."""
        return float(self.minutes) * 60.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnOrderRule:
    """Tickets must be called in the order they were issued.

    Parameters
    ----------
    required : bool
        Whether the rule set demands turn order at all.
    tolerance_seconds : float
        An earlier ticket called at most this many seconds after a later one is not a
        violation (two desks calling almost at once), seconds, >= 0.
    description : str
        Plain-language statement of the rule.
    texts : dict of str to str
        The description per language (``"description_es"``, ``"description_en"``).
    """

    required: bool = True
    tolerance_seconds: float = 0.0
    description: str = ""
    texts: dict[str, str] = field(default_factory=dict, compare=False)

    def text(self, key: str = "description", lang: str | None = None) -> str:
        """The `key` text in `lang` ("es" or "en") when the rule set gives one, else the plain one."""
        return _text(self, key, lang)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSet:
    """A named set of wait limits plus an optional turn-order rule.

    Parameters
    ----------
    name : str
        Short name (``"CABA"``).
    source : str
        Citation or URL of the regulation the rules come from.
    jurisdiction : str
        Where the rules apply.
    limits : tuple of Limit
        The wait limits; ids are unique.
    turn_order : TurnOrderRule or None
        The turn-order rule, or None when the rule set says nothing about it.
    description : str
        Optional longer description.
    path : Path or None
        The file the rule set was read from (None when built in code).
    texts : dict of str to str
        ``source``, ``jurisdiction`` and ``description`` per language (``"source_es"``, ...).
    """

    name: str
    source: str
    jurisdiction: str
    limits: tuple[Limit, ...] = ()
    turn_order: TurnOrderRule | None = None
    description: str = ""
    path: Path | None = field(default=None, compare=False)
    texts: dict[str, str] = field(default_factory=dict, compare=False)

    def text(self, key: str, lang: str | None = None) -> str:
        """``source``, ``jurisdiction`` or ``description`` in `lang` ("es"/"en"), else the plain text.

        >>> load_rules("CABA").text("jurisdiction", "en")
        'City of Buenos Aires, Argentina'
        """
        return _text(self, key, lang)

    def __post_init__(self) -> None:
        ids = [lim.id for lim in self.limits]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise RuleError(f"rule set {self.name!r} repeats limit id(s) {dup}; give each limit its own id.")
        if not self.limits and not self.checks_turn_order:
            raise RuleError(
                f"rule set {self.name!r} has no limits and no required turn order; it checks nothing."
            )

    @property
    def checks_turn_order(self) -> bool:
        """True when the rule set requires tickets to be called in turn."""
        return self.turn_order is not None and self.turn_order.required

    def describe(self) -> str:
        """Return a few lines stating the rules in plain language."""
        lines = [f"{self.name} ({self.jurisdiction}); source: {self.source}"]
        for lim in self.limits:
            text = lim.description or f"no {lim.kind} wait over {lim.minutes:g} minutes"
            lines.append(f"  - {lim.id}: {text} ({lim.kind} > {lim.minutes:g} min)")
        if self.checks_turn_order:
            assert self.turn_order is not None
            tol = self.turn_order.tolerance_seconds
            extra = f", tolerance {tol:g} s" if tol else ""
            lines.append(
                f"  - turn order: {self.turn_order.description or 'tickets are called in turn'}{extra}"
            )
        return "\n".join(lines)


def available_rules() -> list[str]:
    """Names of the rule sets shipped with waitlab (file stems under ``waitlab/compliance/rules``)."""
    return sorted(p.stem for p in RULES_DIR.glob("*.toml"))


def load_rules(name_or_path: str | Path | RuleSet) -> RuleSet:
    """Load a rule set by shipped name (case-insensitive) or from a TOML file.

    Parameters
    ----------
    name_or_path : str, Path or RuleSet
        A shipped rule set name such as ``"CABA"`` or ``"limit15"``, a path to a ``.toml``
        file, or a :class:`RuleSet` (returned unchanged).

    Returns
    -------
    RuleSet

    Raises
    ------
    RuleError
        If the name is unknown (the message lists the shipped names) or the file is invalid
        (the message names the file, the line and the key).

    Examples
    --------
    >>> rules = load_rules("caba")
    >>> [(lim.id, lim.kind, lim.seconds) for lim in rules.limits]
    [('standing_30', 'standing', 1800.0), ('total_90', 'total', 5400.0)]
    """
    if isinstance(name_or_path, RuleSet):
        return name_or_path
    if not isinstance(name_or_path, str | Path):
        raise RuleError(
            f"`rules` must be a rule set name, a path or a RuleSet, got {type(name_or_path).__name__}."
        )
    path = Path(name_or_path)
    if not path.is_file():
        shipped = {p.stem.lower(): p for p in RULES_DIR.glob("*.toml")}
        key = (path.stem if path.suffix.lower() == ".toml" else str(name_or_path)).lower()
        if len(path.parts) == 1 and key in shipped:
            path = shipped[key]
        elif path.suffix.lower() == ".toml" or len(path.parts) > 1:
            raise RuleError(f"rules file {str(name_or_path)!r} does not exist.")
        else:
            raise RuleError(
                f"unknown rule set {str(name_or_path)!r}; shipped rule sets are {available_rules()}, "
                "or give the path of a .toml file."
            )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(
            f"rules file {path.name} is not UTF-8 text ({exc.reason}); save it as UTF-8."
        ) from exc
    except OSError as exc:  # no permission, removed meanwhile, ...
        raise RuleError(f"rules file {str(path)!r} cannot be read ({exc.strerror}).") from None
    return parse_rules(text, origin=path)


def parse_rules(text: str, origin: str | Path = "<rules>") -> RuleSet:
    """Parse and validate rule-set TOML text; `origin` names it in error messages.

    Raises
    ------
    RuleError
        Naming the file, line and key of the first problem found.
    """
    where = Path(origin).name if isinstance(origin, Path) else str(origin)
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))  # a byte-order mark is not part of the TOML
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"rules file {where} is not valid TOML: {exc}.") from exc
    finder = _LineFinder(text)

    def fail(section: str | None, key: str, occurrence: int, problem: str) -> RuleError:
        line = finder.line_of(key, section, occurrence)
        at = f", line {line}" if line else ""
        label = f"{section}.{key}" if section else key
        return RuleError(f"rules file {where}{at}: key `{label}` {problem}")

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(None, key, 0, f"is not a known key; allowed keys are {list(_TOP_KEYS)}.")
    for key in ("name", "source", "jurisdiction"):
        if key not in data:
            raise RuleError(
                f'rules file {where}: required key `{key}` is missing; add `{key} = "..."` at the top.'
            )
    for key in ("name", "source", "jurisdiction", "description", *_LANG_KEYS):
        if key in data and not (isinstance(data[key], str) and (data[key].strip() or key == "description")):
            raise fail(None, key, 0, f"must be a non-empty string, got {data[key]!r}.")

    raw_limits = data.get("limit", [])
    if not isinstance(raw_limits, list) or not all(isinstance(x, dict) for x in raw_limits):
        raise fail(
            None, "limit", 0, "must be an array of tables: write each limit under its own `[[limit]]` header."
        )
    limits = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_limits):
        for key in raw:
            if key not in _LIMIT_KEYS:
                raise fail(
                    "limit", key, i, f"is not a known key of [[limit]]; allowed keys are {list(_LIMIT_KEYS)}."
                )
        for key in ("id", "kind", "minutes"):
            if key not in raw:
                line = finder.header_line("limit", i)
                at = f", line {line}" if line else ""
                raise RuleError(f"rules file {where}{at}: [[limit]] number {i + 1} has no `{key}`; add it.")
        lid, kind, minutes = raw["id"], raw["kind"], raw["minutes"]
        if not (isinstance(lid, str) and _ID_RE.match(lid)):
            raise fail("limit", "id", i, f"must be a name of letters, digits, '_' or '-', got {lid!r}.")
        if lid in seen:
            raise fail(
                "limit",
                "id",
                i,
                f"repeats the id {lid!r} of limit number {seen[lid] + 1}; ids must be unique.",
            )
        seen[lid] = i
        if kind not in LIMIT_KINDS:
            raise fail("limit", "kind", i, f"must be one of {list(LIMIT_KINDS)}, got {kind!r}.")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float):
            raise fail("limit", "minutes", i, f"must be a number of minutes, got {minutes!r}.")
        if not (math.isfinite(minutes) and minutes > 0):
            raise fail("limit", "minutes", i, f"must be a positive number of minutes, got {minutes!r}.")
        for key in ("description", "description_es", "description_en"):
            if not isinstance(raw.get(key, ""), str):
                raise fail("limit", key, i, f"must be a string, got {raw[key]!r}.")
        limits.append(Limit(id=lid, kind=kind, minutes=minutes, description=raw.get("description", ""),
                            texts={k: raw[k] for k in _LIMIT_KEYS[4:] if k in raw}))

    turn = None
    if "turn_order" in data:
        raw = data["turn_order"]
        if not isinstance(raw, dict):
            raise fail(None, "turn_order", 0, "must be a table: write it as a `[turn_order]` section.")
        for key in raw:
            if key not in _TURN_KEYS:
                raise fail(
                    "turn_order",
                    key,
                    0,
                    f"is not a known key of [turn_order]; allowed keys are {list(_TURN_KEYS)}.",
                )
        required = raw.get("required", True)
        if not isinstance(required, bool):
            raise fail("turn_order", "required", 0, f"must be true or false, got {required!r}.")
        tol = raw.get("tolerance_seconds", 0)
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not (math.isfinite(tol) and tol >= 0):
            raise fail(
                "turn_order", "tolerance_seconds", 0, f"must be a number of seconds >= 0, got {tol!r}."
            )
        for key in ("description", "description_es", "description_en"):
            if not isinstance(raw.get(key, ""), str):
                raise fail("turn_order", key, 0, f"must be a string, got {raw[key]!r}.")
        turn = TurnOrderRule(required=required, tolerance_seconds=float(tol), description=raw.get("description", ""),
                             texts={k: raw[k] for k in _TURN_KEYS[3:] if k in raw})

    if not limits and not (turn and turn.required):
        raise RuleError(
            f"rules file {where}: it has no [[limit]] and no required [turn_order]; it checks nothing."
        )
    return RuleSet(
        name=data["name"],
        source=data["source"],
        jurisdiction=data["jurisdiction"],
        description=data.get("description", ""),
        limits=tuple(limits),
        turn_order=turn,
        path=origin if isinstance(origin, Path) else None,
        texts={k: data[k] for k in _LANG_KEYS if k in data},
    )
