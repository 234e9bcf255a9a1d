"""The nominations feature's buttons (see handlers/kit/callbacks.py); review buttons are staff buttons.

The data is what these buttons have always carried ("nom:kind:bravery", "nomrev:reject:12",
"vote:3:41", "honors:2026-11"), so buttons already sent keep working.
"""

from __future__ import annotations

from typing import Annotated, Literal

from bot.models import NominationKind, NominationStatus
from handlers.kit.callbacks import Button, Id, Token

DraftField = Literal["kind", "name", "community", "story", "photos", "contact", "consent"]


# ---------------------------------------------------------------- the nomination conversation
class KindButton(Button, prefix="nom:kind"):
    """One of the five kinds of 好人."""

    kind: NominationKind


class PhotosDoneButton(Button, prefix="nom:photos_done"):
    """完成: no more photos."""


class SkipContactButton(Button, prefix="nom:skip"):
    """跳过: no phone number."""


class ConsentButton(Button, prefix="nom:consent"):
    """可以联系 / 暂不联系."""

    answer: Literal["yes", "no"]


class SubmitButton(Button, prefix="nom:submit"):
    """提交 under the summary."""


class EditButton(Button, prefix="nom:edit"):
    """修改 under the summary: which field?"""


class CancelButton(Button, prefix="nom:cancel"):
    """取消 under the summary."""


class FieldButton(Button, prefix="nom:field"):
    """The field to change, after 修改."""

    field: DraftField


# ---------------------------------------------------------------- a resident's nominations
class SupplementButton(Button, prefix="nomsup"):
    """补充材料 under /mynominations, for a nomination staff asked more of."""

    nomination: Id


# ---------------------------------------------------------------- staff review
class QueueButton(Button, prefix="nomq", staff=True):
    """A status filter under the queue header."""

    status: NominationStatus


class ShortlistButton(Button, prefix="nomrev:shortlist", staff=True):
    """入围 on a card."""

    nomination: Id


class ApproveButton(Button, prefix="nomrev:approve", staff=True):
    """审定 on a shortlisted card."""

    nomination: Id


class RejectButton(Button, prefix="nomrev:reject", staff=True):
    """驳回 on a card: asks for the reason."""

    nomination: Id


class MoreInfoButton(Button, prefix="nomrev:more", staff=True):
    """退回补充 on a card: asks what to add."""

    nomination: Id


class MaterialButton(Button, prefix="nommat", staff=True):
    """材料: the photos and supporting nominations behind a card."""

    nomination: Id


class CompareButton(Button, prefix="nomdup", staff=True):
    """对比: a nomination and its likely duplicate, side by side."""

    nomination: Id
    other: Id


class MergeButton(Button, prefix="nommerge", staff=True):
    """合并: ``nomination`` becomes a supporting nomination of ``into``."""

    nomination: Id
    into: Id


# ---------------------------------------------------------------- voting and the honour roll
class VoteButton(Button, prefix="vote"):
    """👍 under a candidate's card, with the live count."""

    round: Id
    nomination: Id


class HonorsButton(Button, prefix="honors"):
    """Another month of the 好人榜."""

    month: Annotated[str, Token(7, "0-9-")]  # "2026-11"


class PublishHonorsButton(Button, prefix="nompub", staff=True):
    """确认发布 / 取消 under /publishhonors' summary."""

    answer: Literal["yes", "no"]


NOMINATE_BUTTONS: tuple[type[Button], ...] = (
    KindButton,
    PhotosDoneButton,
    SkipContactButton,
    ConsentButton,
    SubmitButton,
    EditButton,
    CancelButton,
    FieldButton,
)
BUTTONS: tuple[type[Button], ...] = (
    *NOMINATE_BUTTONS,
    SupplementButton,
    QueueButton,
    ShortlistButton,
    ApproveButton,
    RejectButton,
    MoreInfoButton,
    MaterialButton,
    CompareButton,
    MergeButton,
    VoteButton,
    HonorsButton,
    PublishHonorsButton,
)
