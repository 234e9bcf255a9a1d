"""Owed messages: written in the caller's transaction, read back as counts. Knows nothing of Telegram.

A handler (or a scheduled task) that changes state writes, in the same transaction, one outbox row
per message the change owes someone (``enqueue`` / ``edit_card``). If the transaction rolls back,
the messages were never owed; once it commits, the sender delivers them — in-process it is woken by
the commit itself (``add_waker``), other processes find the rows by polling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.models import OutboxCard, OutboxMessage, OutboxOp, OutboxStatus, Priority
from bot.timeutil import utcnow

Keyboard = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback_data)

MAX_TEXT = 4096  # Telegram's limit for a message
MAX_PHOTOS = 10  # a media group holds at most ten
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit
NOTE_GROUP_UNREACHABLE = "group_unreachable"  # code of the line added to a rerouted group message


@dataclass(frozen=True)
class Location:
    """A point on the map; with a title and an address it is sent as a venue."""

    latitude: float
    longitude: float
    title: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Message:
    """One owed message to one chat.

    ``user_id`` is set when the chat is a person's private chat (403 marks them unreachable);
    ``label`` names a group (the department) for the line a rerouted copy carries; ``fallback``
    says that an unreachable group's messages go to the staff chat (or every admin) instead.
    A ``card_key`` remembers the sent message under that key, so ``edit_card`` can change it later.
    """

    chat_id: int
    kind: str
    text: str = ""
    keyboard: Keyboard | None = None
    photos: Sequence[str] = ()
    location: Location | None = None
    priority: Priority = Priority.OWED
    user_id: int | None = None
    card_key: str | None = None
    label: str | None = None
    fallback: bool = False


def _check(kind: str, text: str, keyboard: Keyboard | None, photos: Sequence[str]) -> None:
    """Programming errors, caught where the message is written rather than by Telegram hours later."""
    if not kind or len(kind) > 64:
        raise ValueError(f"outbox kind must be 1–64 characters: {kind!r}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"outbox text longer than {MAX_TEXT} characters ({kind})")
    if len(photos) > MAX_PHOTOS:
        raise ValueError(f"at most {MAX_PHOTOS} photos per message ({kind})")
    for row in keyboard or ():
        for label, data in row:
            if not label or not data or len(data.encode()) > MAX_CALLBACK_DATA:
                raise ValueError(f"bad button {label!r} → {data!r} ({kind})")


def _rows(keyboard: Keyboard | None) -> list[list[list[str]]] | None:
    return [[[label, data] for label, data in row] for row in keyboard] if keyboard else None


async def enqueue(session: AsyncSession, message: Message) -> OutboxMessage:
    """Write ``message`` as an outbox row in the caller's transaction (the caller commits)."""
    _check(message.kind, message.text, message.keyboard, message.photos)
    if not message.text and not message.photos and message.location is None:
        raise ValueError(f"an outbox message needs text, photos or a location ({message.kind})")
    if message.keyboard and not (message.text or len(message.photos) == 1 or message.location):
        raise ValueError(f"buttons need a text, a single photo or a location to sit on ({message.kind})")
    location = None
    if message.location is not None:
        location = {k: v for k, v in vars(message.location).items() if v is not None}
    row = OutboxMessage(
        op=OutboxOp.SEND,
        chat_id=message.chat_id,
        user_id=message.user_id,
        kind=message.kind,
        priority=int(message.priority),
        text=message.text,
        keyboard=_rows(message.keyboard),
        photos=list(message.photos) or None,
        location=location,
        card_key=message.card_key,
        label=message.label,
        fallback=message.fallback,
        status=OutboxStatus.PENDING,
        attempts=0,
        progress=0,
        next_attempt_at=utcnow(),
        created_at=utcnow(),
    )
    session.add(row)
    if message.card_key is not None:
        await _register_card(session, message.card_key, message.chat_id, message.label, message.fallback)
    _mark_for_wake(session)
    return row


