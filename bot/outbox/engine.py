"""The outbox as a source of the one sender: claim in per-chat commit order, send part by part, record.

Nothing here knows Telegram: rows are planned into ``Part``s (one Bot API call each) and handed to a
``send`` callable (``bot.outbox.telegram`` adapts PTB) that returns the message id or raises one of
the ``SendError``s of ``bot.broadcast_delivery`` or below.

Rules (docs/outbox.md states them as guarantees):

- *Order.* A row is claimable only when no earlier row of its chat is open (pending, retrying or
  claimed) and none of its chat is in flight: a chat's messages go out one at a time, in id order.
- *Per-chat pace.* A chat gets at most one message a second (outbox and broadcasts together),
  a group also at most ``GROUP_PER_MINUTE`` in any 60 seconds.
- *Priority.* Among claimable rows, lower ``priority`` first, then older; every outbox row before
  any broadcast delivery (``bot.sending`` picks the most urgent job at each send slot).
- *Parts.* A row with photos, text and a location is several calls; each part is claimed, sent and
  recorded on its own, so a retry resumes at the part that failed.
- *Outcomes.* 429 → everyone pauses for retry_after, the row waits as long; 5xx, timeouts and
  network errors → retried with exponential backoff until ``deadline`` after the row was written,
  then failed; 400 → failed; 403 or "chat not found" → the person is marked unreachable, or a group
  with ``fallback`` is rerouted (its open rows are copied to the staff chat, or every admin, with a
  note); "not modified" on an edit → done; an edited card whose message is gone → sent again.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import unescape
from typing import Any, Literal

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.broadcast_delivery import (
    PER_CHAT_SECONDS,
    RejectedSendError,
    RetryLater,
    SendError,
    TransientSendError,
    Unreachable,
)
from bot.database import transaction
from bot.models import Delivery, DeliveryStatus, OutboxCard, OutboxMessage, OutboxOp, OutboxStatus
from bot.outbox import service
from bot.sending import Sender, release_stale
from bot.services.users import mark_unreachable

log = logging.getLogger(__name__)

GROUP_PER_MINUTE = 20  # Telegram: at most 20 messages a minute to the same group
MAX_CAPTION = 1024  # characters of a photo's caption (after entities are parsed)
NOTE_RESERVE = 200  # caption room kept for the line a rerouted copy carries
MAX_BACKOFF_SECONDS = 600.0
OPEN = (OutboxStatus.PENDING, OutboxStatus.CLAIMED)


# ---------------------------------------------------------------- what the send callable may raise
class NotModified(SendError):
    """An edit that changes nothing: the card already shows this (done)."""


class MessageGone(SendError):
    """The card's message no longer exists (deleted, or too old to edit): send the card anew."""


