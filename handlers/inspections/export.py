"""The month's inspections and tasks as a workbook (`chuangwen inspections export`): one sheet of
inspections, one of their items, one of the tasks. Photos are listed by reference (their Telegram
file ids), not copied. A pure function of the records; openpyxl writes it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.inspections import InspectionContent, MonthRecords
from bot.timeutil import format_local
from handlers.inspections import texts

TIME = "%Y-%m-%d %H:%M"
RESULT_WORDS = {result: label.split(" ", 1)[-1] for result, label in texts.RESULT_LABELS.items()}


def _time(value: datetime | None, tz: ZoneInfo) -> str:
    return format_local(value, tz, TIME) if value is not None else ""


def _yes(value: bool | None) -> str:
    return "" if value is None else texts.YES if value else texts.NO


def workbook(records: MonthRecords, content: InspectionContent, tz: ZoneInfo) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    inspections = [
        [
            i.id,
            _time(i.submitted_at, tz),
            i.site_id,
            content.site_name(i.site_id),
            content.type_name(i.site_type),
            i.district,
            content.unit_name(i.unit_id),
            i.score,
            i.deductions,
            round(i.distance_m) if i.distance_m is not None else None,
            _yes(i.location_mismatch),
            i.inspector_id,
        ]
        for i in records.inspections
    ]
    items = [
        [
            item.inspection_id,
            item.position + 1,
            item.item_id,
            (content.item(item.item_id).check if content.item(item.item_id) else ""),  # type: ignore[union-attr]
            _yes(item.negative),
            item.points,
            RESULT_WORDS.get(item.result, "") if item.result else "",
            content.unit_name(item.unit_id),
            item.note or "",
            "\n".join(item.photos),
        ]
        for item in records.items
    ]
    tasks = [
        [
            t.id,
            t.inspection_id,
            content.site_name(t.site_id),
            t.district,
            content.unit_name(t.unit_id),
            (content.item(t.item_id).check if content.item(t.item_id) else t.item_id),  # type: ignore[union-attr]
            _yes(t.negative),
            texts.STATUS_LABELS[t.status],
            _time(t.created_at, tz),
            _time(t.first_due_at, tz),
            _time(t.due_at, tz),
            _time(t.replied_at, tz),
            _yes(t.replied_on_time),
            t.round,
            t.escalations,
            _time(t.passed_at, tz),
            t.reply_note or "",
            "\n".join(t.reply_photos),
        ]
        for t in records.tasks
    ]
    bold = Font(bold=True)
    for title, columns, rows in (
        (texts.EXPORT_SHEET_INSPECTIONS, texts.EXPORT_INSPECTION_COLUMNS, inspections),
        (texts.EXPORT_SHEET_ITEMS, texts.EXPORT_ITEM_COLUMNS, items),
        (texts.EXPORT_SHEET_TASKS, texts.EXPORT_TASK_COLUMNS, tasks),
    ):
        _sheet(book.create_sheet(title), columns, rows, bold)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]], bold: Any) -> None:
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
