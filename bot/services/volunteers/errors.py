"""What the volunteering rules refuse, as codes with parameters (the wording is the face's)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.models import Shift
from bot.services import DomainError, NotFound


class VolunteerProblem(StrEnum):
    """Every refusal of the volunteer services; the parameters each code carries are noted."""

    NOT_REGISTERED = "volunteers.not_registered"
    # typed answers
    TEXT_EMPTY = "volunteers.text_empty"
    TEXT_TOO_LONG = "volunteers.text_too_long"  # length, limit
    BAD_NAME = "volunteers.bad_name"  # shortest, longest
    BAD_PHONE = "volunteers.bad_phone"  # phone (as typed, cut short)
    UNKNOWN_PLACE = "volunteers.unknown_place"  # a district or community no longer in the list
    BAD_TIME = "volunteers.bad_time"
    TIME_IN_PAST = "volunteers.time_in_past"
    END_BEFORE_START = "volunteers.end_before_start"
    SHIFT_TOO_LONG = "volunteers.shift_too_long"  # hours
    BAD_CAPACITY = "volunteers.bad_capacity"  # lowest, highest
    BAD_COORDS = "volunteers.bad_coords"
    BAD_MONTH = "volunteers.bad_month"
    # shifts
    SHIFT_NOT_FOUND = "volunteers.shift_not_found"
    SHIFT_NOT_EDITABLE = "volunteers.shift_not_editable"
    SHIFT_CANCELLED = "volunteers.shift_cancelled"
    SHIFT_STARTED = "volunteers.shift_started"
    SHIFT_ALREADY_CANCELLED = "volunteers.shift_already_cancelled"
    CAPACITY_BELOW_BOOKED = "volunteers.capacity_below_booked"  # booked
    # bookings
    ALREADY_BOOKED = "volunteers.already_booked"
    ALREADY_WAITLISTED = "volunteers.already_waitlisted"
    ALREADY_FINISHED = "volunteers.already_finished"
    OVERLAP = "volunteers.overlap"  # title (ShiftClash; the face adds the booked shift's time as "when")
    BOOKING_NOT_FOUND = "volunteers.booking_not_found"
    BOOKING_NOT_ACTIVE = "volunteers.booking_not_active"
    CANCEL_TOO_LATE = "volunteers.cancel_too_late"
    # check-in and check-out
    LOCATION_EXPECTED = "volunteers.location_expected"
    BAD_LOCATION = "volunteers.bad_location"  # coordinates that are not a place on Earth (NaN, 91°…)
    TOO_FAR = "volunteers.too_far"  # distance, radius, place (metres, rounded)
    CHECKIN_TOO_EARLY = "volunteers.checkin_too_early"  # start (local time), minutes
    CHECKIN_CLOSED = "volunteers.checkin_closed"
    NOT_CONFIRMED = "volunteers.not_confirmed"
    ALREADY_CHECKED_IN = "volunteers.already_checked_in"
    NOT_CHECKED_IN = "volunteers.not_checked_in"
    ALREADY_CHECKED_OUT = "volunteers.already_checked_out"
    CHECKOUT_CLOSED = "volunteers.checkout_closed"


class VolunteerError(DomainError):
    """A volunteering rule said no."""

    def __init__(self, problem: VolunteerProblem, **params: Any) -> None:
        super().__init__(code=problem, **params)
        self.problem = problem


class NotRegistered(VolunteerError):
    def __init__(self) -> None:
        super().__init__(VolunteerProblem.NOT_REGISTERED)


class InvalidInput(VolunteerError):
    """A value (phone, name, time, capacity…) is not acceptable."""


class ShiftUnavailable(VolunteerError):
    """The shift cannot be booked or changed (cancelled, started)."""


class AlreadyDone(VolunteerError):
    """A repeated action (double tap): nothing changed."""


class ShiftClash(VolunteerError):
    """The volunteer already holds a booking whose time overlaps this shift's."""

    def __init__(self, booked: Shift) -> None:
        super().__init__(VolunteerProblem.OVERLAP, title=booked.title)
        self.booked = booked


class CheckInRefused(VolunteerError):
    """Check-in or check-out outside the window, or without a valid place."""


class TooFar(CheckInRefused):
    """The shared location is outside the radius around the shift's place."""

    def __init__(self, distance: float, radius: float, place: str) -> None:
        super().__init__(
            VolunteerProblem.TOO_FAR, distance=round(distance), radius=round(radius), place=place
        )


class BadLocation(CheckInRefused):
    """The shared coordinates are no place on Earth (not finite, or out of range)."""

    def __init__(self) -> None:
        super().__init__(VolunteerProblem.BAD_LOCATION)


def shift_not_found() -> NotFound:
    return NotFound(code=VolunteerProblem.SHIFT_NOT_FOUND)


def booking_not_found() -> NotFound:
    return NotFound(code=VolunteerProblem.BOOKING_NOT_FOUND)
