"""CSV written by this app (the monitoring export, an import's issues file) is safe to open in a
spreadsheet: a text cell a spreadsheet would run as a formula gets a leading single quote (OWASP "CSV
injection"), and NUL characters are dropped. The same two rules as cases/views.py `_csv_response`;
imported data is written by strangers, so its values pass through here too."""

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # "-1" is a number to a spreadsheet, not a formula


def safe_cell(value):
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "")
    if value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(c) for c in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_text(header, rows) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