class ChatMoved(SendError):
    """The group became a supergroup with a new id: send there."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


# ---------------------------------------------------------------- parts
PartKind = Literal["text", "photo", "album", "location", "venue", "edit_text", "edit_caption"]


@dataclass(frozen=True)
class Part:
    """One Bot API call of an outbox row, as the ``send`` callable receives it."""

    kind: PartKind
    chat_id: int
    text: str = ""  # the message text or the caption (HTML)
    keyboard: list[list[tuple[str, str]]] | None = None
    photos: tuple[str, ...] = ()
    location: dict[str, Any] | None = None
    message_id: int | None = None  # the card's message, for edits
    note: str | None = None  # code of a line to put above the text ("group_unreachable")
    label: str | None = None  # the note's group name
    holds_card: bool = False  # this part's message is the card (its id is remembered)


SendPart = Callable[[Part], Awaitable[int]]


def telegram_length(html_text: str) -> int:
    """Characters Telegram counts (UTF-16 code units of the text once tags and entities are parsed)."""
    plain = unescape(re.sub(r"<[^>]+>", "", html_text))
    return len(plain.encode("utf-16-le")) // 2


def _keyboard(rows: list[Any] | None) -> list[list[tuple[str, str]]] | None:
    return [[(str(label), str(data)) for label, data in row] for row in rows] if rows else None


def plan(row: OutboxMessage, card: OutboxCard | None) -> list[Part]:
    """The calls a row takes: photos (with the text as caption when it fits), text, location.

    An edit is one call while its card's message is known, else the card is sent anew as text.
    """
    keyboard = _keyboard(row.keyboard)
    note, label = row.note, row.label
    if row.op is OutboxOp.EDIT:
        if card is not None and card.message_id is not None:
            kind: PartKind = "edit_caption" if card.caption else "edit_text"
            return [
                Part(
                    kind,
                    row.chat_id,
                    row.text,
                    keyboard,
                    message_id=card.message_id,
                    holds_card=True,
                    note=note,
                    label=label,
                )
            ]
        return [Part("text", row.chat_id, row.text, keyboard, holds_card=True, note=note, label=label)]
    parts: list[Part] = []
    text, photos, buttons = row.text, tuple(row.photos or ()), keyboard
    room = MAX_CAPTION - (NOTE_RESERVE if row.note else 0)
    fits = telegram_length(text) <= room
    if len(photos) == 1 and fits:
        parts.append(
            Part("photo", row.chat_id, text, buttons, photos, holds_card=True, note=note, label=label)
        )
        text, buttons = "", None
    elif len(photos) == 1:
        parts.append(Part("photo", row.chat_id, photos=photos))
    elif photos and text and fits and not buttons:  # an album cannot carry buttons
        parts.append(Part("album", row.chat_id, text, photos=photos, note=note, label=label))
        text = ""
    elif photos:
        parts.append(Part("album", row.chat_id, photos=photos))
    if text or (row.note and not any(p.note for p in parts)):
        parts.append(Part("text", row.chat_id, text, buttons, holds_card=True, note=note, label=label))
        buttons = None
    if row.location is not None:
        venue = "title" in row.location and "address" in row.location
        kind = "venue" if venue else "location"
        parts.append(Part(kind, row.chat_id, keyboard=buttons, location=row.location))
    return parts


# ---------------------------------------------------------------- claiming
@dataclass(frozen=True)
class Job:
    """A claimed row and the part to send now."""

    id: int
    priority: int
    chat_id: int
    user_id: int | None
    kind: str
    card_key: str | None
    progress: int
    parts: tuple[Part, ...]
    created_at: datetime
    attempts: int

    @property
    def part(self) -> Part:
        return self.parts[self.progress]

    @property
    def last(self) -> bool:
        return self.progress + 1 >= len(self.parts)


# Made once: building an alias costs more than running the claim query on an idle bot.
_EARLIER, _FLYING, _RECENT, _WINDOW = (aliased(OutboxMessage) for _ in range(4))


def claimable(now: datetime) -> list[Any]:
    """Conditions on ``OutboxMessage`` for a row that may be sent now (order and per-chat pace)."""
    row = OutboxMessage
    earlier, flying, recent, window = _EARLIER, _FLYING, _RECENT, _WINDOW
    a_second_ago = now - timedelta(seconds=PER_CHAT_SECONDS)
    earlier_open = exists().where(
        earlier.chat_id == row.chat_id, earlier.status.in_(OPEN), earlier.id < row.id
    )
    in_flight = exists().where(flying.chat_id == row.chat_id, flying.status == OutboxStatus.CLAIMED)
    sent_this_second = or_(
        exists().where(recent.chat_id == row.chat_id, recent.sent_at > a_second_ago),
        exists().where(
            Delivery.chat_id == row.chat_id,
            or_(Delivery.status == DeliveryStatus.CLAIMED, Delivery.sent_at > a_second_ago),
        ),
    )
    group_sent = (
        select(func.count(window.id))
        .where(window.chat_id == row.chat_id, window.sent_at > now - timedelta(minutes=1))
        .scalar_subquery()
    )
    return [
        row.status == OutboxStatus.PENDING,
        row.next_attempt_at <= now,
        ~earlier_open,
        ~in_flight,
        ~sent_this_second,
        or_(row.chat_id > 0, group_sent < GROUP_PER_MINUTE),
    ]


async def claim(session: AsyncSession, worker_id: str, now: datetime, limit: int) -> list[Job]:
    """Claim up to ``limit`` sendable rows, most urgent first, at most one per chat.

    ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) lets concurrent senders claim disjoint rows; a row
    locked by another claimer is skipped, and so are its chat's later rows (its earlier row is still
    pending). On SQLite the transaction holds the write lock (BEGIN IMMEDIATE).
    """
    rows = list(
        await session.scalars(
            select(OutboxMessage)
            .where(*claimable(now))
            .order_by(OutboxMessage.priority, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=OutboxMessage)
        )
    )
    if not rows:
        return []
    keys = {(r.card_key, r.chat_id) for r in rows if r.op is OutboxOp.EDIT and r.card_key}
    cards: dict[tuple[str, int], OutboxCard] = {}
    if keys:
        found = await session.scalars(select(OutboxCard).where(OutboxCard.card_key.in_({k for k, _ in keys})))
        cards = {(c.card_key, c.chat_id): c for c in found}
    jobs: list[Job] = []
    for row in rows:
        parts = plan(row, cards.get((row.card_key or "", row.chat_id)))
        progress = min(row.progress, len(parts) - 1)
        jobs.append(
            Job(
                row.id,
                row.priority,
                row.chat_id,
                row.user_id,
                row.kind,
                row.card_key,
                progress,
                tuple(parts),
                row.created_at,
                row.attempts,
            )
        )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([r.id for r in rows]))
        .values(status=OutboxStatus.CLAIMED, claimed_by=worker_id, claimed_at=now)
    )
    return jobs


# ---------------------------------------------------------------- rerouting an unreachable group
@dataclass(frozen=True)
class Escalation:
    """Where an unreachable group's messages go: the staff chat, or (without one) every admin."""

    staff_chat_id: int | None = None
    admin_ids: Sequence[int] = field(default_factory=tuple)

    def targets(self, failed_chat: int) -> list[int]:
        if self.staff_chat_id is not None and self.staff_chat_id != failed_chat:
            return [self.staff_chat_id]
        return sorted(set(self.admin_ids) - {failed_chat})


