"""Roles: /grant, /revoke (admins) and /staff (campaign staff).

A grant or revoke also republishes the person's command menu (setMyCommands for their chat), so
their /help and menu follow the new role at once.
"""

from __future__ import annotations

from typing import cast

from telegram import Update

from bot.app import BotApplication, BotContext
from bot.models import Role
from bot.services import staff as service
from bot.services.classifier import load_departments
from bot.services.inspections import ContentError, load_content
from bot.services.users import Actor
from handlers.common.commands import publish_commands_for_chat
from handlers.kit.errors import show_errors
from handlers.kit.guards import admin_only, campaign_staff_only
from handlers.kit.replies import View, reply, send_long_view
from handlers.staff import texts, views


def parse_role(value: str) -> Role:
    """A role as an admin types it, Chinese or English (staff, 工作人员, 部门 …)."""
    role = texts.ROLE_WORDS.get(value.strip().lower())
    if role is None:
        raise service.RoleError(service.RoleProblem.UNKNOWN_ROLE, value=value[: service.INPUT_ECHO])
    return role


def department_names(context: BotContext) -> dict[str, str]:
    """Department id → name, read from departments.yaml on each use (edits apply without restart),
    and the communities that answer for inspected sites (sites.yaml's units): their handlers are
    granted the same way."""
    found = load_departments(context.settings.data_dir / "departments.yaml")
    names = {key: department.name for key, department in found.items()}
    try:
        units = load_content(context.settings.data_dir).units
    except ContentError:  # a broken sites file stops the bot at start; granting departments still works
        units = {}
    return names | {key: unit.name for key, unit in units.items() if key not in names}


@admin_only
@show_errors
async def grant(update: Update, context: BotContext) -> None:
    """/grant TELEGRAM_ID ROLE [DEPARTMENT]: give a role; the person's command menu follows it."""
    args = context.args or []
    if len(args) not in (2, 3):
        await reply(update, texts.GRANT_USAGE)
        return
    user_id = service.parse_telegram_id(args[0])
    role = parse_role(args[1])
    department = args[2].strip().lower() if len(args) == 3 else None
    departments = department_names(context)
    actor = await context.actor(update)
    try:
        async with context.transaction() as session:
            result = await service.grant_role(
                session, actor, user_id, role, department, departments, context.settings.admin_ids
            )
    except service.RoleError as refusal:
        # The choices are wording the service does not know: the face lists them.
        raise service.RoleError(
            refusal.problem, **refusal.params, departments=views.department_list(departments)
        ) from None
    if result.changed:
        await publish_commands_for_chat(
            _application(context), user_id, Actor(user_id, result.role, result.department)
        )
    await reply(update, views.grant_text(result, departments))


@admin_only
@show_errors
async def revoke(update: Update, context: BotContext) -> None:
    """/revoke TELEGRAM_ID: back to resident (not for admins from ADMIN_IDS: configuration wins)."""
    args = context.args or []
    if len(args) != 1:
        await reply(update, texts.REVOKE_USAGE)
        return
    user_id = service.parse_telegram_id(args[0])
    actor = await context.actor(update)
    async with context.transaction() as session:
        result = await service.revoke_role(session, actor, user_id, context.settings.admin_ids)
    await publish_commands_for_chat(_application(context), user_id, Actor(user_id, Role.RESIDENT))
    await reply(update, views.revoke_text(result))


@campaign_staff_only
async def staff_list(update: Update, context: BotContext) -> None:
    """/staff: who holds which staff role (configured admins marked)."""
    async with context.transaction() as session:
        members = await service.list_staff(session, context.settings.admin_ids)
    await send_long_view(update, View(views.staff_list_text(members, department_names(context))))


def _application(context: BotContext) -> BotApplication:
    return cast(BotApplication, context.application)
