"""What the volunteer feature shows: pure functions from domain objects to text and keyboards.

Nothing here talks to Telegram or the database, so every view is unit-tested on its own
(tests/test_volunteers_views.py). User-supplied text is escaped here, once.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.models import Shift
from bot.services.volunteers import ShiftClash
from bot.timeutil import format_local, local
from handlers.volunteers import texts


def shift_time(shift: Shift, tz: ZoneInfo) -> str:
    """ "12月05日 07:30–09:30（周六）"; an end on another day names its day too."""
    start = format_local(shift.starts_at, tz, texts.SHIFT_DAY_TIME)
    same_day = local(shift.starts_at, tz).date() == local(shift.ends_at, tz).date()
    end = format_local(shift.ends_at, tz, "%H:%M" if same_day else texts.SHIFT_DAY_TIME)
    weekday = texts.WEEKDAYS[local(shift.starts_at, tz).weekday()]
    return texts.SHIFT_TIME.format(start=start, end=end, weekday=weekday)


def clash_text(clash: ShiftClash, tz: ZoneInfo) -> str:
    """The refusal of a booking that overlaps one already held (a toast: plain text)."""
    return texts.OVERLAP.format(title=clash.booked.title, when=shift_time(clash.booked, tz))
