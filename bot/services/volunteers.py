"""Volunteers: profiles, shifts, race-free booking with a waitlist, reminders, check-in/out and hours.

Booking is race-free: every change to a shift's places first locks the shift row
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every transaction is ``BEGIN IMMEDIATE``, see
``bot.database``), then counts, then writes. Arrival order is the order in which transactions get
that lock; it is stored as ``ShiftBooking.position`` and orders the waitlist.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler, texts
from bot.models import (
    BookingStatus,
    Role,
    ScheduledTask,
    Shift,
    ShiftBooking,
    ShiftStatus,
    TaskStatus,
    User,
    VolunteerProfile,
)
from bot.models.volunteers import ACTIVE_BOOKING_STATUSES, can_transition
from bot.services import DomainError, NotFound, audit
from bot.services.privacy import normalize_mobile
from bot.services.users import ensure_user
from bot.timeutil import DEFAULT_TZ, format_local, utcnow

REMINDER_KIND = "volunteer.reminder"
CLOSE_KIND = "volunteer.close_shift"
REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
CHECKIN_EARLY = timedelta(minutes=30)  # check-in opens this long before the start
CHECKOUT_GRACE = timedelta(hours=1)  # check-out stays open this long after the end; then the shift closes
MAX_SHIFT_LENGTH = timedelta(hours=12)
MAX_CAPACITY = 1000
MAX_WEEKS = 12
PLACE_HOLDING = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


# ------------------------------------------------------------------ errors
class VolunteerError(DomainError):
    """A volunteering rule said no."""


class NotRegistered(VolunteerError):
    def __init__(self) -> None:
        super().__init__(texts.VOL_NOT_REGISTERED)


class InvalidInput(VolunteerError):
    """A value (phone, name, time, capacity…) is not acceptable."""


class ShiftUnavailable(VolunteerError):
    """The shift cannot be booked or changed (cancelled, started, not found)."""


class AlreadyDone(VolunteerError):
    """A repeated action (double tap): nothing changed."""


class CheckInRefused(VolunteerError):
    """Check-in or check-out outside the window, or without a valid place."""


class TooFar(CheckInRefused):
    """The shared location is outside the radius around the shift's place."""


# ------------------------------------------------------------------ districts, phones, names
@dataclass(frozen=True)
class District:
    name: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class Districts:
    city: str
    districts: tuple[District, ...]

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.districts]

    def get(self, name: str) -> District | None:
        return next((d for d in self.districts if d.name == name), None)


@cache
def load_districts(data_dir: Path) -> Districts:
    raw = yaml.safe_load((data_dir / "districts.yaml").read_text(encoding="utf-8"))
    return Districts(
        city=str(raw.get("city", "本市")),
        districts=tuple(
            District(str(d["name"]), tuple(str(c) for c in d.get("communities", [])))
            for d in raw["districts"]
        ),
    )


_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z·\u00b7 ]{2,20}$")


def normalize_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits; accepts +86/86 prefixes, spaces and dashes."""
    phone = normalize_mobile(raw)
    if phone is None:
        raise InvalidInput(texts.VOL_BAD_PHONE.format(phone=raw[:20]))
    return phone


def mask_name(name: str) -> str:
    """王*明 / 王*: a name on a public list when its owner did not agree to show it."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def check_name(raw: str) -> str:
    name = raw.strip()
    if not _NAME.match(name) or len(name.replace(" ", "")) < 2:
        raise InvalidInput(texts.VOL_BAD_NAME)
    return name


def hours_text(minutes: int) -> str:
    return f"{minutes / 60:.1f}"


# ------------------------------------------------------------------ profiles
PROFILE_FIELDS = (
    "real_name",
    "phone",
    "district",
    "community",
    "skills",
    "availability",
    "show_on_leaderboard",
)


async def get_profile(session: AsyncSession, user_id: int) -> VolunteerProfile | None:
    return await session.get(VolunteerProfile, user_id)


async def require_profile(session: AsyncSession, user_id: int) -> VolunteerProfile:
    profile = await get_profile(session, user_id)
    if profile is None:
        raise NotRegistered()
    return profile


async def register(
    session: AsyncSession,
    user_id: int,
    *,
    real_name: str,
    phone: str,
    district: str,
    community: str = "",
    skills: str = "",
    availability: str = "",
    show_on_leaderboard: bool = False,
    consent_at: datetime | None = None,
    districts: Districts | None = None,
) -> VolunteerProfile:
    """Create or replace a volunteer profile (after consent); a resident becomes a volunteer."""
    values = _checked_profile_values(
        {
            "real_name": real_name,
            "phone": phone,
            "district": district,
            "community": community,
            "skills": skills,
            "availability": availability,
            "show_on_leaderboard": show_on_leaderboard,
        },
        districts,
    )
    user = await ensure_user(session, user_id)
    profile = await get_profile(session, user_id)
    now = utcnow()
    if profile is None:
        profile = VolunteerProfile(
            user_id=user_id, consent_at=consent_at or now, created_at=now, updated_at=now
        )
        session.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    if user.role is Role.RESIDENT:  # never downgrade staff
        user.role = Role.VOLUNTEER
    if user.consent_at is None:
        user.consent_at = consent_at or now
    await session.flush()
    return profile


