"""The supervision report in three forms: a chat summary (Telegram HTML), a PNG chart, an XLSX workbook.

Pure functions of a ``Report``: they consume its sections generically, so a feature's new section
shows up in all three without changes here. They are CPU-bound (matplotlib, openpyxl); callers on
the event loop run ``render_all`` off it.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.services.reports import Better, Metric, Report, ReportSection, Unit
from bot.timeutil import format_local
from handlers.staff import texts
from handlers.staff.views import period_label, report_title

MAX_TEXT = 3900  # Telegram allows 4096 characters per message
NO_VALUE = "—"


def format_value(value: Any, unit: Unit | None) -> str:
    if value is None:
        return NO_VALUE
    if unit is Unit.PERCENT:
        return f"{float(value) * 100:.1f}%"
    if unit is Unit.HOURS:
        return texts.REPORT_HOURS.format(value=f"{float(value):.1f}")
    if unit is Unit.SCORE:
        return f"{float(value):.2f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    if isinstance(value, int | float):
        return f"{int(value):,}"
    return str(value)


def format_change(metric: Metric) -> str:
    change = metric.change
    if change is None:
        return ""
    if abs(change) < 1e-9:
        return texts.REPORT_NO_CHANGE
    sign = "+" if change > 0 else "-"
    if metric.unit is Unit.PERCENT:
        body = texts.REPORT_POINTS.format(value=f"{abs(change) * 100:.1f}")
    elif metric.unit is Unit.HOURS:
        body = texts.REPORT_HOURS.format(value=f"{abs(change):.1f}")
    elif metric.unit is Unit.SCORE:
        body = f"{abs(change):.2f}"
    else:
        body = f"{abs(change):,.0f}"
        if metric.previous:
            share = f"{abs(change) / metric.previous * 100:.0f}"
            body = texts.REPORT_CHANGE_SHARE.format(change=body, sign=sign, share=share)
    arrow = ""
    if metric.better is not Better.NEUTRAL:
        good = (change > 0) == (metric.better is Better.HIGHER)
        arrow = " 👍" if good else " ⚠️"
    return f"{sign}{body}{arrow}"


def metric_line(metric: Metric) -> str:
    previous = format_value(metric.previous, metric.unit)
    change = format_change(metric)
    comparison = (
        texts.REPORT_COMPARE_CHANGE.format(previous=previous, change=change)
        if change
        else texts.REPORT_COMPARE.format(previous=previous)
    )
    return texts.REPORT_METRIC_LINE.format(
        label=html.escape(metric.label),
        value=format_value(metric.current, metric.unit),
        comparison=comparison,
    )


def render_text(report: Report) -> str:
    """The chat summary: headline numbers per section with the previous period's values."""
    lines = [
        f"<b>{html.escape(report_title(report))}</b>",
        texts.REPORT_TEXT_PERIOD.format(
            current=period_label(report.period),
            previous=period_label(report.period.previous()),
            generated=format_local(report.generated_at, report.period.tz),
        ),
    ]
    for number, section in enumerate(report.sections, 1):
        header = texts.REPORT_SECTION_HEADER.format(number=_ordinal(number), title=html.escape(section.title))
        lines += ["", header]
        lines += [metric_line(metric) for metric in section.metrics]
        lines += [html.escape(line) for line in section.highlights]
        if not section.metrics and not section.highlights:
            lines.append(texts.REPORT_SECTION_EMPTY)
    lines += ["", texts.REPORT_TEXT_FOOTER]
    text = "\n".join(lines)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 20].rsplit("\n", 1)[0] + "\n…"
    return text


def _ordinal(number: int) -> str:
    numerals = texts.REPORT_SECTION_NUMERALS
    return numerals[number - 1] if number <= len(numerals) else str(number)


