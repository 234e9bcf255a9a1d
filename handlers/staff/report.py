"""The supervision report (一月一督查、一季一通报): /report for campaign staff, and the scheduled one.

/report month [2026-11] | quarter [2026-Q4] sends the period's report here: a chat summary, the
chart (PNG) and the workbook (XLSX); a bare /report offers the last complete month and quarter as
buttons. Each report viewed is audit-logged. The month's report also goes out by itself on the 1st
at 09:00 and the quarter's on the first day of the next quarter (``bot.services.reports.schedule``),
to the staff chat or, until one is configured, to every admin: its summary is owed (written to the
outbox with the task's audit entry, so it arrives even after a failure); the chart and the workbook
are uploads, which the outbox does not carry, so they follow directly and the summary says how to
get them again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update
from telegram.error import TelegramError

from bot.app import BotApplication, BotContext
from bot.database import transaction
from bot.models import ScheduledTask
from bot.outbox import notify
from bot.services import audit, reports
from bot.services import staff as service
from bot.services.reports import schedule
from handlers.kit.errors import show_errors
from handlers.kit.feature import TaskHandler
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, reply, send_view
from handlers.staff import texts, views
from handlers.staff.callbacks import ReportButton
from handlers.staff.periods import parse_kind, parse_period
from handlers.staff.rendering import RenderedReport, render_all, render_attachments, render_text

log = logging.getLogger(__name__)

SCHEDULED_KIND = "report.scheduled"  # the summary of a scheduled report, owed to the staff


@campaign_staff_only
@show_errors
async def report_command(update: Update, context: BotContext) -> None:
    """/report month [YYYY-MM] | quarter [YYYY-Qn]; a bare /report offers the last complete periods."""
    args = context.args or []
    now, tz = context.clock.now(), context.settings.tz
    if not args:
        month = reports.Period.last_complete(reports.PeriodKind.MONTH, now, tz)
        quarter = reports.Period.last_complete(reports.PeriodKind.QUARTER, now, tz)
        await send_view(update, views.report_pick_view(month, quarter))
        return
    if len(args) > 2:
        await reply(update, texts.REPORT_USAGE)
        return
    period = parse_period(parse_kind(args[0]), args[1] if len(args) == 2 else None, now, tz)
    await send_report_here(update, context, period)


@campaign_staff_only
async def period_pressed(update: Update, context: BotContext, press: ReportButton) -> None:
    """月报 / 季报 of a bare /report."""
    period = parse_period(parse_kind(press.kind), press.period, context.clock.now(), context.settings.tz)
    await answer_quietly(update)
    await send_report_here(update, context, period)


async def send_report_here(update: Update, context: BotContext, period: reports.Period) -> None:
    chat = update.effective_chat
    assert chat is not None
    await reply(update, views.generating_text(period))
    actor = await context.actor(update)
    async with context.transaction() as session:
        report = await build(session, period, context.settings.data_dir, context.clock.now())
        await audit.record(session, actor.user_id, "report.view", period.key, kind=period.kind.value)
    await deliver(context.bot, chat.id, await render(report))


async def build(
    session: AsyncSession, period: reports.Period, data_dir: Path, now: datetime
) -> reports.Report:
    """The report of ``period`` with every feature's sections (the manifests')."""
    import handlers  # the manifests (this feature's is one of them)

    return await reports.build_report(
        session, period, handlers.report_sections(), now=now, env=reports.ReportEnv(data_dir)
    )


async def render(report: reports.Report) -> RenderedReport:
    """Text, chart and workbook, rendered off the event loop (matplotlib and openpyxl take a while)."""
    return await asyncio.to_thread(render_all, report)


async def deliver(bot: Bot, chat_id: int, rendered: RenderedReport) -> None:
    await bot.send_message(chat_id, rendered.text)
    await send_attachments(bot, chat_id, rendered)


async def send_attachments(bot: Bot, chat_id: int, rendered: RenderedReport) -> None:
    await bot.send_photo(
        chat_id, rendered.png, caption=views.photo_caption(rendered.title), filename=rendered.png_name
    )
    await bot.send_document(
        chat_id, rendered.xlsx, filename=rendered.xlsx_name, caption=views.workbook_caption(rendered.title)
    )


# ---------------------------------------------------------------- the scheduled report
def report_task(application: BotApplication) -> TaskHandler:
    """The handler of ``schedule.TASK_KIND``: one period's report to the campaign staff."""

    async def send_scheduled_report(task: ScheduledTask) -> None:
        """Build the period's report, send it to the staff, and schedule the next period's."""
        data = application.bot_data
        period = schedule.period_of_task(task.payload, data.settings.tz)
        # The next period first, in its own transaction: a failure below must not break the chain.
        async with transaction(data.sessions) as session:
            await schedule.schedule_report(session, period.next())
        async with transaction(data.sessions) as session:
            report = await build(session, period, data.settings.data_dir, data.clock.now())
            await audit.record(session, None, "report.sent", period.key, kind=period.kind.value)
            summary = views.scheduled_summary(render_text(report), period)
            await notify.staff(session, data.settings, summary, kind=SCHEDULED_KIND)
        rendered = await asyncio.to_thread(render_attachments, report)
        for chat_id in notify.staff_chats(data.settings):
            try:
                await send_attachments(application.bot, chat_id, rendered)
            except TelegramError:  # the summary (owed) says how to get them with /report
                log.warning(
                    "could not send the %s report's files to chat %s", period.key, chat_id, exc_info=True
                )

    return send_scheduled_report


async def schedule_reports_at_startup(application: BotApplication) -> None:
    """Make sure the next month's and quarter's reports have their (once-only) task."""
    data = application.bot_data
    async with transaction(data.sessions) as session:
        await schedule.schedule_upcoming(session, data.clock.now(), data.settings.tz)


# ---------------------------------------------------------------- the report's staff section
async def staff_activity_section(
    session: AsyncSession, period: reports.Period, env: reports.ReportEnv
) -> reports.ReportSection:
    """Provider of the "staff_activity" section (declared in the manifest)."""
    return views.staff_activity_section(await service.staff_activity(session, period))
