"""Why a ticket rule says no: codes with parameters, rendered by the feature's texts (no wording here)."""

from __future__ import annotations

from enum import StrEnum

from bot.services import DomainError, NotFound, PermissionDenied


class TicketProblem(StrEnum):
    """Every refusal of the ticket rules; parameters in the comments."""

    TEXT_EMPTY = "tickets.text_empty"
    TEXT_TOO_LONG = "tickets.text_too_long"  # length, limit
    NO_WORDS = "tickets.no_words"
    ADDRESS_EMPTY = "tickets.address_empty"
    ADDRESS_TOO_LONG = "tickets.address_too_long"  # length, limit
    NOTE_EMPTY = "tickets.note_empty"
    NOTE_TOO_LONG = "tickets.note_too_long"  # length, limit
    NOT_FOUND = "tickets.not_found"
    NUMBER_INVALID = "tickets.number_invalid"
    WRONG_STATUS = "tickets.wrong_status"  # number, status (TicketStatus), action (TicketAction)
    ALREADY_DONE = "tickets.already_done"
    NOT_YOURS = "tickets.not_yours"
    ONLY_REPORTER = "tickets.only_reporter"
    REOPEN_EXPIRED = "tickets.reopen_expired"  # days
    SAME_DEPARTMENT = "tickets.same_department"
    UNKNOWN_DEPARTMENT = "tickets.unknown_department"
    UNKNOWN_CATEGORY = "tickets.unknown_category"
    DUPLICATE_SELF = "tickets.duplicate_self"
    ORIGINAL_CLOSED = "tickets.original_closed"  # number
    ALREADY_RATED = "tickets.already_rated"
    RATING_INVALID = "tickets.rating_invalid"


class TicketError(DomainError):
    """A ticket rule said no."""

    def __init__(self, problem: TicketProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


class InvalidTransition(TicketError):
    """The ticket's status does not allow the action (e.g. an old button pressed twice)."""


class TicketNotFound(NotFound):
    """No such ticket, or one this person may not see (they are told the same)."""

    def __init__(self) -> None:
        super().__init__(code=TicketProblem.NOT_FOUND)


class NotAllowed(PermissionDenied):
    """The ticket is not this person's to act on (another department's, another resident's)."""

    def __init__(self, problem: TicketProblem) -> None:
        super().__init__(code=problem)
