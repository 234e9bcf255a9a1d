"""The unfinished nomination: a typed draft in ``user_data`` (kept across restarts, dropped by /forget)."""

from __future__ import annotations

from typing import TypedDict

from handlers.kit.conversation import Draft


class NominationDraft(TypedDict):
    kind: str | None  # a NominationKind value
    name: str
    community: str
    story: str
    photos: list[str]  # Telegram file ids, largest size of each
    contact: str | None  # 11 digits, or None when skipped
    may_contact: bool


def new_draft() -> NominationDraft:
    return {
        "kind": None,
        "name": "",
        "community": "",
        "story": "",
        "photos": [],
        "contact": None,
        "may_contact": False,
    }


DRAFT = Draft("nom_draft", new_draft)  # the key drafts have always been stored under
