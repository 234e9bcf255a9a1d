"""Staff administration: roles (/grant, /revoke, /staff), the audit log (/audit) and the
supervision report (/report, and its monthly/quarterly schedule)."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import reports_cli, texts
from bot.app import BotApplication, BotContext
from bot.database import transaction
from bot.models import AuditEntry, Role, ScheduledTask
from bot.offload import cpu_bound
from bot.services import audit, reports, staff
from bot.services.classifier import load_departments
from bot.services.reports import schedule as report_schedule
from bot.services.reports import staff_activity as staff_activity_report
from bot.services.reports.render import RenderedReport, render_all
from bot.services.users import Actor
from bot.timeutil import format_local
from handlers.base import (
    Audience,
    Command,
    admin_only,
    answer_quietly,
    callback_parts,
    campaign_staff_only,
    domain_errors,
    edit_or_reply,
    escape,
    inline_keyboard,
    reply,
    staff_callback_pattern,
)
from handlers.common import publish_commands_for_chat
from handlers.kit import notify
from handlers.kit.feature import Feature

log = logging.getLogger(__name__)

COMMANDS = [
    Command("grant", texts.STAFF_COMMAND_DESCRIPTIONS["grant"], Audience.ADMIN),
    Command("revoke", texts.STAFF_COMMAND_DESCRIPTIONS["revoke"], Audience.ADMIN),
    Command("audit", texts.STAFF_COMMAND_DESCRIPTIONS["audit"], Audience.ADMIN),
    Command("staff", texts.STAFF_COMMAND_DESCRIPTIONS["staff"], Audience.CAMPAIGN_STAFF),
    Command("report", texts.STAFF_COMMAND_DESCRIPTIONS["report"], Audience.CAMPAIGN_STAFF),
]

# Staff buttons (listed in FEATURE below, so the role-check test presses them).
AUDIT_BUTTONS = staff_callback_pattern("audit")  # audit:p:QUERY:OFFSET
REPORT_BUTTONS = staff_callback_pattern("report")  # report:KIND:PERIOD

AUDIT_QUERIES_KEY = "audit_queries"  # user_data: {query id: filter as JSON}, the last few /audit calls
AUDIT_QUERIES_KEPT = 5


def _departments(context: BotContext) -> dict[str, str]:
    """Department id → name, read from departments.yaml on each use (edits apply without restart)."""
    found = load_departments(context.settings.data_dir / "departments.yaml")
    return {key: department.name for key, department in found.items()}


def _application(context: BotContext) -> BotApplication:
    return cast(BotApplication, context.application)


def _department_suffix(department: str | None, departments: dict[str, str]) -> str:
    if not department:
        return ""
    return texts.STAFF_GRANT_DEPARTMENT.format(department=escape(departments.get(department, department)))


# ------------------------------------------------------------------------------------------- roles
@admin_only
@domain_errors
async def grant(update: Update, context: BotContext) -> None:
    """/grant TELEGRAM_ID ROLE [DEPARTMENT] — give a role; the user's command menu follows it."""
    args = context.args or []
    if len(args) not in (2, 3):
        await reply(update, texts.STAFF_GRANT_USAGE)
        return
    user_id = staff.parse_telegram_id(args[0])
    role = staff.parse_role(args[1])
    department = args[2].strip().lower() if len(args) == 3 else None
    departments = _departments(context)
    actor = await context.actor(update)
    async with context.transaction() as session:
        result = await staff.grant_role(
            session, actor, user_id, role, department, departments, context.settings.admin_ids
        )
    suffix = _department_suffix(result.department, departments)
    label = texts.ROLE_LABELS[role.value]
    if not result.changed:
        await reply(
            update, texts.STAFF_GRANTED_UNCHANGED.format(user_id=user_id, role=label, department=suffix)
        )
        return
    await publish_commands_for_chat(
        _application(context), user_id, Actor(user_id, result.role, result.department)
    )
    await reply(update, texts.STAFF_GRANTED.format(user_id=user_id, role=label, department=suffix))


@admin_only
@domain_errors
async def revoke(update: Update, context: BotContext) -> None:
    """/revoke TELEGRAM_ID — back to resident (not for admins from ADMIN_IDS: configuration wins)."""
    args = context.args or []
    if len(args) != 1:
        await reply(update, texts.STAFF_REVOKE_USAGE)
        return
    user_id = staff.parse_telegram_id(args[0])
    actor = await context.actor(update)
    async with context.transaction() as session:
        result = await staff.revoke_role(session, actor, user_id, context.settings.admin_ids)
    await publish_commands_for_chat(_application(context), user_id, Actor(user_id, Role.RESIDENT))
    previous = texts.ROLE_LABELS[result.previous_role.value] if result.previous_role else ""
    await reply(update, texts.STAFF_REVOKED.format(user_id=user_id, role=previous))


