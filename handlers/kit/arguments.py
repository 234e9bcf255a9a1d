"""Numbers and dates typed by people (command arguments, answers in a conversation), read strictly.

A number is ASCII digits only (``int()`` would also take "３", "+3" or "3_0", and ``isdigit()`` takes
"²") within the range its column can hold: ids of our rows are PostgreSQL integers (up to 2³¹-1),
Telegram ids fit a BIGINT. A date must lie in ``bot.timeutil.TYPED_YEARS``: year 1 or 9999 would
overflow when converted to UTC or when weeks are added to it. Each reader returns None for anything
else, and the caller answers with its usage hint: never an error code, never an admin alert.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.timeutil import typed_date_ok
from handlers.kit.callbacks import MAX_ID, MAX_TELEGRAM_ID


def whole_number(word: str, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """``word`` as an int in ``low``..``high``, or None ("#12" is read as 12)."""
    digits = word.strip().removeprefix("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(high)):
        return None  # the length check comes first: a 4,000-digit argument costs nothing
    value = int(digits)
    return value if low <= value <= high else None


def telegram_id(word: str) -> int | None:
    """A person's Telegram id (a positive number that fits Telegram's range), or None."""
    return whole_number(word, high=MAX_TELEGRAM_ID)


def typed_date(word: str, fmt: str = "%Y-%m-%d") -> date | None:
    """A date written as ``fmt`` within the years people may type, or None."""
    try:
        value = datetime.strptime(word.strip(), fmt).date()
    except ValueError:
        return None
    return value if typed_date_ok(value) else None


def typed_datetime(text: str, fmt: str = "%Y-%m-%d %H:%M") -> datetime | None:
    """A naive date and time written as ``fmt`` within the years people may type, or None (the
    caller attaches the bot's timezone)."""
    try:
        value = datetime.strptime(text.strip(), fmt)
    except ValueError:
        return None
    return value if typed_date_ok(value) else None
