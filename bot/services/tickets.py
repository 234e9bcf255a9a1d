"""Complaint tickets: filing, routing, the lifecycle with time limits, duplicates, personal data.

Rules only: no Telegram here. Every function takes the session first and never commits; the caller
(a handler, a scheduled task) owns the transaction. Which action is allowed in which status lives in
``bot.models.tickets.TICKET_TRANSITIONS``; this module enforces it together with who may act.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler, texts
from bot.models import Role, Ticket, TicketAction, TicketCounter, TicketEvent, TicketStatus
from bot.models.tickets import allowed, target_status
from bot.services import DomainError, NotFound, PermissionDenied, audit, users
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.users import Actor
from bot.timeutil import DEFAULT_TZ, local, utcnow

REOPEN_DAYS = 7
WARN_FRACTION = 0.75
DUPLICATE_WINDOW = timedelta(days=7)
DUPLICATE_SIMILARITY = 0.5  # Jaccard of content words
DUPLICATE_DISTANCE_M = 300.0
DUPLICATE_CANDIDATES = 200

WARN_KIND = "ticket-warn"
OVERDUE_KIND = "ticket-overdue"
CLOSE_KIND = "ticket-close"

NUMBER_PATTERN = re.compile(r"^TS-\d{8}-\d{4,}$")
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")


class TicketError(DomainError):
    """A ticket rule said no."""


class InvalidTransition(TicketError):
    """The ticket's status does not allow the action (e.g. an old button pressed twice)."""


@dataclass(frozen=True)
class Report:
    """What a resident sends: the text exactly as typed, photos, place, anonymity, chosen category."""

    text: str
    photo_file_ids: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    anonymous: bool = False
    category_id: str | None = None  # the resident's choice instead of the classifier's


@dataclass
class Filed:
    ticket: Ticket
    original: Ticket | None = None  # set when the report was linked as a duplicate
    staff_chats: list[int] = field(default_factory=list)


# ---------------------------------------------------------------- small rules
def has_words(text: str) -> bool:
    """True when the text has letters, digits or Chinese characters (not only emoji/punctuation)."""
    return bool(_WORDISH.search(text))


def can_handle(actor: Actor, ticket: Ticket) -> bool:
    """Campaign staff everywhere; a department's handlers on their own department's tickets."""
    if actor.is_campaign_staff:
        return True
    return actor.role is Role.HANDLER and actor.department == ticket.department_id


def can_view(actor: Actor, ticket: Ticket) -> bool:
    return ticket.reporter_id == actor.user_id or can_handle(actor, ticket)


def limit_hours(classifier: ComplaintClassifier, category_id: str, urgent: bool) -> float:
    if urgent:
        return classifier.urgent_time_limit_hours
    category = classifier.category(category_id)
    return category.time_limit_hours if category else classifier.triage_time_limit_hours


def department_of(classifier: ComplaintClassifier, category_id: str) -> str:
    category = classifier.category(category_id)
    return category.department if category else classifier.triage_department


def category_name(classifier: ComplaintClassifier, category_id: str) -> str:
    category = classifier.category(category_id)
    return category.name if category else classifier.triage_name


def department_name(classifier: ComplaintClassifier, department_id: str) -> str:
    department = classifier.departments.get(department_id)
    return department.name if department else department_id


