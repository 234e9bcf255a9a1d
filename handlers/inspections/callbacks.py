"""The inspections feature's buttons (see handlers/kit/callbacks.py). Every kind is a staff kind:
the walk's are for inspectors, the task card's for the unit's handlers and the re-checkers, the
lists' for units and campaign staff; each press is role-checked, then checked by the rules.

A site is named by its id (the sites file keeps ids to 1–32 letters, digits, "-" and "_"); a unit
by its ``ref``: its id when short and plain, else a digest of it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Annotated, Literal

from bot.models import ItemResult, RectificationStatus
from bot.services.inspections.content import ID_PATTERN
from handlers.kit.callbacks import Absent, Between, Button, Id, Token

REF_LENGTH = 20
REF_DIGEST_MARK = "h-"
_PLAIN_REF = re.compile(f"[A-Za-z0-9_-]{{1,{REF_LENGTH}}}")
MAX_POSITION = 199  # more items than any site type has
MAX_ROUND = 999
MAX_PAGE = 9_999
MAX_DISTRICTS = 100

SiteRef = Annotated[str, Token(32)]
assert ID_PATTERN.pattern == "[A-Za-z0-9_-]{1,32}", "SiteRef must hold every site id"
Position = Annotated[int, Between(0, MAX_POSITION)]
Round = Annotated[int, Between(0, MAX_ROUND)]
UnitRef = Annotated[str | None, Token(REF_LENGTH)]
DistrictIndex = Annotated[int | None, Between(0, MAX_DISTRICTS - 1)]


def ref(identifier: str) -> str:
    """How a button names a unit (see the module docstring)."""
    if _PLAIN_REF.fullmatch(identifier) and not identifier.startswith(REF_DIGEST_MARK):
        return identifier
    return REF_DIGEST_MARK + hashlib.blake2s(identifier.encode(), digest_size=8).hexdigest()


def find_ref(pressed: str, identifiers: Iterable[str]) -> str | None:
    """The id among ``identifiers`` a pressed ref names; None when it names none of them (any more)."""
    return next((i for i in identifiers if ref(i) == pressed), None)


# ---------------------------------------------------------------- the walk (inspectors)
class SiteButton(Button, prefix="insp:site", staff=True):
    """A site, from the nearby or the search list: start inspecting it."""

    site: SiteRef


class ResumeButton(Button, prefix="insp:resume", staff=True):
    """继续检查: an unfinished draft."""

    inspection: Id


class DiscardButton(Button, prefix="insp:drop", staff=True):
    """作废: throw a draft away."""

    inspection: Id


class StartAnywayButton(Button, prefix="insp:far", staff=True):
    """仍然开始: walk though the stamped location is far from the site (recorded)."""

    inspection: Id


class AnswerButton(Button, prefix="insp:ans", staff=True):
    """合格 / 不合格 / 不适用 for one item."""

    inspection: Id
    position: Position
    result: ItemResult


class NextButton(Button, prefix="insp:next", staff=True):
    """下一项, after a failed item's photos."""

    inspection: Id
    position: Position


class EditButton(Button, prefix="insp:edit", staff=True):
    """修改: list the items to change one."""

    inspection: Id


class ItemButton(Button, prefix="insp:item", staff=True):
    """One item of the list: ask it again."""

    inspection: Id
    position: Position


class SubmitButton(Button, prefix="insp:submit", staff=True):
    """提交: score it and issue the rectification tasks."""

    inspection: Id


WALK_BUTTONS: tuple[type[Button], ...] = (
    SiteButton,
    ResumeButton,
    DiscardButton,
    StartAnywayButton,
    AnswerButton,
    NextButton,
    EditButton,
    ItemButton,
    SubmitButton,
)


# ---------------------------------------------------------------- rectification
class ReplyButton(Button, prefix="rect:reply", staff=True):
    """整改回复 on a task card (the unit's handlers)."""

    task: Id


class PassButton(Button, prefix="rect:pass", staff=True):
    """复查通过 (inspectors and campaign staff), for the round the card was made for."""

    task: Id
    round: Round


class ReturnButton(Button, prefix="rect:ret", staff=True):
    """退回: asks for the reason, then the new deadline."""

    task: Id
    round: Round


class DeadlineButton(Button, prefix="rect:due", staff=True):
    """The new deadline of a return."""

    task: Id
    round: Round
    hours: Literal[24, 72, 168]


class ListButton(Button, prefix="rect:list", staff=True):
    """/rectifications with a filter and a page (a unit's handler always gets their unit)."""

    status: Annotated[RectificationStatus | None, Absent("-")]
    unit: UnitRef
    district: DistrictIndex
    overdue: bool
    page: Annotated[int, Between(0, MAX_PAGE)]


class FilterMenuButton(Button, prefix="rect:menu", staff=True):
    """按单位 / 按区: list the values to filter by (campaign staff)."""

    of: Literal["unit", "district"]


class ViewButton(Button, prefix="rect:view", staff=True):
    """A task's details and history, with the buttons the viewer may use."""

    task: Id


BUTTONS: tuple[type[Button], ...] = (
    *WALK_BUTTONS,
    ReplyButton,
    PassButton,
    ReturnButton,
    DeadlineButton,
    ListButton,
    FilterMenuButton,
    ViewButton,
)