@campaign_staff_only
async def staff_list(update: Update, context: BotContext) -> None:
    """/staff — who holds which staff role (configured admins marked)."""
    async with context.transaction() as session:
        members = await staff.list_staff(session, context.settings.admin_ids)
    if not members:
        await reply(update, texts.STAFF_LIST_EMPTY)
        return
    departments = _departments(context)
    lines = [texts.STAFF_LIST_HEADER.format(count=len(members))]
    for member in members:
        name = member.display_name or (f"@{member.username}" if member.username else texts.STAFF_UNNAMED)
        lines.append(
            texts.STAFF_LIST_LINE.format(
                name=escape(name),
                user_id=member.user_id,
                role=texts.ROLE_LABELS[member.role.value],
                department=_department_suffix(member.department, departments),
                source=texts.STAFF_LIST_FROM_CONFIG if member.from_config else "",
            )
        )
    await reply(update, "\n".join(lines))


# --------------------------------------------------------------------------------------- audit log
@admin_only
@domain_errors
async def audit_command(update: Update, context: BotContext) -> None:
    """/audit [who] [what] [since] — the latest 20 entries, newest first, with paging buttons."""
    filters = staff.parse_audit_filter(context.args or [], context.clock.now(), context.settings.tz)
    queries: dict[str, Any] = context.user_data.setdefault(AUDIT_QUERIES_KEY, {})  # type: ignore[union-attr]
    query_id = str(max((int(k) for k in queries), default=0) + 1)
    queries[query_id] = filters.to_json()
    for old in sorted(queries, key=int)[:-AUDIT_QUERIES_KEPT]:
        del queries[old]
    text, markup = await _audit_view(context, update, filters, query_id, 0)
    await reply(update, text, reply_markup=markup)


@admin_only
@domain_errors
async def audit_page_button(update: Update, context: BotContext) -> None:
    """audit:p:QUERY:OFFSET — another page of an earlier /audit."""
    parts = callback_parts(update)
    queries = (context.user_data or {}).get(AUDIT_QUERIES_KEY, {})
    if len(parts) != 4 or parts[2] not in queries or not parts[3].isdigit():
        await answer_quietly(update, texts.AUDIT_QUERY_GONE, alert=True)
        return
    filters = staff.AuditFilter.from_json(queries[parts[2]])
    text, markup = await _audit_view(context, update, filters, parts[2], int(parts[3]))
    await edit_or_reply(update, text, reply_markup=markup)


async def _audit_view(
    context: BotContext, update: Update, filters: staff.AuditFilter, query_id: str, offset: int
) -> tuple[str, Any]:
    actor = await context.actor(update)
    async with context.transaction() as session:
        page = await staff.audit_page(session, actor, filters, offset)
        names = await staff.display_names(session, [e.actor_id for e in page.entries])
    if not page.entries:
        return texts.AUDIT_EMPTY, None
    tz = context.settings.tz
    described = []
    if filters.actor_id is not None:
        described.append(texts.AUDIT_FILTER_WHO.format(value=filters.actor_id))
    if filters.action:
        described.append(texts.AUDIT_FILTER_WHAT.format(value=escape(filters.action)))
    if filters.since is not None:
        described.append(texts.AUDIT_FILTER_SINCE.format(value=format_local(filters.since, tz, "%Y-%m-%d")))
    lines = [
        texts.AUDIT_HEADER.format(
            first=page.offset + 1,
            last=page.offset + len(page.entries),
            total=page.total,
            filters=texts.AUDIT_FILTERS.format(filters="，".join(described)) if described else "",
        )
    ]
    lines += [_audit_line(entry, names, tz) for entry in page.entries]
    buttons = []
    if page.offset > 0:
        newer = max(0, page.offset - staff.AUDIT_PAGE_SIZE)
        buttons.append((texts.AUDIT_NEWER, f"audit:p:{query_id}:{newer}"))
    if page.has_more:
        buttons.append((texts.AUDIT_OLDER, f"audit:p:{query_id}:{page.offset + len(page.entries)}"))
    return "\n".join(lines), inline_keyboard([buttons]) if buttons else None


def _audit_line(entry: AuditEntry, names: dict[int, str], tz: Any) -> str:
    if entry.actor_id is None:
        actor = texts.AUDIT_SYSTEM_ACTOR
    else:
        actor = f"{escape(names.get(entry.actor_id, ''))} <code>{entry.actor_id}</code>".lstrip()
    details = ", ".join(f"{k}={v}" for k, v in (entry.details or {}).items() if v not in (None, ""))
    return texts.AUDIT_LINE.format(
        time=format_local(entry.created_at, tz, "%m-%d %H:%M"),
        actor=actor,
        action=escape(texts.AUDIT_ACTION_NAMES.get(entry.action, entry.action)),
        target=escape(entry.target),
        details=f"（{escape(details[:120])}）" if details else "",
    )


