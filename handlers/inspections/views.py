"""What the inspections feature shows: pure functions from domain objects to text and keyboards.

Nothing here talks to Telegram or the database. Values from people (notes, reasons, names) and from
the city's data files (site names, checks) are escaped here, once. What a unit is shown — its task
cards, notices and lists — never names who inspected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.models import Inspection, InspectionItem, ItemResult, RectificationStatus, RectificationTask
from bot.services.inspections import (
    MAX_PHOTOS,
    RETURN_HOURS,
    BoardEntry,
    ContentError,
    Deadlines,
    InspectionContent,
    PeriodFigures,
    Site,
    Submission,
    TaskDetail,
    TaskFilter,
    TaskPage,
    Walk,
)
from bot.services.reports import Better, Chart, Metric, ReportSection, Table, Unit
from bot.timeutil import format_local
from handlers.inspections import texts
from handlers.inspections.callbacks import (
    AnswerButton,
    DeadlineButton,
    DiscardButton,
    EditButton,
    FilterMenuButton,
    ItemButton,
    ListButton,
    NextButton,
    PassButton,
    ReplyButton,
    ResumeButton,
    ReturnButton,
    SiteButton,
    StartAnywayButton,
    SubmitButton,
    ViewButton,
    ref,
)
from handlers.kit.replies import View, escape, inline_keyboard

TIME = "%m-%d %H:%M"
KEYBOARD = list[list[tuple[str, str]]]


# ---------------------------------------------------------------- small formats
def distance_text(meters: float) -> str:
    if meters < 1000:
        return texts.DISTANCE_METERS.format(meters=round(meters))
    return texts.DISTANCE_KM.format(km=f"{meters / 1000:.1f}")


def score_text(score: float | None) -> str:
    return texts.NO_VALUE if score is None else texts.SCORE.format(value=round(score, 1))


def hours_text(hours: float) -> str:
    if hours >= 48 and hours % 24 == 0:
        return texts.DAYS.format(days=hours / 24)
    return texts.HOURS.format(hours=hours)


def percent_text(rate: float | None) -> str:
    return texts.NO_VALUE if rate is None else texts.PERCENT.format(value=rate * 100)


def when(value: datetime, tz: ZoneInfo) -> str:
    return format_local(value, tz, TIME)


def check_of(content: InspectionContent, item_id: str) -> str:
    item = content.item(item_id)
    return escape(item.check if item else item_id)


def site_of(content: InspectionContent, site_id: str) -> str:
    return escape(content.site_name(site_id))


def unit_of(content: InspectionContent, unit_id: str) -> str:
    return escape(content.unit_name(unit_id))


def content_error_text(error: ContentError) -> str:
    """One line naming the file, the place and the problem (start-up and `inspections check`)."""
    place = ""
    if error.place is not None:
        place = texts.CONTENT_PLACES[error.place.kind].format(
            number=error.place.number, name=error.place.name
        )
    problem = texts.CONTENT_PROBLEMS[error.problem].format(**error.params)
    return texts.CONTENT_ERROR.format(file=error.file, place=place, problem=problem)


# ---------------------------------------------------------------- finding a site
def location_keyboard() -> ReplyKeyboardMarkup:
    """The reply keyboard that shares one's location."""
    button = KeyboardButton(texts.SEND_LOCATION, request_location=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


def nearby_view(found: Sequence[tuple[Site, float]]) -> View:
    rows = [
        [
            (
                texts.NEARBY_BUTTON.format(name=site.name, distance=distance_text(d)),
                SiteButton(site=site.id).data,
            )
        ]
        for site, d in found
    ]
    return View(texts.NEARBY_HEADER, inline_keyboard(rows))


def search_view(found: Sequence[Site], words: str) -> View:
    if not found:
        return View(texts.SEARCH_NONE.format(words=escape(words)))
    rows = [
        [(texts.SEARCH_BUTTON.format(name=site.name, district=site.district), SiteButton(site=site.id).data)]
        for site in found
    ]
    return View(texts.SEARCH_HEADER.format(count=len(found)), inline_keyboard(rows))


def resume_view(walk: Walk, content: InspectionContent, tz: ZoneInfo) -> View:
    inspection = walk.inspection
    text = texts.RESUME.format(
        site=site_of(content, inspection.site_id),
        type=escape(content.type_name(inspection.site_type)),
        answered=walk.answered,
        total=walk.total,
        started=when(inspection.started_at, tz),
    )
    buttons = [
        (texts.RESUME_BUTTON, ResumeButton(inspection=inspection.id).data),
        (texts.DISCARD_BUTTON, DiscardButton(inspection=inspection.id).data),
    ]
    return View(text, inline_keyboard([buttons]))


# ---------------------------------------------------------------- location
def started_text(site: Site, content: InspectionContent, walk: Walk) -> str:
    return texts.STARTED.format(
        site=escape(site.name),
        type=escape(content.type_name(site.type)),
        district=escape(site.district),
        address=escape(site.address),
        total=walk.total,
    )


def ask_location_text(radius_m: float) -> str:
    return texts.ASK_LOCATION.format(radius=round(radius_m))


def located_text(distance_m: float) -> str:
    return texts.LOCATED.format(distance=distance_text(distance_m))


def far_view(inspection_id: int, distance_m: float, radius_m: float) -> View:
    text = texts.FAR.format(distance=distance_text(distance_m), radius=round(radius_m))
    button = (texts.START_ANYWAY, StartAnywayButton(inspection=inspection_id).data)
    return View(text, inline_keyboard([[button]]))


# ---------------------------------------------------------------- items
def item_view(walk: Walk, item: InspectionItem, content: InspectionContent) -> View:
    inspection = walk.inspection
    current = texts.ITEM_CURRENT.format(result=texts.RESULT_LABELS[item.result]) if item.result else ""
    text = texts.ITEM.format(
        site=site_of(content, inspection.site_id),
        number=item.position + 1,
        total=walk.total,
        negative=texts.ITEM_NEGATIVE if item.negative else "",
        check=check_of(content, item.item_id),
        points=f"{item.points:g}",
        current=current,
    )
    buttons = [
        (
            texts.RESULT_LABELS[result],
            AnswerButton(inspection=inspection.id, position=item.position, result=result).data,
        )
        for result in (ItemResult.PASS, ItemResult.FAIL, ItemResult.NOT_APPLICABLE)
    ]
    return View(text, inline_keyboard([buttons]))


def answered_text(item: InspectionItem, content: InspectionContent) -> str:
    assert item.result is not None
    return texts.ANSWERED.format(
        number=item.position + 1,
        check=check_of(content, item.item_id),
        result=texts.RESULT_LABELS[item.result],
    )


def photo_prompt(item: InspectionItem, content: InspectionContent) -> str:
    return texts.PHOTO_PROMPT.format(
        number=item.position + 1, check=check_of(content, item.item_id), limit=MAX_PHOTOS
    )


def _next_keyboard(inspection_id: int, item: InspectionItem) -> Any:
    button = (texts.NEXT_BUTTON, NextButton(inspection=inspection_id, position=item.position).data)
    return inline_keyboard([[button]])


def photo_received_view(inspection_id: int, item: InspectionItem) -> View:
    return View(texts.PHOTO_RECEIVED.format(count=len(item.photos)), _next_keyboard(inspection_id, item))


def note_received_view(inspection_id: int, item: InspectionItem) -> View:
    if not item.photos:
        return View(texts.NOTE_RECEIVED.format(photos=texts.NOTE_NEEDS_PHOTO))
    return View(texts.NOTE_RECEIVED.format(photos=texts.NOTE_HAS_PHOTOS), _next_keyboard(inspection_id, item))


# ---------------------------------------------------------------- summary and submitting
def summary_view(walk: Walk, content: InspectionContent, deadlines: Deadlines) -> View:
    inspection = walk.inspection
    distance = distance_text(inspection.distance_m or 0.0)
    location = (texts.SUMMARY_MISMATCH if inspection.location_mismatch else texts.SUMMARY_LOCATION).format(
        distance=distance
    )
    counts = {result: sum(1 for i in walk.items if i.result is result) for result in ItemResult}
    lines = [
        texts.SUMMARY.format(
            site=site_of(content, inspection.site_id),
            location=location,
            passed=counts[ItemResult.PASS],
            failed=counts[ItemResult.FAIL],
            skipped=counts[ItemResult.NOT_APPLICABLE],
            deductions=f"{walk.deductions:g}",
            score=score_text(walk.score),
        )
    ]
    if walk.failed:
        lines.append(texts.SUMMARY_FAILED_HEADER)
        for item in walk.failed:
            note = texts.SUMMARY_NOTE.format(note=escape(item.note)) if item.note else ""
            lines.append(
                texts.SUMMARY_FAILED.format(
                    check=check_of(content, item.item_id),
                    negative=texts.ITEM_NEGATIVE if item.negative else "",
                    points=f"{item.points:g}",
                    unit=unit_of(content, item.unit_id),
                    hours=hours_text(deadlines.hours(item.negative)),
                    note=note,
                )
            )
    else:
        lines.append(texts.SUMMARY_ALL_PASSED)
    lines.append(texts.SUMMARY_FOOTER)
    buttons = [
        (texts.SUBMIT_BUTTON, SubmitButton(inspection=inspection.id).data),
        (texts.EDIT_BUTTON, EditButton(inspection=inspection.id).data),
        (texts.DISCARD_BUTTON, DiscardButton(inspection=inspection.id).data),
    ]
    return View(_fit("\n".join(lines)), inline_keyboard([buttons]))


def edit_list_view(walk: Walk, content: InspectionContent) -> View:
    rows = []
    for item in walk.items:
        check = content.item(item.item_id)
        words = check.check if check else item.item_id
        if len(words) > texts.EDIT_LABEL_CHARS:
            words = words[: texts.EDIT_LABEL_CHARS] + "…"
        label = texts.EDIT_ITEM.format(
            number=item.position + 1, mark=texts.EDIT_MARKS[item.result], check=words
        )
        rows.append([(label, ItemButton(inspection=walk.inspection.id, position=item.position).data)])
    return View(texts.EDIT_HEADER, inline_keyboard(rows))


def submitted_text(submission: Submission, content: InspectionContent) -> str:
    inspection = submission.inspection
    lines = [
        texts.SUBMITTED.format(site=site_of(content, inspection.site_id), score=score_text(inspection.score))
    ]
    if submission.tasks:
        units = {task.unit_id for task in submission.tasks}
        lines.append(texts.SUBMITTED_TASKS.format(units=len(units), tasks=len(submission.tasks)))
    else:
        lines.append(texts.SUBMITTED_NO_TASKS)
    return "\n".join(lines)


# ---------------------------------------------------------------- the unit's task card
def task_card(
    task: RectificationTask, item: InspectionItem, content: InspectionContent, tz: ZoneInfo
) -> View:
    """The card in the unit's group: the site, the problem, the deadline, the status — never who inspected."""
    site = content.site(task.site_id)
    if task.status is RectificationStatus.REVIEW and task.replied_at is not None:
        extra = texts.CARD_REVIEW.format(at=when(task.replied_at, tz))
    elif task.status is RectificationStatus.PASSED and task.passed_at is not None:
        extra = texts.CARD_PASSED.format(at=when(task.passed_at, tz))
    elif task.status is RectificationStatus.RETURNED:
        extra = texts.CARD_RETURNED.format(reason=escape(_short(task.return_reason or "")))
    else:
        extra = texts.CARD_ASK
    text = texts.CARD.format(
        number=task.id,
        site=site_of(content, task.site_id),
        district=escape(task.district),
        address=escape(site.address if site else ""),
        check=check_of(content, task.item_id),
        negative=texts.CARD_NEGATIVE if task.negative else "",
        note=texts.CARD_NOTE.format(note=escape(_short(item.note))) if item.note else "",
        due=when(task.due_at, tz),
        status=texts.STATUS_LABELS[task.status],
        extra=extra,
    )
    keyboard = (
        inline_keyboard([[(texts.REPLY_BUTTON, ReplyButton(task=task.id).data)]])
        if task.status.is_open
        else None
    )
    return View(_fit(text, caption=True), keyboard)


def reply_prompt(task_id: int, user_id: int, name: str) -> str:
    return texts.REPLY_PROMPT.format(user_id=user_id, name=escape(name or texts.SOMEONE), number=task_id)


def reply_photo_received(count: int) -> str:
    return texts.REPLY_PHOTO_RECEIVED.format(count=count)


def reply_done(task: RectificationTask) -> str:
    return texts.REPLY_DONE.format(number=task.id, late="" if task.replied_on_time else texts.REPLY_LATE)


# ---------------------------------------------------------------- the re-check card
def check_card(
    task: RectificationTask,
    item: InspectionItem,
    content: InspectionContent,
    tz: ZoneInfo,
    checker: str = "",
) -> View:
    """The card for the inspector and the staff: the unit's answer, and 通过 / 退回 while it waits."""
    extra = ""
    if task.status is RectificationStatus.PASSED and task.passed_at is not None:
        extra = texts.CHECK_PASSED.format(who=escape(checker or texts.SOMEONE), at=when(task.passed_at, tz))
    elif task.status is RectificationStatus.RETURNED and task.checked_at is not None:
        extra = texts.CHECK_RETURNED.format(
            who=escape(checker or texts.SOMEONE),
            at=when(task.checked_at, tz),
            reason=escape(task.return_reason or ""),
            due=when(task.due_at, tz),
        )
    photos = texts.CHECK_PHOTOS.format(before=len(item.photos), after=len(task.reply_photos))
    text = texts.CHECK_CARD.format(
        number=task.id,
        unit=unit_of(content, task.unit_id),
        site=site_of(content, task.site_id),
        district=escape(task.district),
        check=check_of(content, task.item_id),
        negative=texts.CARD_NEGATIVE if task.negative else "",
        note=escape(_short(task.reply_note or "", CHECK_NOTE_CHARS)),
        at=when(task.replied_at, tz) if task.replied_at else texts.NO_VALUE,
        timeliness=texts.CHECK_ON_TIME if task.replied_on_time else texts.CHECK_LATE,
        extra=extra,
    )
    keyboard = None
    if task.status is RectificationStatus.REVIEW:
        keyboard = inline_keyboard(
            [
                [
                    (texts.PASS_BUTTON, PassButton(task=task.id, round=task.round).data),
                    (texts.RETURN_BUTTON, ReturnButton(task=task.id, round=task.round).data),
                ]
            ]
        )
    return View(_fit(f"{text}\n{photos}", caption=True), keyboard)


def check_photos(task: RectificationTask, item: InspectionItem) -> list[str]:
    """Before and after, as one album (Telegram takes up to 10)."""
    return [*item.photos, *task.reply_photos][:10]


def passed_toast(task: RectificationTask) -> str:
    return texts.PASSED_TOAST.format(number=task.id)


def passed_notice(task: RectificationTask, content: InspectionContent) -> str:
    return texts.PASSED_NOTICE.format(
        number=task.id, site=site_of(content, task.site_id), check=check_of(content, task.item_id)
    )


def return_prompt(task_id: int, user_id: int, name: str) -> str:
    return texts.RETURN_PROMPT.format(user_id=user_id, name=escape(name or texts.SOMEONE), number=task_id)


def deadline_view(task_id: int, round_: int, reason: str) -> View:
    buttons = [
        (
            texts.DEADLINE_BUTTON.format(label=hours_text(hours)),
            DeadlineButton(task=task_id, round=round_, hours=hours).data,  # type: ignore[arg-type]
        )
        for hours in RETURN_HOURS
    ]
    return View(texts.RETURN_DEADLINE.format(reason=escape(reason)), inline_keyboard([buttons]))


def returned_done(task: RectificationTask, tz: ZoneInfo) -> str:
    return texts.RETURNED_DONE.format(number=task.id, due=when(task.due_at, tz))


def returned_notice(task: RectificationTask, content: InspectionContent, tz: ZoneInfo) -> str:
    return texts.RETURNED_NOTICE.format(
        number=task.id,
        site=site_of(content, task.site_id),
        check=check_of(content, task.item_id),
        reason=escape(task.return_reason or ""),
        due=when(task.due_at, tz),
    )


# ---------------------------------------------------------------- time limits
def warning_text(task: RectificationTask, content: InspectionContent, tz: ZoneInfo) -> str:
    return texts.WARNING.format(
        number=task.id,
        site=site_of(content, task.site_id),
        check=check_of(content, task.item_id),
        due=when(task.due_at, tz),
    )


def escalation_text(task: RectificationTask, content: InspectionContent, tz: ZoneInfo) -> str:
    return texts.ESCALATION.format(
        unit=unit_of(content, task.unit_id),
        number=task.id,
        due=when(task.due_at, tz),
        site=site_of(content, task.site_id),
        district=escape(task.district),
        check=check_of(content, task.item_id),
        negative=texts.CARD_NEGATIVE if task.negative else "",
    )


def escalation_unit_text(task: RectificationTask, content: InspectionContent) -> str:
    return texts.ESCALATION_UNIT.format(
        number=task.id, site=site_of(content, task.site_id), check=check_of(content, task.item_id)
    )


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
    return View(_fit("\n".join(lines)), inline_keyboard(rows))


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
    return View(_fit("\n".join(lines)), inline_keyboard([buttons]) if buttons else None)


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
    return _fit("\n".join(lines))


# ---------------------------------------------------------------- the report's 督查 sections
def inspections_section(
    current: PeriodFigures, previous: PeriodFigures, content: InspectionContent
) -> ReportSection:
    """The 督查 section: headline numbers, districts, units, the lowest sites and repeat failures."""
    metrics = [
        Metric(texts.REPORT_INSPECTIONS, current.inspections, previous.inspections, better=Better.NEUTRAL),
        Metric(texts.REPORT_SITES, current.overall.sites, previous.overall.sites, better=Better.NEUTRAL),
        Metric(texts.REPORT_SCORE, current.overall.score, previous.overall.score, Unit.SCORE),
        Metric(texts.REPORT_FAILED, current.failed_items, previous.failed_items, better=Better.LOWER),
        Metric(texts.REPORT_NEGATIVE, current.negative_failed, previous.negative_failed, better=Better.LOWER),
        Metric(texts.REPORT_TASKS, current.tasks.issued, previous.tasks.issued, better=Better.NEUTRAL),
        Metric(
            texts.REPORT_ON_TIME_RATE, current.tasks.on_time_rate, previous.tasks.on_time_rate, Unit.PERCENT
        ),
        Metric(texts.REPORT_OVERDUE_NOW, current.tasks.overdue_now, None, better=Better.LOWER),
        Metric(texts.REPORT_REPEATS, len(current.repeats), len(previous.repeats), better=Better.LOWER),
        Metric(
            texts.REPORT_MISMATCHES,
            current.location_mismatches,
            previous.location_mismatches,
            better=Better.LOWER,
        ),
    ]
    districts = sorted(
        set(current.by_district) | set(previous.by_district),
        key=lambda d: (content.districts.index(d) if d in content.districts else len(content.districts), d),
    )
    district_rows = [
        [
            d,
            current.by_district[d].sites if d in current.by_district else 0,
            current.by_district[d].inspections if d in current.by_district else 0,
            current.by_district[d].score if d in current.by_district else None,
            previous.by_district[d].score if d in previous.by_district else None,
        ]
        for d in districts
    ]
    repeats = current.repeats_by_unit()
    units = sorted(set(current.by_unit) | set(current.tasks_by_unit), key=lambda u: content.unit_name(u))
    unit_rows = []
    for u in units:
        group = current.by_unit.get(u)
        tasks = current.tasks_by_unit.get(u)
        unit_rows.append(
            [
                content.unit_name(u),
                group.sites if group else 0,
                group.score if group else None,
                tasks.issued if tasks else 0,
                tasks.passed if tasks else 0,
                tasks.on_time_rate if tasks else None,
                tasks.overdue_now if tasks else 0,
                tasks.returned if tasks else 0,
                repeats.get(u, 0),
            ]
        )
    lowest_rows = [
        [content.site_name(s.site_id), s.district, content.unit_name(s.unit_id), s.score, s.inspections]
        for s in current.lowest_sites
    ]
    repeat_rows = [
        [
            content.site_name(r.site_id),
            _plain_check(content, r.item_id),
            content.unit_name(r.unit_id),
            r.times,
        ]
        for r in current.repeats
    ]
    chart = (
        Chart(
            texts.REPORT_CHART,
            [str(row[0]) for row in district_rows],
            {
                texts.REPORT_THIS_PERIOD: [float(row[3] or 0) for row in district_rows],
                texts.REPORT_LAST_PERIOD: [float(row[4] or 0) for row in district_rows],
            },
        )
        if district_rows
        else None
    )
    return ReportSection(
        key="inspections",
        title=texts.REPORT_TITLE,
        metrics=metrics,
        tables=[
            Table(
                texts.REPORT_DISTRICT_TABLE,
                texts.REPORT_DISTRICT_COLUMNS,
                district_rows,
                [None, Unit.COUNT, Unit.COUNT, Unit.SCORE, Unit.SCORE],
            ),
            Table(
                texts.REPORT_UNIT_TABLE,
                texts.REPORT_UNIT_COLUMNS,
                unit_rows,
                [
                    None,
                    Unit.COUNT,
                    Unit.SCORE,
                    Unit.COUNT,
                    Unit.COUNT,
                    Unit.PERCENT,
                    Unit.COUNT,
                    Unit.COUNT,
                    Unit.COUNT,
                ],
            ),
            Table(
                texts.REPORT_LOWEST_TABLE,
                texts.REPORT_LOWEST_COLUMNS,
                lowest_rows,
                [None, None, None, Unit.SCORE, Unit.COUNT],
            ),
            Table(
                texts.REPORT_REPEAT_TABLE,
                texts.REPORT_REPEAT_COLUMNS,
                repeat_rows,
                [None, None, None, Unit.COUNT],
            ),
        ],
        chart=chart,
    )


def board_section(
    ranked: Sequence[BoardEntry],
    red: Sequence[str],
    black: Sequence[str],
    previous_rank: dict[str, int],
    complaints_on_time: dict[str, float | None],
    content: InspectionContent,
) -> ReportSection:
    """The 督查红黑榜: units by their combined score, with their complaints' on-time rate beside."""
    rows: list[list[Any]] = []
    for n, entry in enumerate(ranked, 1):
        board = (
            texts.REPORT_BOARD_RED
            if entry.unit_id in red
            else texts.REPORT_BOARD_BLACK
            if entry.unit_id in black
            else ""
        )
        rows.append(
            [
                n,
                content.unit_name(entry.unit_id),
                board,
                entry.combined,
                entry.score,
                entry.on_time_rate,
                entry.tasks.issued,
                entry.tasks.overdue_now,
                complaints_on_time.get(entry.unit_id),
                previous_rank.get(entry.unit_id),
            ]
        )
    separator = texts.REPORT_BOARD_SEPARATOR
    highlights = [
        texts.REPORT_BOARD_RED_LINE.format(
            names=separator.join(escape(content.unit_name(u)) for u in red) or texts.REPORT_BOARD_NONE
        ),
        texts.REPORT_BOARD_BLACK_LINE.format(
            names=separator.join(escape(content.unit_name(u)) for u in black) or texts.REPORT_BOARD_NONE
        ),
    ]
    chart = (
        Chart(
            texts.REPORT_BOARD_CHART,
            [str(r[1]) for r in rows[:12]],
            {texts.REPORT_BOARD_COMBINED: [round(float(r[3]), 1) for r in rows[:12]]},
        )
        if rows
        else None
    )
    return ReportSection(
        key="inspection_board",
        title=texts.REPORT_BOARD_TITLE,
        tables=[
            Table(
                texts.REPORT_BOARD_TABLE,
                texts.REPORT_BOARD_COLUMNS,
                rows,
                [
                    None,
                    None,
                    None,
                    Unit.SCORE,
                    Unit.SCORE,
                    Unit.PERCENT,
                    Unit.COUNT,
                    Unit.COUNT,
                    Unit.PERCENT,
                    None,
                ],
            )
        ],
        chart=chart,
        highlights=highlights,
    )


def _plain_check(content: InspectionContent, item_id: str) -> str:
    item = content.item(item_id)
    return item.check if item else item_id


# ---------------------------------------------------------------- Telegram's limits
MESSAGE_LIMIT = 4000  # under Telegram's 4,096
CAPTION_LIMIT = 800  # a card may travel as a photo's caption (1,024, less the rerouting line)


CARD_NOTE_CHARS = 120  # a note or a reason on a card: the card stays short enough to be a caption
CHECK_NOTE_CHARS = 200  # the unit's note on a re-check card (its details show it whole)


def _short(text: str, limit: int = CARD_NOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(text: str, *, caption: bool = False) -> str:
    """Cut an over-long text (a city's long names, many items) at a line, so Telegram takes it."""
    limit = CAPTION_LIMIT if caption else MESSAGE_LIMIT
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1] + "\n…"


# ---------------------------------------------------------------- `chuangwen inspections check`
def check_report(content: InspectionContent) -> list[str]:
    """What the check prints: the totals, then each site type with its items and sites."""
    standards = content.standards
    negative = sum(1 for item in standards.items.values() if item.negative)
    lines = [
        texts.CLI_CHECK_SUMMARY.format(
            city=content.city,
            types=len(standards.site_types),
            items=standards.item_count,
            negative=negative,
            sites=len(content.sites),
            units=len({s.unit for s in content.sites.values()} | set(content.responsible.values())),
            groups=sum(1 for u in content.units.values() if u.chat_id is not None),
        )
    ]
    for kind in standards.site_types.values():
        sites = sum(1 for s in content.sites.values() if s.type == kind.id)
        lines.append(texts.CLI_CHECK_TYPE.format(name=kind.name, items=len(kind.items), sites=sites))
    return lines
