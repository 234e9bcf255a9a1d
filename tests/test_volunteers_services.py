"""Volunteer services on the real test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
import handlers.volunteers
from bot.database import transaction
from bot.models import (
    BookingStatus,
    Role,
    ScheduledTask,
    ShiftBooking,
    ShiftStatus,
    TaskStatus,
    User,
    VolunteerProfile,
)
from bot.models.volunteers import BOOKING_TRANSITIONS, SHIFT_TRANSITIONS, can_transition
from bot.services import NotFound, personal_data
from bot.services import volunteers as vol
from bot.services.privacy import mask_phone
from bot.services.users import set_role
from bot.timeutil import DEFAULT_TZ, utcnow
from tests.conftest import STAFF_ID

Sessions = async_sessionmaker[AsyncSession]


async def make_volunteer(session: AsyncSession, user_id: int, name: str = "张三") -> VolunteerProfile:
    return await vol.register(
        session, user_id, real_name=name, phone="13800138000", district="江岸区", community="滨江社区"
    )


async def make_shift(
    session: AsyncSession,
    *,
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=2),
    hours: int = 2,
    coords: tuple[float, float] | None = None,
    weeks: int = 1,
) -> int:
    start = utcnow() + starts_in
    draft = vol.ShiftDraft(
        title="文明交通劝导",
        place="解放路与中山大道路口",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
        district="江岸区",
        latitude=coords[0] if coords else None,
        longitude=coords[1] if coords else None,
    )
    shifts = await vol.create_shifts(session, STAFF_ID, draft, weeks=weeks)
    return shifts[0].id


def test_transitions_are_written_once_and_sane() -> None:
    assert set(SHIFT_TRANSITIONS) == set(ShiftStatus)
    assert set(BOOKING_TRANSITIONS) == set(BookingStatus)
    assert can_transition(BookingStatus.WAITLISTED, BookingStatus.CONFIRMED)
    assert can_transition(BookingStatus.CANCELLED, BookingStatus.WAITLISTED)
    assert not can_transition(BookingStatus.COMPLETED, BookingStatus.CANCELLED)
    assert not can_transition(BookingStatus.NO_SHOW, BookingStatus.CONFIRMED)
    assert not can_transition(BookingStatus.WAITLISTED, BookingStatus.COMPLETED)
    assert can_transition(ShiftStatus.ACTIVE, ShiftStatus.CANCELLED)
    assert not can_transition(ShiftStatus.CANCELLED, ShiftStatus.ACTIVE)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("13800138000", "13800138000"), ("+86 138-0013-8000", "13800138000"), ("8613912345678", "13912345678")],
)
def test_phone_normalised(raw: str, expected: str) -> None:
    assert vol.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "12800138000", "1380013800a", "", "138001380001"])
def test_bad_phone_rejected(raw: str) -> None:
    with pytest.raises(vol.InvalidInput):
        vol.normalize_phone(raw)


def test_masks() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert vol.mask_name("王小明") == "王*明"
    assert vol.mask_name("李四") == "李*"


def test_haversine_roughly_right() -> None:
    # 0.001° of latitude is about 111 m
    assert 105 < vol.haversine_meters(30.0, 114.0, 30.001, 114.0) < 117


async def test_register_makes_resident_a_volunteer_but_never_downgrades_staff(session: AsyncSession) -> None:
    await make_volunteer(session, 1)
    await set_role(session, 2, Role.STAFF)
    await make_volunteer(session, 2)
    await session.commit()
    assert (await session.get(User, 1)).role is Role.VOLUNTEER  # type: ignore[union-attr]
    assert (await session.get(User, 2)).role is Role.STAFF  # type: ignore[union-attr]
    with pytest.raises(vol.InvalidInput):
        await vol.update_profile(session, 1, phone="110")
    await session.rollback()
    assert (await vol.require_profile(session, 1)).phone == "13800138000"


async def test_booking_waitlist_promotion_and_reminders(session: AsyncSession) -> None:
    for uid in (1, 2, 3):
        await make_volunteer(session, uid)
    shift_id = await make_shift(session, capacity=2)
    first = await vol.book(session, 1, shift_id)
    await vol.book(session, 2, shift_id)
    third = await vol.book(session, 3, shift_id)
    assert not first.waitlisted and third.waitlisted and third.waitlist_rank == 1
    with pytest.raises(vol.AlreadyDone):
        await vol.book(session, 1, shift_id)  # double tap
    keys = set(
        await session.scalars(select(ScheduledTask.key).where(ScheduledTask.status == TaskStatus.PENDING))
    )
    assert (
        f"shift-reminder:{first.booking.id}:24h" in keys and f"shift-reminder:{first.booking.id}:1h" in keys
    )
    assert f"shift-reminder:{third.booking.id}:24h" not in keys  # waitlisted: no reminder yet

    _, _, promoted = await vol.cancel_booking(session, 1, first.booking.id)
    assert promoted is not None and promoted.user_id == 3 and promoted.status is BookingStatus.CONFIRMED
    pending = set(
        await session.scalars(select(ScheduledTask.key).where(ScheduledTask.status == TaskStatus.PENDING))
    )
    assert f"shift-reminder:{first.booking.id}:24h" not in pending
    assert f"shift-reminder:{third.booking.id}:24h" in pending
    with pytest.raises(vol.AlreadyDone):
        await vol.cancel_booking(session, 1, first.booking.id)  # cancelling twice

    # Booking again after cancelling goes to the back of the line, and its reminders come back.
    again = await vol.book(session, 1, shift_id)
    assert again.waitlisted and again.booking.id == first.booking.id
    await vol.cancel_booking(session, 2, await _booking_id(session, shift_id, 2))
    refreshed = await session.get(ShiftBooking, first.booking.id)
    assert refreshed is not None and refreshed.status is BookingStatus.CONFIRMED
    pending = set(
        await session.scalars(select(ScheduledTask.key).where(ScheduledTask.status == TaskStatus.PENDING))
    )
    assert f"shift-reminder:{first.booking.id}:24h" in pending


async def _booking_id(session: AsyncSession, shift_id: int, user_id: int) -> int:
    booking_id = await session.scalar(
        select(ShiftBooking.id).where(ShiftBooking.shift_id == shift_id, ShiftBooking.user_id == user_id)
    )
    assert booking_id is not None
    return booking_id


async def test_overlap_cancelled_and_past_shifts_refused(session: AsyncSession) -> None:
    await make_volunteer(session, 1)
    a = await make_shift(session, starts_in=timedelta(days=2), hours=3)
    b = await make_shift(session, starts_in=timedelta(days=2, hours=1), hours=3)
    await vol.book(session, 1, a)
    with pytest.raises(vol.ShiftClash) as clash:
        await vol.book(session, 1, b)
    assert clash.value.booked.id == a and clash.value.code == vol.VolunteerProblem.OVERLAP
    await vol.cancel_shift(session, STAFF_ID, b)
    with pytest.raises(vol.ShiftUnavailable):
        await vol.book(session, 1, b)
    with pytest.raises(vol.AlreadyDone):
        await vol.cancel_shift(session, STAFF_ID, b)
    with pytest.raises(vol.ShiftUnavailable):
        await vol.book(session, 1, a, now=utcnow() + timedelta(days=3))
    with pytest.raises(vol.NotRegistered):
        await vol.book(session, 99, a)


async def test_edit_capacity_promotes_and_time_change_moves_reminders(session: AsyncSession) -> None:
    for uid in (1, 2):
        await make_volunteer(session, uid)
    shift_id = await make_shift(session, capacity=1)
    await vol.book(session, 1, shift_id)
    waiting = await vol.book(session, 2, shift_id)
    with pytest.raises(vol.InvalidInput):
        await vol.edit_shift(session, STAFF_ID, shift_id, capacity=0)
    change = await vol.edit_shift(session, STAFF_ID, shift_id, capacity=2)
    assert [b.user_id for b in change.promoted] == [2] and change.notify_user_ids == [1]
    shift = await vol.get_shift(session, shift_id)
    new_start = shift.starts_at + timedelta(days=1)
    change = await vol.edit_shift(
        session, STAFF_ID, shift_id, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
    )
    assert sorted(change.notify_user_ids) == [1, 2]
    task = await session.scalar(
        select(ScheduledTask).where(ScheduledTask.key == f"shift-reminder:{waiting.booking.id}:1h")
    )
    assert task is not None and task.due_at == new_start - timedelta(hours=1)
    close = await session.scalar(select(ScheduledTask).where(ScheduledTask.key == f"shift-close:{shift_id}"))
    assert close is not None and close.due_at == new_start + timedelta(hours=3)


async def test_checkin_window_radius_hours_and_no_show(session: AsyncSession) -> None:
    for uid in (1, 2):
        await make_volunteer(session, uid)
    place = (30.5800, 114.2900)
    shift_id = await make_shift(session, capacity=5, starts_in=timedelta(days=1), hours=2, coords=place)
    mine = (await vol.book(session, 1, shift_id)).booking
    await vol.book(session, 2, shift_id)
    shift = await vol.get_shift(session, shift_id)
    with pytest.raises(vol.CheckInRefused, match=vol.VolunteerProblem.CHECKIN_TOO_EARLY):
        await vol.check_in(session, 1, mine.id, location=place, now=shift.starts_at - timedelta(hours=2))
    with pytest.raises(vol.TooFar) as too_far:
        await vol.check_in(session, 1, mine.id, location=(30.60, 114.29), now=shift.starts_at)
    assert too_far.value.params["radius"] == 500 and too_far.value.params["distance"] > 500
    with pytest.raises(vol.CheckInRefused):
        await vol.check_in(session, 1, mine.id, location=None, now=shift.starts_at)
    with pytest.raises(NotFound):
        await vol.check_in(session, 2, mine.id, location=place, now=shift.starts_at)  # not theirs
    await vol.check_in(
        session, 1, mine.id, location=(30.5810, 114.2900), now=shift.starts_at - timedelta(minutes=10)
    )
    with pytest.raises(vol.AlreadyDone):
        await vol.check_in(session, 1, mine.id, location=place, now=shift.starts_at)
    booking, _ = await vol.check_out(
        session, 1, mine.id, location=place, now=shift.ends_at + timedelta(minutes=20)
    )
    assert (
        booking.status is BookingStatus.COMPLETED and booking.service_minutes == 120
    )  # clipped to the window

    closed = await vol.close_shift(session, shift_id, now=shift.ends_at + timedelta(hours=1))
    assert closed is not None and closed.no_show_user_ids == [2]
    record = await vol.service_record(session, 1)
    assert record.minutes == 120 and len(record.by_month()) == 1
    _label, start, end = vol.month_bounds(None, shift.starts_at, DEFAULT_TZ)
    board = await vol.hours_by_volunteer(session, start, end)
    assert [(r.user_id, r.minutes, r.count) for r in board] == [(1, 120, 1)]


async def test_checked_in_without_checkout_is_closed_at_the_end(session: AsyncSession) -> None:
    await make_volunteer(session, 1)
    shift_id = await make_shift(session, capacity=1, starts_in=timedelta(hours=3), hours=2)
    booking = (await vol.book(session, 1, shift_id)).booking
    shift = await vol.get_shift(session, shift_id)
    await vol.check_in(session, 1, booking.id, now=shift.starts_at + timedelta(minutes=30))  # button check-in
    await vol.close_shift(session, shift_id, now=shift.ends_at + timedelta(hours=1))
    assert booking.status is BookingStatus.COMPLETED and booking.service_minutes == 90


async def test_recurring_shifts_and_listing(session: AsyncSession) -> None:
    await make_volunteer(session, 1)
    first = await make_shift(session, weeks=3)
    views, total = await vol.upcoming_shifts(session, user_id=1, limit=2)
    assert total == 3 and [v.shift.id for v in views][:1] == [first]
    shift = await vol.get_shift(session, first)
    assert shift.recurrence_group is not None
    views, total = await vol.upcoming_shifts(session, district="汉阳区")
    assert total == 0


async def test_forget_removes_profile_and_frees_place(session: AsyncSession) -> None:
    for uid in (1, 2):
        await make_volunteer(session, uid)
    shift_id = await make_shift(session, capacity=1)
    await vol.book(session, 1, shift_id)
    await vol.book(session, 2, shift_id)
    exported = await vol.export_personal_data(session, 1)
    assert exported is not None and exported["profile"]["phone"] == "13800138000"
    await personal_data.forget_user(session, 1, handlers.personal_data_sections())
    assert await session.get(VolunteerProfile, 1) is None
    view = await vol.shift_view(session, shift_id, 2)
    assert view.my_status is BookingStatus.CONFIRMED


# ------------------------------------------------------------------ concurrency
async def _book_in_own_transaction(
    sessions: Sessions, user_id: int, shift_id: int
) -> tuple[int, BookingStatus]:
    async with transaction(sessions) as session:
        result = await vol.book(session, user_id, shift_id)
        return result.booking.position, result.booking.status


async def test_200_concurrent_signups_for_50_places(sessions: Sessions) -> None:
    """Each sign-up is its own session and transaction, all started at once."""
    async with transaction(sessions) as session:
        for uid in range(1, 201):
            await make_volunteer(session, 10_000 + uid)
        shift_id = await make_shift(session, capacity=50)
    outcomes = await asyncio.gather(
        *(_book_in_own_transaction(sessions, 10_000 + uid, shift_id) for uid in range(1, 201))
    )
    confirmed = sorted(p for p, s in outcomes if s is BookingStatus.CONFIRMED)
    waitlisted = sorted(p for p, s in outcomes if s is BookingStatus.WAITLISTED)
    assert len(confirmed) == 50 and len(waitlisted) == 150
    # Arrival order: the first 50 to get the lock hold the places, the other 150 wait in order.
    assert confirmed == list(range(1, 51)) and waitlisted == list(range(51, 201))
    async with sessions() as session:
        rows = (
            await session.execute(
                select(ShiftBooking.position, ShiftBooking.status).where(ShiftBooking.shift_id == shift_id)
            )
        ).all()
    assert len(rows) == 200
    assert sum(1 for _, s in rows if s is BookingStatus.CONFIRMED) == 50
    assert max(p for p, s in rows if s is BookingStatus.CONFIRMED) < min(
        p for p, s in rows if s is BookingStatus.WAITLISTED
    )


async def test_concurrent_cancellations_promote_each_waiter_once(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        for uid in range(1, 21):
            await make_volunteer(session, 20_000 + uid)
        shift_id = await make_shift(session, capacity=10)
    ids = []
    for uid in range(1, 21):
        async with transaction(sessions) as session:
            ids.append((await vol.book(session, 20_000 + uid, shift_id)).booking.id)

    async def cancel(uid: int, booking_id: int) -> int | None:
        async with transaction(sessions) as session:
            _, _, promoted = await vol.cancel_booking(session, uid, booking_id)
            return promoted.user_id if promoted else None

    promoted = await asyncio.gather(*(cancel(20_000 + i, ids[i - 1]) for i in range(1, 6)))
    assert sorted(p for p in promoted if p) == [20_011, 20_012, 20_013, 20_014, 20_015]
    async with sessions() as session:
        view = await vol.shift_view(session, shift_id)
    assert view.confirmed == 10 and view.waitlisted == 5


async def test_reminder_skipped_when_stale_cancelled_or_started(session: AsyncSession) -> None:
    await make_volunteer(session, 1)
    shift_id = await make_shift(session, starts_in=timedelta(days=2))
    booking = (await vol.book(session, 1, shift_id)).booking
    shift = await vol.get_shift(session, shift_id)
    due_24h = shift.starts_at - timedelta(hours=24)
    reminder = await vol.reminder_to_send(
        session, booking.id, "24h", due_24h, now=due_24h + timedelta(minutes=5)
    )
    assert reminder is not None and reminder.user_id == 1 and reminder.which == "24h"
    # The bot was down for 20 hours: a "tomorrow" reminder now would mislead.
    assert (
        await vol.reminder_to_send(session, booking.id, "24h", due_24h, now=due_24h + timedelta(hours=20))
        is None
    )
    await vol.cancel_booking(session, 1, booking.id)
    assert await vol.reminder_to_send(session, booking.id, "1h", shift.starts_at - timedelta(hours=1)) is None


async def test_one_volunteer_double_tapping_in_two_tabs_books_once(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        await make_volunteer(session, 1)
        shift_id = await make_shift(session, capacity=5)

    async def attempt() -> str:
        try:
            async with transaction(sessions) as session:
                await vol.book(session, 1, shift_id)
        except vol.AlreadyDone:
            return "already"
        return "booked"

    outcomes = await asyncio.gather(*(attempt() for _ in range(4)))
    assert sorted(outcomes) == ["already", "already", "already", "booked"]
    async with sessions() as session:
        assert (await vol.shift_view(session, shift_id)).confirmed == 1


async def test_reminders_survive_a_reused_booking_id_after_forget(session: AsyncSession) -> None:
    """SQLite may reuse the id of a deleted last row: the new booking must still get its reminders."""
    for uid in (1, 2):
        await make_volunteer(session, uid)
    shift_id = await make_shift(session, capacity=3)
    await vol.book(session, 1, shift_id)
    await personal_data.forget_user(session, 1, handlers.personal_data_sections())
    booking = (await vol.book(session, 2, shift_id)).booking
    pending = set(
        await session.scalars(
            select(ScheduledTask.key).where(
                ScheduledTask.status == TaskStatus.PENDING, ScheduledTask.kind == vol.REMINDER_KIND
            )
        )
    )
    assert pending == {f"shift-reminder:{booking.id}:24h", f"shift-reminder:{booking.id}:1h"}
