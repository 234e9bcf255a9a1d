"""The lists: /rectifications (a page of tasks, its filters, one task's details) and /inspections
(the overview of recent inspections). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.models import Inspection, RectificationStatus, RectificationTask
from bot.services.inspections import (
    InspectionContent,
    PeriodFigures,
    TaskDetail,
    TaskFilter,
    TaskPage,
)
from handlers.inspections import texts
from handlers.inspections.callbacks import (
    FilterMenuButton,
    ListButton,
    PassButton,
    ReplyButton,
    ReturnButton,
    ViewButton,
    ref,
)
from handlers.inspections.task_cards import task_card
from handlers.inspections.views import (
    KEYBOARD,
    check_of,
    fit_message,
    percent_text,
    score_text,
    site_of,
    unit_of,
    when,
)
from handlers.kit.replies import View, escape, inline_keyboard


# ---------------------------------------------------------------- /rectifications
def list_view(
    page: TaskPage,
    content: InspectionContent,
    *,
    number: int,
    size: int,
    staff: bool,
    now: datetime,
    tz: ZoneInfo,
) -> View:
    """A page of tasks; staff get the filters, everyone a button per task for its details."""
    applied = page.filter
    count = max(1, -(-page.total // size))
    scope = "" if staff else texts.LIST_SCOPE_UNIT.format(unit=unit_of(content, applied.unit or ""))
    header = texts.LIST_HEADER.format(
        scope=scope,
        total=page.total,
        page=texts.LIST_PAGE.format(number=number + 1, count=count) if count > 1 else "",
    )
    lines = [header]
    filters = _filter_words(applied, content, staff)
    if filters:
        lines.append(texts.LIST_FILTERS.format(filters=texts.LIST_FILTER_SEPARATOR.join(filters)))
    for task in page.tasks:
        overdue = task.status.is_open and task.due_at < now
        lines.append(
            texts.LIST_LINE.format(
                number=task.id,
                status=texts.STATUS_SHORT[task.status],
                site=site_of(content, task.site_id),
                check=check_of(content, task.item_id),
                unit=unit_of(content, task.unit_id),
                due=when(task.due_at, tz),
                overdue=texts.CARD_OVERDUE if overdue else "",
            )
        )
    if not page.tasks:
        lines.append(texts.LIST_EMPTY)
    rows: KEYBOARD = []
    views = [(texts.VIEW_BUTTON.format(number=t.id), ViewButton(task=t.id).data) for t in page.tasks]
    rows += [views[i : i + 4] for i in range(0, len(views), 4)]
    district = content.districts.index(applied.district) if applied.district in content.districts else None

    def to(page_number: int, **changes: Any) -> str:
        values: dict[str, Any] = {
            "status": applied.status,
            "unit": ref(applied.unit) if applied.unit and staff else None,
            "district": district,
            "overdue": applied.overdue,
            "page": page_number,
        }
        values.update(changes)
        return ListButton(**values).data

    paging = []
    if number > 0:
        paging.append((texts.PREVIOUS_PAGE, to(number - 1)))
    if number + 1 < count:
        paging.append((texts.NEXT_PAGE, to(number + 1)))
    if paging:
        rows.append(paging)
    statuses = [(texts.FILTER_ALL, to(0, status=None, overdue=False))] + [
        (texts.STATUS_SHORT[s], to(0, status=s, overdue=False)) for s in RectificationStatus
    ]
    rows += [statuses[:3], statuses[3:]]
    rows.append([(texts.FILTER_OVERDUE, to(0, status=None, overdue=True))])
    if staff:
        rows.append(
            [
                (texts.FILTER_UNIT, FilterMenuButton(of="unit").data),
                (texts.FILTER_DISTRICT, FilterMenuButton(of="district").data),
                (
                    texts.FILTER_CLEAR,
                    ListButton(status=None, unit=None, district=None, overdue=False, page=0).data,
                ),
            ]
        )
    return View(fit_message("\n".join(lines)), inline_keyboard(rows))


def _filter_words(applied: TaskFilter, content: InspectionContent, staff: bool) -> list[str]:
    words = [texts.STATUS_LABELS[applied.status] if applied.status else texts.LIST_ALL_UNFINISHED]
    if applied.overdue:
        words.append(texts.FILTER_OVERDUE)
    if staff and applied.unit:
        words.append(unit_of(content, applied.unit))
    if applied.district:
        words.append(escape(applied.district))
    return words


def filter_menu_view(of: str, units: Sequence[str], content: InspectionContent) -> View:
    if of == "unit":
        if not units:
            return View(texts.FILTER_NO_UNITS)
        buttons = [
            (
                content.unit_name(u),
                ListButton(status=None, unit=ref(u), district=None, overdue=False, page=0).data,
            )
            for u in units
        ]
        header = texts.FILTER_PICK_UNIT
    else:
        buttons = [
            (name, ListButton(status=None, unit=None, district=n, overdue=False, page=0).data)
            for n, name in enumerate(content.districts)
        ]
        header = texts.FILTER_PICK_DISTRICT
    return View(header, inline_keyboard([buttons[i : i + 2] for i in range(0, len(buttons), 2)]))


def detail_view(
    detail: TaskDetail,
    content: InspectionContent,
    tz: ZoneInfo,
    *,
    may_reply: bool,
    may_check: bool,
) -> View:
    """A task's card and its history; the buttons the viewer may use. Never who inspected."""
    card = task_card(detail.task, detail.item, content, tz)
    lines = [card.text, texts.DETAIL_HISTORY]
    for event in detail.events:
        note = texts.DETAIL_EVENT_NOTE.format(note=escape(event.note)) if event.note else ""
        lines.append(
            texts.DETAIL_EVENT.format(
                at=when(event.created_at, tz), what=texts.EVENT_NAMES.get(event.kind, event.kind), note=note
            )
        )
    task = detail.task
    buttons = []
    if may_reply and task.status.is_open:
        buttons.append((texts.REPLY_BUTTON, ReplyButton(task=task.id).data))
    if may_check and task.status is RectificationStatus.REVIEW:
        buttons += [
            (texts.PASS_BUTTON, PassButton(task=task.id, round=task.round).data),
            (texts.RETURN_BUTTON, ReturnButton(task=task.id, round=task.round).data),
        ]
    return View(fit_message("\n".join(lines)), inline_keyboard([buttons]) if buttons else None)


