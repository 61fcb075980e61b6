"""Reading and writing scenario files (TOML via :mod:`tomllib`; no code is ever evaluated)."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

from waitlab._clock import clock, end_seconds, seconds_of_time
from waitlab.exceptions import ScenarioError
from waitlab.schema import DEFAULT_TZ
from waitlab.sim._distributions import DISTRIBUTIONS, Distribution
from waitlab.sim._scenario import DeskGroup, QueueSpec, Scenario

__all__ = ["parse_scenario", "read_scenario", "write_scenario"]

_TOP = {"scenario", "queue", "desks"}
_SCENARIO_KEYS = {"site", "name", "date", "timezone", "start", "end", "interval_minutes", "channel",
                  "no_show_seconds"}
_QUEUE_KEYS = {"name", "rates_per_hour", "arrival_times", "service", "patience", "priority_share", "no_show",
               "service_scale", "visible_abandon"}
_DESK_KEYS = {"name", "serves", "open"}


def read_scenario(path: str | Path) -> Scenario:
    """Read and validate the scenario file at `path`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file {str(path)!r} does not exist; check the path.") from None
    except OSError as exc:  # a folder, no permission, ...
        raise ScenarioError(f"scenario file {str(path)!r} cannot be read ({exc.strerror}); check the path.") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"scenario file {str(path)!r} is not UTF-8 text; save it as UTF-8.") from None
    return parse_scenario(text, source=str(path))


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse scenario TOML `text`; `source` names it in error messages."""
    try:
        doc = tomllib.loads(text.removeprefix("\ufeff"))  # a byte-order mark is not part of the TOML
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML ({exc}); check quotes, brackets and commas.") from None
    return _Parser(source).scenario(doc)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str, fix: str) -> ScenarioError:
        return ScenarioError(f"{self.source}: {where}: {problem}; {fix}.")

    def keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(where, f"unknown key `{key}`", f"use only {', '.join(sorted(allowed))}")

    def scenario(self, doc: dict[str, Any]) -> Scenario:
        self.keys(doc, _TOP, "top level")
        head = doc.get("scenario")
        if not isinstance(head, dict):
            raise self.fail("[scenario]", "the table is missing", "start the file with a [scenario] table")
        self.keys(head, _SCENARIO_KEYS, "[scenario]")
        for key in ("site", "date", "start", "end"):
            if key not in head:
                raise self.fail("[scenario]", f"`{key}` is missing", f"add {key} = ... (see the README example)")
        start = self.time(head["start"], "[scenario] key `start`")
        end = self.time(head["end"], "[scenario] key `end`")
        minutes = head.get("interval_minutes", 30)
        interval = self.number(minutes, "[scenario] key `interval_minutes`") * 60.0
        if interval <= 0:
            raise self.fail("[scenario] key `interval_minutes`", f"got {minutes!r}", "use e.g. interval_minutes = 30")
        span = end_seconds(end) - seconds_of_time(start)
        if span <= 0:
            raise self.fail("[scenario]", f"`end` ({end}) is not after `start` ({start})",
                            "set end later than start on the same day")
        if abs(span / interval - round(span / interval)) > 1e-9:
            raise self.fail("[scenario]", f"the day ({span / 60:g} min) is not a whole number of "
                            f"{interval / 60:g}-min intervals", "change start, end or interval_minutes")
        self.bounds = (start, end, interval)
        queues = self.array(doc, "queue")
        desks = self.array(doc, "desks")
        return Scenario(
            site=self.string(head["site"], "[scenario] key `site`"),
            name=self.string(head.get("name", ""), "[scenario] key `name`"),
            date=self.date(head["date"]),
            start=start,
            end=end,
            interval=interval,
            timezone=self.string(head.get("timezone", DEFAULT_TZ), "[scenario] key `timezone`"),
            channel=self.string(head.get("channel", "kiosk"), "[scenario] key `channel`"),
            no_show_seconds=self.number(head.get("no_show_seconds", 60.0), "[scenario] key `no_show_seconds`"),
            queues=tuple(self.queue(t, i) for i, t in enumerate(queues)),
            desks=tuple(self.desk(t, i) for i, t in enumerate(desks)),
            source=self.source,
        )

    def array(self, doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
        tables = doc.get(name, [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise self.fail(f"[[{name}]]", "must be an array of tables", f"write each one under its own [[{name}]]")
        return tables

    def queue(self, t: dict[str, Any], i: int) -> QueueSpec:
        name = self.string(t.get("name", ""), f"[[queue]] number {i + 1}, key `name`")
        where = f"queue {name!r}"
        self.keys(t, _QUEUE_KEYS, where)
        if "rates_per_hour" not in t and "arrival_times" not in t:
            raise self.fail(where, "neither `rates_per_hour` nor `arrival_times` is given",
                            "add rates_per_hour = [...] (customers per hour, one per interval)")
        if "service" not in t:
            raise self.fail(where, "`service` is missing", 'add service = { dist = "exponential", mean = 300 }')
        patience = t.get("patience")
        arrivals = t.get("arrival_times")
        return QueueSpec(
            name=name,
            rates_per_hour=tuple(self.per_interval(t["rates_per_hour"], f"{where}, key `rates_per_hour`", float))
            if "rates_per_hour" in t else (),
            arrival_times=None if arrivals is None else self.times(arrivals, f"{where}, key `arrival_times`"),
            service=self.dist(t["service"], f"{where}, key `service`"),
            patience=None if patience in (None, "none") else self.dist(patience, f"{where}, key `patience`"),
            priority_share=self.number(t.get("priority_share", 0.0), f"{where}, key `priority_share`"),
            no_show=self.number(t.get("no_show", 0.0), f"{where}, key `no_show`"),
            visible_abandon=self.number(t.get("visible_abandon", 0.0), f"{where}, key `visible_abandon`"),
            service_scale=tuple(self.per_interval(t["service_scale"], f"{where}, key `service_scale`", float))
            if "service_scale" in t else (),
        )

    def desk(self, t: dict[str, Any], i: int) -> DeskGroup:
        name = self.string(t.get("name", ""), f"[[desks]] number {i + 1}, key `name`")
        where = f"desks {name!r}"
        self.keys(t, _DESK_KEYS, where)
        for key in ("serves", "open"):
            if key not in t:
                raise self.fail(where, f"`{key}` is missing", "see the README example")
        serves = t["serves"]
        if isinstance(serves, str):
            serves = [serves]
        if not isinstance(serves, list):
            raise self.fail(f"{where}, key `serves`", f"got {serves!r}", 'give a list of queue names, e.g. ["caja"]')
        return DeskGroup(name=name, serves=tuple(str(s) for s in serves),
                         open=tuple(self.per_interval(t["open"], f"{where}, key `open`", int)))

    # -- values ----------------------------------------------------------------------------
    def per_interval(self, value: Any, where: str, kind: type) -> list[Any]:
        start, end, interval = self.bounds
        k = max(0, round((end_seconds(end) - seconds_of_time(start)) / interval)) if interval > 0 else 0
        if isinstance(value, list):
            return [self.count(v, where) if kind is int else self.number(v, where) for v in value]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [self.count(value, where) if kind is int else self.number(value, where)] * k
        if not isinstance(value, dict) or not value:
            raise self.fail(where, f"got {value!r}",
                            'give a list (one value per interval), one number for the whole day, or a table '
                            'of changes such as { "10:00" = 3, "12:00" = 2 }')
        steps: list[tuple[float, Any]] = []
        for key, v in value.items():
            t = seconds_of_time(self.time(key, where)) - seconds_of_time(start)
            if not (0 <= t < k * interval) or abs(t / interval - round(t / interval)) > 1e-9:
                raise self.fail(where, f"change time {key!r} is not an interval start between "
                                f"{start} and {end}", f"use times on the {interval / 60:g}-min grid")
            steps.append((t, self.count(v, where) if kind is int else self.number(v, where)))
        steps.sort(key=lambda s: s[0])
        if steps[0][0] != 0:
            raise self.fail(where, f"the table starts at {clock(seconds_of_time(start) + steps[0][0])}, not at the "
                            f"opening time {start}", f'add "{clock(seconds_of_time(start))}" = <value>')
        out = []
        for i in range(k):
            out.append([v for t, v in steps if t <= i * interval + 1e-9][-1])
        return out

    def times(self, value: Any, where: str) -> tuple[float, ...]:
        if not isinstance(value, list):
            raise self.fail(where, "must be a list", 'give seconds after the start, or "HH:MM:SS" strings')
        start = seconds_of_time(self.bounds[0])
        out = []
        for v in value:
            if isinstance(v, str | dt.time):
                out.append(seconds_of_time(self.time(v, where)) - start)
            else:
                out.append(self.number(v, where))
        return tuple(out)

    def dist(self, value: Any, where: str) -> Distribution:
        try:
            return Distribution.from_dict(value)
        except ValueError as exc:
            if isinstance(value, dict) and value.get("dist") not in DISTRIBUTIONS and "dist" in value:
                raise self.fail(where, f"unknown distribution {value['dist']!r}",
                                f"use one of {', '.join(DISTRIBUTIONS)}") from None
            raise self.fail(where, str(exc), 'e.g. { dist = "lognormal", mean = 240, cv = 0.6 } (seconds)') from None

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"must be text, got {value!r}", "put it in double quotes")
        return value

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(where, f"must be a finite number, got {value!r}", "write a plain number")
        return float(value)

    def count(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(where, f"desk counts must be whole numbers >= 0, got {value!r}", "fix the count")
        return value

    def time(self, value: Any, where: str) -> dt.time:
        if isinstance(value, dt.time):
            return value
        if isinstance(value, str):
            if value.strip() in ("24:00", "24:00:00"):
                return dt.time(0)  # midnight, the end of the day (only meaningful as `end`)
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(where, f"{value!r} is not a time of day", 'write "HH:MM" or "HH:MM:SS"')

    def date(self, value: Any) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail("[scenario] key `date`", f"{value!r} is not a date", "write date = 2024-03-04")


def write_scenario(sc: Scenario) -> str:
    """Return `sc` as scenario TOML (lists per interval; arrival times in seconds)."""
    lines = [
        "[scenario]",
        f"site = {_q(sc.site)}",
        f"name = {_q(sc.name)}",
        f"date = {sc.date.isoformat()}",
        f"timezone = {_q(sc.timezone)}",
        f"start = {_q(sc.start.isoformat())}",
        f"end = {_q('24:00' if sc.end == dt.time(0) else sc.end.isoformat())}",
        f"interval_minutes = {sc.interval / 60!r}",
        f"channel = {_q(sc.channel)}",
        f"no_show_seconds = {float(sc.no_show_seconds)!r}",
    ]
    for q in sc.queues:
        lines += ["", "[[queue]]", f"name = {_q(q.name)}"]
        if q.arrival_times is not None:
            lines.append(f"arrival_times = {_list(q.arrival_times)}")
        else:
            lines.append(f"rates_per_hour = {_list(q.rates_per_hour)}")
        lines.append(f"service = {_inline(q.service.to_dict())}")
        if q.patience is not None:
            lines.append(f"patience = {_inline(q.patience.to_dict())}")
        lines += [f"priority_share = {float(q.priority_share)!r}", f"no_show = {float(q.no_show)!r}"]
        if q.service_scale:
            lines.append(f"service_scale = {_list(q.service_scale)}")
        if q.visible_abandon:
            lines.append(f"visible_abandon = {float(q.visible_abandon)!r}")
    for g in sc.desks:
        lines += ["", "[[desks]]", f"name = {_q(g.name)}", f"serves = [{', '.join(_q(s) for s in g.serves)}]",
                  f"open = [{', '.join(str(int(c)) for c in g.open)}]"]
    return "\n".join(lines) + "\n"


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(values: Any) -> str:
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def _inline(d: dict[str, Any]) -> str:
    parts = []
    for k, v in d.items():
        parts.append(f"{k} = {_q(v) if isinstance(v, str) else _list(v) if isinstance(v, list) else repr(float(v))}")
    return "{ " + ", ".join(parts) + " }"
