"""Reports on paper: one document of tables rendered as Markdown, CSV, XLSX, HTML
or JSON. Formats only lay out what the core computed; none derives a figure."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from salesbench.core import i18n, labels
from salesbench.core.i18n import N_, _
from salesbench.core.tables import Table, plain, shown, table_dict
from salesbench.core.text_cells import cells
from salesbench.io.cells import neutralise

FORMATS = ("md", "csv", "xlsx", "html", "json")
EXTENSIONS = {".md": "md", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".json": "json"}


@dataclass(frozen=True)
class Chart:
    """A picture of one table for the HTML report: bars or a line per series."""

    kind: str  # "bars" | "line"
    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    value_kind: str = "int"


@dataclass
class Document:
    kind: str  # weekly | leaderboard | forecast
    title: str
    meta: dict[str, Any]  # what the report covers: period, timezone, scope, as of
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def _cell_text(value: Any, kind: str) -> str:
    return shown(value, kind)


def _meta_text(value: Any) -> str:
    if isinstance(value, bool):
        return _(labels.YES if value else labels.NO)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# what a report covers, as a person reads it (the JSON keeps the keys)
META_WORDS = {
    "week": N_("week"),
    "month": N_("month"),
    "period": N_("period"),
    "from": N_("from"),
    "to": N_("to"),
    "timezone": N_("timezone"),
    "scope": N_("scope"),
    "as_of": N_("as of"),
    "complete": N_("complete"),
    "previous_week": N_("previous week"),
    "currencies": N_("currencies"),
}


def _meta_key(key: str) -> str:
    return _(META_WORDS[key]) if key in META_WORDS else key.replace("_", " ")


# ------------------------------------------------------------------ JSON


def to_json(doc: Document) -> bytes:
    out = {
        "report": doc.kind,
        **doc.meta,
        "notes": doc.notes,
        "sections": {t.key: table_dict(t) for t in doc.tables},
    }
    return (json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ------------------------------------------------------------------ Markdown


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document) -> bytes:
    lines = [f"# {doc.title}", ""]
    lines += [
        f"- **{_meta_key(k)}**: {_meta_text(v)}" for k, v in doc.meta.items() if v is not None
    ]
    lines += [f"- _{n}_" for n in doc.notes]
    for t in doc.tables:
        lines += ["", f"## {t.title}", ""]
        if t.note:
            lines += [t.note, ""]
        if not t.rows:
            lines.append("_" + _("nothing this period") + "_")
            continue
        lines.append("| " + " | ".join(_md_escape(c.label) for c in t.columns) + " |")
        lines.append("|" + "|".join("---" if c.kind == "text" else "---:" for c in t.columns) + "|")
        for r in t.rows:
            cells = [_md_escape(_cell_text(r.get(c.key), c.kind_in(r))) for c in t.columns]
            lines.append("| " + " | ".join(cells) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")


# ------------------------------------------------------------------ CSV


def to_csv(doc: Document) -> bytes:
    """Long ("tidy") rows, one figure per line, so a script can filter by section
    and metric and a spreadsheet can pivot: section, row, metric, value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    period = doc.meta.get("period") or doc.meta.get("week") or ""
    writer.writerow(["period", "section", "level", "row", "metric", "value", "currency"])
    for t in doc.tables:
        text_columns = [c for c in t.columns if c.kind == "text" and c.key != "level"]
        figures = [c for c in t.columns if c.kind != "text"]
        for r in t.rows:
            label = " / ".join(str(r.get(c.key)) for c in text_columns if r.get(c.key))
            for c in figures:
                kind = c.kind_in(r)
                value = plain(r.get(c.key), kind)
                writer.writerow(
                    [
                        period,
                        t.key,
                        r.get("level", ""),
                        neutralise(label),
                        c.key,
                        "" if value is None else value,
                        _currency(c, r) if kind == "money" else "",
                    ]
                )
    return buffer.getvalue().encode("utf-8")


# ------------------------------------------------------------------ XLSX

NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.0%", "int": "#,##0", "number": "#,##0.00"}


def _currency(column: Any, row: dict[str, Any]) -> str:
    """The currency of a money cell: its column's, or its row's (headline figures)."""
    return str(column.currency or row.get("currency") or "")


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "money":
        return round(value / 100, 2)
    if kind == "text":
        return neutralise(str(value))
    return value