async def update_profile(
    session: AsyncSession, user_id: int, districts: Districts | None = None, **changes: Any
) -> VolunteerProfile:
    profile = await require_profile(session, user_id)
    current = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields {unknown}")
    # The district list may have been edited since registration: check it only when it changes.
    relevant = districts if {"district", "community"} & set(changes) else None
    values = _checked_profile_values({**current, **changes}, relevant)
    for name in changes:
        setattr(profile, name, values[name])
    await session.flush()
    return profile


def _checked_profile_values(values: dict[str, Any], districts: Districts | None) -> dict[str, Any]:
    checked = dict(values)
    checked["real_name"] = check_name(str(values["real_name"]))
    checked["phone"] = normalize_phone(str(values["phone"]))
    checked["skills"] = str(values.get("skills") or "")[:200]
    checked["availability"] = str(values.get("availability") or "")[:200]
    checked["community"] = str(values.get("community") or "")[:64]
    checked["show_on_leaderboard"] = bool(values.get("show_on_leaderboard"))
    if districts is not None:
        district = districts.get(str(values["district"]))
        if district is None or (checked["community"] and checked["community"] not in district.communities):
            raise InvalidInput(texts.BUTTON_EXPIRED)
    checked["district"] = str(values["district"])[:32]
    return checked


# ------------------------------------------------------------------ shifts (staff)
@dataclass
class ShiftDraft:
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    district: str = ""
    notes: str = ""
    latitude: float | None = None
    longitude: float | None = None


def check_shift_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise InvalidInput(texts.VOL_TIME_IN_PAST)
    if ends_at <= starts_at:
        raise InvalidInput(texts.VOL_END_BEFORE_START)
    if ends_at - starts_at > MAX_SHIFT_LENGTH:
        raise InvalidInput(texts.VOL_SHIFT_TOO_LONG)


def check_capacity(value: int) -> int:
    if not 1 <= value <= MAX_CAPACITY:
        raise InvalidInput(texts.VOL_BAD_CAPACITY)
    return value


def parse_local_datetime(raw: str, tz: ZoneInfo, *, day: date | None = None) -> datetime:
    """'2026-12-05 07:30' (or '07:30' when ``day`` is given) in the bot's timezone."""
    text = raw.strip().replace("：", ":").replace("/", "-").replace("T", " ")
    text = re.sub(r"\s+", " ", text)
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            pass
    if day is not None:
        try:
            clock = datetime.strptime(text, "%H:%M").time()
        except ValueError:
            pass
        else:
            return datetime.combine(day, clock, tzinfo=tz)
    raise InvalidInput(texts.VOL_BAD_TIME)


def parse_coordinates(raw: str) -> tuple[float, float]:
    parts = re.split(r"[,，\s]+", raw.strip())
    try:
        latitude, longitude = (float(p) for p in parts if p)
    except ValueError:
        raise InvalidInput(texts.VOL_BAD_COORDS) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(texts.VOL_BAD_COORDS)
    return latitude, longitude


async def create_shifts(
    session: AsyncSession, actor_id: int, draft: ShiftDraft, *, weeks: int = 1, now: datetime | None = None
) -> list[Shift]:
    """Publish a shift, or the same shift weekly for ``weeks`` weeks (one recurrence group)."""
    now = now or utcnow()
    check_shift_times(draft.starts_at, draft.ends_at, now)
    check_capacity(draft.capacity)
    weeks = max(1, min(weeks, MAX_WEEKS))
    group = uuid4().hex if weeks > 1 else None
    shifts = []
    for week in range(weeks):
        shift = Shift(
            title=draft.title[:64],
            place=draft.place[:128],
            latitude=draft.latitude,
            longitude=draft.longitude,
            district=draft.district[:32],
            starts_at=draft.starts_at + timedelta(weeks=week),
            ends_at=draft.ends_at + timedelta(weeks=week),
            capacity=draft.capacity,
            notes=draft.notes,
            status=ShiftStatus.ACTIVE,
            recurrence_group=group,
            created_by=actor_id,
            created_at=now,
            updated_at=now,
        )
        session.add(shift)
        shifts.append(shift)
    await session.flush()
    for shift in shifts:
        await _replace_task(
            session, _close_key(shift.id), CLOSE_KIND, shift.ends_at + CHECKOUT_GRACE, shift.id
        )
    await audit.record(
        session,
        actor_id,
        "volunteer.shift.create",
        ",".join(str(s.id) for s in shifts),
        title=draft.title,
        weeks=weeks,
    )
    return shifts


