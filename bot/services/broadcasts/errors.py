"""What the broadcast rules refuse, as codes with parameters (the wording is the face's)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.services import DomainError, NotFound


class BroadcastProblem(StrEnum):
    """Every refusal of the broadcast services; the parameters each code carries are noted."""

    TEXT_EMPTY = "broadcasts.text_empty"
    TEXT_TOO_LONG = "broadcasts.text_too_long"  # length, limit
    # the staff member's HTML, checked against Telegram's rules before anyone receives it
    HTML_BAD_TAG = "broadcasts.html_bad_tag"  # tag
    HTML_BAD_ATTR = "broadcasts.html_bad_attr"  # tag, attr
    HTML_BAD_LINK = "broadcasts.html_bad_link"
    HTML_UNBALANCED = "broadcasts.html_unbalanced"  # tag
    HTML_UNCLOSED = "broadcasts.html_unclosed"  # tag
    HTML_STRAY = "broadcasts.html_stray"
    HTML_BAD_ENTITY = "broadcasts.html_bad_entity"  # entity
    # audiences and times
    DISTRICT_EMPTY = "broadcasts.district_empty"
    DEPARTMENT_EMPTY = "broadcasts.department_empty"
    BAD_AUDIENCE = "broadcasts.bad_audience"
    BAD_TIME = "broadcasts.bad_time"
    BAD_DATETIME = "broadcasts.bad_datetime"
    TIME_PAST = "broadcasts.time_past"
    TIME_TOO_FAR = "broadcasts.time_too_far"
    # the notices themselves
    NOT_FOUND = "broadcasts.not_found"
    BAD_TRANSITION = "broadcasts.bad_transition"  # status (a BroadcastStatus value)


class BroadcastError(DomainError):
    """A broadcast rule said no (bad HTML, unknown audience, past time…)."""

    def __init__(self, problem: BroadcastProblem, **params: Any) -> None:
        super().__init__(code=problem, **params)
        self.problem = problem


def broadcast_not_found() -> NotFound:
    return NotFound(code=BroadcastProblem.NOT_FOUND)