def to_xlsx(doc: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = sheet_name = _("Report")
    about.append([doc.title])
    about["A1"].font = Font(bold=True, size=14)
    for key, value in doc.meta.items():
        about.append([_meta_key(key), "" if value is None else _meta_text(value)])
    for note in doc.notes:
        about.append([_("Note"), note])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 60
    used: set[str] = {sheet_name}
    for t in doc.tables:
        name = t.title[:31].replace("/", "-").replace(":", " ")
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([c.label for c in t.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [cells(c.label) for c in t.columns]
        for r in t.rows:
            kinds = [c.kind_in(r) for c in t.columns]
            sheet.append(
                [_xlsx_value(r.get(c.key), k) for c, k in zip(t.columns, kinds, strict=True)]
            )
            row = sheet.max_row
            for n, k in enumerate(kinds):
                if k in NUMBER_FORMATS:
                    code = _currency(t.columns[n], r) if k == "money" else ""
                    sheet.cell(row=row, column=n + 1).number_format = NUMBER_FORMATS[k] + (
                        f' "{code}"' if code else ""
                    )
                widths[n] = max(widths[n], cells(_cell_text(r.get(t.columns[n].key), k)))
        sheet.freeze_panes = "A2"
        from openpyxl.utils import get_column_letter

        for n, w in enumerate(widths):
            sheet.column_dimensions[get_column_letter(n + 1)].width = min(60, w + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ HTML

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:2rem auto;max-width:1100px;
color:#1d2430;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;
border-bottom:2px solid #e3e7ee;padding-bottom:.2rem}
.meta{color:#5a6475;margin:0 0 1rem}.note{color:#8a5a00}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e7ee;text-align:right;white-space:nowrap}
th{background:#f4f6f9;position:sticky;top:0}td.text,th.text{text-align:left}
tr.team td,tr.region td,tr.branch td{background:#f8f9fb}tr.total td{font-weight:600;
border-top:2px solid #1d2430}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font:11px system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
fill:#1d2430}
"""
PALETTE = ("#2f6fde", "#e07b24", "#2a9d6f", "#b8457e")


def _esc(value: Any) -> str:
    from html import escape

    return escape(str(value), quote=True)


def _bars_svg(chart: Chart) -> str:
    rows = list(zip(chart.labels, chart.series[0][1], strict=True))
    top = max((v for _, v in rows), default=0) or 1
    height = 22 * len(rows) + 10
    label_w, bar_w = 220, 320
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 90}" '
        f'height="{height}" role="img" aria-label="{_esc(chart.title)}">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * 22
        w = max(1.0, bar_w * value / top) if value else 0
        text = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_esc(text)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="15" fill="{PALETTE[0]}"/>'
        )
        parts.append(
            f'<text x="{label_w + w + 5:.1f}" y="{y + 14}">'
            f"{_esc(shown(value, chart.value_kind))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _line_svg(chart: Chart) -> str:
    width, height, left, bottom = 560, 220, 50, 30
    plot_w, plot_h = width - left - 20, height - bottom - 20
    top = max((v for _, values in chart.series for v in values), default=0) or 1
    n = max(1, len(chart.labels) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20}" '
        f'role="img" aria-label="{_esc(chart.title)}">',
        f'<line x1="{left}" y1="{20 + plot_h}" x2="{left + plot_w}" y2="{20 + plot_h}" '
        'stroke="#9aa3b2"/>',
        f'<text x="{left - 6}" y="24" text-anchor="end">'
        f"{_esc(shown(top, chart.value_kind))}</text>",
        f'<text x="{left - 6}" y="{20 + plot_h}" text-anchor="end">0</text>',
    ]
    for i, label in enumerate(chart.labels):
        x = left + plot_w * i / n
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{_esc(label)}</text>'
        )
    for s, (name, values) in enumerate(chart.series):
        color = PALETTE[s % len(PALETTE)]
        points = " ".join(
            f"{left + plot_w * i / n:.1f},{20 + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        parts.append(
            f'<text x="{left + 10 + 140 * s}" y="{height + 12}" fill="{color}">'
            f"■ {_esc(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(t: Table) -> str:
    head = "".join(
        f'<th class="{"text" if c.kind == "text" else "num"}">{_esc(c.label)}</th>'
        for c in t.columns
    )
    body = []
    for r in t.rows:
        cells = "".join(
            f'<td class="{"text" if c.kind == "text" else "num"}">'
            f"{_esc(_cell_text(r.get(c.key), c.kind_in(r)))}</td>"
            for c in t.columns
        )
        body.append(f'<tr class="{_esc(r.get("level", ""))}">{cells}</tr>')
    if not body:
        return "<p><em>nothing this period</em></p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(doc: Document) -> bytes:
    meta = " · ".join(
        f"{_esc(_meta_key(k))}: {_esc(_meta_text(v))}" for k, v in doc.meta.items() if v is not None
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(i18n.language())}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(doc.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_esc(doc.title)}</h1>",
        f'<p class="meta">{meta}</p>',
    ]
    parts += [f'<p class="note">{_esc(n)}</p>' for n in doc.notes]
    if doc.charts:
        parts.append('<div class="charts">')
        for chart in doc.charts:
            svg = _bars_svg(chart) if chart.kind == "bars" else _line_svg(chart)
            parts.append(f"<figure><figcaption>{_esc(chart.title)}</figcaption>{svg}</figure>")
        parts.append("</div>")
    for t in doc.tables:
        parts.append(f'<section id="{_esc(t.key)}"><h2>{_esc(t.title)}</h2>')
        if t.note:
            parts.append(f"<p>{_esc(t.note)}</p>")
        parts.append(_html_table(t) + "</section>")
    parts.append("</body></html>")
    return ("\n".join(parts) + "\n").encode("utf-8")


RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "md": to_markdown,
    "csv": to_csv,
    "xlsx": to_xlsx,
    "html": to_html,
    "json": to_json,
}


def render(doc: Document, fmt: str) -> bytes:
    return RENDERERS[fmt](doc)
