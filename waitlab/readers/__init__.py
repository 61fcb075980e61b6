"""Readers: real queue logs in, the canonical contacts table and an exact ingest report out.

``read_log(path, format=..., mapping=...)`` reads ``kiosk`` turn-terminal exports and ``acd``
call logs (both through a TOML mapping, :mod:`waitlab.readers._mapping`), Asterisk
``queue_log`` files (:mod:`waitlab.readers._asterisk`), the SEELab "Anonymous Bank" format
(:mod:`waitlab.readers._seelab`) and already-canonical ``contacts`` files, from CSV, Excel,
Parquet or gzip. Row accounting and line numbering are described in
:mod:`waitlab.readers._report`.
"""

from waitlab.readers._core import FORMATS, SEELAB_TZ, read_log
from waitlab.readers._mapping import Mapping, load_mapping, shipped_mappings
from waitlab.readers._report import IngestReport

__all__ = ["FORMATS", "SEELAB_TZ", "IngestReport", "Mapping", "load_mapping", "read_log", "shipped_mappings"]