async def get_shift(session: AsyncSession, shift_id: int) -> Shift:
    shift = await session.get(Shift, shift_id)
    if shift is None:
        raise NotFound(texts.VOL_SHIFT_NOT_FOUND)
    return shift


async def _lock_shift(session: AsyncSession, shift_id: int) -> Shift:
    """Lock the shift row for this transaction (PostgreSQL); SQLite is already serialised."""
    shift = await session.scalar(
        select(Shift).where(Shift.id == shift_id).with_for_update().execution_options(populate_existing=True)
    )
    if shift is None:
        raise NotFound(texts.VOL_SHIFT_NOT_FOUND)
    return shift


@dataclass
class ShiftChange:
    """What an edit or a cancellation did, for the handler to tell people."""

    shift: Shift
    notify_user_ids: list[int]
    promoted: list[ShiftBooking] = field(default_factory=list)


async def edit_shift(
    session: AsyncSession,
    actor_id: int,
    shift_id: int,
    *,
    now: datetime | None = None,
    **changes: Any,
) -> ShiftChange:
    """Change title, place, notes, times or capacity; booked and waitlisted volunteers are to be told."""
    now = now or utcnow()
    shift = await _lock_shift(session, shift_id)
    if shift.status is not ShiftStatus.ACTIVE or shift.starts_at <= now:
        raise ShiftUnavailable(texts.VOL_SHIFT_NOT_EDITABLE)
    allowed = {"title", "place", "notes", "starts_at", "ends_at", "capacity", "latitude", "longitude"}
    if set(changes) - allowed:
        raise ValueError(f"unknown shift fields {set(changes) - allowed}")
    starts_at = changes.get("starts_at", shift.starts_at)
    ends_at = changes.get("ends_at", shift.ends_at)
    times_changed = starts_at != shift.starts_at or ends_at != shift.ends_at
    if times_changed:
        check_shift_times(starts_at, ends_at, now)
    promoted: list[ShiftBooking] = []
    if "capacity" in changes:
        capacity = check_capacity(int(changes["capacity"]))
        booked = await _count(session, shift.id, PLACE_HOLDING)
        if capacity < booked:
            raise InvalidInput(texts.VOL_CAPACITY_BELOW_BOOKED.format(booked=booked))
    before = {name: _jsonable(getattr(shift, name)) for name in changes}
    for name, value in changes.items():
        setattr(shift, name, value)
    shift.updated_at = now
    await session.flush()
    bookings = await _active_bookings(session, shift.id)
    if times_changed:
        await _replace_task(
            session, _close_key(shift.id), CLOSE_KIND, shift.ends_at + CHECKOUT_GRACE, shift.id
        )
        for booking in bookings:
            if booking.status is BookingStatus.CONFIRMED:
                await _schedule_reminders(session, booking, shift, now)
    if "capacity" in changes:
        promoted = await _fill_from_waitlist(session, shift, now)
    await audit.record(
        session,
        actor_id,
        "volunteer.shift.edit",
        str(shift.id),
        before=before,
        after={name: _jsonable(value) for name, value in changes.items()},
    )
    promoted_ids = {b.id for b in promoted}
    return ShiftChange(shift, [b.user_id for b in bookings if b.id not in promoted_ids], promoted)


async def cancel_shift(session: AsyncSession, actor_id: int, shift_id: int) -> ShiftChange:
    """Cancel a shift: every booking and waitlist entry is cancelled, reminders too."""
    shift = await _lock_shift(session, shift_id)
    if not can_transition(shift.status, ShiftStatus.CANCELLED):
        raise AlreadyDone(texts.VOL_SHIFT_ALREADY_CANCELLED)
    now = utcnow()
    shift.status = ShiftStatus.CANCELLED
    shift.updated_at = now
    bookings = await _active_bookings(session, shift.id)
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.updated_at = now
        await scheduler.cancel(session, key_prefix=_reminder_prefix(booking.id))
    await scheduler.cancel(session, _close_key(shift.id))
    await audit.record(session, actor_id, "volunteer.shift.cancel", str(shift.id), notified=len(bookings))
    await session.flush()
    return ShiftChange(shift, [b.user_id for b in bookings])


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


# ------------------------------------------------------------------ listing
DATE_FILTERS = ("all", "today", "tomorrow", "week")


@dataclass
class ShiftView:
    shift: Shift
    confirmed: int
    waitlisted: int
    my_status: BookingStatus | None = None
    my_position: int | None = None  # place in the waitlist (1 = next)

    @property
    def free(self) -> int:
        return max(0, self.shift.capacity - self.confirmed)


def date_range(name: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime | None]:
    today = now.astimezone(tz).date()
    start_of = lambda d: datetime.combine(d, time(0), tzinfo=tz)  # noqa: E731
    if name == "today":
        return now, start_of(today + timedelta(days=1))
    if name == "tomorrow":
        return start_of(today + timedelta(days=1)), start_of(today + timedelta(days=2))
    if name == "week":
        return now, start_of(today + timedelta(days=8))
    return now, None


