"""Data page: a bundled sample or an uploaded log, the column mapping, and the ingest report."""

from __future__ import annotations

import _data
import _ui
import i18n
import streamlit as st
from i18n import t

from waitlab.exceptions import WaitlabError
from waitlab.schema import DEFAULT_TZ

st.title(t("data.title"))
st.caption(t("data.intro"))

source = _ui.radio(
    t("data.source"), ["sample", "upload"], "data_source", format_func=lambda k: t(f"data.source_{k}"), horizontal=True,
)


def _load(read, key: str, label: str, kind: str, name: str) -> None:  # noqa: ANN001
    """Run a cached reader; keep the result as the session's dataset or show the reader's message."""
    with st.spinner(t("data.reading")):
        try:
            contacts, report = read()
        except WaitlabError as exc:
            _ui.show_error(exc)
            return
        except (OSError, UnicodeError, ValueError) as exc:  # not a waitlab message: say so plainly
            st.error(t("data.read_failed", name=name, error=str(exc)), icon=":material/error:")
            return
        except Exception as exc:  # noqa: BLE001 - an unforeseen file: one sentence, never a traceback
            st.error(t("data.read_failed", name=name, error=f"{type(exc).__name__}: {exc}"), icon=":material/error:")
            return
    _data.set_current(_data.Loaded(key=key, label=label, contacts=contacts, report=report, source=kind, name=name))
    if contacts.empty:
        st.warning(t("dash.loaded_empty", name=label), icon=":material/warning:")
    else:
        st.success(t("data.loaded", name=label, rows=i18n.fmt_int(len(contacts))), icon=":material/check_circle:")


if source == "sample":
    names = _data.available_samples()
    if not names:
        st.warning(t("data.no_samples"))
    else:
        name = _ui.selectbox(t("data.sample"), names, "data_sample", format_func=lambda n: t(f"sample.{n}"))
        st.caption(t(f"sample_help.{name}"))
        if st.button(t("data.load"), key="load_sample", type="primary", icon=":material/play_arrow:"):
            _load(lambda: _data.read_sample(name), f"sample:{name}", t(f"sample.{name}"), "sample", name)
else:
    cap_mb = _data.max_upload_mb()
    up = st.file_uploader(  # type=None: Streamlit's filter refuses a queue_log without extension; checked below
        t("data.upload"), type=None, key="data_file", help=t("data.upload_help", mb=cap_mb),
    )
    c1, c2 = st.columns(2)
    fmt = _ui.selectbox(
        t("data.format"), list(_data.FORMATS), "data_format", where=c1,
        format_func=lambda f: t("data.format_auto") if f is None else t(f"format.{f}"),
    )
    # empty: the reader's own default (the SEELab month is in Israel, a branch log in Buenos Aires)
    tz = _ui.text(t("data.tz"), "data_tz", "", where=c2, help=t("data.tz_help"),
                  placeholder=t("dash.tz_auto", tz=DEFAULT_TZ))
    mapping_text: str | None = None
    if fmt in _data.MAPPED_FORMATS:
        choices = [None, *_data.mapping_names(fmt)]
        chosen = _ui.selectbox(
            t("data.mapping"), choices, f"data_mapping_{fmt}",
            format_func=lambda m: t("data.mapping_default") if m is None else m,
        )
        with st.expander(t("data.mapping_edit"), expanded=False):
            st.caption(t("data.mapping_edit_help"))
            base = _data.mapping_text(chosen) if chosen else ""
            edited = st.text_area(t("data.mapping_toml"), value=base, height=260, key=f"data_mapping_text_{fmt}_{chosen}")
        mapping_text = edited.strip() or None
    if up is not None:
        payload = up.getvalue()
        bad_ext = _data.upload_extension(up.name)
        if bad_ext is not None:
            st.error(t("dash.bad_type", name=up.name, ext=bad_ext), icon=":material/error:")
        elif len(payload) > cap_mb * 1024 * 1024:
            st.error(t("data.too_big", name=up.name, size=i18n.fmt_num(len(payload) / 2**20, 1), mb=cap_mb))
        elif st.button(t("data.read"), key="read_upload", type="primary", icon=":material/play_arrow:"):
            digest = _data.sha256(payload)
            key = f"upload:{digest}:{fmt}:{_data.sha256((mapping_text or '').encode())[:12]}:{tz}"
            _load(lambda: _data.read_upload(digest, payload, up.name, fmt, mapping_text, tz or None),
                  key, up.name, "upload", up.name)

loaded = _data.current()
if loaded is None:
    st.stop()

rep = loaded.report
st.divider()
st.subheader(t("data.report", name=_data.display_name(loaded)))
m1, m2, m3 = st.columns(3)
m1.metric(t("data.rows_read"), i18n.fmt_int(rep.rows_read))
m2.metric(t("data.rows_used"), i18n.fmt_int(rep.rows_used))
m3.metric(t("data.rows_quarantined"), i18n.fmt_int(rep.rows_quarantined))
st.caption(t("data.row_unit", fmt=rep.format, unit=i18n.lib.note_text(rep.row_unit, i18n.current_lang())))

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('data.reasons')}**")
    reasons = _data.reasons_table(rep)
    _ui.table(reasons, {"count": "int", "share": "pct"}, key="reasons")
    _ui.download_csv(rep.quarantine, "data.download_quarantine", "quarantine.csv", key="dl_quarantine")
with right:
    st.markdown(f"**{t('data.assumptions')}**")
    if rep.notes:
        st.markdown("\n".join(f"- {i18n.lib.note_text(a, i18n.current_lang())}" for a in rep.notes))
    else:
        st.caption(t("common.none"))
    if rep.not_rows:
        st.markdown(f"**{t('data.not_rows')}**")
        st.markdown("\n".join(f"- {kind}: {i18n.fmt_int(n)}" for kind, n in rep.not_rows.items()))

with st.expander(t("data.preview", n=i18n.fmt_int(min(len(loaded.contacts), _ui.MAX_ROWS)))):
    _ui.table(loaded.contacts, key="preview")
