"""Hours served: a volunteer's record, months, the hours of everyone (leaderboard, export), certificates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import BookingStatus, Shift, ShiftBooking, VolunteerProfile
from bot.services.volunteers.errors import InvalidInput, VolunteerProblem
from bot.timeutil import DEFAULT_TZ, format_local, typed_date_ok

LEADERBOARD_SIZE = 10
MONTH_FORMAT = "%Y-%m"


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal ("1.5"), as records and certificates show them."""
    return f"{minutes / 60:.1f}"


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
            key = format_local(shift.starts_at, tz, MONTH_FORMAT)
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
            first = datetime.strptime(month.strip(), MONTH_FORMAT).date()
        except ValueError:
            raise InvalidInput(VolunteerProblem.BAD_MONTH) from None
        if not typed_date_ok(first):  # 0001-01 or 9999-12: its bounds would overflow
            raise InvalidInput(VolunteerProblem.BAD_MONTH)
    else:
        first = now.astimezone(tz).date().replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (
        first.strftime(MONTH_FORMAT),
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


def certificate_number(user_id: int, issued: datetime, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """ZYFW-YYYYMMDD-XXXXXXXX: the issue date and a digest of who and when, for checking a printed copy."""
    digest = hashlib.sha256(f"{user_id}:{issued.isoformat()}".encode()).hexdigest()[:8].upper()
    return f"ZYFW-{format_local(issued, tz, '%Y%m%d')}-{digest}"
