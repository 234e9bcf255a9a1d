"""Campaign broadcasts: compose, choose an audience and a time, materialise deliveries, pause/cancel.

Sending itself is the delivery engine's job (``bot.broadcast_delivery``); this module decides *who*
gets *what* and *when*, and keeps the statuses honest.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot import scheduler, texts
from bot.botapi_rules import ALLOWED_TAGS, NAMED_ENTITIES
from bot.models import (
    AudienceKind,
    Broadcast,
    BroadcastRate,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Role,
    ScheduleKind,
    Subscription,
    Topic,
    User,
)
from bot.models.broadcasts import BROADCAST_TRANSITIONS
from bot.models.volunteers import VolunteerProfile
from bot.services import DomainError, NotFound, audit
from bot.services.users import Actor, require_campaign_staff
from bot.timeutil import DEFAULT_TZ, ensure_aware, utcnow

TASK_KIND = "broadcast"
MATERIALISE_BATCH = 5000
MAX_TEXT = 4096  # Telegram's limit for a message (after entities are parsed)
MAX_CAPTION = 1024
ECHO_LIMIT = 32  # characters of a refused tag or attribute name echoed back
RECURRING = (ScheduleKind.DAILY, ScheduleKind.WEEKLY)


class BroadcastError(DomainError):
    """A broadcast rule said no (bad HTML, unknown audience, past time…)."""


# ---------------------------------------------------------------- Telegram HTML validation
# (the tags, attributes and entities Telegram accepts are bot.botapi_rules', shared with the emulator)
def _shown(name: str) -> str:
    """A tag, attribute or entity name as the refusal echoes it (HTML): "<a&b>" parses as the tag
    "a&b", and an unescaped "&" or "<" would make Telegram refuse the refusal itself."""
    return html.escape(name[:ECHO_LIMIT], quote=False)


class _TelegramHtmlChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text_length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED_TAGS.get(tag)
        if allowed is None:
            self.errors.append(texts.BROADCAST_HTML_BAD_TAG.format(tag=_shown(tag)))
            return
        for name, _value in attrs:
            if name not in allowed:
                self.errors.append(texts.BROADCAST_HTML_BAD_ATTR.format(tag=_shown(tag), attr=_shown(name)))
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.errors.append(texts.BROADCAST_HTML_BAD_ATTR.format(tag=_shown(tag), attr="class"))
        if tag == "a" and not re.match(r"^(https?://|tg://)", dict(attrs).get("href") or ""):
            self.errors.append(texts.BROADCAST_HTML_BAD_LINK)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(texts.BROADCAST_HTML_BAD_TAG.format(tag=_shown(tag)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(texts.BROADCAST_HTML_UNBALANCED.format(tag=_shown(tag)))
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.errors.append(texts.BROADCAST_HTML_STRAY)
        self.text_length += len(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self.errors.append(texts.BROADCAST_HTML_BAD_ENTITY.format(entity=_shown(name)))
        self.text_length += 1

    def handle_charref(self, name: str) -> None:
        self.text_length += 1

    def handle_comment(self, data: str) -> None:
        self.errors.append(texts.BROADCAST_HTML_BAD_TAG.format(tag="!--"))

    def handle_decl(self, decl: str) -> None:
        self.errors.append(texts.BROADCAST_HTML_BAD_TAG.format(tag="!"))


def validate_html(text: str, *, caption: bool = False) -> str:
    """Check staff HTML against Telegram's rules before anything is sent; returns it stripped."""
    text = text.strip()
    limit = MAX_CAPTION if caption else MAX_TEXT
    if not text and not caption:
        raise BroadcastError(texts.TEXT_EMPTY)
    checker = _TelegramHtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        checker.errors.append(texts.BROADCAST_HTML_UNCLOSED.format(tag=_shown(checker.stack[-1])))
    if checker.errors:
        raise BroadcastError(texts.BROADCAST_HTML_INVALID.format(reason=checker.errors[0]))
    if checker.text_length > limit:
        raise BroadcastError(texts.TEXT_TOO_LONG.format(length=checker.text_length, limit=limit))
    return text


