"""The tickets feature's buttons (see handlers/kit/callbacks.py); the department's are staff buttons.

A category or a department is named in a button by its ``ref``: its id, as the shipped data's ids
("sanitation", "chengguan") fit a button as they are; an id that does not (a learned file's labels
are Chinese, e.g. "噪音扰民", and ids may be long) is named by a short digest instead. Either way the
press names the id it was made for, or nothing (then the button has expired).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Annotated, Literal

from bot.models import TicketStatus
from bot.services.tickets import RATINGS
from handlers.kit.callbacks import Between, Button, Id, Token

FILING_KEY_LENGTH = 16  # hex digits of a report's filing key (64 random bits)
REF_LENGTH = 32
REF_ALPHABET = "A-Za-z0-9_-"
REF_DIGEST_MARK = "h-"  # a digest ref: "h-" and 16 hex digits
Ref = Annotated[str, Token(REF_LENGTH, REF_ALPHABET)]
_PLAIN_REF = re.compile(f"[{REF_ALPHABET}]{{1,{REF_LENGTH}}}")


def ref(identifier: str) -> str:
    """How a button names a category or a department (see the module docstring)."""
    if _PLAIN_REF.fullmatch(identifier) and not identifier.startswith(REF_DIGEST_MARK):
        return identifier
    return REF_DIGEST_MARK + hashlib.blake2s(identifier.encode(), digest_size=8).hexdigest()


def find_ref(pressed: str, identifiers: Iterable[str]) -> str | None:
    """The id among ``identifiers`` a pressed ref names; None when it names none of them (any more)."""
    return next((i for i in identifiers if ref(i) == pressed), None)


# ---------------------------------------------------------------- filing (the resident's conversation)
class IdentityButton(Button, prefix="tkc:anon"):
    """实名反映 / 匿名反映."""

    anonymous: bool


class ConfirmButton(Button, prefix="tkc:ok"):
    """✅ 确认提交: file the report; ``key`` makes a doubled or redelivered press file it once."""

    key: Annotated[str, Token(FILING_KEY_LENGTH, "0-9a-f")]


class OtherCategoryButton(Button, prefix="tkc:other"):
    """选择其他分类: list the categories."""


class CategoryButton(Button, prefix="tkc:pick"):
    """One category, chosen by the resident."""

    category: Ref


# ---------------------------------------------------------------- the reporter's follow-up
class RateButton(Button, prefix="tk:rate"):
    """回访满意度: 1–5 stars."""

    ticket: Id
    stars: Annotated[int, Between(RATINGS.start, RATINGS.stop - 1)]


class ReopenButton(Button, prefix="tk:reopen"):
    """问题未解决，重新办理."""

    ticket: Id


# ---------------------------------------------------------------- the department's card
class AcceptButton(Button, prefix="tk:acc", staff=True):
    """受理."""

    ticket: Id


class ReassignMenuButton(Button, prefix="tk:fwd", staff=True):
    """转派: list the other departments."""

    ticket: Id


class ReassignButton(Button, prefix="tk:to", staff=True):
    """转派 to one department."""

    ticket: Id
    department: Ref


class TriageMenuButton(Button, prefix="tk:tri", staff=True):
    """分拣: list the categories."""

    ticket: Id


class TriageButton(Button, prefix="tk:cat", staff=True):
    """分拣 as one category."""

    ticket: Id
    category: Ref


class ResolveButton(Button, prefix="tk:res", staff=True):
    """办结: asks for the note."""

    ticket: Id


class RejectButton(Button, prefix="tk:rej", staff=True):
    """驳回: asks for the reason."""

    ticket: Id


class DuplicateButton(Button, prefix="tk:dup", staff=True):
    """重复: asks for the original's number."""

    ticket: Id


NoteButton = ResolveButton | RejectButton | DuplicateButton


# ---------------------------------------------------------------- the staff queue
class QueueButton(Button, prefix="tk:q", staff=True):
    """A named filter: 待办, 待分拣, 已超时."""

    filter: Literal["open", "triage", "overdue"]


class QueueMenuButton(Button, prefix="tk:q:menu", staff=True):
    """按状态 / 按分类 / 按部门: list the values to filter by."""

    of: Literal["status", "cat", "dept"]


class QueueStatusButton(Button, prefix="tk:q:status", staff=True):
    status: TicketStatus


class QueueCategoryButton(Button, prefix="tk:q:cat", staff=True):
    category: Ref


class QueueDepartmentButton(Button, prefix="tk:q:dept", staff=True):
    department: Ref


class ViewButton(Button, prefix="tk:view", staff=True):
    """处理 TS-…: the ticket's card, with its buttons."""

    ticket: Id


BUTTONS: tuple[type[Button], ...] = (
    IdentityButton,
    ConfirmButton,
    OtherCategoryButton,
    CategoryButton,
    RateButton,
    ReopenButton,
    AcceptButton,
    ReassignMenuButton,
    ReassignButton,
    TriageMenuButton,
    TriageButton,
    ResolveButton,
    RejectButton,
    DuplicateButton,
    QueueButton,
    QueueMenuButton,
    QueueStatusButton,
    QueueCategoryButton,
    QueueDepartmentButton,
    ViewButton,
)
