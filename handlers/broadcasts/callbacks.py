"""The broadcasts' buttons (see handlers/kit/callbacks.py); every kind is for campaign staff.

The data of every kind is what the buttons carried before they were declared here ("bcw:aud:staff",
"bc:pause:7"), so buttons on messages already sent keep working.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from bot.models import Topic
from handlers.kit.callbacks import Between, Button, Id

MAX_CHOICES = 200  # districts or departments offered at once; an index beyond the list expires politely
Choice = Annotated[int, Between(0, MAX_CHOICES - 1)]
AudienceChoice = Literal["volunteers", "district", "staff", "department"]
AUDIENCE_CHOICES: tuple[AudienceChoice, ...] = get_args(AudienceChoice)

# Any button of the /broadcast wizard: a press of another step's button (an older message) is
# answered 已失效 and the wizard stays where it is.
WIZARD_BUTTON = re.compile(r"^bcw:")


class TopicAudienceButton(Button, prefix="bcw:aud:topic", staff=True):
    """订阅「…」的居民: a topic's subscribers."""

    topic: Topic


class AudienceButton(Button, prefix="bcw:aud", staff=True):
    """全体志愿者 / 按区县 / 全体工作人员 / 某部门办理人员."""

    kind: AudienceChoice


class DistrictButton(Button, prefix="bcw:dist", staff=True):
    """A district, by its place in data/districts.yaml."""

    index: Choice


class DepartmentButton(Button, prefix="bcw:dep", staff=True):
    """A department, by its place in the list offered."""

    index: Choice


class WhenButton(Button, prefix="bcw:when", staff=True):
    """立即发送 / 定时发送 / 每天定时 / 每周定时."""

    choice: Literal["now", "at", "daily", "weekly"]


class WeekdayButton(Button, prefix="bcw:wd", staff=True):
    """周一 … 周日 (0 = Monday)."""

    day: Annotated[int, Between(0, 6)]


class ConfirmButton(Button, prefix="bcw:ok", staff=True):
    """确认发送 / 放弃."""

    answer: Literal["yes", "no"]


class ManageButton(Button, prefix="bc", staff=True):
    """暂停 / 继续 / 取消发送 on a notice in /broadcasts."""

    action: Literal["pause", "resume", "cancel"]
    broadcast: Id


BUTTONS: tuple[type[Button], ...] = (
    TopicAudienceButton,
    AudienceButton,
    DistrictButton,
    DepartmentButton,
    WhenButton,
    WeekdayButton,
    ConfirmButton,
    ManageButton,
)
