"""Helpers for broadcast tests and the benchmark: many users fast, a notice, outcome checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AudienceKind, Delivery, DeliveryStatus, Role, ScheduleKind, Subscription, Topic, User
from bot.services import broadcasts as service
from bot.services.users import Actor
from bot.timeutil import utcnow

ADMIN = Actor(900001, Role.ADMIN)


async def add_users(
    session: AsyncSession,
    ids: Iterable[int],
    *,
    topics: Iterable[Topic] = (Topic.NOTICES,),
    role: Role = Role.RESIDENT,
    department: str | None = None,
) -> list[int]:
    ids = list(ids)
    now = utcnow()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        await session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "display_name": f"居民{i}",
                    "role": role,
                    "department": department,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in chunk
            ],
        )
        for topic in topics:
            await session.execute(
                insert(Subscription), [{"user_id": i, "topic": topic, "created_at": now} for i in chunk]
            )
    return ids


async def notice_now(
    session: AsyncSession, text: str = "<b>创文通知</b>：周六上午开展文明劝导。", topic: Topic = Topic.NOTICES
) -> int:
    broadcast = await service.create(
        session,
        ADMIN,
        text=text,
        photo_file_id=None,
        audience_kind=AudienceKind.TOPIC,
        audience_param=topic.value,
        schedule=service.Schedule(ScheduleKind.NOW),
    )
    return broadcast.id


async def statuses(session: AsyncSession, broadcast_id: int) -> Counter[DeliveryStatus]:
    rows = await session.scalars(select(Delivery.status).where(Delivery.broadcast_id == broadcast_id))
    return Counter(DeliveryStatus(s) for s in rows)
