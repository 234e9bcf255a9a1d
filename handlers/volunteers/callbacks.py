"""The volunteers' buttons (see handlers/kit/callbacks.py). Staff kinds say ``staff=True``.

The data of every kind is what the buttons carried before they were declared here ("vol:book:9:-:all:0"),
so buttons on messages already sent keep working.
"""

from __future__ import annotations

from typing import Annotated, Literal

from bot.services.volunteers import MAX_WEEKS, DateFilter
from handlers.kit.callbacks import Absent, Between, Button, Id

MAX_DISTRICTS = 100  # more than any city has; an index beyond the file's list expires politely
MAX_COMMUNITIES = 200
MAX_PAGE = 9_999  # pages count from 0 (five shifts to a page)

DistrictIndex = Annotated[int, Between(0, MAX_DISTRICTS - 1)]
DistrictFilter = Annotated[int | None, Between(0, MAX_DISTRICTS - 1), Absent("-")]  # "-": every district
Page = Annotated[int, Between(0, MAX_PAGE)]
ProfileField = Literal["name", "phone", "district", "skills", "availability", "leaderboard"]
ShiftField = Literal["title", "place", "time", "capacity", "notes"]


# ---------------------------------------------------------------- registration and profile
class ConsentButton(Button, prefix="vol:consent"):
    """同意并继续 / 不同意."""

    answer: Literal["yes", "no"]


class RegistrationDistrictButton(Button, prefix="vol:reg:d"):
    """A district, by its place in data/districts.yaml."""

    index: DistrictIndex


class RegistrationCommunityButton(Button, prefix="vol:reg:c"):
    """A community of the chosen district, by its place in the list."""

    index: Annotated[int, Between(0, MAX_COMMUNITIES - 1)]


class RegistrationSkipButton(Button, prefix="vol:reg:skip"):
    """跳过 (skills, availability)."""


class LeaderboardChoiceButton(Button, prefix="vol:reg:lb"):
    """愿意显示 / 不显示（打码）: the real name on the leaderboard, or a masked one."""

    show: bool


class ProfileEditButton(Button, prefix="vol:edit"):
    """修改 one field of one's profile."""

    field: ProfileField


class ShiftNoticesButton(Button, prefix="vol:notices"):
    """停止接收通知 / 恢复接收通知 on the profile: the volunteer notices staff send."""

    receive: bool


# ---------------------------------------------------------------- /shifts
class ShiftListButton(Button, prefix="vol:list"):
    """A page of the upcoming shifts, filtered by district and dates."""

    district: DistrictFilter
    when: DateFilter
    page: Page


class DistrictFilterButton(Button, prefix="vol:pickd"):
    """📍 区域: choose the district filter (the date filter is kept)."""

    district: DistrictFilter
    when: DateFilter


class DateFilterButton(Button, prefix="vol:pickt"):
    """📅 日期: choose the date filter (the district filter is kept)."""

    district: DistrictFilter
    when: DateFilter


class BookButton(Button, prefix="vol:book"):
    """报名 / 候补 on a /shifts page, with the page to redraw afterwards."""

    shift: Id
    district: DistrictFilter
    when: DateFilter
    page: Page


class BookShiftButton(Button, prefix="vol:book"):
    """报名 carrying only the shift (older messages): books without redrawing a list."""

    shift: Id


# ---------------------------------------------------------------- /myshifts
class CancelBookingButton(Button, prefix="vol:cancel"):
    """取消 #N: asks to confirm."""

    booking: Id


class ConfirmCancelBookingButton(Button, prefix="vol:cancelyes"):
    """确定取消."""

    booking: Id


class KeepButton(Button, prefix="vol:keep"):
    """保留报名: nothing is cancelled (a booking, or a shift on the staff's confirmation)."""


class CheckInButton(Button, prefix="vol:in"):
    """签到 #N."""

    booking: Id


class CheckOutButton(Button, prefix="vol:out"):
    """签退 #N."""

    booking: Id


# ---------------------------------------------------------------- staff
class NewShiftSkipButton(Button, prefix="vol:ns:skip", staff=True):
    """跳过 in /newshift (coordinates, notes)."""


class NewShiftDistrictButton(Button, prefix="vol:ns:d", staff=True):
    """The new shift's district, by its place in data/districts.yaml."""

    index: DistrictIndex


class NewShiftWeeksButton(Button, prefix="vol:ns:w", staff=True):
    """不重复 / N 周: how many weeks the new shift runs (this week included)."""

    weeks: Annotated[int, Between(1, MAX_WEEKS)]


class NewShiftConfirmButton(Button, prefix="vol:ns:ok", staff=True):
    """确认发布 / 放弃 under the new shift's summary."""

    answer: Literal["yes", "no"]


class EditShiftButton(Button, prefix="vol:eshift", staff=True):
    """修改活动 on the roster: enters /editshift for that shift."""

    shift: Id


class ShiftFieldButton(Button, prefix="vol:ef", staff=True):
    """Which field of the shift /editshift changes."""

    field: ShiftField


class CancelShiftButton(Button, prefix="vol:cshift", staff=True):
    """取消活动 on the roster: asks to confirm."""

    shift: Id


class ConfirmCancelShiftButton(Button, prefix="vol:cshiftyes", staff=True):
    """确定取消活动: cancels the shift and tells everyone booked."""

    shift: Id


class ExportRosterButton(Button, prefix="vol:export", staff=True):
    """导出 Excel / 导出 CSV of a roster."""

    shift: Id
    format: Literal["xlsx", "csv"]


BUTTONS: tuple[type[Button], ...] = (
    ConsentButton,
    RegistrationDistrictButton,
    RegistrationCommunityButton,
    RegistrationSkipButton,
    LeaderboardChoiceButton,
    ProfileEditButton,
    ShiftNoticesButton,
    ShiftListButton,
    DistrictFilterButton,
    DateFilterButton,
    BookButton,
    BookShiftButton,
    CancelBookingButton,
    ConfirmCancelBookingButton,
    KeepButton,
    CheckInButton,
    CheckOutButton,
    NewShiftSkipButton,
    NewShiftDistrictButton,
    NewShiftWeeksButton,
    NewShiftConfirmButton,
    EditShiftButton,
    ShiftFieldButton,
    CancelShiftButton,
    ConfirmCancelShiftButton,
    ExportRosterButton,
)