def content_words(classifier: ComplaintClassifier, text: str) -> set[str]:
    """Words that carry meaning for duplicate detection: jieba tokens of two or more characters."""
    return {t for t in classifier.tokens(text) if len(t) >= 2 and has_words(t)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def task_keys(ticket: Ticket) -> tuple[str, str]:
    """The warning and overdue task keys of the ticket's current round (a reopen starts a new one)."""
    suffix = f":{ticket.reopen_count}" if ticket.reopen_count else ""
    return f"{WARN_KIND}:{ticket.id}{suffix}", f"{OVERDUE_KIND}:{ticket.id}{suffix}"


# ---------------------------------------------------------------- numbers
async def next_number(session: AsyncSession, now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """TS-YYYYMMDD-NNNN, counted per local day with an atomic upsert (race-free on both databases)."""
    day = local(now, tz).strftime("%Y%m%d")
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(TicketCounter)
        .values(day=day, last=1)
        .on_conflict_do_update(index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    )
    value = (await session.execute(statement)).scalar_one()
    return f"TS-{day}-{value:04d}"


# ---------------------------------------------------------------- filing
async def find_duplicate(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    category_id: str,
    text: str,
    latitude: float | None,
    longitude: float | None,
    now: datetime,
) -> Ticket | None:
    """An open, recent ticket of the same category with a very similar text (and near, if both located)."""
    if category_id == TRIAGE_ID:
        return None
    words = content_words(classifier, text)
    candidates = await session.scalars(
        select(Ticket)
        .where(
            Ticket.category_id == category_id,
            Ticket.status.in_([TicketStatus.RECEIVED, TicketStatus.ACCEPTED]),
            Ticket.created_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(Ticket.created_at.desc())
        .limit(DUPLICATE_CANDIDATES)
    )
    best: tuple[float, Ticket] | None = None
    for candidate in candidates:
        if None not in (latitude, longitude, candidate.latitude, candidate.longitude):
            far = distance_m(latitude, longitude, candidate.latitude, candidate.longitude)  # type: ignore[arg-type]
            if far > DUPLICATE_DISTANCE_M:
                continue
        score = jaccard(words, content_words(classifier, candidate.text))
        if score >= DUPLICATE_SIMILARITY and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best else None


async def file_ticket(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    reporter_id: int,
    report: Report,
    *,
    now: datetime | None = None,
    tz: ZoneInfo = DEFAULT_TZ,
) -> Filed:
    """Classify, number and store a report; link it to an open duplicate or schedule its time limits."""
    now = now or utcnow()
    if not report.text.strip():
        raise TicketError(texts.TEXT_EMPTY)
    if len(report.text.strip()) > texts.COMPLAINT_TEXT_LIMIT:
        raise TicketError(
            texts.COMPLAIN_TOO_LONG.format(length=len(report.text.strip()), limit=texts.COMPLAINT_TEXT_LIMIT)
        )
    if report.category_id is not None and classifier.category(report.category_id) is None:
        raise TicketError(texts.TICKET_UNKNOWN_CATEGORY)
    await users.ensure_user(session, reporter_id)
    result = classifier.classify(report.text)
    category_id = report.category_id or result.category_id
    hours = limit_hours(classifier, category_id, result.urgent)
    ticket = Ticket(
        # A unique placeholder; the real number is taken last (below), so the day's counter row is
        # locked only for the final statements of the transaction, not while it is being built.
        number=f"~{uuid.uuid4().hex[:19]}",
        reporter_id=reporter_id,
        anonymous=report.anonymous,
        text=report.text,
        photo_file_ids=list(report.photo_file_ids),
        latitude=report.latitude,
        longitude=report.longitude,
        address=report.address,
        category_id=category_id,
        department_id=department_of(classifier, category_id),
        confidence=result.confidence,
        keywords=list(result.keywords),
        urgent=result.urgent,
        urgent_kinds=list(result.urgent_kinds),
        status=TicketStatus.RECEIVED,
        time_limit_hours=hours,
        created_at=now,
        updated_at=now,
    )
    original = None
    if not result.urgent:  # an urgent report is never folded into another: it must alert at once
        original = await find_duplicate(
            session, classifier, category_id, report.text, report.latitude, report.longitude, now
        )
    if original is not None:
        ticket.status = TicketStatus.DUPLICATE
        ticket.duplicate_of_id = original.id
    else:
        ticket.due_at = now + timedelta(hours=hours)
    session.add(ticket)
    await session.flush()
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind="created",
            to_status=ticket.status.value,
            actor_id=reporter_id,
            details={"category": category_id, "chosen": report.category_id is not None},
            created_at=now,
        )
    )
    if original is None:
        await _schedule_limits(session, ticket, now)
    else:
        session.add(
            TicketEvent(
                ticket_id=original.id,
                kind="duplicate_linked",
                details={"duplicate_id": ticket.id},
                created_at=now,
            )
        )
    ticket.number = await next_number(session, now, tz)
    await session.flush()
    return Filed(ticket, original)


async def _schedule_limits(session: AsyncSession, ticket: Ticket, now: datetime) -> None:
    assert ticket.due_at is not None
    warn_key, overdue_key = task_keys(ticket)
    span = ticket.due_at - now
    await scheduler.schedule(session, warn_key, WARN_KIND, now + span * WARN_FRACTION, {"ticket": ticket.id})
    await scheduler.schedule(session, overdue_key, OVERDUE_KIND, ticket.due_at, {"ticket": ticket.id})


async def _cancel_limits(session: AsyncSession, ticket: Ticket) -> None:
    for key in task_keys(ticket):
        await scheduler.cancel(session, key)


# ---------------------------------------------------------------- reading
async def get_ticket(session: AsyncSession, ticket_id: int, *, lock: bool = False) -> Ticket:
    query = select(Ticket).where(Ticket.id == ticket_id)
    if lock:
        query = query.with_for_update()
    ticket = await session.scalar(query)
    if ticket is None:
        raise NotFound(texts.TICKET_NOT_FOUND)
    return ticket


def normalise_number(raw: str) -> str:
    number = raw.strip().upper().replace("－", "-").replace("—", "-")
    if not NUMBER_PATTERN.match(number):
        raise TicketError(texts.TICKET_NUMBER_INVALID)
    return number


async def get_by_number(session: AsyncSession, raw: str) -> Ticket:
    ticket = await session.scalar(select(Ticket).where(Ticket.number == normalise_number(raw)))
    if ticket is None:
        raise NotFound(texts.TICKET_NOT_FOUND)
    return ticket


async def visible_ticket(session: AsyncSession, raw_number: str, actor: Actor) -> Ticket:
    """A ticket its reporter or its handlers may see; others are told it does not exist."""
    ticket = await get_by_number(session, raw_number)
    if not can_view(actor, ticket):
        raise NotFound(texts.TICKET_NOT_FOUND)
    return ticket


async def history(session: AsyncSession, ticket_id: int) -> Sequence[TicketEvent]:
    return (
        await session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.created_at, TicketEvent.id)
        )
    ).all()