def render_png(report: Report) -> bytes:
    """One horizontal grouped-bar chart per section that has one, stacked; Chinese via the CJK font."""
    from bot.fonts import use_cjk_font_in_matplotlib

    use_cjk_font_in_matplotlib()
    from matplotlib.figure import Figure  # no pyplot: no global state, safe off the event loop thread

    charts = [s.chart for s in report.sections if s.chart is not None and s.chart.categories]
    heights = [max(1.6, 0.42 * len(c.categories) * max(1, len(c.series)) ** 0.5 + 1.0) for c in charts]
    figure_height = sum(heights) + 1.2 if charts else 3.0
    figure = Figure(figsize=(9, figure_height), dpi=110)
    figure.suptitle(report_title(report), fontsize=15, fontweight="bold")
    if not charts:
        figure.text(0.5, 0.5, texts.REPORT_CHART_EMPTY, ha="center", va="center", fontsize=13)
    else:
        grid = figure.add_gridspec(
            len(charts),
            1,
            height_ratios=heights,
            hspace=0.6,
            top=1 - 1.0 / figure_height,
            bottom=0.4 / figure_height,
        )
        for index, chart in enumerate(charts):
            axes = figure.add_subplot(grid[index])
            count = len(chart.series)
            bar = 0.8 / max(count, 1)
            positions = list(range(len(chart.categories)))
            for n, (name, values) in enumerate(chart.series.items()):
                offsets = [p - 0.4 + bar * (n + 0.5) for p in positions]
                bars = axes.barh(offsets, list(values), height=bar, label=name)
                axes.bar_label(bars, fmt="%g", fontsize=7, padding=2)
            axes.set_yticks(positions, [_short(c) for c in chart.categories], fontsize=8)
            axes.invert_yaxis()
            axes.set_title(chart.title, fontsize=11, loc="left")
            axes.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1, 1), ncol=count, frameon=False)
            axes.margins(x=0.1)
            axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("", title)[:28] or "Sheet"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:26]}{n}", n + 1
    taken.add(name)
    return name


def render_xlsx(report: Report) -> bytes:
    """One sheet per section: its headline numbers (本期/上期/变化), then each of its tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    taken: set[str] = set()
    sections: Sequence[ReportSection] = report.sections
    for section in sections:
        sheet = workbook.create_sheet(_sheet_name(section.title, taken))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(
            [
                texts.REPORT_XLSX_PERIOD,
                period_label(report.period),
                texts.REPORT_XLSX_PREVIOUS,
                period_label(report.period.previous()),
            ]
        )
        sheet.append([])
        widths: dict[int, int] = {}
        if section.metrics:
            _header(sheet, texts.REPORT_XLSX_METRIC_COLUMNS, bold, header_fill)
            for metric in section.metrics:
                sheet.append(
                    [
                        metric.label,
                        _cell(metric.current, metric.unit),
                        _cell(metric.previous, metric.unit),
                        _cell(metric.change, metric.unit),
                    ]
                )
                _format_row(sheet, [None, metric.unit, metric.unit, metric.unit])
            sheet.append([])
        for table in section.tables:
            sheet.append([table.title])
            sheet.cell(sheet.max_row, 1).font = bold
            _header(sheet, list(table.columns), bold, header_fill)
            for row in table.rows:
                sheet.append([_cell(v, None) for v in row])
                if table.units:
                    _format_row(sheet, list(table.units))
            if not table.rows:
                sheet.append([texts.REPORT_TABLE_EMPTY])
            sheet.append([])
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if cell.value is not None:
                    width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(cell.value))
                    widths[cell.column] = max(widths.get(cell.column, 8), min(width + 2, 40))
                cell.alignment = Alignment(vertical="center")
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A4"
    if not workbook.sheetnames:
        workbook.create_sheet(texts.REPORT_TABLE_EMPTY[:28])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any, unit: Unit | None) -> Any:
    if isinstance(value, float) and unit is not Unit.PERCENT:
        return round(value, 2)
    return value


def _header(sheet: Any, columns: list[str], bold: Any, fill: Any) -> None:
    sheet.append(columns)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.fill = fill


def _format_row(sheet: Any, units: list[Unit | None]) -> None:
    for cell, unit in zip(sheet[sheet.max_row], units, strict=False):
        if unit is Unit.PERCENT:
            cell.number_format = "0.0%"
        elif unit in (Unit.HOURS, Unit.SCORE):
            cell.number_format = "0.00"


@dataclass(frozen=True)
class RenderedReport:
    """The three forms of one report: chat text (HTML), chart (PNG) and workbook (XLSX)."""

    title: str
    text: str
    png: bytes
    xlsx: bytes
    png_name: str
    xlsx_name: str


def render_all(report: Report) -> RenderedReport:
    """CPU-bound (matplotlib, openpyxl): callers on the event loop run it in a thread."""
    return RenderedReport(
        title=report_title(report),
        text=render_text(report),
        png=render_png(report),
        xlsx=render_xlsx(report),
        png_name=f"{report.filename_stem}.png",
        xlsx_name=f"{report.filename_stem}.xlsx",
    )


def render_attachments(report: Report) -> RenderedReport:
    """The chart and the workbook only (the summary went its own way): ``text`` is left empty."""
    return RenderedReport(
        title=report_title(report),
        text="",
        png=render_png(report),
        xlsx=render_xlsx(report),
        png_name=f"{report.filename_stem}.png",
        xlsx_name=f"{report.filename_stem}.xlsx",
    )
