"""Words and formats in Spanish and English: one catalogue for the report, the plan figures and the dashboard.

>>> from waitlab.i18n import t, fmt_number, fmt_pct, fmt_duration, fmt_date
>>> t("kpi.wait_mean", "es")
'Espera media'
>>> fmt_number(1234.5, "es"), fmt_number(1234.5, "en")
('1.234,5', '1,234.5')
>>> fmt_pct(0.147, "es"), fmt_pct(0.147, "en")
('14,7 %', '14.7%')
>>> fmt_duration(750, "es"), fmt_duration(42, "en")
('12,5 min', '42 s')
>>> import datetime as dt
>>> fmt_date(dt.date(2025, 3, 25), "es"), fmt_date(dt.date(2025, 3, 25), "en")
('25/03/2025', '2025-03-25')

Keys are namespaced by where they are shown (``"report.title"``, ``"kpi.arrivals"``,
``"stf.title"``); :func:`strings` returns the whole catalogue (key -> ``(es, en)``). Numbers and
dates are written by Babel with the ``es_AR`` and ``en_US`` locales (:func:`locale`); the few
choices made on top of Babel are listed in ``waitlab/_i18n/_format.py``. Every function takes
`lang` (``"es"`` or ``"en"``) and refuses any other with an :class:`~waitlab.exceptions.ArgumentError`.
"""

from waitlab._i18n import *  # noqa: F403 - the public face of the private package, name for name
from waitlab._i18n import __all__ as __all__
