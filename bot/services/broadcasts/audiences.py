"""Who receives a notice: audiences as conditions on users, their size, and one delivery row each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AudienceKind, Broadcast, Delivery, DeliveryStatus, Role, Subscription, Topic, User
from bot.models.volunteers import VolunteerProfile
from bot.services.broadcasts.errors import BroadcastError, BroadcastProblem
from bot.timeutil import utcnow

MATERIALISE_BATCH = 5000


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
            raise BroadcastError(BroadcastProblem.DISTRICT_EMPTY)
        conditions += [User.id.in_(district_user_ids(param)), _subscribed(Topic.NOTICES)]
    elif kind is AudienceKind.STAFF:
        conditions.append(User.role.in_([Role.STAFF, Role.HANDLER, Role.ADMIN]))
    elif kind is AudienceKind.DEPARTMENT:
        if not param:
            raise BroadcastError(BroadcastProblem.DEPARTMENT_EMPTY)
        conditions += [User.role == Role.HANDLER, User.department == param]
    return conditions


def parse_topic(value: str | None) -> Topic:
    try:
        return Topic(value or "")
    except ValueError:
        raise BroadcastError(BroadcastProblem.BAD_AUDIENCE) from None


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
