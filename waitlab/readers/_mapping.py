"""Mapping files: how a vendor's export maps onto the contacts table.

A mapping is a small TOML file (read with :mod:`tomllib`, never executed). Every table and
key is optional except ``[mapping] format`` and ``[columns] arrived_at``; unknown tables or
keys are rejected with a message naming them. Example (the shipped ``vendor_a_es``)::

    [mapping]
    name = "Vendor A turn terminal (Spanish export)"
    format = "kiosk"            # kiosk | acd
    [read]                      # all optional; inferred when absent
    sep = ";"                   # one character
    decimal = ","               # "," or "."
    encoding = "cp1252"         # any Python codec name
    dayfirst = true             # order of dd/mm dates when the values cannot tell
    [columns]                   # canonical name = the vendor's column
    site = "Sucursal"
    date = "Fecha"              # optional: a date joined to time-only columns below
    ticket = "Nro Turno"
    queue = "Servicio"
    priority = "Prioridad"
    arrived_at = "Hora Emision"
    called_at = "Hora Llamado"
    started_at = "Hora Inicio"
    ended_at = "Hora Fin"
    server = "Puesto"
    outcome = "Estado"
    customer_id = "DNI"
    [outcomes]                  # vendor code = canonical outcome (case-insensitive match)
    ATENDIDO = "served"
    AUSENTE = "no_show"
    [priorities]                # vendor value = integer priority (0 regular; case-insensitive)
    Normal = 0
    Prioritario = 1
    [constants]                 # fixed values for columns the export lacks
    channel = "kiosk"

``[columns]`` keys are the canonical columns of :mod:`waitlab.schema` plus ``date`` (a date
column joined to time-only columns) and ``service_seconds`` (a service duration in seconds,
decimal comma allowed, used for ``ended_at = started_at + service_seconds`` when there is no
end-time column). One vendor column may fill several canonical ones (e.g. an ACD's
``answered_at`` is both ``called_at`` and ``started_at``). Without ``[outcomes]`` the outcome
column must already hold canonical outcomes; without an outcome column the outcome is
inferred from which times are present. Without ``contact_id`` an id is built from site,
date, queue and ticket.

Shipped mappings (pass their name instead of a path): ``vendor_a_es``, ``vendor_b_en``,
``acd_default``.
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from waitlab.exceptions import LogFormatError
from waitlab.schema import COLUMNS, OUTCOMES

__all__ = ["MAPPING_FORMATS", "Mapping", "load_mapping", "shipped_mappings"]

MAPPING_FORMATS = ("kiosk", "acd")
_TABLES = {"mapping", "read", "columns", "outcomes", "priorities", "constants"}
_MAPPING_KEYS = {"name", "format", "description"}
_READ_KEYS = {"sep", "decimal", "encoding", "dayfirst"}
_COLUMN_KEYS = set(COLUMNS) | {"date", "service_seconds"}
_CONSTANT_KEYS = set(COLUMNS) - {"arrived_at", "called_at", "started_at", "ended_at", "contact_id"}


@dataclass(frozen=True)
class Mapping:
    """A validated mapping (see the module docstring for the file format)."""

    name: str
    format: str
    source: str
    sep: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    dayfirst: bool | None = None
    columns: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    priorities: dict[str, int] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)


def shipped_mappings() -> list[str]:
    """Names of the mappings shipped with waitlab."""
    folder = resources.files("waitlab.readers") / "mappings"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _fail(source: str, msg: str) -> LogFormatError:
    return LogFormatError(f"mapping {source}: {msg}")


def _unknown(source: str, where: str, keys: set[str], allowed: set[str]) -> None:
    bad = sorted(keys - allowed)
    if bad:
        raise _fail(source, f"{where} has unknown key(s) {bad}; allowed keys are {sorted(allowed)}.")


def _validate(raw: dict[str, Any], source: str) -> Mapping:
    _unknown(source, "the file", set(raw), _TABLES)
    for t in _TABLES & set(raw):
        if not isinstance(raw[t], dict):
            raise _fail(source, f"[{t}] must be a table (a [{t}] header with key = value lines).")
    meta = raw.get("mapping", {})
    _unknown(source, "[mapping]", set(meta), _MAPPING_KEYS)
    fmt = meta.get("format")
    if fmt not in MAPPING_FORMATS:
        raise _fail(source, f"[mapping] format must be one of {list(MAPPING_FORMATS)}, got {fmt!r}.")
    read = raw.get("read", {})
    _unknown(source, "[read]", set(read), _READ_KEYS)
    sep = read.get("sep")
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
        raise _fail(source, f"[read] sep must be one character such as ';', got {sep!r}.")
    decimal = read.get("decimal")
    if decimal not in (None, ".", ","):
        raise _fail(source, f"[read] decimal must be ',' or '.', got {decimal!r}.")
    encoding = read.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise _fail(source, f"[read] encoding {encoding!r} is not a known encoding; try 'cp1252' or 'utf-8'.") from None
    dayfirst = read.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise _fail(source, f"[read] dayfirst must be true or false, got {dayfirst!r}.")
    columns = raw.get("columns", {})
    _unknown(source, "[columns]", set(columns), _COLUMN_KEYS)
    for k, v in columns.items():
        if not isinstance(v, str) or not v.strip():
            raise _fail(source, f"[columns] {k} must be the vendor's column name as text, got {v!r}.")
    constants = raw.get("constants", {})
    _unknown(source, "[constants]", set(constants), _CONSTANT_KEYS)
    both = sorted(set(constants) & set(columns))
    if both:
        raise _fail(source, f"{both} appear in both [columns] and [constants]; keep one.")
    if "arrived_at" not in columns:
        raise _fail(source, '[columns] needs arrived_at (the vendor column with the issue / entry time), e.g. arrived_at = "Hora Emision".')
    if "queue" not in columns and "queue" not in constants:
        raise _fail(source, '[columns] needs queue (the service / call queue column), or set [constants] queue = "...".')
    if "channel" in constants and constants["channel"] not in ("kiosk", "phone"):
        raise _fail(source, f"[constants] channel must be 'kiosk' or 'phone', got {constants['channel']!r}.")
    outcomes: dict[str, str] = {}
    for k, v in raw.get("outcomes", {}).items():
        if v not in OUTCOMES:
            raise _fail(source, f"[outcomes] {k} = {v!r} is not an outcome; use one of {list(OUTCOMES)}.")
        outcomes[str(k).strip().upper()] = v
    priorities: dict[str, int] = {}
    for k, v in raw.get("priorities", {}).items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise _fail(source, f"[priorities] {k} must be a whole number >= 0 (0 = regular), got {v!r}.")
        priorities[str(k).strip().upper()] = v
    if "priority" in constants and (not isinstance(constants["priority"], int) or isinstance(constants["priority"], bool)):
        raise _fail(source, f"[constants] priority must be a whole number, got {constants['priority']!r}.")
    return Mapping(
        name=str(meta.get("name", source)),
        format=fmt,
        source=source,
        sep=sep,
        decimal=decimal,
        encoding=encoding,
        dayfirst=dayfirst,
        columns={k: v.strip() for k, v in columns.items()},
        outcomes=outcomes,
        priorities=priorities,
        constants=dict(constants),
    )


def load_mapping(mapping: str | Path | Mapping) -> Mapping:
    """Load and validate a mapping from a TOML path or the name of a shipped mapping.

    Raises
    ------
    LogFormatError
        When the file is missing, is not valid TOML, or has unknown or invalid keys; the
        message names the file, the table and key, and how to fix it.
    """
    if isinstance(mapping, Mapping):
        return mapping
    text = str(mapping)
    path = Path(text)
    if not path.exists() and "/" not in text and "\\" not in text and not text.endswith(".toml"):
        shipped = shipped_mappings()
        if text in shipped:
            data = (resources.files("waitlab.readers") / "mappings" / f"{text}.toml").read_text("utf-8")
            return _validate(_parse(data, text), text)
        raise LogFormatError(f"mapping {text!r} is neither a file nor a shipped mapping ({', '.join(shipped)}).")
    if not path.is_file():
        raise LogFormatError(f"mapping file {path} does not exist; check the path.")
    try:
        data = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise LogFormatError(f"mapping file {path} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as exc:  # no permission, removed meanwhile, ...
        raise LogFormatError(f"mapping file {path} cannot be read ({exc.strerror}).") from None
    return _validate(_parse(data, str(path)), str(path))


def _parse(text: str, source: str) -> dict[str, Any]:
    try:  # a byte-order mark (Notepad saves one) is not part of the TOML
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"is not valid TOML ({exc}); fix that line.") from exc
