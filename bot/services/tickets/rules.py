"""The small rules of tickets: what a description, an address and a note may be, who may act on a
ticket, which category, department and time limit a report gets, what a ticket number looks like."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Role, Ticket
from bot.services import checked_text
from bot.services.classifier import Classification, ComplaintClassifier
from bot.services.tickets.errors import TicketError, TicketProblem
from bot.services.users import Actor

TEXT_LIMIT = 1000  # characters of a description or a staff note
ADDRESS_LIMIT = 200  # characters of a typed address (the column's size)
PHOTO_LIMIT = 10  # photos kept with one report (the latest ones)
REOPEN_DAYS = 7  # a resolved ticket may be reopened (or rated) for this long

NUMBER_PATTERN = re.compile(r"^TS-\d{8}-\d{4,}$")
# Dashes people type instead of "-" in a ticket number: the full-width hyphen and the em dash.
NUMBER_DASHES = ("\uff0d", "\u2014")
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")


# ---------------------------------------------------------------- what residents and staff send
def has_words(text: str) -> bool:
    """True when the text has letters, digits or Chinese characters (not only emoji/punctuation)."""
    return bool(_WORDISH.search(text))


def check_description(raw: str) -> str:
    """The description exactly as sent; TicketError when it is empty, too long or has no words."""
    checked_text(
        raw,
        TEXT_LIMIT,
        refuse=TicketError,
        empty=TicketProblem.TEXT_EMPTY,
        too_long=TicketProblem.TEXT_TOO_LONG,
    )
    if not has_words(raw):
        raise TicketError(TicketProblem.NO_WORDS)
    return raw


def check_address(raw: str) -> str:
    """A typed address, stripped; TicketError when it is empty or too long."""
    return checked_text(
        raw,
        ADDRESS_LIMIT,
        refuse=TicketError,
        empty=TicketProblem.ADDRESS_EMPTY,
        too_long=TicketProblem.ADDRESS_TOO_LONG,
    )


def check_note(raw: str) -> str:
    """A staff note (办结 note, 驳回 reason, the original's number), stripped; empty or too long is refused."""
    return checked_text(
        raw,
        TEXT_LIMIT,
        refuse=TicketError,
        empty=TicketProblem.NOTE_EMPTY,
        too_long=TicketProblem.NOTE_TOO_LONG,
    )


def normalise_number(raw: str) -> str:
    """TS-YYYYMMDD-NNNN however it was typed (lower case, other dashes); TicketError otherwise."""
    number = raw.strip().upper()
    for dash in NUMBER_DASHES:
        number = number.replace(dash, "-")
    if not NUMBER_PATTERN.match(number):
        raise TicketError(TicketProblem.NUMBER_INVALID)
    return number


# ---------------------------------------------------------------- who may
def can_handle(actor: Actor, ticket: Ticket) -> bool:
    """Campaign staff everywhere; a department's handlers on their own department's tickets."""
    if actor.is_campaign_staff:
        return True
    return actor.role is Role.HANDLER and actor.department == ticket.department_id


def can_view(actor: Actor, ticket: Ticket) -> bool:
    return ticket.reporter_id == actor.user_id or can_handle(actor, ticket)


# ---------------------------------------------------------------- routing and time limits
def limit_hours(classifier: ComplaintClassifier, category_id: str, urgent: bool) -> float:
    if urgent:
        return classifier.urgent_time_limit_hours
    category = classifier.category(category_id)
    return category.time_limit_hours if category else classifier.triage_time_limit_hours


def department_of(classifier: ComplaintClassifier, category_id: str, urgent_kinds: Sequence[str] = ()) -> str:
    """The category's department; an urgent kind's own department for 其他 and 待分拣 (the taxonomy)."""
    return classifier.department_for(category_id, urgent_kinds)


def category_name(classifier: ComplaintClassifier, category_id: str) -> str:
    category = classifier.category(category_id)
    return category.name if category else classifier.triage_name


def department_name(classifier: ComplaintClassifier, department_id: str) -> str:
    department = classifier.departments.get(department_id)
    return department.name if department else department_id


@dataclass(frozen=True)
class Assessment:
    """What filing a description decides: its category (the resident's choice or the classifier's),
    the department that handles it and its time limit. Shown for confirmation, then filed."""

    classification: Classification
    category_id: str
    chosen: bool  # the resident chose the category
    department_id: str
    hours: float

    @property
    def urgent(self) -> bool:
        return self.classification.urgent


def assess(classifier: ComplaintClassifier, text: str, chosen_category: str | None = None) -> Assessment:
    result = classifier.classify(text)
    category_id = chosen_category or result.category_id
    return Assessment(
        classification=result,
        category_id=category_id,
        chosen=bool(chosen_category),
        department_id=department_of(classifier, category_id, result.urgent_kinds),
        hours=limit_hours(classifier, category_id, result.urgent),
    )
