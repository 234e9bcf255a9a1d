"""The input rules of a nomination: limits, and how a typed field is checked and matched."""

from __future__ import annotations

import unicodedata

from bot.services import checked_text
from bot.services.nominations.errors import InvalidNomination, NominationProblem
from bot.services.privacy import normalize_mobile

NAME_MAX = 32
COMMUNITY_MAX = 64
STORY_MIN = 30
STORY_MAX = 1500
SUPPLEMENT_MAX = 800
REASON_MAX = 300
PHONE_TEXT_MAX = 32  # a typed phone number, before it is read
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
NOMINEE_KEY_MAX = 200  # the nominee_key column


def normalise(value: str) -> str:
    """For matching people: full-width → half-width, no whitespace or punctuation, case-folded."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def nominee_key(name: str, community: str) -> str:
    return f"{normalise(name)}|{normalise(community)}"[:NOMINEE_KEY_MAX]


def check_text(raw: str, limit: int) -> str:
    """Typed text, stripped: not empty, at most ``limit`` characters."""
    return checked_text(
        raw,
        limit,
        refuse=InvalidNomination,
        empty=NominationProblem.TEXT_EMPTY,
        too_long=NominationProblem.TEXT_TOO_LONG,
    )


def check_name(raw: str) -> str:
    """The nominee's name: some letters or digits, at most NAME_MAX characters."""
    name = check_text(raw, NAME_MAX)
    if not normalise(name):
        raise InvalidNomination(NominationProblem.NAME_MISSING)
    return name


def check_community(raw: str) -> str:
    """The nominee's community or workplace: some letters or digits, at most COMMUNITY_MAX characters."""
    community = check_text(raw, COMMUNITY_MAX)
    if not normalise(community):
        raise InvalidNomination(NominationProblem.COMMUNITY_MISSING)
    return community


def check_story(raw: str) -> str:
    """The story, stripped: STORY_MIN to STORY_MAX characters."""
    story = raw.strip()
    if not story:
        raise InvalidNomination(NominationProblem.TEXT_EMPTY)
    if len(story) < STORY_MIN:
        raise InvalidNomination(NominationProblem.STORY_TOO_SHORT, length=len(story), min=STORY_MIN)
    if len(story) > STORY_MAX:
        raise InvalidNomination(NominationProblem.STORY_TOO_LONG, length=len(story), max=STORY_MAX)
    return story


def check_photo_size(size: int | None) -> None:
    """A photo over MAX_PHOTO_BYTES is refused (Telegram may not say the size: then it is taken)."""
    if size is not None and size > MAX_PHOTO_BYTES:
        raise InvalidNomination(
            NominationProblem.PHOTO_TOO_LARGE, size=size / 1024 / 1024, limit=MAX_PHOTO_BYTES // 1024 // 1024
        )


def check_phone(raw: str) -> str:
    """A mainland mobile number, as 11 digits."""
    phone = normalize_mobile(raw)
    if phone is None:
        raise InvalidNomination(NominationProblem.BAD_PHONE)
    return phone
