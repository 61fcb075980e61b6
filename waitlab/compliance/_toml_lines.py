"""Line numbers of keys in rule-set TOML text, for error messages that name the line."""

from __future__ import annotations

import re


class _LineFinder:
    """Locate a key's line in TOML text, by section (table header) and occurrence of that section."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\-\"'. ]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str) -> None:
        # entries: (line number, section or None, occurrence of that section, key)
        self.keys: list[tuple[int, str | None, int, str]] = []
        self.headers: list[tuple[int, str, int]] = []
        section: str | None = None
        counts: dict[str, int] = {}
        in_multiline = False
        for n, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = False
                continue
            m = self._HEADER.match(line)
            if m:
                section = m.group(2).strip().strip("\"'")
                occ = counts.get(section, 0)
                counts[section] = occ + 1
                self.headers.append((n, section, occ))
                continue
            km = re.match(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=""", line)
            if km:
                key = km.group(1).strip("\"'")
                occ = counts.get(section, 1) - 1 if section else 0
                self.keys.append((n, section, occ, key))
                rest = line[km.end() :]
                if rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1:
                    in_multiline = True

    def line_of(self, key: str, section: str | None, occurrence: int) -> int | None:
        for n, sec, occ, k in self.keys:
            if k == key and sec == section and occ == occurrence:
                return n
        if section is None:  # a key that opens a table, e.g. [turn_order] or [[limit]]
            for n, sec, _occ in self.headers:
                if sec == key:
                    return n
        return None

    def header_line(self, section: str, occurrence: int) -> int | None:
        for n, sec, occ in self.headers:
            if sec == section and occ == occurrence:
                return n
        return None