async def upcoming_shifts(
    session: AsyncSession,
    *,
    user_id: int | None = None,
    district: str | None = None,
    date_filter: str = "all",
    offset: int = 0,
    limit: int = 5,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> tuple[list[ShiftView], int]:
    """One page of active shifts that have not started, soonest first, and how many there are in all."""
    now = now or utcnow()
    start, end = date_range(date_filter, now, tz)
    conditions = [Shift.status == ShiftStatus.ACTIVE, Shift.starts_at > now, Shift.starts_at >= start]
    if end is not None:
        conditions.append(Shift.starts_at < end)
    if district:
        conditions.append(Shift.district == district)
    total = int(await session.scalar(select(func.count()).select_from(Shift).where(*conditions)) or 0)
    shifts = list(
        await session.scalars(
            select(Shift).where(*conditions).order_by(Shift.starts_at, Shift.id).offset(offset).limit(limit)
        )
    )
    return await _views(session, shifts, user_id), total


async def _views(session: AsyncSession, shifts: Sequence[Shift], user_id: int | None) -> list[ShiftView]:
    ids = [s.id for s in shifts]
    if not ids:
        return []
    counts: dict[tuple[int, BookingStatus], int] = {}
    rows = await session.execute(
        select(ShiftBooking.shift_id, ShiftBooking.status, func.count())
        .where(ShiftBooking.shift_id.in_(ids), ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES))
        .group_by(ShiftBooking.shift_id, ShiftBooking.status)
    )
    for shift_id, status, count in rows:
        counts[(shift_id, status)] = int(count)
    mine: dict[int, ShiftBooking] = {}
    if user_id is not None:
        mine = {
            b.shift_id: b
            for b in await session.scalars(
                select(ShiftBooking).where(ShiftBooking.shift_id.in_(ids), ShiftBooking.user_id == user_id)
            )
        }
    views = []
    for shift in shifts:
        view = ShiftView(
            shift,
            counts.get((shift.id, BookingStatus.CONFIRMED), 0),
            counts.get((shift.id, BookingStatus.WAITLISTED), 0),
        )
        booking = mine.get(shift.id)
        if booking is not None and booking.status in ACTIVE_BOOKING_STATUSES:
            view.my_status = booking.status
            if booking.status is BookingStatus.WAITLISTED:
                view.my_position = await _waitlist_rank(session, booking)
        views.append(view)
    return views


async def shift_view(session: AsyncSession, shift_id: int, user_id: int | None = None) -> ShiftView:
    (view,) = await _views(session, [await get_shift(session, shift_id)], user_id)
    return view


# ------------------------------------------------------------------ booking
@dataclass
class BookingResult:
    booking: ShiftBooking
    shift: Shift
    waitlist_rank: int | None = None  # None when confirmed

    @property
    def waitlisted(self) -> bool:
        return self.waitlist_rank is not None