# ---------------------------------------------------------------- /inspections
def overview_text(
    figures: PeriodFigures,
    recent: Sequence[Inspection],
    overdue: Sequence[RectificationTask],
    content: InspectionContent,
    local_now: datetime,
    tz: ZoneInfo,
) -> str:
    tasks = figures.tasks
    lines = [
        texts.OVERVIEW.format(
            month=texts.OVERVIEW_MONTH.format(year=local_now.year, month=local_now.month),
            inspections=figures.inspections,
            sites=figures.overall.sites,
            score=score_text(figures.overall.score),
            failed=figures.failed_items,
            negative=figures.negative_failed,
            mismatches=figures.location_mismatches,
            tasks=tasks.issued,
            passed=tasks.passed,
            open=tasks.open_now,
            overdue=tasks.overdue_now,
            rate=percent_text(tasks.on_time_rate),
        ),
        texts.OVERVIEW_LOWEST,
    ]
    lines += [
        texts.OVERVIEW_SITE.format(
            site=site_of(content, s.site_id), unit=unit_of(content, s.unit_id), score=score_text(s.score)
        )
        for s in figures.lowest_sites[:5]
    ] or [texts.OVERVIEW_NONE]
    lines.append(texts.OVERVIEW_OVERDUE)
    lines += [
        texts.OVERVIEW_TASK.format(
            number=t.id,
            unit=unit_of(content, t.unit_id),
            site=site_of(content, t.site_id),
            check=check_of(content, t.item_id),
            due=when(t.due_at, tz),
        )
        for t in overdue
    ] or [texts.OVERVIEW_NONE]
    lines.append(texts.OVERVIEW_RECENT)
    lines += [
        texts.OVERVIEW_INSPECTION.format(
            at=when(i.submitted_at, tz) if i.submitted_at else texts.NO_VALUE,
            site=site_of(content, i.site_id),
            score=score_text(i.score),
            mismatch=texts.OVERVIEW_MISMATCH if i.location_mismatch else "",
        )
        for i in recent
    ] or [texts.OVERVIEW_NONE]
    lines += ["", texts.OVERVIEW_MORE]
    return fit_message("\n".join(lines))