# ------------------------------------------------------------------------------------------ report
@campaign_staff_only
@domain_errors
async def report_command(update: Update, context: BotContext) -> None:
    """/report month [YYYY-MM] | quarter [YYYY-Qn]; bare /report offers the last complete periods."""
    args = context.args or []
    tz = context.settings.tz
    if not args:
        month = reports.Period.last_complete(reports.PeriodKind.MONTH, context.clock.now(), tz)
        quarter = reports.Period.last_complete(reports.PeriodKind.QUARTER, context.clock.now(), tz)
        keyboard = inline_keyboard(
            [
                [(texts.REPORT_PICK_MONTH.format(period=month.label), f"report:month:{month.key}")],
                [(texts.REPORT_PICK_QUARTER.format(period=quarter.label), f"report:quarter:{quarter.key}")],
            ]
        )
        await reply(update, texts.REPORT_PICK, reply_markup=keyboard)
        return
    if len(args) > 2:
        await reply(update, texts.REPORT_USAGE)
        return
    kind = reports.parse_kind(args[0])
    period = reports.parse_period(kind, args[1] if len(args) == 2 else None, context.clock.now(), tz)
    await _send_report_here(update, context, period)


@campaign_staff_only
@domain_errors
async def report_button(update: Update, context: BotContext) -> None:
    """report:KIND:PERIOD — the buttons of a bare /report."""
    parts = callback_parts(update)
    if len(parts) != 3:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    kind = reports.parse_kind(parts[1])
    period = reports.parse_period(kind, parts[2], context.clock.now(), context.settings.tz)
    await answer_quietly(update)
    await _send_report_here(update, context, period)


async def _send_report_here(update: Update, context: BotContext, period: reports.Period) -> None:
    import handlers  # the manifests (this module is one of them)

    chat = update.effective_chat
    assert chat is not None
    await reply(update, texts.REPORT_GENERATING.format(period=period.label))
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        report = await reports.build_report(
            session, period, handlers.report_sections(), env=reports.ReportEnv(context.settings.data_dir)
        )
    async with context.transaction() as session:
        await audit.record(session, actor.user_id, "report.view", period.key, kind=period.kind.value)
    rendered = await cpu_bound(render_all, report)
    await _deliver(context.bot, chat.id, rendered)


async def _deliver(bot: Bot, chat_id: int, rendered: RenderedReport) -> None:
    await bot.send_message(chat_id, rendered.text)
    await bot.send_photo(
        chat_id,
        rendered.png,
        caption=texts.REPORT_PHOTO_CAPTION.format(title=rendered.title),
        filename=rendered.png_name,
    )
    await bot.send_document(
        chat_id,
        rendered.xlsx,
        filename=rendered.xlsx_name,
        caption=texts.REPORT_XLSX_CAPTION.format(title=rendered.title),
    )


# -------------------------------------------------------------------------------- scheduled report
def report_recipients(application: BotApplication) -> list[int]:
    """The campaign staff chat, or (until one is configured) every admin from ADMIN_IDS."""
    return notify.chat_ids(application.bot_data.settings, [notify.STAFF])


def make_report_task(application: BotApplication) -> Any:
    async def send_scheduled_report(task: ScheduledTask) -> None:
        """Build the period's report, send it to the staff chat, and schedule the next period's."""
        import handlers  # the manifests (this module is one of them)

        data = application.bot_data
        period = report_schedule.period_of_task(task.payload, data.settings.tz)
        # The next period first, in its own transaction: a failure below must not break the chain.
        async with transaction(data.sessions) as session:
            await report_schedule.schedule_report(session, period.next())
        async with transaction(data.sessions, read_only=True) as session:
            report = await reports.build_report(
                session, period, handlers.report_sections(), env=reports.ReportEnv(data.settings.data_dir)
            )
        async with transaction(data.sessions) as session:
            await audit.record(session, None, "report.sent", period.key, kind=period.kind.value)
        rendered = await cpu_bound(render_all, report)
        for chat_id in report_recipients(application):
            try:
                await _deliver(application.bot, chat_id, rendered)
            except TelegramError:
                log.warning("could not send the %s report to chat %s", period.key, chat_id, exc_info=True)

    return send_scheduled_report


async def schedule_reports_at_startup(application: BotApplication) -> None:
    async with transaction(application.bot_data.sessions) as session:
        await report_schedule.schedule_upcoming(
            session, now=application.bot_data.clock.now(), tz=application.bot_data.settings.tz
        )


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            CommandHandler("grant", grant),
            CommandHandler("revoke", revoke),
            CommandHandler("staff", staff_list),
            CommandHandler("audit", audit_command),
            CallbackQueryHandler(audit_page_button, pattern=AUDIT_BUTTONS),
            CommandHandler("report", report_command),
            CallbackQueryHandler(report_button, pattern=REPORT_BUTTONS),
        ]
    )
    application.bot_data.tasks.register(report_schedule.TASK_KIND, make_report_task(application))
    application.bot_data.startup_hooks.append(schedule_reports_at_startup)


FEATURE = Feature(
    "staff",
    register,
    COMMANDS,
    staff_button_prefixes=("audit", "report"),
    report_sections=staff_activity_report.SECTIONS,
    cli=reports_cli.add_commands,
    benchmarks={"report": "bench.report:bench"},
)
