"""What the broadcast screens show, made from drafts and notices (pure functions)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.models import AudienceKind, Broadcast, BroadcastStatus, ScheduleKind, Topic
from bot.services import broadcasts as service
from bot.timeutil import format_local
from handlers.broadcasts import texts
from handlers.broadcasts.callbacks import (
    AUDIENCE_CHOICES,
    AudienceButton,
    ConfirmButton,
    DepartmentButton,
    DistrictButton,
    ManageButton,
    TopicAudienceButton,
    WeekdayButton,
    WhenButton,
)
from handlers.kit.replies import View, escape, inline_keyboard

ButtonRows = list[list[tuple[str, str]]]
SNIPPET_LENGTH = 40


def describe_audience(kind: AudienceKind, param: str | None) -> str:
    name = texts.AUDIENCE_NAMES[kind.value]
    if kind is AudienceKind.TOPIC and param:
        return name.format(param=texts.TOPIC_NAMES.get(param, param))
    return name.format(param=param or "")


def describe_schedule(
    kind: ScheduleKind, send_at: datetime | None, send_time: str | None, weekday: int | None, tz: ZoneInfo
) -> str:
    if kind is ScheduleKind.NOW:
        return texts.WHEN_NOW_TEXT
    if kind is ScheduleKind.AT:
        return format_local(send_at, tz) if send_at else ""
    if kind is ScheduleKind.DAILY:
        return texts.WHEN_DAILY_TEXT.format(time=send_time)
    return texts.WHEN_WEEKLY_TEXT.format(weekday=texts.WEEKDAYS[weekday or 0], time=send_time)


def audience_keyboard() -> ButtonRows:
    rows = [
        [(texts.TOPIC_BUTTON.format(name=texts.TOPIC_NAMES[t.value]), TopicAudienceButton(topic=t).data)]
        for t in Topic
    ]
    rows += [[(texts.AUDIENCE_BUTTONS[kind], AudienceButton(kind=kind).data)] for kind in AUDIENCE_CHOICES]
    return rows


def district_choice(names: list[str]) -> View:
    rows = [[(name, DistrictButton(index=i).data)] for i, name in enumerate(names)]
    return View(texts.ASK_DISTRICT, inline_keyboard(rows))


def department_choice(names: list[str]) -> View:
    rows = [[(name, DepartmentButton(index=i).data)] for i, name in enumerate(names)]
    return View(texts.CHOOSE_DEPARTMENT, inline_keyboard(rows))


def when_choice(audience: str, count: int) -> View:
    rows = [
        [(texts.WHEN_NOW, WhenButton(choice="now").data), (texts.WHEN_AT, WhenButton(choice="at").data)],
        [
            (texts.WHEN_DAILY, WhenButton(choice="daily").data),
            (texts.WHEN_WEEKLY, WhenButton(choice="weekly").data),
        ],
    ]
    return View(texts.CHOOSE_WHEN.format(audience=escape(audience), count=count), inline_keyboard(rows))


def weekday_choice() -> View:
    days = [(name, WeekdayButton(day=i).data) for i, name in enumerate(texts.WEEKDAYS)]
    return View(texts.ASK_WEEKDAY, inline_keyboard([days[:4], days[4:]]))


def confirm_prompt(audience: str, count: int, when: str) -> View:
    rows = [
        [
            (texts.CONFIRM, ConfirmButton(answer="yes").data),
            (texts.DISCARD, ConfirmButton(answer="no").data),
        ]
    ]
    return View(
        texts.CONFIRM_PROMPT.format(audience=escape(audience), count=count, when=when), inline_keyboard(rows)
    )


def notices_list(items: list[service.BroadcastSummary], tz: ZoneInfo) -> View:
    """/broadcasts: the latest notices with their counts, and pause/resume/cancel buttons."""
    if not items:
        return View(texts.LIST_EMPTY)
    lines, rows = [texts.LIST_HEADER], []
    for item in items:
        b = item.broadcast
        snippet = (texts.PHOTO_LABEL + " " if b.photo_file_id else "") + service.plain_text(b.text)
        lines.append(
            texts.LIST_ITEM.format(
                id=b.id,
                status=texts.STATUS_NAMES[b.status.value],
                audience=escape(describe_audience(b.audience_kind, b.audience_param)),
                when=describe_schedule(b.schedule_kind, b.send_at, b.send_time, b.weekday, tz),
                snippet=escape(snippet[:SNIPPET_LENGTH]),
                sent=item.sent,
                pending=item.pending,
                failed=item.failed,
                unreachable=item.unreachable,
            )
        )
        if buttons := _manage_buttons(b):
            rows.append(buttons)
    return View("\n\n".join(lines), inline_keyboard(rows) if rows else None)


def _manage_buttons(b: Broadcast) -> list[tuple[str, str]]:
    buttons = []
    if b.status in (BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING):
        buttons.append((f"#{b.id} {texts.PAUSE}", ManageButton(action="pause", broadcast=b.id).data))
    if b.status is BroadcastStatus.PAUSED:
        buttons.append((f"#{b.id} {texts.RESUME}", ManageButton(action="resume", broadcast=b.id).data))
    if b.status not in (BroadcastStatus.CANCELLED, BroadcastStatus.FINISHED):
        buttons.append((f"#{b.id} {texts.CANCEL}", ManageButton(action="cancel", broadcast=b.id).data))
    return buttons
