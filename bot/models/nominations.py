"""Role-model nominations (好人推荐), public voting rounds and votes.

The supervision report counts nominations by ``kind`` and ``status`` with aggregate SQL: keep the
table and column names stable.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TelegramId, TimestampMixin
from bot.models.user import enum_column
from bot.timeutil import utcnow


class NominationKind(enum.StrEnum):
    HELPING_OTHERS = "helping_others"  # 助人为乐
    BRAVERY = "bravery"  # 见义勇为
    HONESTY = "honesty"  # 诚实守信
    DEDICATION = "dedication"  # 敬业奉献
    FILIAL_PIETY = "filial_piety"  # 孝老爱亲


class NominationStatus(enum.StrEnum):
    SUBMITTED = "submitted"  # 待审核
    NEEDS_MORE_INFO = "needs_more_info"  # 待补充
    SHORTLISTED = "shortlisted"  # 已入围
    REJECTED = "rejected"  # 未通过
    APPROVED = "approved"  # 已审定
    PUBLISHED = "published"  # 已上榜
    SUPPORTING = "supporting"  # 已并入另一推荐（同一人），随主推荐流转

    def can_become(self, target: NominationStatus) -> bool:
        return target in NOMINATION_TRANSITIONS[self]


# The only place where the allowed status changes are written down (tested in test_nominations).
NOMINATION_TRANSITIONS: dict[NominationStatus, frozenset[NominationStatus]] = {
    NominationStatus.SUBMITTED: frozenset(
        {NominationStatus.SHORTLISTED, NominationStatus.REJECTED, NominationStatus.NEEDS_MORE_INFO}
    ),
    NominationStatus.NEEDS_MORE_INFO: frozenset(
        {NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED, NominationStatus.REJECTED}
    ),
    NominationStatus.SHORTLISTED: frozenset({NominationStatus.APPROVED, NominationStatus.REJECTED}),
    NominationStatus.APPROVED: frozenset({NominationStatus.PUBLISHED}),
    NominationStatus.REJECTED: frozenset(),
    NominationStatus.PUBLISHED: frozenset(),
    NominationStatus.SUPPORTING: frozenset(),
}


class Nomination(TimestampMixin, Base):
    __tablename__ = "nominations"
    __table_args__ = (
        Index("ix_nominations_kind_status", "kind", "status"),
        Index("ix_nominations_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)  # HR-20261127-0007
    kind: Mapped[NominationKind] = mapped_column(enum_column(NominationKind))
    nominee_name: Mapped[str] = mapped_column(String(64))
    community: Mapped[str] = mapped_column(String(128))
    # Normalised "name|community": a second nomination of the same person joins the first.
    nominee_key: Mapped[str] = mapped_column(String(200), index=True)
    story: Mapped[str] = mapped_column(Text)
    photos: Mapped[list[Any]] = mapped_column(default=list)  # Telegram file ids, at most 3
    nominator_id: Mapped[int | None] = mapped_column(
        TelegramId, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    nominator_contact: Mapped[str | None] = mapped_column(String(32))
    may_contact: Mapped[bool] = mapped_column(default=False)
    status: Mapped[NominationStatus] = mapped_column(
        enum_column(NominationStatus), default=NominationStatus.SUBMITTED
    )
    status_reason: Mapped[str | None] = mapped_column(Text)  # last rejection / what to add
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="SET NULL"), index=True
    )
    reviewed_by: Mapped[int | None] = mapped_column(TelegramId)
    published_at: Mapped[datetime | None]
    honor_month: Mapped[str | None] = mapped_column(String(7), index=True)  # "2026-11", local time


class VotingRound(Base):
    __tablename__ = "voting_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(128))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    opened_by: Mapped[int | None] = mapped_column(TelegramId)
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("round_id", "nomination_id", "voter_id"),
        Index("ix_votes_round_id_created_at", "round_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id", ondelete="CASCADE"))
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    # SET NULL on /forget: the vote still counts, the voter is no longer known.
    voter_id: Mapped[int | None] = mapped_column(
        TelegramId, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided: Mapped[bool] = mapped_column(default=False)
    voided_by: Mapped[int | None] = mapped_column(TelegramId)