async def tickets_of(session: AsyncSession, user_id: int, limit: int = 20) -> Sequence[Ticket]:
    return (
        await session.scalars(
            select(Ticket)
            .where(Ticket.reporter_id == user_id)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
    ).all()


async def linked_reporters(session: AsyncSession, ticket_id: int) -> list[int]:
    """Reporters of the duplicates linked to this ticket (they hear its outcome too)."""
    rows = await session.scalars(
        select(Ticket.reporter_id).where(Ticket.duplicate_of_id == ticket_id, Ticket.reporter_id.is_not(None))
    )
    return sorted({r for r in rows if r is not None})


@dataclass(frozen=True)
class QueueFilter:
    status: TicketStatus | None = None
    category_id: str | None = None
    department_id: str | None = None
    overdue: bool = False
    triage: bool = False
    open_only: bool = False


async def queue(
    session: AsyncSession,
    actor: Actor,
    spec: QueueFilter,
    *,
    now: datetime | None = None,
    limit: int = 20,
) -> tuple[Sequence[Ticket], int]:
    """Tickets for the staff queue (a department's handlers see only their department's)."""
    users.require_staff(actor)
    now = now or utcnow()
    conditions: list[Any] = []
    if not actor.is_campaign_staff:
        conditions.append(Ticket.department_id == (actor.department or ""))
    if spec.status is not None:
        conditions.append(Ticket.status == spec.status)
    if spec.open_only or spec.overdue or spec.triage:
        conditions.append(Ticket.status.in_([TicketStatus.RECEIVED, TicketStatus.ACCEPTED]))
    if spec.category_id:
        conditions.append(Ticket.category_id == spec.category_id)
    if spec.department_id:
        conditions.append(Ticket.department_id == spec.department_id)
    if spec.triage:
        conditions.append(Ticket.category_id == TRIAGE_ID)
    if spec.overdue:
        conditions.append(Ticket.due_at < now)
    total = await session.scalar(select(func.count(Ticket.id)).where(*conditions)) or 0
    rows = (
        await session.scalars(
            select(Ticket)
            .where(*conditions)
            .order_by(Ticket.urgent.desc(), Ticket.due_at.asc().nulls_last(), Ticket.id)
            .limit(limit)
        )
    ).all()
    return rows, int(total)


# ---------------------------------------------------------------- staff actions
async def check_action(session: AsyncSession, ticket_id: int, actor: Actor, action: TicketAction) -> Ticket:
    """Raise unless this actor may take this action on the ticket now (asked before prompting for a note)."""
    ticket = await get_ticket(session, ticket_id)
    _require(actor, ticket, action)
    return ticket


def _require(actor: Actor, ticket: Ticket, action: TicketAction) -> None:
    if not can_handle(actor, ticket):
        raise PermissionDenied(texts.TICKET_NOT_YOURS)
    _require_status(ticket, action)


def _require_status(ticket: Ticket, action: TicketAction) -> None:
    if not allowed(action, ticket.status):
        raise InvalidTransition(
            texts.TICKET_WRONG_STATUS.format(
                number=ticket.number,
                status=texts.TICKET_STATUS_NAMES[ticket.status.value],
                action=texts.TICKET_EVENT_NAMES[action.value],
            )
        )


async def _apply(
    session: AsyncSession,
    ticket: Ticket,
    action: TicketAction,
    actor_id: int | None,
    now: datetime,
    *,
    note: str | None = None,
    staff: bool = True,
    **details: Any,
) -> None:
    """Move the ticket along TICKET_TRANSITIONS, write its history and (for staff) the audit log."""
    before = ticket.status
    ticket.status = target_status(action, before)
    ticket.updated_at = now
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind=action.value,
            from_status=before.value,
            to_status=ticket.status.value,
            actor_id=actor_id,
            note=note,
            details=details,
            created_at=now,
        )
    )
    if staff:
        await audit.record(
            session,
            actor_id,
            f"ticket.{action.value}",
            ticket.number,
            status_from=before.value,
            status_to=ticket.status.value,
            **details,
        )