async def book(
    session: AsyncSession, user_id: int, shift_id: int, now: datetime | None = None
) -> BookingResult:
    """Take a place, or join the waitlist when the shift is full. Race-free (see module docstring)."""
    now = now or utcnow()
    await require_profile(session, user_id)
    shift = await _lock_shift(session, shift_id)
    # Lock the volunteer too (PostgreSQL), so two tabs booking two overlapping shifts cannot both win.
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
    if shift.status is not ShiftStatus.ACTIVE:
        raise ShiftUnavailable(texts.VOL_SHIFT_CANCELLED)
    if shift.starts_at <= now:
        raise ShiftUnavailable(texts.VOL_SHIFT_STARTED)
    booking = await session.scalar(
        select(ShiftBooking)
        .where(ShiftBooking.shift_id == shift.id, ShiftBooking.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    if booking is not None and booking.status is not BookingStatus.CANCELLED:
        raise AlreadyDone(
            {
                BookingStatus.CONFIRMED: texts.VOL_ALREADY_BOOKED,
                BookingStatus.WAITLISTED: texts.VOL_ALREADY_WAITLISTED,
            }.get(booking.status, texts.VOL_ALREADY_FINISHED)
        )
    clash = await _overlapping(session, user_id, shift)
    if clash is not None:
        raise VolunteerError(texts.VOL_OVERLAP.format(title=clash.title, when=format_shift_time(clash)))
    # Places taken and the last arrival number, in one query (the shift row is locked).
    confirmed, last_position = (
        await session.execute(
            select(
                func.count().filter(ShiftBooking.status == BookingStatus.CONFIRMED),
                func.coalesce(func.max(ShiftBooking.position), 0),
            ).where(ShiftBooking.shift_id == shift.id)
        )
    ).one()
    status = BookingStatus.CONFIRMED if confirmed < shift.capacity else BookingStatus.WAITLISTED
    position = int(last_position) + 1
    if booking is None:
        booking = ShiftBooking(shift_id=shift.id, user_id=user_id, service_minutes=0)
        session.add(booking)
    booking.status, booking.position, booking.booked_at, booking.updated_at = status, position, now, now
    booking.checked_in_at = booking.checked_out_at = None
    await session.flush()
    if status is BookingStatus.CONFIRMED:
        await _schedule_reminders(session, booking, shift, now)
        return BookingResult(booking, shift)
    return BookingResult(booking, shift, await _waitlist_rank(session, booking))


async def cancel_booking(
    session: AsyncSession, user_id: int, booking_id: int, now: datetime | None = None
) -> tuple[ShiftBooking, Shift, ShiftBooking | None]:
    """Cancel one's own booking; a freed place goes to the first on the waitlist (returned to be told)."""
    now = now or utcnow()
    booking = await _own_booking(session, user_id, booking_id)
    shift = await _lock_shift(session, booking.shift_id)
    await session.refresh(booking)
    if not can_transition(booking.status, BookingStatus.CANCELLED):
        raise AlreadyDone(texts.VOL_BOOKING_NOT_ACTIVE)
    if shift.starts_at <= now and booking.status is BookingStatus.CONFIRMED:
        raise VolunteerError(texts.VOL_CANCEL_TOO_LATE)
    was_confirmed = booking.status is BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.updated_at = now
    await scheduler.cancel(session, key_prefix=_reminder_prefix(booking.id))
    await session.flush()
    promoted = None
    if was_confirmed and shift.starts_at > now:
        filled = await _fill_from_waitlist(session, shift, now)
        promoted = filled[0] if filled else None
    return booking, shift, promoted


async def _fill_from_waitlist(session: AsyncSession, shift: Shift, now: datetime) -> list[ShiftBooking]:
    """Promote waitlisted volunteers, in arrival order, into free places (shift row already locked)."""
    free = shift.capacity - await _count(session, shift.id, (BookingStatus.CONFIRMED,))
    if free <= 0 or shift.status is not ShiftStatus.ACTIVE:
        return []
    waiting = list(
        await session.scalars(
            select(ShiftBooking)
            .where(ShiftBooking.shift_id == shift.id, ShiftBooking.status == BookingStatus.WAITLISTED)
            .order_by(ShiftBooking.position)
            .limit(free)
        )
    )
    for booking in waiting:
        booking.status = BookingStatus.CONFIRMED
        booking.updated_at = now
        await _schedule_reminders(session, booking, shift, now)
    await session.flush()
    return waiting


async def _own_booking(session: AsyncSession, user_id: int, booking_id: int) -> ShiftBooking:
    booking = await session.get(ShiftBooking, booking_id)
    if booking is None or booking.user_id != user_id:
        raise NotFound(texts.VOL_BOOKING_NOT_FOUND)
    return booking


async def _count(session: AsyncSession, shift_id: int, statuses: Sequence[BookingStatus]) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(ShiftBooking)
            .where(ShiftBooking.shift_id == shift_id, ShiftBooking.status.in_(statuses))
        )
        or 0
    )


async def _waitlist_rank(session: AsyncSession, booking: ShiftBooking) -> int:
    ahead = await session.scalar(
        select(func.count())
        .select_from(ShiftBooking)
        .where(
            ShiftBooking.shift_id == booking.shift_id,
            ShiftBooking.status == BookingStatus.WAITLISTED,
            ShiftBooking.position < booking.position,
        )
    )
    return int(ahead or 0) + 1


async def _active_bookings(session: AsyncSession, shift_id: int) -> list[ShiftBooking]:
    return list(
        await session.scalars(
            select(ShiftBooking)
            .where(ShiftBooking.shift_id == shift_id, ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES))
            .order_by(ShiftBooking.position)
        )
    )


async def _overlapping(session: AsyncSession, user_id: int, shift: Shift) -> Shift | None:
    return await session.scalar(
        select(Shift)
        .join(ShiftBooking, ShiftBooking.shift_id == Shift.id)
        .where(
            ShiftBooking.user_id == user_id,
            ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES),
            Shift.id != shift.id,
            Shift.status == ShiftStatus.ACTIVE,
            Shift.starts_at < shift.ends_at,
            Shift.ends_at > shift.starts_at,
        )
        .limit(1)
    )


def format_shift_time(shift: Shift, tz: ZoneInfo = DEFAULT_TZ) -> str:
    start = format_local(shift.starts_at, tz, "%m月%d日 %H:%M")
    same_day = format_local(shift.starts_at, tz, "%Y%m%d") == format_local(shift.ends_at, tz, "%Y%m%d")
    end = format_local(shift.ends_at, tz, "%H:%M" if same_day else "%m月%d日 %H:%M")
    weekday = "一二三四五六日"[shift.starts_at.astimezone(tz).weekday()]
    return f"{start}–{end}（周{weekday}）"


