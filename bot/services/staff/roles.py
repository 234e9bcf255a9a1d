"""Roles: grant, revoke, and who holds what.

Admins listed in ADMIN_IDS are admins by configuration: the bot can neither grant nor revoke that,
so changing such an id is refused with a code saying where the role comes from.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Role, User
from bot.services import DomainError
from bot.services import audit as audit_log
from bot.services.users import Actor, ensure_user, require_admin

MAX_TELEGRAM_ID = 2**52  # ids are positive and below 2^52 (Bot API guarantee)
INPUT_ECHO = 32  # characters of a refused value echoed back in the error


class RoleProblem(StrEnum):
    BAD_ID = "staff.bad_id"  # value
    UNKNOWN_ROLE = "staff.unknown_role"  # value
    NEEDS_DEPARTMENT = "staff.needs_department"  # departments: the face lists the choices
    UNKNOWN_DEPARTMENT = "staff.unknown_department"  # value, departments
    DEPARTMENT_ONLY_FOR_HANDLER = "staff.department_only_for_handler"
    CONFIG_ADMIN = "staff.config_admin"  # user_id
    NOT_YOURSELF = "staff.not_yourself"
    NOTHING_TO_REVOKE = "staff.nothing_to_revoke"  # user_id


class RoleError(DomainError):
    """A /grant or /revoke that cannot be done; the code says why."""

    def __init__(self, problem: RoleProblem, **params: object) -> None:
        super().__init__(code=problem, **params)
        self.problem = problem


def parse_telegram_id(value: str) -> int:
    cleaned = value.strip()
    if not re.fullmatch(r"\d{1,16}", cleaned) or not 0 < int(cleaned) < MAX_TELEGRAM_ID:
        raise RoleError(RoleProblem.BAD_ID, value=value[:INPUT_ECHO])
    return int(cleaned)


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
    departments: Collection[str],
    admin_ids: Iterable[int] = (),
) -> Grant:
    """Give a user a role (a department handler needs one of ``departments``); audit-logged."""
    require_admin(actor)
    if role is Role.HANDLER:
        if not department:
            raise RoleError(RoleProblem.NEEDS_DEPARTMENT)
        if department not in departments:
            raise RoleError(RoleProblem.UNKNOWN_DEPARTMENT, value=department[:INPUT_ECHO])
    elif department:
        raise RoleError(RoleProblem.DEPARTMENT_ONLY_FOR_HANDLER)
    if user_id in set(admin_ids) and role is not Role.ADMIN:
        raise RoleError(RoleProblem.CONFIG_ADMIN, user_id=user_id)
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
    """Take a staff-level role or the inspector role away (back to resident); config admins cannot be
    revoked here."""
    require_admin(actor)
    if user_id in set(admin_ids):
        raise RoleError(RoleProblem.CONFIG_ADMIN, user_id=user_id)
    if user_id == actor.user_id:
        raise RoleError(RoleProblem.NOT_YOURSELF)
    user = await session.get(User, user_id)
    if user is None or not (user.role.is_staff or user.role is Role.INSPECTOR):
        raise RoleError(RoleProblem.NOTHING_TO_REVOKE, user_id=user_id)
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
    """Everyone holding a staff-level role or the inspector role, config admins first, then by role
    and department."""
    config_admins = sorted(set(admin_ids))
    rows = (
        await session.scalars(
            select(User)
            .where(
                User.role.in_([Role.ADMIN, Role.STAFF, Role.HANDLER, Role.INSPECTOR])
                | User.id.in_(config_admins)
            )
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
    order = {Role.ADMIN: 0, Role.STAFF: 1, Role.INSPECTOR: 2, Role.HANDLER: 3}
    rest = sorted(by_id.values(), key=lambda u: (order.get(u.role, 9), u.department or "", u.id))
    members += [StaffMember(u.id, u.display_name, u.username, u.role, u.department) for u in rest]
    return members
