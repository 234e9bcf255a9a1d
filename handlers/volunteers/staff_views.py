"""What the volunteer feature shows staff: shift summaries, /newshift's questions, /editshift, /cancelshift,
the roster; and the notices volunteers get when staff change or cancel their shift.

Pure functions like ``views`` (tests/test_volunteers_views.py); user-supplied text is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args
from zoneinfo import ZoneInfo

from bot.models import BookingStatus, Shift
from bot.services.privacy import mask_phone
from bot.services.volunteers import PLACE_HOLDING, RosterEntry, RosterSection, ShiftView, hours_text
from bot.timeutil import format_local
from handlers.kit.replies import View, button_rows, escape, inline_keyboard
from handlers.volunteers import texts
from handlers.volunteers.callbacks import (
    CancelShiftButton,
    ConfirmCancelShiftButton,
    EditShiftButton,
    ExportRosterButton,
    KeepButton,
    NewShiftConfirmButton,
    NewShiftDistrictButton,
    NewShiftWeeksButton,
    ShiftField,
    ShiftFieldButton,
)
from handlers.volunteers.views import CLOCK, shift_time

ROSTER_SHOWN = 50  # names per roster section in the message (the exports have everyone)
REPEAT_CHOICES = (1, 2, 4, 8, 12)  # weeks offered by /newshift (1: once)


# ---------------------------------------------------------------- publishing and changing shifts
def shift_summary(shift: Shift, tz: ZoneInfo) -> str:
    return texts.SHIFT_SUMMARY.format(
        id=shift.id if shift.id is not None else texts.NEWSHIFT_NEW_ID,
        title=escape(shift.title),
        place=escape(shift.place),
        district=escape(shift.district or texts.NO_DISTRICT),
        coords=texts.COORDS_SET if shift.has_coordinates else "",
        when=shift_time(shift, tz),
        capacity=shift.capacity,
        notes=escape(shift.notes or texts.NOT_GIVEN),
    )


def new_shift_district_question(names: Sequence[str]) -> View:
    buttons = [(name, NewShiftDistrictButton(index=i).data) for i, name in enumerate(names)]
    return View(texts.ASK_SHIFT_DISTRICT, inline_keyboard(button_rows(buttons, 3)))


def repeat_label(weeks: int) -> str:
    return texts.REPEAT_ONCE if weeks == 1 else texts.REPEAT_WEEKS.format(n=weeks)


def repeat_question() -> View:
    options = [(repeat_label(weeks), NewShiftWeeksButton(weeks=weeks).data) for weeks in REPEAT_CHOICES]
    return View(texts.ASK_REPEAT, inline_keyboard([options[:3], options[3:]]))


def publish_question(shift: Shift, weeks: int, tz: ZoneInfo) -> View:
    """/newshift's last step: the shift as volunteers will see it, how often, 确认发布 or 放弃."""
    repeat = repeat_label(weeks)
    buttons = [
        (texts.BTN_PUBLISH, NewShiftConfirmButton(answer="yes").data),
        (texts.BTN_DISCARD_SHIFT, NewShiftConfirmButton(answer="no").data),
    ]
    text = texts.NEWSHIFT_CONFIRM.format(summary=shift_summary(shift, tz), repeat=repeat)
    return View(text, inline_keyboard([buttons]))


def shifts_created_text(ids: Sequence[int]) -> str:
    return texts.SHIFT_CREATED.format(count=len(ids), ids=texts.IDS_SEPARATOR.join(f"#{i}" for i in ids))


def edit_shift_view(shift: Shift, tz: ZoneInfo) -> View:
    """The shift, and which field to change."""
    fields = [(texts.SHIFT_FIELD_LABELS[f], ShiftFieldButton(field=f).data) for f in get_args(ShiftField)]
    text = f"{shift_summary(shift, tz)}\n\n{texts.EDIT_SHIFT_PROMPT.format(id=shift.id)}"
    return View(text, inline_keyboard([fields[:3], fields[3:]]))


def shift_changed_notice(summary: str) -> str:
    """To everyone booked on a shift that changed: its new summary (``shift_summary``)."""
    return texts.SHIFT_CHANGED_NOTICE.format(summary=summary)


def confirm_cancel_shift_view(view: ShiftView) -> View:
    text = texts.CONFIRM_CANCEL_SHIFT.format(
        id=view.shift.id, title=escape(view.shift.title), count=view.confirmed + view.waitlisted
    )
    buttons = [
        (texts.BTN_CANCEL_SHIFT, ConfirmCancelShiftButton(shift=view.shift.id).data),
        (texts.BTN_KEEP, KeepButton().data),
    ]
    return View(text, inline_keyboard([buttons]))


def shift_cancelled_notice(shift: Shift, tz: ZoneInfo) -> str:
    return texts.SHIFT_CANCELLED_NOTICE.format(
        title=escape(shift.title), when=shift_time(shift, tz), place=escape(shift.place)
    )


# ---------------------------------------------------------------- the roster
def roster_view(shift: Shift, entries: Sequence[RosterEntry], tz: ZoneInfo) -> View:
    """Everyone on the shift by section (phones masked), with exports, 修改活动 and 取消活动."""
    confirmed = sum(1 for e in entries if e.booking.status in PLACE_HOLDING)
    waitlist = sum(1 for e in entries if e.booking.status is BookingStatus.WAITLISTED)
    lines = [
        texts.ROSTER_HEADER.format(
            id=shift.id,
            title=escape(shift.title),
            when=shift_time(shift, tz),
            place=escape(shift.place),
            confirmed=confirmed,
            capacity=shift.capacity,
            waitlist=waitlist,
        )
    ]
    for section in RosterSection:
        members = [e for e in entries if e.section is section]
        lines.append(texts.ROSTER_SECTION.format(name=texts.ROSTER_SECTIONS[section], count=len(members)))
        if not members:
            lines.append(texts.ROSTER_EMPTY)
        lines += [roster_line(n, entry, tz) for n, entry in enumerate(members[:ROSTER_SHOWN], 1)]
        if len(members) > ROSTER_SHOWN:
            lines.append(texts.ROSTER_MORE.format(n=len(members) - ROSTER_SHOWN))
    rows = [
        [
            (texts.BTN_EXPORT_XLSX, ExportRosterButton(shift=shift.id, format="xlsx").data),
            (texts.BTN_EXPORT_CSV, ExportRosterButton(shift=shift.id, format="csv").data),
        ],
        [
            (texts.BTN_EDIT_SHIFT, EditShiftButton(shift=shift.id).data),
            (texts.BTN_ROSTER_CANCEL, CancelShiftButton(shift=shift.id).data),
        ],
    ]
    return View("\n".join(lines), inline_keyboard(rows))


def roster_line(n: int, entry: RosterEntry, tz: ZoneInfo) -> str:
    profile, booking = entry.profile, entry.booking
    extra = ""
    if booking.checked_in_at is not None:
        extra = texts.ROSTER_CHECKED_IN.format(time=format_local(booking.checked_in_at, tz, CLOCK))
    if booking.status is BookingStatus.COMPLETED:
        extra += texts.ROSTER_HOURS.format(hours=hours_text(booking.service_minutes))
    return texts.ROSTER_LINE.format(
        n=n,
        name=escape(profile.real_name if profile else texts.ROSTER_NO_NAME),
        phone=mask_phone(profile.phone) if profile else "",
        extra=extra,
    )


def export_caption(what: str) -> str:
    return texts.EXPORT_CAPTION.format(what=what)