async def edit_card(
    session: AsyncSession,
    card_key: str,
    text: str,
    keyboard: Keyboard | None = None,
    *,
    kind: str,
    priority: Priority = Priority.OWED,
    redact: bool = False,
) -> int:
    """Set every copy of the card ``card_key`` to ``text`` and ``keyboard``; returns how many copies.

    One edit row per chat the card went to, queued behind that chat's earlier rows (so after the
    card's own send). "Not modified" counts as done; a card whose message is gone is sent again.
    The card's registry rows are locked, so an edit and a rerouting of the card never cross.
    ``redact`` (for /forget): the rows already written for this card, sent or not, take ``text``
    too, so no stored copy keeps what the edit removes and a card not yet sent goes out as edited.
    """
    _check(kind, text, keyboard, ())
    if not text:
        raise ValueError(f"a card edit needs text ({kind})")
    # Lock first (waits for a rerouting of this card in progress), then read in a new statement:
    # on PostgreSQL the locking statement cannot see the rows that rerouting inserted.
    await session.execute(select(OutboxCard.chat_id).where(OutboxCard.card_key == card_key).with_for_update())
    cards = list(
        await session.scalars(
            select(OutboxCard).where(OutboxCard.card_key == card_key).order_by(OutboxCard.chat_id)
        )
    )
    if redact:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.card_key == card_key).values(text=text)
        )
    now = utcnow()
    for card in cards:
        session.add(
            OutboxMessage(
                op=OutboxOp.EDIT,
                chat_id=card.chat_id,
                user_id=card.chat_id if card.chat_id > 0 else None,
                kind=kind,
                priority=int(priority),
                text=text,
                keyboard=_rows(keyboard),
                card_key=card_key,
                label=card.label,
                fallback=card.fallback,
                note=card.note,
                status=OutboxStatus.PENDING,
                attempts=0,
                progress=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    if cards:
        _mark_for_wake(session)
    return len(cards)


async def _register_card(
    session: AsyncSession, card_key: str, chat_id: int, label: str | None, fallback: bool
) -> None:
    """The card is (going to be) in this chat; its message id is stored when the send succeeds."""
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert_fn(OutboxCard)
        .values(
            card_key=card_key,
            chat_id=chat_id,
            caption=False,
            label=label,
            fallback=fallback,
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing()
    )


async def card_chats(session: AsyncSession, card_key: str) -> list[int]:
    """The chats the card ``card_key`` is (or is being) shown in."""
    return list(
        await session.scalars(
            select(OutboxCard.chat_id).where(OutboxCard.card_key == card_key).order_by(OutboxCard.chat_id)
        )
    )


async def card_message_id(session: AsyncSession, card_key: str, chat_id: int) -> int | None:
    """The Telegram message showing the card ``card_key`` in ``chat_id`` (None: not sent there yet).

    A handler whose button was pressed on a message uses it to tell the card's own copy (which the
    sender redraws) from another view of the same ticket (which it redraws itself, as its answer)."""
    return await session.scalar(
        select(OutboxCard.message_id).where(OutboxCard.card_key == card_key, OutboxCard.chat_id == chat_id)
    )


async def rerouted_cards(session: AsyncSession, key_prefix: str) -> list[str]:
    """Keys (starting with ``key_prefix``) of cards whose group could not be reached and went to staff."""
    rows = await session.scalars(
        select(OutboxMessage.card_key)
        .where(
            OutboxMessage.note == NOTE_GROUP_UNREACHABLE,
            OutboxMessage.card_key.startswith(key_prefix, autoescape=True),
        )
        .distinct()
    )
    return sorted(key for key in rows if key is not None)


# ---------------------------------------------------------------- waking the in-process sender
WAKE_KEY = "outbox_enqueued"
_wakers: set[Callable[[], None]] = set()


def _mark_for_wake(session: AsyncSession) -> None:
    session.info[WAKE_KEY] = True


def add_waker(waker: Callable[[], None]) -> None:
    """Call ``waker`` after every commit that wrote outbox rows (the sender sets its event)."""
    _wakers.add(waker)


def remove_waker(waker: Callable[[], None]) -> None:
    _wakers.discard(waker)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(WAKE_KEY, False):
        for waker in list(_wakers):
            waker()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(WAKE_KEY, None)


# ---------------------------------------------------------------- counts for staff and the report
@dataclass
class KindCounts:
    pending: int = 0  # waiting for their first attempt (or being sent right now)
    retrying: int = 0  # the last attempt failed (429, 5xx, network); will be tried again
    sent: int = 0
    failed: int = 0  # refused by Telegram or past the retry deadline
    unreachable: int = 0  # the person blocked the bot / the group is gone (groups: rerouted)


@dataclass
class OutboxStats:
    by_kind: dict[str, KindCounts] = field(default_factory=dict)
    oldest_pending_age: timedelta | None = None  # of the rows still to send

    @property
    def total(self) -> KindCounts:
        total = KindCounts()
        for counts in self.by_kind.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total


async def stats(
    session: AsyncSession, now: datetime, *, since: datetime | None = None, until: datetime | None = None
) -> OutboxStats:
    """Counts by kind (of rows created in [``since``, ``until``), when given) and the age of the
    oldest pending row (of all, at ``now``)."""
    retrying = OutboxMessage.error.is_not(None)  # an attempt failed (429, 5xx, network); success clears it
    bucket = case(
        (OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]) & retrying, "retrying"),
        (OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]), "pending"),
        else_=OutboxMessage.status,
    )
    query = select(OutboxMessage.kind, bucket, func.count(OutboxMessage.id)).group_by(
        OutboxMessage.kind, bucket
    )
    if since is not None:
        query = query.where(OutboxMessage.created_at >= since)
    if until is not None:
        query = query.where(OutboxMessage.created_at < until)
    result = OutboxStats()
    for kind, name, count in await session.execute(query):
        counts = result.by_kind.setdefault(kind, KindCounts())
        if hasattr(counts, str(name)):
            setattr(counts, str(name), int(count))
    oldest = await session.scalar(
        select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])
        )
    )
    if oldest is not None:
        result.oldest_pending_age = max(timedelta(0), now - oldest)
    return result


async def open_count(session: AsyncSession) -> int:
    """Rows still to send (pending, retrying or claimed)."""
    return int(
        await session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])
            )
        )
        or 0
    )


# ---------------------------------------------------------------- personal data
async def export_user(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.created_at, OutboxMessage.sent_at)
        .where((OutboxMessage.user_id == user_id) | (OutboxMessage.chat_id == user_id))
        .order_by(OutboxMessage.id)
    )
    return [
        {
            "kind": kind,
            "status": OutboxStatus(status).value,
            "created_at": created.isoformat(),
            "sent_at": sent.isoformat() if sent else None,
        }
        for kind, status, created, sent in rows
    ]


async def erase_user(session: AsyncSession, user_id: int) -> None:
    """Drop what is still to be sent to them; keep past rows' kinds and outcomes, not their content."""
    theirs = (OutboxMessage.user_id == user_id) | (OutboxMessage.chat_id == user_id)
    await session.execute(
        delete(OutboxMessage).where(
            theirs, OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED])
        )
    )
    await session.execute(
        update(OutboxMessage)
        .where(theirs)
        .values(user_id=None, chat_id=0, text="", keyboard=None, photos=None, location=None, card_key=None)
    )
    await session.execute(delete(OutboxCard).where(OutboxCard.chat_id == user_id))