# ------------------------------------------------------------------ reminders and closing
def _reminder_prefix(booking_id: int) -> str:
    return f"shift-reminder:{booking_id}:"


def _close_key(shift_id: int) -> str:
    return f"shift-close:{shift_id}"


async def _replace_task(session: AsyncSession, key: str, kind: str, due_at: datetime, shift_id: int) -> None:
    """Schedule a task afresh under a fixed key: a finished or cancelled row with that key is removed."""
    await session.execute(
        delete(ScheduledTask).where(ScheduledTask.key == key, ScheduledTask.status != TaskStatus.RUNNING)
    )
    await scheduler.schedule(session, key, kind, due_at, {"shift_id": shift_id})


async def _schedule_reminders(
    session: AsyncSession, booking: ShiftBooking, shift: Shift, now: datetime
) -> None:
    """(Re)schedule the 24 h and 1 h reminders that are still in the future.

    The keys are fixed per booking, so an old row under the same key (cancelled with an earlier booking,
    or sent before the shift was moved, or left by a deleted booking whose id SQLite reused) is removed
    first. A reminder whose time has passed is not scheduled, so none is sent twice.
    """
    keys = {label: f"{_reminder_prefix(booking.id)}{label}" for label in REMINDERS}
    await session.execute(
        delete(ScheduledTask).where(
            ScheduledTask.key.in_(list(keys.values())), ScheduledTask.status != TaskStatus.RUNNING
        )
    )
    for label, before in REMINDERS.items():
        due = shift.starts_at - before
        if due > now:
            payload = {"booking_id": booking.id, "which": label}
            await scheduler.schedule(session, keys[label], REMINDER_KIND, due, payload)


@dataclass
class Reminder:
    user_id: int
    shift: Shift
    which: str


async def reminder_to_send(
    session: AsyncSession, booking_id: int, which: str, due_at: datetime, now: datetime | None = None
) -> Reminder | None:
    """The reminder for a task, or None when it no longer applies (cancelled, past, or far too late)."""
    now = now or utcnow()
    booking = await session.get(ShiftBooking, booking_id)
    if booking is None or booking.status is not BookingStatus.CONFIRMED:
        return None
    shift = await session.get(Shift, booking.shift_id)
    if shift is None or shift.status is not ShiftStatus.ACTIVE or shift.starts_at <= now:
        return None
    # Fired long after its time (the bot was down): a "24 h" reminder 20 h late would mislead.
    if scheduler.stale(due_at, now, REMINDERS.get(which, timedelta(hours=1)) / 2):
        return None
    return Reminder(booking.user_id, shift, which)


@dataclass
class ClosedShift:
    shift: Shift
    no_show_user_ids: list[int]
    completed: int


async def close_shift(
    session: AsyncSession, shift_id: int, now: datetime | None = None
) -> ClosedShift | None:
    """After the end (plus the check-out grace): no check-in → no-show; no check-out → out at the end."""
    now = now or utcnow()
    shift = await session.get(Shift, shift_id)
    if shift is None or shift.status is not ShiftStatus.ACTIVE:
        return None
    shift = await _lock_shift(session, shift_id)
    no_shows: list[int] = []
    completed = 0
    for booking in await _active_bookings(session, shift.id):
        booking.updated_at = now
        if booking.status is BookingStatus.WAITLISTED:
            booking.status = BookingStatus.CANCELLED
        elif booking.checked_in_at is None:
            booking.status = BookingStatus.NO_SHOW
            no_shows.append(booking.user_id)
        else:
            _complete(booking, shift, shift.ends_at)
            completed += 1
    await session.flush()
    return ClosedShift(shift, no_shows, completed)


