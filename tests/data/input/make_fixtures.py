#!/usr/bin/env python3
"""Writes the spreadsheet fixtures of tests/unit/spreadsheet_input_test.cpp from examples/batch.jsonl:

  batch.utf8.csv  the batch as an office keeps it: 是/否, enum labels (眼镜), amounts as 1500万,
                  10,000,000.00元 or 300万元, dates as 2025年3月1日, 2025/9/1 or 2025.05.02
                  (make_fixtures.sh turns it into batch.gbk.csv with iconv)
  batch.xlsx      the same batch as a workbook, its XML written by hand: texts as shared strings
                  (one inline string), amounts and scores as numbers, dates as serial numbers
                  with a date style, booleans as boolean cells, an item number as a number

Each must decide exactly as the JSON Lines batch. Run from anywhere: python3 make_fixtures.py
"""
import datetime
import json
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

# The labels of the enum members the batch uses (policies/longgang_ai_2025.pol).
LABELS = {"eyewear": "眼镜", "smart_wearable": "智能穿戴产品", "international": "国际"}
MONEY = {"compute_fee", "contract_amount", "requested", "preparation_cost", "rd_investment", "actual_investment",
         "total_investment", "actual_cost"}


def load():
    with open(os.path.join(ROOT, "examples", "batch.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    columns = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    return rows, columns


def money_cell(text, n):
    """An amount (whole 元, as a string) the way an office writes it; n picks the spelling."""
    yuan = int(text)
    if n % 3 == 0 and yuan % 10000 == 0:
        return f"{yuan // 10000}万"
    if n % 3 == 1:
        return f"{yuan:,}.00元"
    if yuan % 10000 == 0:
        return f"{yuan // 10000}万元"
    return text


def date_cell(text, n):
    d = datetime.date.fromisoformat(text)
    return [f"{d.year}年{d.month}月{d.day}日", f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month:02}.{d.day:02}", text][n % 4]


def csv_cell(key, value, n):
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in MONEY:
        return money_cell(value, n)
    if key == "date":
        return date_cell(value, n)
    if isinstance(value, str) and value in LABELS:
        return LABELS[value]
    return str(value)


def write_csv(rows, columns):
    lines = [",".join(columns)]
    for n, r in enumerate(rows):
        cells = []
        for k in columns:
            c = csv_cell(k, r[k], n) if k in r else ""
            cells.append(f'"{c}"' if "," in c else c)
        lines.append(",".join(cells))
    with open(os.path.join(HERE, "batch.utf8.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")  # as Excel saves it


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(rows, columns):
    strings, index = [], {}

    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def cell(ref, key, value, n):
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if key == "date":  # a serial number, style 1: numFmt 14 (a built-in date format)
            serial = (datetime.date.fromisoformat(value) - datetime.date(1899, 12, 30)).days
            return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
        if key in MONEY and n == 1:  # one amount typed as text with its unit
            return f'<c r="{ref}" t="s"><v>{shared(money_cell(value, 0))}</v></c>'
        if key in MONEY or isinstance(value, (int, float)):
            return f'<c r="{ref}" s="2"><v>{value}</v></c>'  # style 2: #,##0.00, still a number
        if key == "item" and value.replace(".", "").isdigit():
            return f'<c r="{ref}"><v>{value}</v></c>'  # an item number typed as a number
        if key == "model":
            return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        return f'<c r="{ref}" t="s"><v>{shared(LABELS.get(value, value))}</v></c>'

    sheet_rows = ['<row r="1">' + "".join(f'<c r="{col(i)}1" t="s"><v>{shared(k)}</v></c>' for i, k in enumerate(columns)) + "</row>"]
    for n, r in enumerate(rows):
        line = n + 2
        cells = "".join(cell(f"{col(i)}{line}", k, r[k], n) for i, k in enumerate(columns) if k in r)
        sheet_rows.append(f'<row r="{line}">{cells}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="申报" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/>'
            '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId4" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet {ns}><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
            '<xf numFmtId="4" applyNumberFormat="1"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet {ns}><sheetData>' + "".join(sheet_rows) + "</sheetData></worksheet>",
        # A second sheet, as offices add one with notes: only the first is read unless --sheet names it.
        "xl/worksheets/sheet2.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet {ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>填表说明</t></is></c></row>'
            "</sheetData></worksheet>",
    }
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    path = os.path.join(HERE, "batch.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))  # the same bytes on every run
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


rows, columns = load()
write_csv(rows, columns)
write_xlsx(rows, columns)
