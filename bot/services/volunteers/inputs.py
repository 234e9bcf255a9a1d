"""What a typed answer may be: text limits, names, phone numbers, times, coordinates and capacities.

Each check returns the clean value or raises ``InvalidInput`` with a code (and the limit it broke).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services import checked_text
from bot.services.privacy import normalize_mobile
from bot.services.volunteers.errors import InvalidInput, VolunteerProblem
from bot.timeutil import typed_date_ok

# Longest typed answers, in characters (the columns' sizes where the value is stored as typed).
NAME_INPUT_LIMIT = 20
PHONE_INPUT_LIMIT = 30
SKILLS_LIMIT = 200
AVAILABILITY_LIMIT = 200
COMMUNITY_LIMIT = 64
DISTRICT_LIMIT = 32
TITLE_LIMIT = 64
PLACE_LIMIT = 128
NOTES_LIMIT = 500
NUMBER_INPUT_LIMIT = 10
COORDS_INPUT_LIMIT = 60
TIME_INPUT_LIMIT = 40
SHOWN_PHONE_CHARS = 20  # of a number that is no phone number, echoed back in the refusal

NAME_LENGTH = (2, 20)
MAX_SHIFT_LENGTH = timedelta(hours=12)
MAX_CAPACITY = 1000

# Ideographs, Latin letters, the middle dot of transliterated names (·) and spaces.
_NAME = re.compile(rf"^[\u4e00-\u9fffA-Za-z\u00b7 ]{{{NAME_LENGTH[0]},{NAME_LENGTH[1]}}}$")
_FULL_WIDTH_COLON = "\uff1a"
_COORDINATE_SEPARATORS = re.compile("[,\uff0c\\s]+")  # ASCII or full-width comma, or spaces


def check_text(raw: str, limit: int) -> str:
    """A typed answer, stripped: not empty and at most ``limit`` characters."""
    return checked_text(
        raw,
        limit,
        refuse=InvalidInput,
        empty=VolunteerProblem.TEXT_EMPTY,
        too_long=VolunteerProblem.TEXT_TOO_LONG,
    )


def check_name(raw: str) -> str:
    """A real name: 2–20 ideographs or letters (a middle dot and spaces allowed), no digits."""
    name = raw.strip()
    if not _NAME.match(name) or len(name.replace(" ", "")) < NAME_LENGTH[0]:
        raise InvalidInput(VolunteerProblem.BAD_NAME, shortest=NAME_LENGTH[0], longest=NAME_LENGTH[1])
    return name


def normalize_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits; accepts +86/86 prefixes, spaces and dashes."""
    phone = normalize_mobile(raw)
    if phone is None:
        raise InvalidInput(VolunteerProblem.BAD_PHONE, phone=raw[:SHOWN_PHONE_CHARS])
    return phone


def parse_capacity(raw: str) -> int:
    """How many volunteers a shift takes, typed as a whole number."""
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(VolunteerProblem.BAD_CAPACITY, lowest=1, highest=MAX_CAPACITY) from None
    return check_capacity(value)


def check_capacity(value: int) -> int:
    if not 1 <= value <= MAX_CAPACITY:
        raise InvalidInput(VolunteerProblem.BAD_CAPACITY, lowest=1, highest=MAX_CAPACITY)
    return value


def check_start(starts_at: datetime, now: datetime) -> datetime:
    """A shift's start must lie ahead."""
    if starts_at <= now:
        raise InvalidInput(VolunteerProblem.TIME_IN_PAST)
    return starts_at


def check_shift_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Ahead, ending after it starts, and at most ``MAX_SHIFT_LENGTH`` long."""
    check_start(starts_at, now)
    if ends_at <= starts_at:
        raise InvalidInput(VolunteerProblem.END_BEFORE_START)
    if ends_at - starts_at > MAX_SHIFT_LENGTH:
        hours = int(MAX_SHIFT_LENGTH.total_seconds() // 3600)
        raise InvalidInput(VolunteerProblem.SHIFT_TOO_LONG, hours=hours)


def parse_local_datetime(raw: str, tz: ZoneInfo, *, day: date | None = None) -> datetime:
    """'2026-12-05 07:30' (or '07:30' when ``day`` is given) in the bot's timezone."""
    text = raw.strip().replace(_FULL_WIDTH_COLON, ":").replace("/", "-").replace("T", " ")
    text = re.sub(r"\s+", " ", text)
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            typed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not typed_date_ok(typed):  # 9999-12-31: weekly repeats and UTC would overflow
            raise InvalidInput(VolunteerProblem.BAD_TIME)
        return typed.replace(tzinfo=tz)
    if day is not None:
        try:
            clock = datetime.strptime(text, "%H:%M").time()
        except ValueError:
            pass
        else:
            return datetime.combine(day, clock, tzinfo=tz)
    raise InvalidInput(VolunteerProblem.BAD_TIME)


def parse_coordinates(raw: str) -> tuple[float, float]:
    """'30.58,114.29' (any comma or spaces between) → (latitude, longitude)."""
    parts = _COORDINATE_SEPARATORS.split(raw.strip())
    try:
        latitude, longitude = (float(p) for p in parts if p)
    except ValueError:
        raise InvalidInput(VolunteerProblem.BAD_COORDS) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(VolunteerProblem.BAD_COORDS)
    return latitude, longitude
