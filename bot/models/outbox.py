"""The outbox: every message a state change owes someone, written in the same transaction as the change.

An ``OutboxMessage`` is one message to one chat (a person or a group): its content, how urgent it
is, and where its delivery stands. The sender (``bot.outbox.engine``) claims pending rows in commit
order per chat, sends them under the global pace shared with broadcasts and records each outcome.
Cards — messages that are edited later (a ticket's status line and buttons) — are remembered in
``OutboxCard`` under a key, one row per chat the card was sent to.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TelegramId
from bot.models.user import enum_column
from bot.timeutil import utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting to be sent (again, after a retryable failure, when attempts > 0)
    CLAIMED = "claimed"  # taken by a sender (claimed_by); released again if it dies (lease)
    SENT = "sent"
    FAILED = "failed"  # Telegram refused it, or retries ran past the deadline
    UNREACHABLE = "unreachable"  # 403 / chat not found (a group's row was rerouted: see ``error``)
    SUPERSEDED = "superseded"  # a card edit overtaken by the card's rerouting or a later edit


class OutboxOp(enum.StrEnum):
    SEND = "send"
    EDIT = "edit"  # set the card ``card_key`` in ``chat_id`` to this text and keyboard


class Priority(enum.IntEnum):
    """Lower goes first. Broadcast deliveries come after every outbox row."""

    URGENT = 0  # urgent alerts and escalations to staff
    OWED = 10  # cards and personal notices that follow from a change (the default)
    BULK = 50  # owed but not pressing (e.g. a round opening announced to many people)


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_priority_id", "status", "priority", "id"),
        Index("ix_outbox_chat_id_status_id", "chat_id", "status", "id"),
        Index("ix_outbox_chat_id_sent_at", "chat_id", "sent_at"),
        Index("ix_outbox_kind_status", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    op: Mapped[OutboxOp] = mapped_column(enum_column(OutboxOp, length=8), default=OutboxOp.SEND)
    chat_id: Mapped[int] = mapped_column(TelegramId)
    # The person whose private chat this is (403 marks them unreachable); None for groups.
    user_id: Mapped[int | None] = mapped_column(TelegramId, index=True)
    kind: Mapped[str] = mapped_column(String(64))  # "ticket.card", "volunteer.promoted"… (for stats)
    priority: Mapped[int] = mapped_column(SmallInteger, default=int(Priority.OWED))
    text: Mapped[str] = mapped_column(Text, default="")  # Telegram HTML
    keyboard: Mapped[list[Any] | None]  # rows of [label, callback_data]
    photos: Mapped[list[Any] | None]  # Telegram file ids (1–10)
    location: Mapped[dict[str, Any] | None]  # latitude, longitude and, for a venue, title and address
    card_key: Mapped[str | None] = mapped_column(String(128), index=True)
    label: Mapped[str | None] = mapped_column(String(128))  # a group's name, for the fallback line
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)  # unreachable group → staff
    note: Mapped[str | None] = mapped_column(String(32))  # a line the sender adds ("group_unreachable")
    rerouted_from: Mapped[int | None] = mapped_column(BigInteger)  # the group row this copy stands for
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)  # parts already sent
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # retryable failures so far
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]  # when the last part went out
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxCard(Base):
    """Where a card was sent: ``card_key`` in ``chat_id`` is Telegram message ``message_id``.

    ``message_id`` is None until the card's first send succeeds (or after its message vanished);
    an edit then sends the card anew and stores the new message id.
    """

    __tablename__ = "outbox_cards"

    card_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    chat_id: Mapped[int] = mapped_column(TelegramId, primary_key=True, autoincrement=False)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    caption: Mapped[bool] = mapped_column(Boolean, default=False)  # a photo card: edit its caption
    label: Mapped[str | None] = mapped_column(String(128))  # as on the card's send: for edits' fallback
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(32))  # a rerouted card keeps its line when edited
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


__all__ = ["OutboxCard", "OutboxMessage", "OutboxOp", "OutboxStatus", "Priority"]