async def accept(
    session: AsyncSession, ticket_id: int, actor: Actor, *, now: datetime | None = None
) -> Ticket:
    now = now or utcnow()
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require(actor, ticket, TicketAction.ACCEPT)
    ticket.accepted_at = now
    await _apply(session, ticket, TicketAction.ACCEPT, actor.user_id, now)
    return ticket


async def reassign(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    ticket_id: int,
    actor: Actor,
    department_id: str,
    *,
    now: datetime | None = None,
) -> Ticket:
    """Send the ticket to another department; it is 待受理 there, with the original time limit."""
    now = now or utcnow()
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require(actor, ticket, TicketAction.REASSIGN)
    if department_id not in classifier.departments:
        raise TicketError(texts.TICKET_UNKNOWN_DEPARTMENT)
    if department_id == ticket.department_id:
        raise TicketError(texts.TICKET_SAME_DEPARTMENT)
    previous = ticket.department_id
    ticket.department_id = department_id
    ticket.accepted_at = None
    await _apply(
        session,
        ticket,
        TicketAction.REASSIGN,
        actor.user_id,
        now,
        department_from=previous,
        department_to=department_id,
    )
    return ticket


async def triage(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    ticket_id: int,
    actor: Actor,
    category_id: str,
    *,
    now: datetime | None = None,
) -> Ticket:
    """Give a 待分拣 (or misfiled) open ticket its category; it moves to that category's department."""
    now = now or utcnow()
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require(actor, ticket, TicketAction.TRIAGE)
    if classifier.category(category_id) is None:
        raise TicketError(texts.TICKET_UNKNOWN_CATEGORY)
    if category_id == ticket.category_id:
        raise InvalidTransition(texts.ALREADY_DONE)
    previous = ticket.category_id
    ticket.category_id = category_id
    ticket.department_id = department_of(classifier, category_id)
    ticket.time_limit_hours = limit_hours(classifier, category_id, ticket.urgent)
    if previous == TRIAGE_ID:  # the triage time limit gives way to the category's
        ticket.due_at = ticket.created_at + timedelta(hours=ticket.time_limit_hours)
        warn_key, overdue_key = task_keys(ticket)
        span = ticket.due_at - ticket.created_at
        await scheduler.reschedule(session, warn_key, ticket.created_at + span * WARN_FRACTION)
        await scheduler.reschedule(session, overdue_key, ticket.due_at)
    await _apply(
        session,
        ticket,
        TicketAction.TRIAGE,
        actor.user_id,
        now,
        category_from=previous,
        category_to=category_id,
        department_to=ticket.department_id,
    )
    return ticket