# ---------------------------------------------------------------- audiences
def district_user_ids(district: str) -> Select[int]:
    """User ids of volunteers registered in a district."""
    return select(VolunteerProfile.user_id).where(VolunteerProfile.district == district)


def _subscribed(topic: Topic) -> ColumnElement[bool]:
    return User.id.in_(select(Subscription.user_id).where(Subscription.topic == topic))


def audience_filter(kind: AudienceKind, param: str | None) -> list[ColumnElement[bool]]:
    """Conditions on ``User`` selecting an audience. Blocked users are never included.

    Residents' audiences (a topic's subscribers, volunteers, a district) honour the opt-out: only
    users subscribed to the topic (通知 for volunteers and districts). Staff and a department's
    handlers get work notices whatever their subscriptions.
    """
    conditions: list[ColumnElement[bool]] = [User.unreachable_since.is_(None)]
    if kind is AudienceKind.TOPIC:
        conditions.append(_subscribed(parse_topic(param)))
    elif kind is AudienceKind.VOLUNTEERS:
        conditions += [User.role == Role.VOLUNTEER, _subscribed(Topic.NOTICES)]
    elif kind is AudienceKind.DISTRICT:
        if not param:
            raise BroadcastError(texts.BROADCAST_DISTRICT_EMPTY)
        conditions += [User.id.in_(district_user_ids(param)), _subscribed(Topic.NOTICES)]
    elif kind is AudienceKind.STAFF:
        conditions.append(User.role.in_([Role.STAFF, Role.HANDLER, Role.ADMIN]))
    elif kind is AudienceKind.DEPARTMENT:
        if not param:
            raise BroadcastError(texts.BROADCAST_DEPARTMENT_EMPTY)
        conditions += [User.role == Role.HANDLER, User.department == param]
    return conditions


def parse_topic(value: str | None) -> Topic:
    try:
        return Topic(value or "")
    except ValueError:
        raise BroadcastError(texts.BROADCAST_BAD_AUDIENCE) from None


async def audience_size(session: AsyncSession, kind: AudienceKind, param: str | None) -> int:
    return int(await session.scalar(select(func.count(User.id)).where(*audience_filter(kind, param))) or 0)


async def departments(session: AsyncSession) -> list[str]:
    """Departments that have at least one handler (the choices offered to staff)."""
    rows = await session.scalars(
        select(User.department)
        .where(User.role == Role.HANDLER, User.department.is_not(None))
        .distinct()
        .order_by(User.department)
    )
    return [d for d in rows if d]


def describe_audience(kind: AudienceKind, param: str | None) -> str:
    name = texts.BROADCAST_AUDIENCE_NAMES[kind.value]
    if kind is AudienceKind.TOPIC and param:
        return name.format(param=texts.TOPIC_NAMES.get(param, param))
    return name.format(param=param or "")


