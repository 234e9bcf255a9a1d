"""Volunteers: profiles, shifts, race-free booking with a waitlist, reminders, check-in/out and hours.

No Telegram and no wording here: refusals are ``VolunteerError``s with a ``VolunteerProblem`` code.

- ``profiles``: districts and communities, registration, editing, names on public lists;
- ``inputs``: what a typed answer may be (text limits, names, phones, times, coordinates, capacity);
- ``shifts``: publishing, locking, the upcoming list, the roster; ``changes``: staff edits and cancels;
- ``bookings``: booking, the waitlist, cancelling; ``attendance``: check-in and check-out;
- ``schedule``: the reminder and closing tasks' rows; ``tasks``: what those tasks do when they run;
- ``hours``: records, months, leaderboard and export rows, certificate numbers;
- ``personal_data``: /mydata and /forget; ``report``: the supervision report's figures.
"""

from bot.services.volunteers.attendance import check_in, check_out, haversine_meters
from bot.services.volunteers.bookings import (
    BookingResult,
    book,
    booking_with_shift,
    cancel_booking,
    my_bookings,
)
from bot.services.volunteers.changes import ShiftChange, cancel_shift, edit_shift
from bot.services.volunteers.errors import (
    AlreadyDone,
    BadLocation,
    CheckInRefused,
    InvalidInput,
    NotRegistered,
    ShiftClash,
    ShiftUnavailable,
    TooFar,
    VolunteerError,
    VolunteerProblem,
)
from bot.services.volunteers.hours import (
    LEADERBOARD_SIZE,
    HoursRow,
    ServiceRecord,
    certificate_number,
    hours_by_volunteer,
    hours_text,
    month_bounds,
    service_record,
)
from bot.services.volunteers.inputs import (
    MAX_CAPACITY,
    check_name,
    check_shift_times,
    check_start,
    check_text,
    normalize_phone,
    parse_capacity,
    parse_coordinates,
    parse_local_datetime,
)
from bot.services.volunteers.personal_data import erase_personal_data, export_personal_data
from bot.services.volunteers.profiles import (
    District,
    Districts,
    get_profile,
    leaderboard_name,
    load_districts,
    mask_name,
    register,
    require_profile,
    update_profile,
)
from bot.services.volunteers.schedule import CHECKIN_EARLY, CLOSE_KIND, REMINDER_KIND, REMINDERS
from bot.services.volunteers.shifts import (
    MAX_WEEKS,
    PLACE_HOLDING,
    DateFilter,
    RosterEntry,
    RosterSection,
    ShiftDraft,
    ShiftView,
    create_shifts,
    get_shift,
    roster,
    shift_view,
    upcoming_shifts,
)
from bot.services.volunteers.tasks import ClosedShift, Reminder, close_shift, reminder_to_send

__all__ = [
    "CHECKIN_EARLY",
    "CLOSE_KIND",
    "LEADERBOARD_SIZE",
    "MAX_CAPACITY",
    "MAX_WEEKS",
    "PLACE_HOLDING",
    "REMINDERS",
    "REMINDER_KIND",
    "AlreadyDone",
    "BadLocation",
    "BookingResult",
    "CheckInRefused",
    "ClosedShift",
    "DateFilter",
    "District",
    "Districts",
    "HoursRow",
    "InvalidInput",
    "NotRegistered",
    "Reminder",
    "RosterEntry",
    "RosterSection",
    "ServiceRecord",
    "ShiftChange",
    "ShiftClash",
    "ShiftDraft",
    "ShiftUnavailable",
    "ShiftView",
    "TooFar",
    "VolunteerError",
    "VolunteerProblem",
    "book",
    "booking_with_shift",
    "cancel_booking",
    "cancel_shift",
    "certificate_number",
    "check_in",
    "check_name",
    "check_out",
    "check_shift_times",
    "check_start",
    "check_text",
    "close_shift",
    "create_shifts",
    "edit_shift",
    "erase_personal_data",
    "export_personal_data",
    "get_profile",
    "get_shift",
    "haversine_meters",
    "hours_by_volunteer",
    "hours_text",
    "leaderboard_name",
    "load_districts",
    "mask_name",
    "month_bounds",
    "my_bookings",
    "normalize_phone",
    "parse_capacity",
    "parse_coordinates",
    "parse_local_datetime",
    "register",
    "reminder_to_send",
    "require_profile",
    "roster",
    "service_record",
    "shift_view",
    "upcoming_shifts",
    "update_profile",
]
