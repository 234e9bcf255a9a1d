"""Why an inspection or rectification rule says no: codes with parameters (no wording here)."""

from __future__ import annotations

from enum import StrEnum

from bot.services import DomainError, NotFound, PermissionDenied


class InspectionProblem(StrEnum):
    """Every refusal of the inspection and rectification rules; parameters in the comments."""

    NOT_INSPECTOR = "inspections.not_inspector"
    UNKNOWN_SITE = "inspections.unknown_site"
    DRAFT_EXISTS = "inspections.draft_exists"  # site (the unfinished draft's site id)
    NOT_FOUND = "inspections.not_found"
    NOT_YOURS = "inspections.not_yours"
    ALREADY_SUBMITTED = "inspections.already_submitted"
    DISCARDED = "inspections.discarded"
    NOT_LOCATED = "inspections.not_located"
    NOT_FAR = "inspections.not_far"  # "start anyway" pressed though the location was close
    BAD_POSITION = "inspections.bad_position"
    NOT_FAILED = "inspections.not_failed"  # photos or a note for an item that did not fail
    PHOTO_REQUIRED = "inspections.photo_required"  # number (1-based item number)
    TOO_MANY_PHOTOS = "inspections.too_many_photos"  # limit
    NOTE_EMPTY = "inspections.note_empty"
    NOTE_TOO_LONG = "inspections.note_too_long"  # length, limit
    UNFINISHED = "inspections.unfinished"  # number (the first item without an answer)
    TASK_NOT_FOUND = "inspections.task_not_found"
    TASK_NOT_YOURS = "inspections.task_not_yours"
    TASK_WRONG_STATUS = "inspections.task_wrong_status"  # number, status (RectificationStatus)
    TASK_STALE = "inspections.task_stale"  # number: a button of an earlier round
    REPLY_PHOTO_REQUIRED = "inspections.reply_photo_required"
    REASON_EMPTY = "inspections.reason_empty"
    REASON_TOO_LONG = "inspections.reason_too_long"  # length, limit
    BAD_DEADLINE = "inspections.bad_deadline"  # hours


class InspectionError(DomainError):
    """An inspection or rectification rule said no."""

    def __init__(self, problem: InspectionProblem, **params: object) -> None:
        super().__init__(code=problem, **params)
        self.problem = problem


class InspectionNotFound(NotFound):
    """No such inspection or task, or one this person may not see (they are told the same)."""

    def __init__(self, problem: InspectionProblem = InspectionProblem.NOT_FOUND) -> None:
        super().__init__(code=problem)
        self.problem = problem


class NotAllowed(PermissionDenied):
    """Not this person's to act on (another inspector's draft, another unit's task)."""

    def __init__(self, problem: InspectionProblem) -> None:
        super().__init__(code=problem)
        self.problem = problem