async def materialise(session: AsyncSession, broadcast: Broadcast, occurrence: int) -> int:
    """One pending Delivery per recipient, by INSERT … SELECT in user-id batches; idempotent.

    No Python loop per recipient: 300k subscribers are ~60 statements. Re-running for the same
    occurrence inserts nothing twice (unique broadcast, occurrence, chat).
    """
    conditions = audience_filter(broadcast.audience_kind, broadcast.audience_param)
    now = utcnow()
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = [
        "broadcast_id",
        "occurrence",
        "user_id",
        "chat_id",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    total, last_id = 0, None
    while True:
        window = [*conditions] if last_id is None else [*conditions, User.id > last_id]
        upper = await session.scalar(
            select(User.id).where(*window).order_by(User.id).offset(MATERIALISE_BATCH - 1).limit(1)
        )
        batch = window if upper is None else [*window, User.id <= upper]
        source = select(
            literal(broadcast.id),
            literal(occurrence),
            User.id,
            User.id,  # private chats: the chat id is the user id
            literal(DeliveryStatus.PENDING.value),
            literal(0),
            literal(now, type_=Delivery.__table__.c.next_attempt_at.type),
            literal(now, type_=Delivery.__table__.c.created_at.type),
        ).where(*batch)
        statement = insert_fn(Delivery).from_select(columns, source).on_conflict_do_nothing()
        result = await session.execute(statement)
        total += max(0, int(getattr(result, "rowcount", 0) or 0))
        if upper is None:
            return total
        last_id = upper


# ---------------------------------------------------------------- schedules
@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind
    send_at: datetime | None = None  # AT
    send_time: str | None = None  # DAILY/WEEKLY, "HH:MM" local
    weekday: int | None = None  # WEEKLY, 0 = Monday


def parse_hhmm(value: str) -> str:
    match = re.fullmatch(r"\s*(\d{1,2})[:：](\d{2})\s*", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise BroadcastError(texts.BROADCAST_BAD_TIME)
    return f"{int(match[1]):02d}:{match[2]}"


def parse_datetime(value: str, tz: ZoneInfo, now: datetime) -> datetime:
    """'2026-12-01 09:30' (or 12-01 09:30, or 明天 09:30) in local time → aware UTC datetime in the future."""
    value = value.strip().replace("／", "/").replace("/", "-")
    local_now = ensure_aware(now).astimezone(tz)
    match = re.fullmatch(
        r"(?:(?:(\d{4})-)?(\d{1,2})-(\d{1,2})|(今天|明天|后天))\s+(\d{1,2}[:：]\d{2})", value
    )
    if not match:
        raise BroadcastError(texts.BROADCAST_BAD_DATETIME)
    hh, mm = (int(x) for x in parse_hhmm(match[5]).split(":"))
    try:
        if match[4]:
            day = local_now.date() + timedelta(days={"今天": 0, "明天": 1, "后天": 2}[match[4]])
        else:
            day = date(int(match[1] or local_now.year), int(match[2]), int(match[3]))
    except ValueError:
        raise BroadcastError(texts.BROADCAST_BAD_DATETIME) from None
    when = datetime.combine(day, time(hh, mm), tzinfo=tz)
    if when <= local_now:
        raise BroadcastError(texts.BROADCAST_TIME_PAST)
    if when - local_now > timedelta(days=366):
        raise BroadcastError(texts.BROADCAST_TIME_TOO_FAR)
    return when.astimezone(ZoneInfo("UTC"))


def next_occurrence(schedule: Schedule, after: datetime, tz: ZoneInfo = DEFAULT_TZ) -> tuple[int, datetime]:
    """The next (occurrence number, due time) strictly after ``after``; recurring only.

    Occurrences of recurring notices are numbered by their local date (YYYYMMDD), so a restart or a
    second process scheduling "the next one" lands on the same key.
    """
    assert schedule.send_time is not None
    hh, mm = (int(x) for x in schedule.send_time.split(":"))
    local_after = ensure_aware(after).astimezone(tz)
    day = local_after.date()
    for _ in range(9):
        candidate = datetime.combine(day, time(hh, mm), tzinfo=tz)
        if candidate > local_after and (
            schedule.kind is ScheduleKind.DAILY or candidate.weekday() == schedule.weekday
        ):
            return int(day.strftime("%Y%m%d")), candidate.astimezone(ZoneInfo("UTC"))
        day += timedelta(days=1)
    raise AssertionError("no occurrence within 9 days")


def task_key(broadcast_id: int, occurrence: int) -> str:
    return f"broadcast:{broadcast_id}:{occurrence}"


async def _schedule_next(session: AsyncSession, broadcast: Broadcast, after: datetime, tz: ZoneInfo) -> None:
    schedule = Schedule(broadcast.schedule_kind, broadcast.send_at, broadcast.send_time, broadcast.weekday)
    occurrence, due = next_occurrence(schedule, after, tz)
    broadcast.next_run_at = due
    await scheduler.schedule(
        session,
        task_key(broadcast.id, occurrence),
        TASK_KIND,
        due,
        {"broadcast_id": broadcast.id, "occurrence": occurrence},
    )


# ---------------------------------------------------------------- lifecycle
def _move(broadcast: Broadcast, to: BroadcastStatus) -> None:
    if to not in BROADCAST_TRANSITIONS[broadcast.status]:
        raise BroadcastError(
            texts.BROADCAST_BAD_TRANSITION.format(status=texts.BROADCAST_STATUS_NAMES[broadcast.status.value])
        )
    broadcast.status = to


async def create(
    session: AsyncSession,
    actor: Actor,
    *,
    text: str,
    photo_file_id: str | None,
    audience_kind: AudienceKind,
    audience_param: str | None,
    schedule: Schedule,
    tz: ZoneInfo = DEFAULT_TZ,
    now: datetime | None = None,
) -> Broadcast:
    """Store a confirmed notice and start it (now) or schedule it; audit-logged."""
    require_campaign_staff(actor)
    return await _create(
        session,
        actor.user_id,
        text=text,
        photo_file_id=photo_file_id,
        audience_kind=audience_kind,
        audience_param=audience_param,
        schedule=schedule,
        tz=tz,
        now=now,
    )


async def create_system_notice(
    session: AsyncSession,
    *,
    source: str,
    text: str,
    audience_kind: AudienceKind,
    audience_param: str | None,
    now: datetime | None = None,
) -> Broadcast:
    """A notice the bot itself sends now (no person behind it, e.g. the daily convention article).

    Only code calls this, never a handler on behalf of a user, so there is no staff check; the notice
    is stored with ``created_by`` None and audit-logged with actor None and ``system=source``. People
    always go through ``create`` and its staff check.
    """
    return await _create(
        session,
        None,
        text=text,
        photo_file_id=None,
        audience_kind=audience_kind,
        audience_param=audience_param,
        schedule=Schedule(ScheduleKind.NOW),
        now=now,
        system=source,
    )


async def _create(
    session: AsyncSession,
    created_by: int | None,
    *,
    text: str,
    photo_file_id: str | None,
    audience_kind: AudienceKind,
    audience_param: str | None,
    schedule: Schedule,
    tz: ZoneInfo = DEFAULT_TZ,
    now: datetime | None = None,
    system: str | None = None,
) -> Broadcast:
    now = now or utcnow()
    text = validate_html(text, caption=photo_file_id is not None)
    audience_filter(audience_kind, audience_param)  # unknown audience or missing module: fail now
    if schedule.kind is ScheduleKind.AT and (schedule.send_at is None or schedule.send_at <= now):
        raise BroadcastError(texts.BROADCAST_TIME_PAST)
    if schedule.kind in RECURRING:
        parse_hhmm(schedule.send_time or "")
        if schedule.kind is ScheduleKind.WEEKLY and schedule.weekday not in range(7):
            raise BroadcastError(texts.BROADCAST_BAD_TIME)
    broadcast = Broadcast(
        text=text,
        photo_file_id=photo_file_id,
        audience_kind=audience_kind,
        audience_param=audience_param,
        schedule_kind=schedule.kind,
        send_at=schedule.send_at,
        send_time=schedule.send_time,
        weekday=schedule.weekday if schedule.kind is ScheduleKind.WEEKLY else None,
        status=BroadcastStatus.DRAFT,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(broadcast)
    await session.flush()
    if schedule.kind is ScheduleKind.NOW:
        await start_occurrence(session, broadcast, 0)
    elif schedule.kind is ScheduleKind.AT:
        assert schedule.send_at is not None
        _move(broadcast, BroadcastStatus.SCHEDULED)
        broadcast.next_run_at = schedule.send_at
        await scheduler.schedule(
            session,
            task_key(broadcast.id, 0),
            TASK_KIND,
            schedule.send_at,
            {"broadcast_id": broadcast.id, "occurrence": 0},
        )
    else:
        _move(broadcast, BroadcastStatus.SCHEDULED)
        await _schedule_next(session, broadcast, now, tz)
    details: dict[str, Any] = {"system": system} if system else {}
    await audit.record(
        session,
        created_by,
        "broadcast.create",
        f"broadcast:{broadcast.id}",
        audience=audience_kind.value,
        param=audience_param,
        schedule=schedule.kind.value,
        **details,
    )
    return broadcast


async def start_occurrence(session: AsyncSession, broadcast: Broadcast, occurrence: int) -> int:
    count = await materialise(session, broadcast, occurrence)
    broadcast.last_occurrence = occurrence
    if broadcast.status is not BroadcastStatus.RUNNING:
        _move(broadcast, BroadcastStatus.RUNNING)
    if count == 0 and not await pending_count_for(session, broadcast.id, open_only=True):
        # Nobody to send to (everyone opted out or blocked us): done at once, not "running".
        _move(
            broadcast,
            BroadcastStatus.SCHEDULED if broadcast.schedule_kind in RECURRING else BroadcastStatus.FINISHED,
        )
    return count


async def fire(
    session: AsyncSession,
    broadcast_id: int,
    occurrence: int,
    tz: ZoneInfo = DEFAULT_TZ,
    now: datetime | None = None,
) -> int:
    """A scheduled occurrence is due (called once per occurrence by the scheduler task)."""
    now = now or utcnow()
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None or broadcast.status in (BroadcastStatus.CANCELLED, BroadcastStatus.FINISHED):
        return 0
    if broadcast.last_occurrence is not None and occurrence <= broadcast.last_occurrence:
        return 0  # this occurrence already fired (a retry, or a second process)
    recurring = broadcast.schedule_kind in RECURRING
    count = 0
    if broadcast.status is BroadcastStatus.PAUSED:
        broadcast.last_occurrence = occurrence  # recurring: this one is skipped while paused
        if not recurring:  # a one-off fired while paused: prepared, sent on resume
            count = await materialise(session, broadcast, occurrence)
    else:
        count = await start_occurrence(session, broadcast, occurrence)
    if recurring:
        await _schedule_next(session, broadcast, max(now, broadcast.next_run_at or now), tz)
    else:
        broadcast.next_run_at = None
    return count


async def complete_occurrences(session: AsyncSession, now: datetime) -> int:
    """Running notices with nothing left to send: finished, or back to scheduled when recurring."""
    open_deliveries = (
        select(Delivery.id)
        .where(
            Delivery.broadcast_id == Broadcast.id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
        )
        .exists()
    )
    done = list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.RUNNING, ~open_deliveries)
            .with_for_update()
        )
    )
    for broadcast in done:
        broadcast.status = (
            BroadcastStatus.SCHEDULED if broadcast.schedule_kind in RECURRING else BroadcastStatus.FINISHED
        )
        broadcast.updated_at = now
    return len(done)


