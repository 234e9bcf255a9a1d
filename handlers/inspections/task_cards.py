"""The rectification cards: the task card in the unit's group, the re-check card for staff, and the
time-limit warnings and escalations. Pure functions; what a unit is shown never names who inspected."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.models import InspectionItem, RectificationStatus, RectificationTask
from bot.services.inspections import (
    RETURN_HOURS,
    InspectionContent,
)
from handlers.inspections import texts
from handlers.inspections.callbacks import (
    DeadlineButton,
    PassButton,
    ReplyButton,
    ReturnButton,
)
from handlers.inspections.views import (
    CHECK_NOTE_CHARS,
    check_of,
    fit_message,
    hours_text,
    shorten,
    site_of,
    unit_of,
    when,
)
from handlers.kit.replies import View, escape, inline_keyboard


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
        extra = texts.CARD_RETURNED.format(reason=escape(shorten(task.return_reason or "")))
    else:
        extra = texts.CARD_ASK
    text = texts.CARD.format(
        number=task.id,
        site=site_of(content, task.site_id),
        district=escape(task.district),
        address=escape(site.address if site else ""),
        check=check_of(content, task.item_id),
        negative=texts.CARD_NEGATIVE if task.negative else "",
        note=texts.CARD_NOTE.format(note=escape(shorten(item.note))) if item.note else "",
        due=when(task.due_at, tz),
        status=texts.STATUS_LABELS[task.status],
        extra=extra,
    )
    keyboard = (
        inline_keyboard([[(texts.REPLY_BUTTON, ReplyButton(task=task.id).data)]])
        if task.status.is_open
        else None
    )
    return View(fit_message(text, caption=True), keyboard)


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
        note=escape(shorten(task.reply_note or "", CHECK_NOTE_CHARS)),
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
    return View(fit_message(f"{text}\n{photos}", caption=True), keyboard)


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
