"""Messages in Spanish and English: quarantine reasons and every ``.notes`` sentence, matched by their text.

Readers, analytics, compliance, staffing and the report write their quarantine reasons and notes
as English sentences (``.notes`` stay plain English strings; the reason is stored as written, in
the quarantine table). Each kind of message has a code in the catalogue, under ``rnote.``
(readers), ``note.`` (analytics, compliance, staffing, report) or ``dflt.`` (channel defaults):
its English text, with ``{fields}``, is the sentence as emitted, so :func:`note_text` finds the
code by matching the sentence against that template and says it in the other language. Field
names tell how a value is shown: ``n...`` a count (thousands marks of the language), ``x...`` a
decimal number (the language's marks), ``msg...`` a nested note (translated in turn), ``parts`` a
``"; "``-joined list of nested notes; any other field (columns, zones, names) as written. The
hand-written patterns below come first (older messages). A message no pattern knows is shown as is.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from waitlab._i18n._catalogue import check_lang, strings, t
from waitlab._i18n._format import fmt_int

# Specific patterns before the generic ones they would also match.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"missing required value \(served call without ser_start/ser_exit\)", "reason.served_no_times"),
    (r"missing required value \(q_exit of a queued call\)", "reason.queued_no_exit"),
    (r"missing required value \(no CONNECT and no call time\)", "reason.no_connect"),
    (r"missing required value \((?P<field>[^()]+)\)", "reason.missing"),
    (r"missing (?P<field>[A-Za-z_]+)", "reason.missing_column"),
    (r"unparseable time \((?P<field>.+)\)", "reason.bad_time"),
    (r"unparseable number \((?P<field>.+)\)", "reason.bad_number"),
    (r"not a finite number \((?P<field>.+): inf, nan or beyond 1e308\)", "reason.not_finite"),
    (r"negative duration \(call time\)", "reason.negative_calltime"),
    (r"negative duration \((?P<field>.+)\)", "reason.negative"),
    (r"unknown outcome code \((?P<field>.+)\)", "reason.unknown_outcome"),
    (r"unknown priority code \((?P<field>.+)\)", "reason.unknown_priority"),
    (r"unknown event code \((?P<field>.+)\)", "reason.unknown_event"),
    (r"duplicate contact_id", "reason.duplicate_id"),
    (r"duplicate line \(an exact repeat of an earlier line\)", "reason.duplicate_line"),
    (r"duplicate id \(the call has several final events\)", "reason.several_finals"),
    (r"events out of order \(an event before ENTERQUEUE\)", "reason.before_enterqueue"),
    (r"events out of order \(CONNECT after the final event\)", "reason.connect_after_final"),
    (r"events out of order \((?P<later>[A-Za-z_]+) before (?P<earlier>[A-Za-z_]+)\)", "reason.order"),
    (r"NUL byte in a field \((?P<field>.+)\): the line is damaged", "reason.nul"),
    (r"phantom call \(SEELab: a virtual call, to ignore\)", "reason.phantom"),
    (r"hung up in the VRU, never queued \(not a queue contact\)", "reason.vru_hangup"),
)

_NOTES: tuple[tuple[str, str], ...] = (
    (r"Text encoding (?P<enc>\S+), from the mapping\.", "rnote.enc_mapping"),
    (r"Text encoding (?P<enc>\S+) \(as given\)\.", "rnote.enc_given"),
    (r"Text encoding UTF-8, detected\.", "rnote.enc_utf8"),
    (r"Text encoding UTF-8 assumed \(the start of the file is plain ASCII\)\.", "rnote.enc_ascii"),
    (r"Text encoding (?P<enc>\S+), inferred \(the file is not valid UTF-8\)\.", "rnote.enc_inferred"),
    (r"Field separator (?P<sep>.+) \(as given\)\.", "rnote.sep_given"),
    (r"Field separator (?P<sep>.+), inferred from the header line\.", "rnote.sep_inferred"),
    (r"Timezone (?P<tz>\S+) \(as given\)\.", "rnote.tz_given"),
    (r"Timezone (?P<tz>\S+), the default \(pass tz= if the log is elsewhere\)\.", "rnote.tz_default"),
    (r"Timezone (?P<tz>\S+) \(the SEELab Anonymous Bank is in Israel\), default\.", "rnote.tz_seelab"),
    (r"Mapping acd_default \(the default acd layout\)\.", "rnote.acd_default"),
    (r"No id column: contact_id = site/date/queue/ticket \(a repeat of it is a duplicate id\)\.", "rnote.no_id"),
    (r"Date order day-first \(dd/mm/yyyy\), as given by mapping (?P<mapping>\S+) and shown by the values "
     r"\((?P<n>[\d,]+) date\(s\) have a field > 12\)\.", "rnote.dayfirst_mapping"),
    (r"Every line is one call; rows read = lines after the header\.", "rnote.seelab_rows"),
    (r"(?P<n>[\d,]+) served calls never queued: arrived_at = vru_exit, wait 0\.", "rnote.seelab_unqueued"),
    (r"(?P<n>[\d,]+) calls cross midnight: times earlier than vru_entry by over 12 h are on the next day\.",
     "rnote.seelab_midnight"),
    (r"(?P<n>[\d,]+) served calls have server NO_SERVER: server left null\.", "rnote.seelab_no_server"),
    (r"(?P<n>[\d,]+) HANG calls carry service times: taken as abandoned at q_exit, their service fields "
     r"ignored\.", "rnote.seelab_hang"),
)

_COMPILED = {name: tuple((re.compile(p + r"\Z"), key) for p, key in table)
             for name, table in (("reason", _REASONS), ("note", _NOTES))}


_AUTO_PREFIXES = ("rnote.", "note.", "dflt.")
_FIELD = re.compile(r"\{(\w+)\}")
_TIGHT = dict.fromkeys(("fit", "format", "mapping", "tz", "enc", "line", "row"), r"\S+")  # one word each


@functools.cache
def _auto() -> tuple[tuple[re.Pattern[str], str], ...]:
    """A pattern per catalogue note code, from its English template; the most literal text first."""
    out = []
    for key, (_, en) in strings().items():
        if not key.startswith(_AUTO_PREFIXES):
            continue
        pieces = _FIELD.split(en)  # literal, field, literal, field, ...
        if len(pieces) > 1 and not "".join(pieces[0::2]).strip():
            continue  # a template that is only fields would match anything
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_TIGHT.get(p, '.+?')})"
                        for i, p in enumerate(pieces))
        out.append((len("".join(pieces[0::2])), re.compile(regex + r"\Z", re.DOTALL), key))
    out.sort(key=lambda item: -item[0])
    return tuple((pattern, key) for _, pattern, key in out)


def _match(kind: str, text: Any) -> tuple[str, dict[str, str]] | None:
    if not isinstance(text, str):
        return None
    for pattern, key in _COMPILED[kind]:
        m = pattern.match(text.strip())
        if m:
            return key, m.groupdict()
    if kind == "note":
        for pattern, key in _auto():
            m = pattern.match(text.strip())
            if m:
                return key, m.groupdict()
    return None


_EN_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})*(\.\d+)?|[+-]?\d+(\.\d+)?")


def _field(name: str, value: str, lang: str) -> str:
    """One captured field of a note, shown in `lang` (module docstring: the field-name rules)."""
    if name == "parts":
        return "; ".join(note_text(p, lang) for p in value.split("; "))
    if name.startswith("msg") or name == "how":
        return note_text(value, lang)
    if name == "fit" and f"family.{value}" in strings():
        return t(f"family.{value}", lang)
    if name == "sep" and value == "tab":
        return t("rnote.tab", lang)
    if name[:1] in "nx" and (name[1:2] in ("", "_") or name[1:].isdigit()) and _EN_NUMBER.fullmatch(value):
        if name[0] == "n" and "." not in value:
            return fmt_int(int(value.replace(",", "")), lang)
        if lang == "es":
            return value.translate(str.maketrans(",.", ".,"))
    return value


def reason_key(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue key and fields of a quarantine reason, or None when no pattern knows it.

    >>> reason_key("unparseable time (Hora Llamado)")
    ('reason.bad_time', {'field': 'Hora Llamado'})
    """
    return _match("reason", text)


def note_key(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue key and fields of a reader note, or None when no pattern knows it."""
    return _match("note", text)


def reason_text(text: str, lang: str = "es") -> str:
    """A quarantine reason in `lang`; the text as written when it is not a known kind.

    >>> reason_text("events out of order (called_at before arrived_at)", "es")
    'eventos fuera de orden (called_at antes que arrived_at)'
    """
    found = reason_key(text)
    return t(found[0], check_lang(lang), **found[1]) if found else text


def note_text(text: str, lang: str = "es") -> str:
    """A reader note (``IngestReport.notes``) in `lang`; the text as written when it is not a known kind.

    >>> note_text("Text encoding UTF-8, detected.", "es")
    'Codificación de texto UTF-8, detectada.'
    """
    if check_lang(lang) == "en":
        return text
    found = note_key(text)
    if not found:
        return text
    fields = {name: _field(name, value, lang) for name, value in found[1].items()}
    return t(found[0], lang, **fields)
