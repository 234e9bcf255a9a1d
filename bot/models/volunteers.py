"""Volunteers, the 文明劝导 shifts staff publish, and bookings (with a waitlist, check-in and check-out).

Statuses are enums whose allowed transitions are written down once, here (``BOOKING_TRANSITIONS``,
``SHIFT_TRANSITIONS``); services call ``can_transition`` before changing a status.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, TelegramId, TimestampMixin
from bot.models.user import enum_column


class ShiftStatus(enum.StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class BookingStatus(enum.StrEnum):
    CONFIRMED = "confirmed"  # holds a place
    WAITLISTED = "waitlisted"  # in line for a place, by ``position``
    CANCELLED = "cancelled"  # by the volunteer, or because the shift was cancelled
    COMPLETED = "completed"  # checked in and out; hours count
    NO_SHOW = "no_show"  # the shift ended without a check-in


SHIFT_TRANSITIONS: dict[ShiftStatus, frozenset[ShiftStatus]] = {
    ShiftStatus.ACTIVE: frozenset({ShiftStatus.CANCELLED}),
    ShiftStatus.CANCELLED: frozenset(),
}

BOOKING_TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.CANCELLED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW}
    ),
    BookingStatus.WAITLISTED: frozenset({BookingStatus.CONFIRMED, BookingStatus.CANCELLED}),
    # Booking again after cancelling reuses the row (one row per volunteer and shift).
    BookingStatus.CANCELLED: frozenset({BookingStatus.CONFIRMED, BookingStatus.WAITLISTED}),
    BookingStatus.COMPLETED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
}

# Bookings that keep a volunteer busy at the shift's time (for the overlap rule).
ACTIVE_BOOKING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


def can_transition(current: enum.Enum, target: enum.Enum) -> bool:
    table: dict[object, frozenset[object]] = (
        SHIFT_TRANSITIONS if isinstance(current, ShiftStatus) else BOOKING_TRANSITIONS  # type: ignore[assignment]
    )
    return target in table.get(current, frozenset())


class VolunteerProfile(TimestampMixin, Base):
    __tablename__ = "volunteer_profiles"

    user_id: Mapped[int] = mapped_column(
        TelegramId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    real_name: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(16))
    district: Mapped[str] = mapped_column(String(32), index=True)
    community: Mapped[str] = mapped_column(String(64), default="")
    skills: Mapped[str] = mapped_column(String(200), default="")
    availability: Mapped[str] = mapped_column(String(200), default="")
    show_on_leaderboard: Mapped[bool] = mapped_column(Boolean, default=False)
    # Registered volunteers receive the volunteer notices (全体志愿者, 按区县) until they stop them.
    shift_notices: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    consent_at: Mapped[datetime]


class Shift(TimestampMixin, Base):
    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_status_starts_at", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(128))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    district: Mapped[str] = mapped_column(String(32), default="", index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ShiftStatus] = mapped_column(enum_column(ShiftStatus), default=ShiftStatus.ACTIVE)
    recurrence_group: Mapped[str | None] = mapped_column(String(32), index=True)
    created_by: Mapped[int | None] = mapped_column(TelegramId)

    bookings: Mapped[list[ShiftBooking]] = relationship(back_populates="shift", lazy="raise")

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ShiftBooking(Base):
    __tablename__ = "shift_bookings"
    __table_args__ = (
        UniqueConstraint("shift_id", "user_id"),
        Index("ix_shift_bookings_shift_id_status_position", "shift_id", "status", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(TelegramId, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus))
    position: Mapped[int] = mapped_column(Integer)  # arrival order within the shift (1, 2, …)
    booked_at: Mapped[datetime]
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]
    # Set at check-out: the checked-in time inside the shift window, in whole minutes. Reports sum it.
    service_minutes: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]

    shift: Mapped[Shift] = relationship(back_populates="bookings", lazy="raise")
