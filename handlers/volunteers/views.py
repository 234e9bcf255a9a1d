"""What the volunteer feature shows: pure functions from domain objects to text and keyboards.

Nothing here talks to Telegram or the database, so every view is unit-tested on its own
(tests/test_volunteers_views.py). User-supplied text is escaped here, once; texts for toasts
(plain text) are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import get_args
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.models import BookingStatus, Shift, ShiftBooking, VolunteerProfile
from bot.services.privacy import mask_phone
from bot.services.volunteers import (
    CHECKIN_EARLY,
    BookingResult,
    DateFilter,
    District,
    HoursRow,
    Reminder,
    ServiceRecord,
    ShiftClash,
    ShiftView,
    hours_text,
    leaderboard_name,
)
from bot.timeutil import format_local, local
from handlers.kit.paging import Page
from handlers.kit.replies import View, button_rows, escape, inline_keyboard
from handlers.volunteers import texts
from handlers.volunteers.callbacks import (
    BookButton,
    CancelBookingButton,
    CheckInButton,
    CheckOutButton,
    ConfirmCancelBookingButton,
    ConsentButton,
    DateFilterButton,
    DistrictFilterButton,
    KeepButton,
    LeaderboardChoiceButton,
    NewShiftSkipButton,
    ProfileEditButton,
    ProfileField,
    RegistrationCommunityButton,
    RegistrationDistrictButton,
    RegistrationSkipButton,
    ShiftListButton,
    ShiftNoticesButton,
)

CLOCK = "%H:%M"
DAY = "%Y-%m-%d"


# ---------------------------------------------------------------- shared pieces
def shift_time(shift: Shift, tz: ZoneInfo) -> str:
    """ "12月05日 07:30–09:30（周六）"; an end on another day names its day too."""
    start = format_local(shift.starts_at, tz, texts.SHIFT_DAY_TIME)
    same_day = local(shift.starts_at, tz).date() == local(shift.ends_at, tz).date()
    end = format_local(shift.ends_at, tz, CLOCK if same_day else texts.SHIFT_DAY_TIME)
    weekday = texts.WEEKDAYS[local(shift.starts_at, tz).weekday()]
    return texts.SHIFT_TIME.format(start=start, end=end, weekday=weekday)


def chosen(question: str, answer: str) -> str:
    """A question with its buttons replaced by the answer chosen (``answer`` is escaped)."""
    return texts.CHOSEN.format(question=question, answer=escape(answer))


def skip_keyboard(button: RegistrationSkipButton | NewShiftSkipButton) -> InlineKeyboardMarkup:
    """跳过, for an optional answer."""
    return inline_keyboard([[(texts.SKIP, button.data)]])


def contact_keyboard() -> ReplyKeyboardMarkup:
    """The reply keyboard that shares one's own phone number."""
    button = KeyboardButton(texts.SHARE_PHONE, request_contact=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


def location_keyboard() -> ReplyKeyboardMarkup:
    """The reply keyboard that shares one's location (check-in, check-out)."""
    button = KeyboardButton(texts.BTN_SEND_LOCATION, request_location=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


# ---------------------------------------------------------------- registration and profile
def consent_view() -> View:
    buttons = [
        (texts.CONSENT_YES, ConsentButton(answer="yes").data),
        (texts.CONSENT_NO, ConsentButton(answer="no").data),
    ]
    return View(texts.CONSENT, inline_keyboard([buttons]))


def consent_given_text() -> str:
    return texts.CONSENT_GIVEN.format(consent=texts.CONSENT, answer=texts.CONSENT_YES)


def district_question(names: Sequence[str]) -> View:
    buttons = [(name, RegistrationDistrictButton(index=i).data) for i, name in enumerate(names)]
    return View(texts.ASK_DISTRICT, inline_keyboard(button_rows(buttons, 3)))


def community_question(district: District) -> View:
    buttons = [
        (name, RegistrationCommunityButton(index=i).data) for i, name in enumerate(district.communities)
    ]
    text = texts.ASK_COMMUNITY.format(district=escape(district.name))
    return View(text, inline_keyboard(button_rows(buttons, 2)))


def skippable_question(text: str) -> View:
    """Skills or availability: typed, or 跳过."""
    return View(text, skip_keyboard(RegistrationSkipButton()))


def leaderboard_question() -> View:
    buttons = [
        (texts.SHOW_NAME, LeaderboardChoiceButton(show=True).data),
        (texts.HIDE_NAME, LeaderboardChoiceButton(show=False).data),
    ]
    return View(texts.ASK_LEADERBOARD, inline_keyboard([buttons]))


def leaderboard_answer(show: bool) -> str:
    return texts.SHOW_NAME if show else texts.HIDE_NAME


def phone_ok_text(phone: str) -> str:
    return texts.PHONE_OK.format(phone=mask_phone(phone))


def profile_view(profile: VolunteerProfile, tz: ZoneInfo, *, ask_which: bool = False) -> View:
    """The profile (phone masked) with a 修改 button per field, and 查看可报名的活动."""
    text = texts.PROFILE.format(
        name=escape(profile.real_name),
        phone=mask_phone(profile.phone),
        district=escape(profile.district),
        community=escape(profile.community),
        skills=escape(profile.skills or texts.NOT_GIVEN),
        availability=escape(profile.availability or texts.NOT_GIVEN),
        show=texts.YES if profile.show_on_leaderboard else texts.NO,
        notices=texts.YES if profile.shift_notices else texts.NO,
        since=format_local(profile.consent_at, tz, DAY),
    )
    if ask_which:
        text += "\n\n" + texts.EDIT_PROMPT
    edits = [(texts.FIELD_LABELS[f], ProfileEditButton(field=f).data) for f in get_args(ProfileField)]
    browse = ShiftListButton(district=None, when=DateFilter.ALL, page=0).data
    receive = not profile.shift_notices
    notices = (
        texts.BTN_START_NOTICES if receive else texts.BTN_STOP_NOTICES,
        ShiftNoticesButton(receive=receive).data,
    )
    return View(text, inline_keyboard([*button_rows(edits, 3), [notices], [(texts.BTN_BROWSE, browse)]]))


# ---------------------------------------------------------------- /shifts
def filter_label(district_name: str | None, when: DateFilter) -> str:
    return texts.FILTERS.format(district=district_name or texts.ALL_DISTRICTS, dates=texts.DATE_FILTERS[when])


def shift_entry(view: ShiftView, tz: ZoneInfo) -> str:
    """One shift of the list: title, place, time, places left (or the waitlist) and one's own booking."""
    shift = view.shift
    places = (
        texts.PLACES_FREE.format(free=view.free, capacity=shift.capacity)
        if view.free
        else texts.PLACES_FULL.format(capacity=shift.capacity, waitlist=view.waitlisted)
    )
    mine = ""
    if view.my_status is BookingStatus.CONFIRMED:
        mine = texts.MINE_CONFIRMED
    elif view.my_status is BookingStatus.WAITLISTED:
        mine = texts.MINE_WAITLISTED.format(n=view.my_position)
    return texts.SHIFT_LINE.format(
        id=shift.id,
        title=escape(shift.title),
        place=escape(shift.place),
        district=escape(shift.district or texts.NO_DISTRICT),
        when=shift_time(shift, tz),
        places=places,
        mine=mine,
        notes=notes_suffix(shift),
    )


def notes_suffix(shift: Shift) -> str:
    """The shift's notes (请穿红马甲…) on a line of their own, or nothing."""
    return texts.SHIFT_NOTES.format(notes=escape(shift.notes)) if shift.notes else ""


def shift_list_view(
    shifts: Page[ShiftView],
    *,
    total: int,
    district: int | None,
    district_name: str | None,
    when: DateFilter,
    tz: ZoneInfo,
) -> View:
    """A page of upcoming shifts (pages count from 1 here, from 0 in the buttons), 报名/候补 for the
    shifts one has not booked, paging, and the two filters."""
    index = shifts.number - 1
    header = texts.SHIFTS_HEADER.format(
        filters=escape(filter_label(district_name, when)),
        total=total,
        page=shifts.number,
        pages=shifts.count,
    )
    body = "\n\n".join(shift_entry(v, tz) for v in shifts.items) or texts.SHIFTS_EMPTY
    actions = [
        (
            (texts.BTN_WAITLIST if v.free == 0 else texts.BTN_BOOK).format(id=v.shift.id),
            BookButton(shift=v.shift.id, district=district, when=when, page=index).data,
        )
        for v in shifts.items
        if v.my_status is None
    ]
    rows = button_rows(actions, 2)
    nav = []
    if shifts.has_previous:
        nav.append((texts.BTN_PREV, ShiftListButton(district=district, when=when, page=index - 1).data))
    if shifts.has_next:
        nav.append((texts.BTN_NEXT, ShiftListButton(district=district, when=when, page=index + 1).data))
    if nav:
        rows.append(nav)
    rows.append(
        [
            (
                texts.BTN_FILTER_DISTRICT.format(name=district_name or texts.ALL_DISTRICTS),
                DistrictFilterButton(district=district, when=when).data,
            ),
            (
                texts.BTN_FILTER_DATE.format(name=texts.DATE_FILTERS[when]),
                DateFilterButton(district=district, when=when).data,
            ),
        ]
    )
    return View(f"{header}\n\n{body}", inline_keyboard(rows))


def district_filter_view(names: Sequence[str], when: DateFilter) -> View:
    options = [(texts.ALL_DISTRICTS, ShiftListButton(district=None, when=when, page=0).data)]
    options += [(name, ShiftListButton(district=i, when=when, page=0).data) for i, name in enumerate(names)]
    return View(texts.CHOOSE_DISTRICT, inline_keyboard(button_rows(options, 3)))


def date_filter_view(district: int | None) -> View:
    options = [
        (texts.DATE_FILTERS[when], ShiftListButton(district=district, when=when, page=0).data)
        for when in DateFilter
    ]
    return View(texts.CHOOSE_DATE, inline_keyboard(button_rows(options, 3)))


def booked_text(result: BookingResult, tz: ZoneInfo) -> str:
    shift = result.shift
    if result.waitlisted:
        return texts.WAITLISTED.format(n=result.waitlist_rank, title=escape(shift.title))
    return texts.BOOKED.format(
        title=escape(shift.title),
        when=shift_time(shift, tz),
        place=escape(shift.place),
        notes=texts.NOTES_LINE.format(notes=escape(shift.notes)) if shift.notes else "",
        reminders=texts.REMINDER_PROMISES[result.reminders],
    )


def clash_text(clash: ShiftClash, tz: ZoneInfo) -> str:
    """The refusal of a booking that overlaps one already held (a toast: plain text)."""
    return texts.OVERLAP.format(title=clash.booked.title, when=shift_time(clash.booked, tz))


# ---------------------------------------------------------------- /myshifts
def my_shifts_view(bookings: Sequence[tuple[ShiftBooking, Shift]], now: datetime, tz: ZoneInfo) -> View:
    """Upcoming and current bookings; 取消 before the start, 签到 in the window, then 签退."""
    if not bookings:
        return View(texts.MYSHIFTS_EMPTY)
    lines, rows = [texts.MYSHIFTS_HEADER], []
    for booking, shift in bookings:
        status = texts.BOOKING_STATUS_NAMES[booking.status.value]
        if booking.status is BookingStatus.CONFIRMED and booking.checked_in_at is not None:
            status = texts.CHECKED_IN_STATUS.format(time=format_local(booking.checked_in_at, tz, CLOCK))
        line = texts.MYSHIFT_LINE.format(
            id=shift.id,
            title=escape(shift.title),
            status=status,
            when=shift_time(shift, tz),
            place=escape(shift.place),
            notes=notes_suffix(shift),
        )
        lines.append(line)
        buttons = []
        if shift.starts_at > now:
            buttons.append(
                (texts.BTN_CANCEL_BOOKING.format(id=shift.id), CancelBookingButton(booking=booking.id).data)
            )
        if booking.status is BookingStatus.CONFIRMED and shift.starts_at - CHECKIN_EARLY <= now:
            if booking.checked_in_at is None and now <= shift.ends_at:
                buttons.append(
                    (texts.BTN_CHECKIN.format(id=shift.id), CheckInButton(booking=booking.id).data)
                )
            elif booking.checked_in_at is not None:
                buttons.append(
                    (texts.BTN_CHECKOUT.format(id=shift.id), CheckOutButton(booking=booking.id).data)
                )
        if buttons:
            rows.append(buttons)
    return View("\n\n".join(lines), inline_keyboard(rows) if rows else None)


def confirm_cancel_view(booking_id: int, shift: Shift, tz: ZoneInfo) -> View:
    text = texts.CONFIRM_CANCEL.format(title=escape(shift.title), when=shift_time(shift, tz))
    buttons = [
        (texts.BTN_CONFIRM_CANCEL, ConfirmCancelBookingButton(booking=booking_id).data),
        (texts.BTN_KEEP, KeepButton().data),
    ]
    return View(text, inline_keyboard([buttons]))


def booking_cancelled_text(shift: Shift, tz: ZoneInfo) -> str:
    return texts.BOOKING_CANCELLED.format(title=escape(shift.title), when=shift_time(shift, tz))


def promoted_text(shift: Shift, tz: ZoneInfo) -> str:
    """To the volunteer who moved up from the waitlist."""
    return texts.PROMOTED.format(
        title=escape(shift.title), when=shift_time(shift, tz), place=escape(shift.place)
    )


# ---------------------------------------------------------------- check-in and check-out
def send_location_text(checking_in: bool, radius: float) -> str:
    action = texts.ACTION_CHECKIN if checking_in else texts.ACTION_CHECKOUT
    return texts.SEND_LOCATION.format(action=action, radius=round(radius))


def checked_text(booking: ShiftBooking, shift: Shift, tz: ZoneInfo) -> str:
    """签到成功 with the time, or 签退成功 with the hours served."""
    if booking.status is BookingStatus.COMPLETED:
        return texts.CHECKED_OUT.format(title=escape(shift.title), hours=hours_text(booking.service_minutes))
    assert booking.checked_in_at is not None
    return texts.CHECKED_IN.format(
        title=escape(shift.title), time=format_local(booking.checked_in_at, tz, CLOCK)
    )


# ---------------------------------------------------------------- hours and leaderboard
def hours_record_text(record: ServiceRecord, tz: ZoneInfo) -> str:
    if not record.entries:
        return texts.HOURS_EMPTY
    lines = [texts.HOURS.format(hours=hours_text(record.minutes), count=len(record.entries))]
    lines += [
        texts.HOURS_MONTH.format(month=month, hours=hours_text(minutes), count=count)
        for month, minutes, count in record.by_month(tz)
    ]
    return "\n".join(lines)


def leaderboard_text(month: str, rows: Sequence[HoursRow]) -> str:
    """Names masked unless their owner agreed to show them."""
    if not rows:
        return texts.LEADERBOARD_EMPTY
    lines = [texts.LEADERBOARD_HEADER.format(month=month)]
    lines += [
        texts.LEADERBOARD_LINE.format(
            rank=rank,
            name=escape(leaderboard_name(row.profile)),
            district=escape(row.profile.district),
            hours=hours_text(row.minutes),
        )
        for rank, row in enumerate(rows, 1)
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- scheduled notices
def reminder_text(reminder: Reminder, tz: ZoneInfo) -> str:
    shift = reminder.shift
    return texts.REMINDER.format(
        title=escape(shift.title),
        when_left=texts.REMINDER_24H if reminder.which == "24h" else texts.REMINDER_1H,
        when=shift_time(shift, tz),
        place=escape(shift.place),
        notes=texts.REMINDER_NOTES.format(notes=escape(shift.notes)) if shift.notes else "",
    )


def no_show_text(shift: Shift) -> str:
    return texts.NO_SHOW_NOTICE.format(title=escape(shift.title))
