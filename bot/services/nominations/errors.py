"""What the nomination rules refuse, as codes with parameters; the face words them
(``handlers/nominations/texts.py``, ``ERRORS``)."""

from __future__ import annotations

from enum import StrEnum

from bot.models import NominationStatus
from bot.services import DomainError, NotFound


class NominationProblem(StrEnum):
    # input
    TEXT_EMPTY = "nominations.text_empty"
    TEXT_TOO_LONG = "nominations.text_too_long"  # length, limit
    NAME_MISSING = "nominations.name_missing"  # nothing a name is made of (punctuation only)
    COMMUNITY_MISSING = "nominations.community_missing"
    STORY_TOO_SHORT = "nominations.story_too_short"  # length, min
    STORY_TOO_LONG = "nominations.story_too_long"  # length, max
    PHOTO_TOO_LARGE = "nominations.photo_too_large"  # size (MB, float), limit (MB)
    TOO_MANY_PHOTOS = "nominations.too_many_photos"  # max
    BAD_PHONE = "nominations.bad_phone"
    # records and review
    NOT_FOUND = "nominations.not_found"
    NOT_YOURS = "nominations.not_yours"  # not the nominator's, or nothing was asked for
    BAD_TRANSITION = "nominations.bad_transition"  # current, target (NominationStatus)
    # voting rounds
    ROUND_BAD_TIME = "nominations.round_bad_time"
    ROUND_OVERLAP = "nominations.round_overlap"  # title
    ROUND_NO_SHORTLIST = "nominations.round_no_shortlist"
    NO_OPEN_ROUND = "nominations.no_open_round"
    NO_ROUND = "nominations.no_round"
    # votes
    VOTE_ENDED = "nominations.vote_ended"
    VOTE_NOT_STARTED = "nominations.vote_not_started"  # start (a local datetime)
    NOT_CANDIDATE = "nominations.not_candidate"
    ALREADY_VOTED = "nominations.already_voted"
    # publication
    NOTHING_TO_PUBLISH = "nominations.nothing_to_publish"


class InvalidNomination(DomainError):
    """A field of a nomination cannot be accepted; the code says which rule it breaks."""

    def __init__(self, problem: NominationProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


class NominationNotFound(NotFound):
    """No such nomination (or round, or nothing to publish) for this request."""

    def __init__(self, problem: NominationProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


class TransitionNotAllowed(DomainError):
    """The nomination is not in a status from which the requested change is allowed."""

    def __init__(self, current: NominationStatus, target: NominationStatus) -> None:
        super().__init__(code=NominationProblem.BAD_TRANSITION, current=current, target=target)
        self.current = current
        self.target = target


class RoundRefused(DomainError):
    """A voting round that cannot be opened as asked."""

    def __init__(self, problem: NominationProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


class VoteRefused(DomainError):
    """Voting outside the window, for a non-candidate, or a second time."""

    def __init__(self, problem: NominationProblem, **params: object) -> None:
        super().__init__(code=problem, **params)


class AlreadyVoted(VoteRefused):
    def __init__(self) -> None:
        super().__init__(NominationProblem.ALREADY_VOTED)
