"""Users, roles and subscriptions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import insert_with_conflicts
from bot.models import Role, Subscription, Topic, User
from bot.services import PermissionDenied
from bot.timeutil import utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting, with the role that counts for permission checks (config admins included)."""

    user_id: int
    role: Role
    department: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def is_campaign_staff(self) -> bool:
        """Campaign office staff and admins (not department handlers)."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_inspector(self) -> bool:
        """Inspectors (督查员), and campaign staff and admins, who may inspect too."""
        return self.role.inspects


async def ensure_user(
    session: AsyncSession, user_id: int, display_name: str = "", username: str | None = None
) -> User:
    """Get the user, creating them on first contact; refresh the name they show and when they
    were last seen.

    One upsert that returns the row: the /start writer (or another process) may create the same
    row at the same moment, where a read-then-insert would fail on the primary key; and it is one
    statement where a write transaction holds SQLite's lock.
    """
    now = utcnow()
    insert = insert_with_conflicts(session, User).values(
        id=user_id,
        display_name=display_name[:128],
        username=username,
        role=Role.RESIDENT,
        last_seen_at=now,
        created_at=now,
        updated_at=now,
    )
    refreshed = {"last_seen_at": insert.excluded.last_seen_at, "updated_at": insert.excluded.updated_at}
    if display_name:  # callers without a name (services) leave the one the person shows
        refreshed |= {"display_name": insert.excluded.display_name, "username": insert.excluded.username}
    statement = insert.on_conflict_do_update(index_elements=[User.id], set_=refreshed).returning(User)
    user = await session.scalar(statement, execution_options={"populate_existing": True})
    assert user is not None
    return user


# 7 columns a row: 500 rows stay well under SQLite's 32,766 bound parameters and PostgreSQL's 32,767.
SIGHTINGS_PER_STATEMENT = 500


NOT_ALLOWED = "users.not_allowed"  # the code of every role refusal (its wording is the kit's)


@dataclass(frozen=True)
class Sighting:
    """A user seen by the bot: who, under which name, when (buffered, then stored in one batch)."""

    user_id: int
    display_name: str
    username: str | None
    seen_at: datetime


async def touch_users(session: AsyncSession, sightings: Iterable[Sighting]) -> int:
    """Create or refresh users in a few upsert statements; roles and everything else stay as they are."""
    rows = [
        {
            "id": s.user_id,
            "display_name": s.display_name[:128],
            "username": s.username,
            "role": Role.RESIDENT,
            "last_seen_at": s.seen_at,
            "created_at": s.seen_at,
            "updated_at": s.seen_at,
        }
        for s in sightings
    ]
    if not rows:
        return 0
    connection = await session.connection()
    # Multi-row VALUES statements rather than an executemany: SQLite's driver hands the GIL over
    # around every row it steps, which stalls the event loop's thread once per row.
    for start in range(0, len(rows), SIGHTINGS_PER_STATEMENT):
        insert = insert_with_conflicts(session, User).values(rows[start : start + SIGHTINGS_PER_STATEMENT])
        statement = insert.on_conflict_do_update(
            index_elements=[User.id],
            set_={
                "display_name": insert.excluded.display_name,
                "username": insert.excluded.username,
                "last_seen_at": insert.excluded.last_seen_at,
                # Someone who writes to the bot has unblocked it: notices may reach them again.
                "unreachable_since": None,
            },
        )
        await connection.execute(statement)
    return len(rows)


async def ensure_exists(session: AsyncSession, user_id: int) -> User:
    """The user, created on first contact: no statement at all when this session holds them
    already (a handler that refreshed their name a moment before), else one read."""
    return await session.get(User, user_id) or await ensure_user(session, user_id)


async def get_actor(session: AsyncSession, user_id: int, admin_ids: Iterable[int] = ()) -> Actor:
    """The acting user's effective role; ids in ADMIN_IDS are admins whatever the database says."""
    user = await session.get(User, user_id)
    if user_id in set(admin_ids):
        return Actor(user_id, Role.ADMIN, user.department if user else None)
    if user is None:
        return Actor(user_id, Role.RESIDENT)
    return Actor(user_id, user.role, user.department)


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise PermissionDenied(code=NOT_ALLOWED)


def require_campaign_staff(actor: Actor) -> None:
    if not actor.is_campaign_staff:
        raise PermissionDenied(code=NOT_ALLOWED)


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(code=NOT_ALLOWED)


async def set_role(session: AsyncSession, user_id: int, role: Role, department: str | None = None) -> User:
    user = await ensure_user(session, user_id)
    user.role = role
    user.department = department if role is Role.HANDLER else None
    return user


async def subscribed_topics(session: AsyncSession, user_id: int) -> set[Topic]:
    rows = await session.scalars(select(Subscription.topic).where(Subscription.user_id == user_id))
    return set(rows)


async def subscribe(session: AsyncSession, user_id: int, topic: Topic) -> bool:
    """Subscribe; returns False when the user already was (idempotent for double taps)."""
    await ensure_user(session, user_id)
    existing = await session.get(Subscription, (user_id, topic))
    if existing is not None:
        return False
    session.add(Subscription(user_id=user_id, topic=topic, created_at=utcnow()))
    await session.flush()
    return True


async def unsubscribe(session: AsyncSession, user_id: int, topic: Topic) -> bool:
    result = await session.execute(
        delete(Subscription).where(Subscription.user_id == user_id, Subscription.topic == topic)
    )
    return bool(getattr(result, "rowcount", 0))


async def toggle_subscription(session: AsyncSession, user_id: int, topic: Topic) -> bool:
    """Flip a subscription; returns True when the user is now subscribed."""
    if await unsubscribe(session, user_id, topic):
        return False
    await subscribe(session, user_id, topic)
    return True


async def names_of(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, str]:
    """How people are known, for those who have a name: their display name, else @username."""
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(wanted)))
    found = {user_id: name or (f"@{username}" if username else "") for user_id, name, username in rows.all()}
    return {user_id: name for user_id, name in found.items() if name}


async def name_of(session: AsyncSession, user_id: int) -> str | None:
    return (await names_of(session, [user_id])).get(user_id)


async def mark_unreachable(session: AsyncSession, user_id: int) -> None:
    user = await session.get(User, user_id)
    if user is not None and user.unreachable_since is None:
        user.unreachable_since = utcnow()