def _note(raw: str) -> str:
    note = raw.strip()
    if not note:
        raise TicketError(texts.TEXT_EMPTY)
    if len(note) > texts.COMPLAINT_TEXT_LIMIT:
        raise TicketError(texts.TEXT_TOO_LONG.format(length=len(note), limit=texts.COMPLAINT_TEXT_LIMIT))
    return note


async def resolve(
    session: AsyncSession,
    ticket_id: int,
    actor: Actor,
    note: str,
    *,
    photo_file_id: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """办结 with a note (and an optional photo); the reporter may rate it or reopen it for a week."""
    now = now or utcnow()
    note = _note(note)
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require(actor, ticket, TicketAction.RESOLVE)
    ticket.resolved_at = now
    ticket.resolution_note = note
    await _cancel_limits(session, ticket)
    details: dict[str, Any] = {"photo": photo_file_id} if photo_file_id else {}
    await _apply(session, ticket, TicketAction.RESOLVE, actor.user_id, now, note=note, **details)
    await scheduler.schedule(
        session,
        f"{CLOSE_KIND}:{ticket.id}:{ticket.reopen_count}",
        CLOSE_KIND,
        now + timedelta(days=REOPEN_DAYS),
        {"ticket": ticket.id},
    )
    return ticket


async def reject(
    session: AsyncSession, ticket_id: int, actor: Actor, reason: str, *, now: datetime | None = None
) -> Ticket:
    now = now or utcnow()
    reason = _note(reason)
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require(actor, ticket, TicketAction.REJECT)
    ticket.closed_at = now
    await _cancel_limits(session, ticket)
    await _apply(session, ticket, TicketAction.REJECT, actor.user_id, now, note=reason)
    return ticket


async def mark_duplicate(
    session: AsyncSession, ticket_id: int, actor: Actor, original_number: str, *, now: datetime | None = None
) -> tuple[Ticket, Ticket]:
    """Link the ticket to the original (following the original's own link, so chains stay one deep)."""
    now = now or utcnow()
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require(actor, ticket, TicketAction.DUPLICATE)
    original = await get_by_number(session, original_number)
    if original.duplicate_of_id is not None:
        original = await get_ticket(session, original.duplicate_of_id)
    if original.id == ticket.id:
        raise TicketError(texts.TICKET_DUPLICATE_SELF)
    ticket.duplicate_of_id = original.id
    ticket.closed_at = now
    await _cancel_limits(session, ticket)
    await _apply(session, ticket, TicketAction.DUPLICATE, actor.user_id, now, original=original.number)
    return ticket, original


# ---------------------------------------------------------------- the reporter's actions
def _require_reporter(ticket: Ticket, user_id: int) -> None:
    if ticket.reporter_id is None or ticket.reporter_id != user_id:
        raise PermissionDenied(texts.TICKET_ONLY_REPORTER)


async def rate(
    session: AsyncSession, ticket_id: int, user_id: int, rating: int, *, now: datetime | None = None
) -> Ticket:
    """回访满意度 1–5; closes the resolved ticket. A second rating is refused politely."""
    now = now or utcnow()
    if rating not in range(1, 6):
        raise TicketError(texts.TICKET_RATING_INVALID)
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require_reporter(ticket, user_id)
    if ticket.rating is not None and ticket.status is not TicketStatus.RESOLVED:
        raise InvalidTransition(texts.TICKET_ALREADY_RATED)
    _require_status(ticket, TicketAction.RATE)
    ticket.rating = rating
    ticket.closed_at = now
    await _apply(session, ticket, TicketAction.RATE, user_id, now, staff=False, rating=rating)
    return ticket


async def reopen(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    ticket_id: int,
    user_id: int,
    *,
    now: datetime | None = None,
) -> Ticket:
    """重新办理 within REOPEN_DAYS of resolution: back to 待受理 in the same department, a new time limit."""
    now = now or utcnow()
    ticket = await get_ticket(session, ticket_id, lock=True)
    _require_reporter(ticket, user_id)
    _require_status(ticket, TicketAction.REOPEN)
    if ticket.resolved_at is None or now - ticket.resolved_at > timedelta(days=REOPEN_DAYS):
        raise TicketError(texts.TICKET_REOPEN_EXPIRED.format(days=REOPEN_DAYS))
    await scheduler.cancel(session, f"{CLOSE_KIND}:{ticket.id}:{ticket.reopen_count}")
    ticket.reopen_count += 1
    ticket.resolved_at = None
    ticket.accepted_at = None
    ticket.closed_at = None
    ticket.rating = None
    ticket.time_limit_hours = limit_hours(classifier, ticket.category_id, ticket.urgent)
    ticket.due_at = now + timedelta(hours=ticket.time_limit_hours)
    await _apply(session, ticket, TicketAction.REOPEN, user_id, now, staff=False)
    await _schedule_limits(session, ticket, now)
    return ticket


# ---------------------------------------------------------------- scheduled work
async def open_for_warning(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """The ticket when a 75% warning still makes sense (open, not yet due); records it in the history."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not ticket.status.is_open or ticket.due_at is None or ticket.due_at <= now:
        return None
    session.add(TicketEvent(ticket_id=ticket.id, kind="warned", created_at=now))
    return ticket


async def overdue_for_escalation(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """The ticket when it is open and past its time limit (督办); records the escalation."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not ticket.status.is_open or ticket.due_at is None or ticket.due_at > now:
        return None
    session.add(TicketEvent(ticket_id=ticket.id, kind="escalated", created_at=now))
    await audit.record(session, None, "ticket.escalated", ticket.number, department=ticket.department_id)
    return ticket


async def close_unrated(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """Close a resolved ticket whose reopen window passed without a rating."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or not allowed(TicketAction.CLOSE, ticket.status):
        return None
    ticket.closed_at = now
    await _apply(session, ticket, TicketAction.CLOSE, None, now, staff=False)
    return ticket


# ---------------------------------------------------------------- personal data (/mydata, /forget)
async def export_tickets(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    rows = await session.scalars(select(Ticket).where(Ticket.reporter_id == user_id).order_by(Ticket.id))
    return [
        {
            "number": t.number,
            "text": t.text,
            "status": t.status.value,
            "category": t.category_id,
            "department": t.department_id,
            "anonymous": t.anonymous,
            "address": t.address,
            "latitude": t.latitude,
            "longitude": t.longitude,
            "photos": len(t.photo_file_ids),
            "rating": t.rating,
            "created_at": t.created_at.isoformat(),
            "resolved_at": t.resolved_at.isoformat() if t.resolved_at else None,
        }
        for t in rows
    ]


async def erase_tickets(session: AsyncSession, user_id: int) -> None:
    """The reports stay for the departments, anonymised: no reporter, no link back in their history."""
    ids = list(await session.scalars(select(Ticket.id).where(Ticket.reporter_id == user_id)))
    if not ids:
        return
    await session.execute(update(Ticket).where(Ticket.id.in_(ids)).values(reporter_id=None, anonymous=True))
    await session.execute(
        update(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ids), TicketEvent.actor_id == user_id)
        .values(actor_id=None)
    )


def overdue_condition(now: datetime) -> Any:
    """SQL condition for "overdue now" (open and past due), shared with reports."""
    return (Ticket.status.in_([TicketStatus.RECEIVED, TicketStatus.ACCEPTED])) & (Ticket.due_at < now)
