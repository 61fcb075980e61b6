"""Shift templates: which shifts may be rostered, when they may start, their break, cost and limits.

A template file is TOML (times of day ``"HH:MM"``, durations in seconds or text such as
``"8h"``/``"30min"``)::

    max_staff = 25                       # optional: people on the roster in the day, all types

    [[shift]]
    name = "full"
    start = { earliest = "08:00", latest = "10:00", step = "30min" }
    length = "8h"
    cost_per_hour = 15.0                 # paid hours exclude an unpaid break
    cost_per_shift = 0.0                 # optional fixed cost of each shift
    max_staff = 20                       # optional
    break = { length = "30min", earliest = "3h", latest = "5h", step = "15min", paid = false }

    [[shift]]
    name = "part-time"
    part_time = true
    start = { earliest = "11:00", latest = "16:00", step = "30min" }
    length = "4h"
    cost_per_hour = 13.0

The break window is relative to the shift start: the break starts at ``earliest``,
``earliest + step``, ... up to ``latest``, and must end before the shift does.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from waitlab._clock import clock, parse_clock, parse_duration
from waitlab.planning._errors import ShiftTemplateError

__all__ = ["MealBreak", "ShiftTemplate", "ShiftTemplates", "load_shifts"]

_SHIFT_KEYS = {"name", "start", "length", "cost_per_hour", "cost_per_shift", "max_staff", "break", "part_time"}
_START_KEYS = {"earliest", "latest", "step"}
_BREAK_KEYS = {"length", "earliest", "latest", "step", "paid"}
_TOP_KEYS = {"max_staff", "shift"}


@dataclass(frozen=True, slots=True, kw_only=True)
class MealBreak:
    """A break of `length` seconds starting `earliest`..`latest` seconds after the shift starts.

    Parameters
    ----------
    length : float
        Break length, seconds (> 0).
    earliest, latest : float
        Window for the break start, seconds after the shift start (``earliest <= latest``).
    step : float
        Spacing of the allowed break starts, seconds (> 0).
    paid : bool
        Whether the break is paid (counts in the shift's paid hours).
    """

    length: float
    earliest: float
    latest: float
    step: float
    paid: bool = False

    def starts(self) -> list[float]:
        """Allowed break starts, seconds after the shift start."""
        return _grid(self.earliest, self.latest, self.step)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftTemplate:
    """One type of shift.

    Parameters
    ----------
    name : str
        Label shown in the roster.
    start_earliest, start_latest : float
        First and last allowed start, seconds since midnight.
    start_step : float
        Spacing of allowed starts, seconds (> 0).
    length : float
        Shift length including the break, seconds (> 0).
    cost_per_hour : float
        Cost of one paid hour (paid hours exclude an unpaid break).
    cost_per_shift : float
        Fixed cost of each shift.
    max_staff : int or None
        Most shifts of this type in the roster (None: no limit).
    meal_break : MealBreak or None
        The break, if the shift has one.
    part_time : bool
        Label for reports (part-time shifts are otherwise ordinary templates).
    """

    name: str
    start_earliest: float
    start_latest: float
    start_step: float
    length: float
    cost_per_hour: float = 0.0
    cost_per_shift: float = 0.0
    max_staff: int | None = None
    meal_break: MealBreak | None = None
    part_time: bool = False

    def __post_init__(self) -> None:
        where = f"shift {self.name!r}"
        if not (self.length > 0 and math.isfinite(self.length)):
            raise ShiftTemplateError(f"{where}: `length` must be a positive duration, got {self.length!r}.")
        if self.start_latest < self.start_earliest:
            raise ShiftTemplateError(
                f"{where}: start `latest` ({clock(self.start_latest)}) is before `earliest` "
                f"({clock(self.start_earliest)}); swap them."
            )
        if not self.start_step > 0:
            raise ShiftTemplateError(f"{where}: start `step` must be a positive duration, got {self.start_step!r}.")
        if self.cost_per_hour < 0 or self.cost_per_shift < 0:
            raise ShiftTemplateError(f"{where}: costs must be >= 0, got cost_per_hour={self.cost_per_hour!r}, "
                                     f"cost_per_shift={self.cost_per_shift!r}.")
        if self.cost <= 0:
            raise ShiftTemplateError(
                f"{where}: the shift costs nothing; give `cost_per_hour` or `cost_per_shift` > 0 "
                "so the cheapest roster is well defined."
            )
        if self.max_staff is not None and (isinstance(self.max_staff, bool) or not isinstance(self.max_staff, int)
                                           or self.max_staff < 0):
            raise ShiftTemplateError(f"{where}: `max_staff` must be an integer >= 0, got {self.max_staff!r}.")
        b = self.meal_break
        if b is not None:
            if not b.length > 0:
                raise ShiftTemplateError(f"{where}: break `length` must be > 0, got {b.length!r}.")
            if b.latest < b.earliest or not b.step > 0:
                raise ShiftTemplateError(
                    f"{where}: break window needs earliest <= latest and step > 0, got earliest={b.earliest!r}, "
                    f"latest={b.latest!r}, step={b.step!r} (seconds after the shift start)."
                )
            if b.latest + b.length > self.length:
                raise ShiftTemplateError(
                    f"{where}: a break starting {b.latest / 60:g} min after the start and lasting "
                    f"{b.length / 60:g} min ends after the {self.length / 3600:g} h shift; lower break `latest`."
                )

    @property
    def paid_hours(self) -> float:
        """Paid hours of one shift (length minus an unpaid break), hours."""
        unpaid = self.meal_break.length if (self.meal_break and not self.meal_break.paid) else 0.0
        return (self.length - unpaid) / 3600.0

    @property
    def cost(self) -> float:
        """Cost of one shift."""
        return self.cost_per_shift + self.cost_per_hour * self.paid_hours

    def starts(self) -> list[float]:
        """Allowed starts, seconds since midnight."""
        return _grid(self.start_earliest, self.start_latest, self.start_step)


@dataclass(frozen=True, slots=True)
class ShiftTemplates:
    """The shift types available to a roster, with the overall staff limit.

    Parameters
    ----------
    shifts : tuple of ShiftTemplate
        The types (names must be unique).
    max_staff : int or None
        Most people on the roster in the day, all types together (None: no limit).
    """

    shifts: tuple[ShiftTemplate, ...]
    max_staff: int | None = None

    def __post_init__(self) -> None:
        if not self.shifts:
            raise ShiftTemplateError("no shift templates given; add at least one [[shift]] table.")
        names = [s.name for s in self.shifts]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ShiftTemplateError(f"shift names must be unique; {dup} appear more than once.")
        if self.max_staff is not None and (isinstance(self.max_staff, bool) or not isinstance(self.max_staff, int)
                                           or self.max_staff < 0):
            raise ShiftTemplateError(f"`max_staff` must be an integer >= 0, got {self.max_staff!r}.")


def _grid(a: float, b: float, step: float) -> list[float]:
    n = int(math.floor((b - a) / step + 1e-9))
    return [a + k * step for k in range(n + 1)]


def _check_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ShiftTemplateError(f"{where}: unknown key(s) {unknown}; allowed keys are {sorted(allowed)}.")


def _shift_from_table(t: dict[str, Any], where: str) -> ShiftTemplate:
    _check_keys(t, _SHIFT_KEYS, where)
    name = t.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ShiftTemplateError(f"{where}: `name` is missing; give each [[shift]] a name such as \"full\".")
    where = f"{where} ({name!r})"
    for key in ("start", "length"):
        if key not in t:
            raise ShiftTemplateError(f"{where}: `{key}` is missing.")
    start = t["start"]
    if not isinstance(start, dict):
        raise ShiftTemplateError(f"{where}: `start` must be a table {{ earliest = \"08:00\", latest = \"10:00\", "
                                 f"step = \"30min\" }}, got {start!r}.")
    _check_keys(start, _START_KEYS, f"{where} start")
    try:
        earliest = parse_clock(start.get("earliest"), f"{where}: start.earliest")
        latest = parse_clock(start.get("latest", start.get("earliest")), f"{where}: start.latest")
        step = parse_duration(start.get("step", "15min"), f"{where}: start.step")
        length = parse_duration(t["length"], f"{where}: length")
        meal = None
        if "break" in t:
            b = t["break"]
            if not isinstance(b, dict):
                raise ShiftTemplateError(f"{where}: `break` must be a table {{ length = \"30min\", earliest = \"3h\", "
                                         f"latest = \"5h\", step = \"15min\" }}, got {b!r}.")
            _check_keys(b, _BREAK_KEYS, f"{where} break")
            if "length" not in b or "earliest" not in b:
                raise ShiftTemplateError(f"{where}: break needs `length` and `earliest` (seconds after shift start).")
            meal = MealBreak(
                length=parse_duration(b["length"], f"{where}: break.length"),
                earliest=parse_duration(b["earliest"], f"{where}: break.earliest"),
                latest=parse_duration(b.get("latest", b["earliest"]), f"{where}: break.latest"),
                step=parse_duration(b.get("step", "15min"), f"{where}: break.step"),
                paid=bool(b.get("paid", False)),
            )
    except ShiftTemplateError:
        raise
    except ValueError as exc:
        raise ShiftTemplateError(str(exc)) from None
    costs = {}
    for key in ("cost_per_hour", "cost_per_shift"):
        v = t.get(key, 0.0)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ShiftTemplateError(f"{where}: `{key}` must be a number, got {v!r}.")
        costs[key] = float(v)
    part_time = t.get("part_time", False)
    if not isinstance(part_time, bool):
        raise ShiftTemplateError(f"{where}: `part_time` must be true or false, got {part_time!r}.")
    return ShiftTemplate(name=name, start_earliest=earliest, start_latest=latest, start_step=step, length=length,
                         max_staff=t.get("max_staff"), meal_break=meal, part_time=part_time, **costs)


def load_shifts(source: str | Path | dict[str, Any]) -> ShiftTemplates:
    """Read shift templates from a TOML file (or an already parsed dict).

    Parameters
    ----------
    source : str, Path or dict
        Path of the TOML file, or its parsed content.

    Returns
    -------
    ShiftTemplates

    Raises
    ------
    ShiftTemplateError
        Naming the file, the ``[[shift]]`` table and the key that is wrong, and how to fix it
        (also when the file does not exist or cannot be read).
    """
    if isinstance(source, dict):
        data, label = source, "shift templates"
    else:
        path = Path(source)
        try:
            data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))  # with or without a byte-order mark
        except tomllib.TOMLDecodeError as exc:
            raise ShiftTemplateError(f"{path}: not valid TOML ({exc}).") from None
        except UnicodeDecodeError:
            raise ShiftTemplateError(f"shift templates file {str(path)!r} is not UTF-8 text; save it as UTF-8.") from None
        except FileNotFoundError:
            raise ShiftTemplateError(f"shift templates file {str(path)!r} does not exist; check the path.") from None
        except OSError as exc:  # a folder, no permission, ...
            raise ShiftTemplateError(f"shift templates file {str(path)!r} cannot be read ({exc.strerror}).") from None
        label = str(path)
    try:
        _check_keys(data, _TOP_KEYS, label)
        shifts = data.get("shift")
        if not isinstance(shifts, list) or not shifts:
            raise ShiftTemplateError(f"{label}: no [[shift]] tables; add at least one shift template.")
        parsed = tuple(_shift_from_table(t, f"{label}: [[shift]] #{i + 1}") for i, t in enumerate(shifts))
        return ShiftTemplates(parsed, max_staff=data.get("max_staff"))
    except ShiftTemplateError as exc:
        msg = str(exc)
        raise ShiftTemplateError(msg if msg.startswith(label) else f"{label}: {msg}") from None
