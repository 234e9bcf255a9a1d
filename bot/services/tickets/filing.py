"""Filing a report: classify, number, link to an open duplicate or schedule its time limits."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import insert_with_conflicts
from bot.models import Ticket, TicketCounter, TicketEvent, TicketStatus
from bot.services import users
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.tickets.deadlines import schedule_limits
from bot.services.tickets.errors import TicketError, TicketProblem
from bot.services.tickets.queries import OPEN_STATUSES
from bot.services.tickets.rules import assess, check_description, has_words
from bot.timeutil import DEFAULT_TZ, local

DUPLICATE_WINDOW = timedelta(days=7)
DUPLICATE_SIMILARITY = 0.5  # Jaccard of content words
DUPLICATE_DISTANCE_M = 300.0
DUPLICATE_CANDIDATES = 200


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
    again: bool = False  # its confirm button had filed it already: nothing new to route or tell


class AlreadyFiled(Exception):
    """Another transaction filed this key at the same moment (PostgreSQL: the unique index decided).
    The caller's transaction is broken: roll it back and read the ticket with ``filed_with``."""


async def filed_with(session: AsyncSession, reporter_id: int, filing_key: str) -> Filed | None:
    """The ticket this person's confirm button ``filing_key`` filed, if it did."""
    ticket = await session.scalar(
        select(Ticket).where(Ticket.filing_key == filing_key, Ticket.reporter_id == reporter_id)
    )
    if ticket is None:
        return None
    original = await session.get(Ticket, ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    return Filed(ticket, original, again=True)


# ---------------------------------------------------------------- numbers
async def next_number(session: AsyncSession, now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """TS-YYYYMMDD-NNNN, counted per local day with an atomic upsert (race-free on both databases)."""
    day = local(now, tz).strftime("%Y%m%d")
    statement = (
        insert_with_conflicts(session, TicketCounter)
        .values(day=day, last=1)
        .on_conflict_do_update(index_elements=[TicketCounter.day], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    )
    value = (await session.execute(statement)).scalar_one()
    return f"TS-{day}-{value:04d}"


# ---------------------------------------------------------------- duplicates
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
            Ticket.status.in_(OPEN_STATUSES),
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


# ---------------------------------------------------------------- filing
async def file_ticket(
    session: AsyncSession,
    classifier: ComplaintClassifier,
    reporter_id: int,
    report: Report,
    *,
    now: datetime,
    tz: ZoneInfo = DEFAULT_TZ,
    filing_key: str | None = None,
) -> Filed:
    """Classify, number and store a report; link it to an open duplicate or schedule its time limits.

    Idempotent by ``filing_key`` (carried in the confirm button): a second filing with the same key
    returns the first ticket (``again``), in this process or any other. On SQLite the write lock
    taken when the transaction began makes the lookup decide; on PostgreSQL a filing racing with
    the first waits on the unique index and raises ``AlreadyFiled``.
    """
    if filing_key is not None and (earlier := await filed_with(session, reporter_id, filing_key)):
        return earlier
    check_description(report.text)
    if report.category_id is not None and classifier.category(report.category_id) is None:
        raise TicketError(TicketProblem.UNKNOWN_CATEGORY)
    await users.ensure_exists(session, reporter_id)
    decided = assess(classifier, report.text, report.category_id)
    result = decided.classification
    ticket = Ticket(
        # A unique placeholder; the real number is taken last (below), so the day's counter row is
        # locked only for the final statements of the transaction, not while it is being built.
        number=f"~{uuid.uuid4().hex[:19]}",
        filing_key=filing_key,
        reporter_id=reporter_id,
        anonymous=report.anonymous,
        text=report.text,
        photo_file_ids=list(report.photo_file_ids),
        latitude=report.latitude,
        longitude=report.longitude,
        address=report.address,
        category_id=decided.category_id,
        department_id=decided.department_id,
        confidence=result.confidence,
        keywords=list(result.keywords),
        urgent=result.urgent,
        urgent_kinds=list(result.urgent_kinds),
        status=TicketStatus.RECEIVED,
        time_limit_hours=decided.hours,
        created_at=now,
        updated_at=now,
    )
    original = None
    if not result.urgent:  # an urgent report is never folded into another: it must alert at once
        original = await find_duplicate(
            session, classifier, decided.category_id, report.text, report.latitude, report.longitude, now
        )
    if original is not None:
        ticket.status = TicketStatus.DUPLICATE
        ticket.duplicate_of_id = original.id
    else:
        ticket.due_at = now + timedelta(hours=decided.hours)
    session.add(ticket)
    try:
        await session.flush()
    except IntegrityError as error:
        if filing_key is not None and "filing_key" in str(error.orig):
            raise AlreadyFiled from None
        raise
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind="created",
            to_status=ticket.status.value,
            actor_id=reporter_id,
            details={"category": decided.category_id, "chosen": report.category_id is not None},
            created_at=now,
        )
    )
    if original is None:
        await schedule_limits(session, ticket, now)
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