async def pending_count(session: AsyncSession, *, running_only: bool = False) -> int:
    query = select(func.count(Delivery.id)).where(
        Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED])
    )
    if running_only:
        query = query.join(Broadcast, Broadcast.id == Delivery.broadcast_id).where(
            Broadcast.status == BroadcastStatus.RUNNING
        )
    return int(await session.scalar(query) or 0)


async def pending_count_for(session: AsyncSession, broadcast_id: int, *, open_only: bool = False) -> int:
    """Deliveries of a notice (all of them, or only those still to send)."""
    query = select(func.count(Delivery.id)).where(Delivery.broadcast_id == broadcast_id)
    if open_only:
        query = query.where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]))
    return int(await session.scalar(query) or 0)


def plain_text(html_text: str) -> str:
    """What a recipient reads: tags gone, entities unescaped (for list snippets)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


async def _get(session: AsyncSession, broadcast_id: int) -> Broadcast:
    broadcast = await session.get(Broadcast, broadcast_id, with_for_update=True)
    if broadcast is None:
        raise NotFound(texts.BROADCAST_NOT_FOUND)
    return broadcast


async def pause(session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    require_campaign_staff(actor)
    broadcast = await _get(session, broadcast_id)
    _move(broadcast, BroadcastStatus.PAUSED)
    await audit.record(session, actor.user_id, "broadcast.pause", f"broadcast:{broadcast_id}")
    return broadcast


async def resume(session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    """Continue where it stopped: running if deliveries wait, else scheduled (or finished)."""
    require_campaign_staff(actor)
    broadcast = await _get(session, broadcast_id)
    if broadcast.status is not BroadcastStatus.PAUSED:
        raise BroadcastError(
            texts.BROADCAST_BAD_TRANSITION.format(status=texts.BROADCAST_STATUS_NAMES[broadcast.status.value])
        )
    waiting = await session.scalar(
        select(func.count(Delivery.id)).where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
        )
    )
    if waiting:
        broadcast.status = BroadcastStatus.RUNNING
    elif broadcast.next_run_at is not None:
        broadcast.status = BroadcastStatus.SCHEDULED
    else:
        broadcast.status = BroadcastStatus.FINISHED
    await audit.record(session, actor.user_id, "broadcast.resume", f"broadcast:{broadcast_id}")
    return broadcast


async def cancel(session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    """Stop for good: no further sends, future occurrences cancelled."""
    require_campaign_staff(actor)
    broadcast = await _get(session, broadcast_id)
    _move(broadcast, BroadcastStatus.CANCELLED)
    broadcast.next_run_at = None
    await scheduler.cancel(session, key_prefix=f"broadcast:{broadcast_id}:")
    await audit.record(session, actor.user_id, "broadcast.cancel", f"broadcast:{broadcast_id}")
    return broadcast


@dataclass(frozen=True)
class BroadcastSummary:
    broadcast: Broadcast
    counts: dict[DeliveryStatus, int]

    @property
    def sent(self) -> int:
        return self.counts.get(DeliveryStatus.SENT, 0)

    @property
    def pending(self) -> int:
        return self.counts.get(DeliveryStatus.PENDING, 0) + self.counts.get(DeliveryStatus.CLAIMED, 0)

    @property
    def failed(self) -> int:
        return self.counts.get(DeliveryStatus.FAILED, 0)

    @property
    def unreachable(self) -> int:
        return self.counts.get(DeliveryStatus.UNREACHABLE, 0)


async def counts_by_status(
    session: AsyncSession, broadcast_ids: Sequence[int]
) -> dict[int, dict[DeliveryStatus, int]]:
    result: dict[int, dict[DeliveryStatus, int]] = {i: {} for i in broadcast_ids}
    if not broadcast_ids:
        return result
    rows = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, func.count(Delivery.id))
        .where(Delivery.broadcast_id.in_(broadcast_ids))
        .group_by(Delivery.broadcast_id, Delivery.status)
    )
    for broadcast_id, status, count in rows:
        result[broadcast_id][DeliveryStatus(status)] = int(count)
    return result


async def summaries(session: AsyncSession, limit: int = 10) -> list[BroadcastSummary]:
    """The latest notices (scheduled, running, finished…) with their delivery counts."""
    broadcasts = list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.status != BroadcastStatus.DRAFT)
            .order_by(Broadcast.id.desc())
            .limit(limit)
        )
    )
    counts = await counts_by_status(session, [b.id for b in broadcasts])
    return [BroadcastSummary(b, counts[b.id]) for b in broadcasts]


async def summary(session: AsyncSession, broadcast_id: int) -> BroadcastSummary:
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound(texts.BROADCAST_NOT_FOUND)
    return BroadcastSummary(broadcast, (await counts_by_status(session, [broadcast_id]))[broadcast_id])


async def ensure_rate_row(session: AsyncSession) -> None:
    """The single pace row of the delivery engine (created on first use, race-free)."""
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert_fn(BroadcastRate).values(id=1, next_slot=0.0, paused_until=0.0).on_conflict_do_nothing()
    )


# ---------------------------------------------------------------- personal data
async def export_user(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, Delivery.sent_at).where(Delivery.user_id == user_id)
    )
    return [
        {"broadcast": b, "status": DeliveryStatus(s).value, "sent_at": t.isoformat() if t else None}
        for b, s, t in rows
    ]


async def erase_user(session: AsyncSession, user_id: int) -> None:
    """Forget who received what: pending ones are dropped, past ones anonymised (counts stay)."""
    await session.execute(
        delete(Delivery).where(
            Delivery.user_id == user_id,
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
        )
    )
    await session.execute(
        update(Delivery).where(Delivery.user_id == user_id).values(user_id=0, chat_id=-Delivery.id)
    )