async def _copy(
    session: AsyncSession,
    row: OutboxMessage,
    chat_id: int,
    escalation: Escalation,
    op: OutboxOp,
    now: datetime,
) -> None:
    session.add(
        OutboxMessage(
            op=op,
            chat_id=chat_id,
            user_id=chat_id if chat_id > 0 else None,
            kind=row.kind,
            priority=row.priority,
            text=row.text,
            keyboard=row.keyboard,
            photos=row.photos if op is OutboxOp.SEND else None,
            location=row.location if op is OutboxOp.SEND else None,
            card_key=row.card_key,
            label=row.label,
            fallback=chat_id == escalation.staff_chat_id and chat_id < 0,  # the staff chat → admins
            note=service.NOTE_GROUP_UNREACHABLE,
            rerouted_from=row.id,
            status=OutboxStatus.PENDING,
            attempts=0,
            progress=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


async def close_chat(
    session: AsyncSession, job: Job, reason: str, escalation: Escalation, now: datetime
) -> int:
    """The chat cannot be reached: this row and the chat's other open rows are closed in order.

    A person is marked unreachable. A group's rows with ``fallback`` are copied to the escalation
    targets with a note (cards move there: later edits follow them); the others are unreachable.
    Returns how many copies were written.
    """
    rows = list(
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.chat_id == job.chat_id,
                or_(
                    OutboxMessage.id == job.id,
                    and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.id > job.id),
                ),
            )
            .order_by(OutboxMessage.id)
            .with_for_update()
        )
    )
    if job.chat_id > 0:
        await mark_unreachable(session, job.user_id or job.chat_id)
    targets = escalation.targets(job.chat_id) if job.chat_id < 0 else []
    copies = 0
    for row in rows:
        row.claimed_by, row.claimed_at = None, None
        row.status = OutboxStatus.UNREACHABLE
        if not (row.fallback and targets):
            row.error = reason[:300]
            continue
        row.error = f"{reason} → {', '.join(map(str, targets))}"[:300]
        if row.card_key is not None:
            await _move_card(session, row, targets, escalation, now)
        else:
            for target in targets:
                await _copy(session, row, target, escalation, OutboxOp.SEND, now)
        copies += len(targets)
    if copies:
        service._mark_for_wake(session)
    return copies


