"""Prints a workbook as JSON, read by openpyxl: an independent reader that
the tests compare with our CSV. For each sheet: its name, frozen cell,
autofilter range and every row; each cell as {t: n|s|b|d, v: text, f: number
format, bold: bool}, or null when empty. Numbers are repr()s, so no digit is
lost; date-times are ISO 8601 (openpyxl rounds them to the millisecond)."""
import datetime
import json
import sys

import openpyxl


def cell(c):
    value = c.value
    if value is None:
        return None
    if isinstance(value, bool):
        kind, text = "b", "true" if value else "false"
    elif isinstance(value, (int, float)):
        kind, text = "n", repr(value)
    elif isinstance(value, datetime.datetime):
        kind, text = "d", value.isoformat()
    else:
        kind, text = "s", str(value)
    return {"t": kind, "v": text, "f": c.number_format, "bold": bool(c.font and c.font.b)}


workbook = openpyxl.load_workbook(sys.argv[1])
sheets = []
for sheet in workbook.worksheets:
    sheets.append({
        "name": sheet.title,
        "freeze": sheet.freeze_panes,
        "filter": sheet.auto_filter.ref,
        "rows": [[cell(c) for c in row] for row in sheet.iter_rows()],
    })
json.dump({"sheets": sheets}, sys.stdout)
