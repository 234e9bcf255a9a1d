"""Roles (grant, revoke, who holds what) and reading the audit log with filters.

Admins listed in ADMIN_IDS are admins by configuration: the bot can neither grant nor revoke that,
so a revoke of such an id is refused with a message saying where the role comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.models import AuditEntry, Role, User
from bot.services import DomainError, PermissionDenied
from bot.services import audit as audit_log
from bot.services.users import Actor, ensure_user, require_admin

MAX_TELEGRAM_ID = 2**52  # ids are positive and below 2^52 (Bot API guarantee)
AUDIT_PAGE_SIZE = 20


class RoleError(DomainError):
    """A /grant or /revoke that cannot be done; the message says why."""


# Names an admin may type for each role, Chinese or English (lower-cased on lookup).
ROLE_NAMES: dict[str, Role] = {
    "resident": Role.RESIDENT,
    "居民": Role.RESIDENT,
    "群众": Role.RESIDENT,
    "volunteer": Role.VOLUNTEER,
    "志愿者": Role.VOLUNTEER,
    "handler": Role.HANDLER,
    "department": Role.HANDLER,
    "部门": Role.HANDLER,
    "部门处理人": Role.HANDLER,
    "处理人": Role.HANDLER,
    "staff": Role.STAFF,
    "工作人员": Role.STAFF,
    "创文办": Role.STAFF,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
}


def parse_telegram_id(value: str) -> int:
    cleaned = value.strip()
    if not re.fullmatch(r"\d{1,16}", cleaned) or not 0 < int(cleaned) < MAX_TELEGRAM_ID:
        raise RoleError(texts.STAFF_BAD_ID.format(value=value[:32]))
    return int(cleaned)


def parse_role(value: str) -> Role:
    role = ROLE_NAMES.get(value.strip().lower())
    if role is None:
        raise RoleError(texts.STAFF_BAD_ROLE.format(value=value[:32]))
    return role


@dataclass(frozen=True)
class Grant:
    user_id: int
    role: Role
    department: str | None
    previous_role: Role | None
    previous_department: str | None

    @property
    def changed(self) -> bool:
        return (self.role, self.department) != (self.previous_role, self.previous_department)


async def grant_role(
    session: AsyncSession,
    actor: Actor,
    user_id: int,
    role: Role,
    department: str | None,
    departments: Mapping[str, str],
    admin_ids: Iterable[int] = (),
) -> Grant:
    """Give a user a role (a department handler needs a known department); audit-logged."""
    require_admin(actor)
    if role is Role.HANDLER:
        if not department:
            raise RoleError(texts.STAFF_NEEDS_DEPARTMENT.format(departments=_department_list(departments)))
        if department not in departments:
            raise RoleError(
                texts.STAFF_BAD_DEPARTMENT.format(
                    value=department[:32], departments=_department_list(departments)
                )
            )
    elif department:
        raise RoleError(texts.STAFF_DEPARTMENT_ONLY_FOR_HANDLER)
    if user_id in set(admin_ids) and role is not Role.ADMIN:
        raise RoleError(texts.STAFF_CONFIG_ADMIN.format(user_id=user_id))
    user = await session.get(User, user_id)
    previous_role = user.role if user else None
    previous_department = user.department if user else None
    user = await ensure_user(session, user_id)
    user.role = role
    user.department = department if role is Role.HANDLER else None
    grant = Grant(user_id, role, user.department, previous_role, previous_department)
    await audit_log.record(
        session,
        actor.user_id,
        "role.grant",
        str(user_id),
        role=role.value,
        department=user.department,
        previous_role=previous_role.value if previous_role else None,
        previous_department=previous_department,
    )
    return grant


async def revoke_role(
    session: AsyncSession, actor: Actor, user_id: int, admin_ids: Iterable[int] = ()
) -> Grant:
    """Take a staff-level role away (back to resident); config admins cannot be revoked here."""
    require_admin(actor)
    if user_id in set(admin_ids):
        raise RoleError(texts.STAFF_CONFIG_ADMIN.format(user_id=user_id))
    if user_id == actor.user_id:
        raise RoleError(texts.STAFF_NOT_YOURSELF)
    user = await session.get(User, user_id)
    if user is None or not user.role.is_staff:
        raise RoleError(texts.STAFF_NOTHING_TO_REVOKE.format(user_id=user_id))
    grant = Grant(user_id, Role.RESIDENT, None, user.role, user.department)
    user.role, user.department = Role.RESIDENT, None
    await audit_log.record(
        session,
        actor.user_id,
        "role.revoke",
        str(user_id),
        previous_role=grant.previous_role.value if grant.previous_role else None,
        previous_department=grant.previous_department,
    )
    return grant


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    display_name: str
    username: str | None
    role: Role
    department: str | None
    from_config: bool = False


async def list_staff(session: AsyncSession, admin_ids: Iterable[int] = ()) -> list[StaffMember]:
    """Everyone holding a staff-level role, config admins first, then by role and department."""
    config_admins = sorted(set(admin_ids))
    rows = (
        await session.scalars(
            select(User)
            .where(User.role.in_([Role.ADMIN, Role.STAFF, Role.HANDLER]) | User.id.in_(config_admins))
            .order_by(User.id)
        )
    ).all()
    by_id = {user.id: user for user in rows}
    members = []
    for admin_id in config_admins:
        user = by_id.pop(admin_id, None)
        members.append(
            StaffMember(
                admin_id,
                user.display_name if user else "",
                user.username if user else None,
                Role.ADMIN,
                None,
                True,
            )
        )
    order = {Role.ADMIN: 0, Role.STAFF: 1, Role.HANDLER: 2}
    rest = sorted(by_id.values(), key=lambda u: (order.get(u.role, 9), u.department or "", u.id))
    members += [StaffMember(u.id, u.display_name, u.username, u.role, u.department) for u in rest]
    return members


@dataclass(frozen=True)
class AuditFilter:
    """JSON-friendly (stored in user_data for the paging buttons)."""

    actor_id: int | None = None
    action: str | None = None
    since: datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "actor_id": self.actor_id,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> AuditFilter:
        since = data.get("since")
        actor_id = data.get("actor_id")
        action = data.get("action")
        return cls(
            actor_id=int(actor_id) if isinstance(actor_id, int) else None,
            action=str(action) if isinstance(action, str) else None,
            since=datetime.fromisoformat(since) if isinstance(since, str) else None,
        )


def parse_audit_filter(args: Sequence[str], now: datetime, tz: ZoneInfo) -> AuditFilter:
    """Words in any order: a number is who, a date (2026-11-01) or 7d/7天/今天 is since, else what."""
    actor_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    for raw in args:
        word = raw.strip()
        local_now = now.astimezone(tz)
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", word):
            try:
                day = datetime.strptime(word, "%Y-%m-%d")
            except ValueError:
                raise DomainError(texts.AUDIT_BAD_DATE.format(value=word[:32])) from None
            since = day.replace(tzinfo=tz)
        elif match := re.fullmatch(r"(\d{1,3})\s*(?:d|天)", word, flags=re.IGNORECASE):
            start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
            since = start - timedelta(days=int(match.group(1)) - 1 if int(match.group(1)) > 0 else 0)
        elif word in ("今天", "today"):
            since = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        elif re.fullmatch(r"\d{1,16}", word):
            actor_id = int(word)
        elif re.fullmatch(r"[A-Za-z_.\-]{1,64}", word):
            action = word.lower()
        else:
            raise DomainError(texts.AUDIT_BAD_FILTER.format(value=word[:32]))
    return AuditFilter(actor_id, action, since)


@dataclass(frozen=True)
class AuditPage:
    entries: Sequence[AuditEntry]
    offset: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.entries) < self.total


async def audit_page(
    session: AsyncSession, actor: Actor, filters: AuditFilter, offset: int = 0, limit: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """One page of the audit log, newest first."""
    if not actor.is_admin:
        raise PermissionDenied(texts.NOT_ALLOWED)
    conditions = []
    if filters.actor_id is not None:
        conditions.append(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        conditions.append(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.since is not None:
        conditions.append(AuditEntry.created_at >= filters.since.astimezone(UTC))
    total = int(await session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0)
    offset = max(0, min(offset, max(total - 1, 0)))
    entries = (
        await session.scalars(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
    ).all()
    return AuditPage(entries, offset, total)


async def display_names(session: AsyncSession, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows.all() if name}


def _department_list(departments: Mapping[str, str]) -> str:
    return "、".join(f"{key}（{name}）" for key, name in departments.items())