# ------------------------------------------------------------------ check-in and check-out
def haversine_meters(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6_371_000.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def _check_place(shift: Shift, location: tuple[float, float] | None, radius: float) -> None:
    if not shift.has_coordinates:
        return
    if location is None:
        raise CheckInRefused(texts.VOL_LOCATION_EXPECTED)
    assert shift.latitude is not None and shift.longitude is not None
    distance = haversine_meters(location[0], location[1], shift.latitude, shift.longitude)
    if distance > radius:
        raise TooFar(
            texts.VOL_TOO_FAR.format(distance=round(distance), radius=round(radius), place=shift.place)
        )


async def booking_with_shift(
    session: AsyncSession, user_id: int, booking_id: int
) -> tuple[ShiftBooking, Shift]:
    booking = await _own_booking(session, user_id, booking_id)
    return booking, await get_shift(session, booking.shift_id)


async def check_in(
    session: AsyncSession,
    user_id: int,
    booking_id: int,
    *,
    location: tuple[float, float] | None = None,
    radius: float = 500.0,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> tuple[ShiftBooking, Shift]:
    now = now or utcnow()
    booking, shift = await booking_with_shift(session, user_id, booking_id)
    if booking.checked_in_at is not None:
        raise AlreadyDone(texts.VOL_ALREADY_CHECKED_IN)
    if booking.status is not BookingStatus.CONFIRMED or shift.status is not ShiftStatus.ACTIVE:
        raise CheckInRefused(texts.VOL_NOT_CONFIRMED)
    if now < shift.starts_at - CHECKIN_EARLY:
        raise CheckInRefused(
            texts.VOL_CHECKIN_TOO_EARLY.format(
                start=format_local(shift.starts_at, tz, "%m月%d日 %H:%M"),
                minutes=int(CHECKIN_EARLY.total_seconds() // 60),
            )
        )
    if now > shift.ends_at:
        raise CheckInRefused(texts.VOL_CHECKIN_CLOSED)
    _check_place(shift, location, radius)
    booking.checked_in_at = now
    booking.updated_at = now
    await session.flush()
    return booking, shift


async def check_out(
    session: AsyncSession,
    user_id: int,
    booking_id: int,
    *,
    location: tuple[float, float] | None = None,
    radius: float = 500.0,
    now: datetime | None = None,
) -> tuple[ShiftBooking, Shift]:
    now = now or utcnow()
    booking, shift = await booking_with_shift(session, user_id, booking_id)
    if booking.status is BookingStatus.COMPLETED:
        raise AlreadyDone(texts.VOL_ALREADY_CHECKED_OUT)
    if booking.status is not BookingStatus.CONFIRMED:
        raise CheckInRefused(texts.VOL_NOT_CONFIRMED)
    if booking.checked_in_at is None:
        raise CheckInRefused(texts.VOL_NOT_CHECKED_IN)
    if now > shift.ends_at + CHECKOUT_GRACE:
        raise CheckInRefused(texts.VOL_CHECKOUT_CLOSED)
    _check_place(shift, location, radius)
    _complete(booking, shift, now)
    await session.flush()
    return booking, shift


def _complete(booking: ShiftBooking, shift: Shift, out_at: datetime) -> None:
    """Hours count only inside the shift's window: early arrivals and late stays are not service time."""
    assert booking.checked_in_at is not None
    booking.checked_out_at = out_at
    start = max(booking.checked_in_at, shift.starts_at)
    end = min(out_at, shift.ends_at)
    booking.service_minutes = max(0, int((end - start).total_seconds() // 60))
    booking.status = BookingStatus.COMPLETED
    booking.updated_at = out_at


# ------------------------------------------------------------------ my shifts, hours, leaderboard
async def my_bookings(
    session: AsyncSession, user_id: int, now: datetime | None = None, limit: int = 20
) -> list[tuple[ShiftBooking, Shift]]:
    """Bookings still ahead or in progress (confirmed or waitlisted, shift not closed)."""
    now = now or utcnow()
    rows = await session.execute(
        select(ShiftBooking, Shift)
        .join(Shift, Shift.id == ShiftBooking.shift_id)
        .where(
            ShiftBooking.user_id == user_id,
            ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES),
            Shift.status == ShiftStatus.ACTIVE,
            Shift.ends_at > now - CHECKOUT_GRACE,
        )
        .order_by(Shift.starts_at)
        .limit(limit)
    )
    return [(b, s) for b, s in rows.all()]


@dataclass
class ServiceRecord:
    """A volunteer's completed service, oldest first."""

    entries: list[tuple[Shift, ShiftBooking]]

    @property
    def minutes(self) -> int:
        return sum(b.service_minutes for _, b in self.entries)

    def by_month(self, tz: ZoneInfo = DEFAULT_TZ) -> list[tuple[str, int, int]]:
        """(YYYY-MM, minutes, count), newest month first."""
        months: dict[str, list[int]] = {}
        for shift, booking in self.entries:
            key = format_local(shift.starts_at, tz, "%Y-%m")
            months.setdefault(key, []).append(booking.service_minutes)
        return [(m, sum(v), len(v)) for m, v in sorted(months.items(), reverse=True)]


async def service_record(session: AsyncSession, user_id: int) -> ServiceRecord:
    rows = await session.execute(
        select(Shift, ShiftBooking)
        .join(ShiftBooking, ShiftBooking.shift_id == Shift.id)
        .where(ShiftBooking.user_id == user_id, ShiftBooking.status == BookingStatus.COMPLETED)
        .order_by(Shift.starts_at)
    )
    return ServiceRecord([(s, b) for s, b in rows.all()])


def month_bounds(month: str | None, now: datetime, tz: ZoneInfo) -> tuple[str, datetime, datetime]:
    """'YYYY-MM' (default: this month) → (label, start, end) in the bot's timezone."""
    if month:
        try:
            first = datetime.strptime(month.strip(), "%Y-%m").date()
        except ValueError:
            raise InvalidInput(texts.VOL_HOURSEXPORT_USAGE) from None
    else:
        first = now.astimezone(tz).date().replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (
        first.strftime("%Y-%m"),
        datetime.combine(first, time(0), tzinfo=tz),
        datetime.combine(following, time(0), tzinfo=tz),
    )


@dataclass
class HoursRow:
    user_id: int
    profile: VolunteerProfile
    minutes: int
    count: int


async def hours_by_volunteer(
    session: AsyncSession, start: datetime, end: datetime, limit: int | None = None
) -> list[HoursRow]:
    """Completed service minutes per volunteer for shifts starting in [start, end), most first."""
    minutes = func.sum(ShiftBooking.service_minutes).label("minutes")
    query = (
        select(VolunteerProfile, minutes, func.count(ShiftBooking.id))
        .join(ShiftBooking, ShiftBooking.user_id == VolunteerProfile.user_id)
        .join(Shift, Shift.id == ShiftBooking.shift_id)
        .where(
            ShiftBooking.status == BookingStatus.COMPLETED,
            Shift.starts_at >= start,
            Shift.starts_at < end,
        )
        .group_by(VolunteerProfile.user_id)
        .order_by(minutes.desc(), VolunteerProfile.user_id)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = await session.execute(query)
    return [HoursRow(p.user_id, p, int(m or 0), int(c)) for p, m, c in rows.all()]


def leaderboard_name(profile: VolunteerProfile) -> str:
    return profile.real_name if profile.show_on_leaderboard else mask_name(profile.real_name)


# ------------------------------------------------------------------ roster
@dataclass
class RosterEntry:
    booking: ShiftBooking
    profile: VolunteerProfile | None

    @property
    def section(self) -> str:
        status = self.booking.status
        if status is BookingStatus.CONFIRMED and self.booking.checked_in_at is not None:
            return "checked_in"
        return status.value


async def roster(session: AsyncSession, shift_id: int) -> tuple[Shift, list[RosterEntry]]:
    shift = await get_shift(session, shift_id)
    rows = await session.execute(
        select(ShiftBooking, VolunteerProfile)
        .outerjoin(VolunteerProfile, VolunteerProfile.user_id == ShiftBooking.user_id)
        .where(ShiftBooking.shift_id == shift_id, ShiftBooking.status != BookingStatus.CANCELLED)
        .order_by(ShiftBooking.position)
    )
    return shift, [RosterEntry(b, p) for b, p in rows.all()]


# ------------------------------------------------------------------ personal data (/mydata, /forget)
async def export_personal_data(session: AsyncSession, user_id: int) -> dict[str, Any] | None:
    profile = await get_profile(session, user_id)
    rows = await session.execute(
        select(ShiftBooking, Shift)
        .join(Shift, Shift.id == ShiftBooking.shift_id)
        .where(ShiftBooking.user_id == user_id)
        .order_by(ShiftBooking.booked_at)
    )
    bookings = [
        {
            "shift_id": s.id,
            "title": s.title,
            "place": s.place,
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "status": b.status.value,
            "booked_at": b.booked_at.isoformat(),
            "checked_in_at": b.checked_in_at.isoformat() if b.checked_in_at else None,
            "checked_out_at": b.checked_out_at.isoformat() if b.checked_out_at else None,
            "service_minutes": b.service_minutes,
        }
        for b, s in rows.all()
    ]
    if profile is None and not bookings:
        return None
    document: dict[str, Any] = {"bookings": bookings}
    if profile is not None:
        document["profile"] = {
            "real_name": profile.real_name,
            "phone": profile.phone,  # the owner sees their own number in full
            "district": profile.district,
            "community": profile.community,
            "skills": profile.skills,
            "availability": profile.availability,
            "show_on_leaderboard": profile.show_on_leaderboard,
            "consent_at": profile.consent_at.isoformat(),
        }
    return document


async def erase_personal_data(session: AsyncSession, user_id: int) -> None:
    """Delete the profile and bookings; places freed in future shifts go to the waitlist."""
    now = utcnow()
    for booking in list(
        await session.scalars(
            select(ShiftBooking).where(
                ShiftBooking.user_id == user_id, ShiftBooking.status.in_(ACTIVE_BOOKING_STATUSES)
            )
        )
    ):
        with contextlib.suppress(DomainError):  # a shift already under way keeps its record
            await cancel_booking(session, user_id, booking.id, now)
    booking_ids = list(await session.scalars(select(ShiftBooking.id).where(ShiftBooking.user_id == user_id)))
    for booking_id in booking_ids:  # reminders say nothing personal, but their keys would outlive the rows
        await session.execute(
            delete(ScheduledTask).where(
                ScheduledTask.key.startswith(_reminder_prefix(booking_id), autoescape=True),
                ScheduledTask.status != TaskStatus.RUNNING,
            )
        )
    await session.execute(delete(ShiftBooking).where(ShiftBooking.user_id == user_id))
    await session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == user_id))
    await session.flush()