async def _move_card(
    session: AsyncSession, row: OutboxMessage, targets: list[int], escalation: Escalation, now: datetime
) -> None:
    """Copy a card's send or edit to the targets; the card's registry follows (locked, like edits)."""
    key = row.card_key
    assert key is not None
    registry = {
        c.chat_id: c
        for c in await session.scalars(select(OutboxCard).where(OutboxCard.card_key == key).with_for_update())
    }
    gone = registry.pop(row.chat_id, None)
    if gone is not None:
        await session.delete(gone)
    for target in targets:
        # Sent there already (or on its way): an edit stays an edit, queued behind that send.
        op = OutboxOp.EDIT if row.op is OutboxOp.EDIT and target in registry else OutboxOp.SEND
        await _copy(session, row, target, escalation, op, now)
        if target not in registry:
            registry[target] = OutboxCard(
                card_key=key,
                chat_id=target,
                caption=False,
                label=row.label,
                fallback=target == escalation.staff_chat_id and target < 0,
                note=service.NOTE_GROUP_UNREACHABLE,
                updated_at=now,
            )
            session.add(registry[target])
    await session.flush()


# ---------------------------------------------------------------- the source
@dataclass(eq=False)
class OutboxSource:
    """The outbox as a source of ``bot.sending.Sender``."""

    send: SendPart
    escalation: Escalation = field(default_factory=Escalation)
    deadline: timedelta = timedelta(hours=24)
    backoff_seconds: float = 2.0
    name: str = "outbox"
    _waker: Callable[[], None] = field(default=lambda: None, repr=False)

    def attach(self, sender: Sender) -> None:
        self._waker = functools.partial(sender.wake, self)
        service.add_waker(self._waker)

    def detach(self, sender: Sender) -> None:
        service.remove_waker(self._waker)

    async def release_stale(self, session: AsyncSession, now: datetime, lease_seconds: float) -> int:
        return await release_stale(
            session, OutboxMessage, OutboxStatus.PENDING, OutboxStatus.CLAIMED, now, lease_seconds
        )

    async def claim(
        self, session: AsyncSession, worker_id: str, now: datetime, limit: int
    ) -> list[tuple[int, Any]]:
        return [(job.priority, job) for job in await claim(session, worker_id, now, limit)]

    async def give_back(self, session: AsyncSession, worker_id: str, items: list[Any]) -> None:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([j.id for j in items]), OutboxMessage.claimed_by == worker_id)
            .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
        )

    async def has_open_work(self, session: AsyncSession, now: datetime) -> bool:
        return bool(await service.open_count(session))

    async def perform(self, job: Job, slot: float, sender: Sender) -> None:
        stats, clock = sender.stats, sender.clock
        part = job.part
        stats.send_times.append(slot)
        try:
            message_id: int | None = await self.send(part)
        except NotModified:
            message_id = part.message_id
        except MessageGone:
            async with transaction(sender.sessions) as session:  # planned as a fresh send next time
                await self._forget_message(session, job)
                await self._record(session, job, status=OutboxStatus.PENDING, next_attempt_at=clock.now())
            return
        except RetryLater as error:
            stats.rate_limited += 1
            await sender.pacer.pause(error.retry_after)
            async with transaction(sender.sessions) as session:
                await self._record(
                    session,
                    job,
                    status=OutboxStatus.PENDING,
                    next_attempt_at=clock.now() + timedelta(seconds=error.retry_after),
                    error=f"429 retry after {error.retry_after:g}s",
                )
            return
        except Unreachable as error:
            stats.unreachable += 1
            async with transaction(sender.sessions) as session:
                await close_chat(session, job, f"unreachable: {error}", self.escalation, clock.now())
            return
        except ChatMoved as error:
            async with transaction(sender.sessions) as session:
                await self._move_chat(session, job, error.new_chat_id)
            return
        except RejectedSendError as error:
            stats.failed += 1
            log.warning("outbox %s (%s) refused by Telegram: %s", job.id, job.kind, error)
            async with transaction(sender.sessions) as session:
                await self._record(session, job, status=OutboxStatus.FAILED, error=str(error)[:300])
            return
        except Exception as error:  # network trouble, 5xx and anything unexpected: retry with backoff
            await self._retry(job, error, sender)
            return
        stats.sent += 1
        async with transaction(sender.sessions) as session:
            await self._done(session, job, message_id, clock.now())

    async def _done(self, session: AsyncSession, job: Job, message_id: int | None, now: datetime) -> None:
        part = job.part
        if part.holds_card and job.card_key is not None and message_id is not None:
            await session.execute(
                update(OutboxCard)
                .where(OutboxCard.card_key == job.card_key, OutboxCard.chat_id == job.chat_id)
                .values(message_id=message_id, caption=part.kind in ("photo", "edit_caption"), updated_at=now)
            )
        values: dict[str, Any] = {"sent_at": now, "progress": job.progress + 1, "error": None}
        if part.holds_card or job.last:
            values["telegram_message_id"] = message_id
        if job.last:
            values["status"] = OutboxStatus.SENT
        else:  # the next part follows at the chat's pace
            next_part = now + timedelta(seconds=PER_CHAT_SECONDS)
            values |= {"status": OutboxStatus.PENDING, "next_attempt_at": next_part}
        await self._record(session, job, **values)

    async def _retry(self, job: Job, error: Exception, sender: Sender) -> None:
        if not isinstance(error, TransientSendError):
            log.warning("unexpected error sending outbox %s (%s): %r", job.id, job.kind, error)
        now = sender.clock.now()
        attempts = job.attempts + 1
        values: dict[str, Any] = {"attempts": attempts, "error": repr(error)[:300]}
        if now >= job.created_at + self.deadline:
            sender.stats.failed += 1
            log.warning("outbox %s (%s) failed after %d attempts: %r", job.id, job.kind, attempts, error)
            values["status"] = OutboxStatus.FAILED
        else:
            sender.stats.retried += 1
            backoff = min(MAX_BACKOFF_SECONDS, self.backoff_seconds * 2 ** (attempts - 1))
            values |= {"status": OutboxStatus.PENDING, "next_attempt_at": now + timedelta(seconds=backoff)}
        async with transaction(sender.sessions) as session:
            await self._record(session, job, **values)

    @staticmethod
    async def _forget_message(session: AsyncSession, job: Job) -> None:
        await session.execute(
            update(OutboxCard)
            .where(OutboxCard.card_key == job.card_key, OutboxCard.chat_id == job.chat_id)
            .values(message_id=None)
        )

    @staticmethod
    async def _move_chat(session: AsyncSession, job: Job, new_chat_id: int) -> None:
        """The group's open rows and cards follow it to its new id."""
        log.warning("chat %s moved to %s: update its id in the settings", job.chat_id, new_chat_id)
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == job.chat_id, OutboxMessage.status.in_(OPEN))
            .values(chat_id=new_chat_id, status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
        )
        await session.execute(
            update(OutboxCard).where(OutboxCard.chat_id == job.chat_id).values(chat_id=new_chat_id)
        )

    @staticmethod
    async def _record(session: AsyncSession, job: Job, **values: Any) -> None:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == job.id)
            .values(claimed_by=None, claimed_at=None, **values)
        )
