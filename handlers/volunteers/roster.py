"""/roster and /hoursexport (campaign staff): who is on a shift, and hours by volunteer, as XLSX and CSV.

Phone numbers are masked in the roster and in every export (see ``documents``); exports are audited.
"""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.offload import cpu_bound
from bot.services import audit
from bot.services import volunteers as vol
from handlers.kit.errors import show_errors
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, reply, send_view
from handlers.volunteers import documents, staff_views, texts
from handlers.volunteers.callbacks import ExportRosterButton
from handlers.volunteers.reading import command_shift_id, sender_id


@campaign_staff_only
@show_errors
async def roster_command(update: Update, context: BotContext) -> None:
    """/roster ID: booked, checked in, completed, no-show and waitlisted, with export buttons."""
    shift_id = command_shift_id(context)
    if shift_id is None:
        await reply(update, texts.ROSTER_USAGE)
        return
    async with context.transaction(read_only=True) as session:
        shift, entries = await vol.roster(session, shift_id)
        view = staff_views.roster_view(shift, entries, context.settings.tz)
    await send_view(update, view)


@campaign_staff_only
async def export_pressed(update: Update, context: BotContext, press: ExportRosterButton) -> None:
    """导出 Excel / 导出 CSV: the roster as a document."""
    async with context.transaction(read_only=True) as session:
        _shift, entries = await vol.roster(session, press.shift)
    async with context.transaction() as session:
        await audit.record(
            session, sender_id(update), "volunteer.roster.export", str(press.shift), format=press.format
        )
    table = documents.roster_table(entries, context.settings.tz)
    if press.format == "xlsx":
        payload = await cpu_bound(documents.to_xlsx, f"shift-{press.shift}", table)
    else:
        payload = documents.to_csv(table)
    caption = staff_views.export_caption(texts.EXPORT_ROSTER.format(id=press.shift))
    await answer_quietly(update)
    message = update.effective_message
    assert message is not None
    await message.reply_document(payload, filename=f"roster-{press.shift}.{press.format}", caption=caption)


@campaign_staff_only
@show_errors
async def hoursexport_command(update: Update, context: BotContext) -> None:
    """/hoursexport [YYYY-MM]: hours by volunteer for the month (default: this one), as XLSX and CSV."""
    month, start, end = vol.month_bounds(
        context.args[0] if context.args else None, context.clock.now(), context.settings.tz
    )
    async with context.transaction(read_only=True) as session:
        rows = await vol.hours_by_volunteer(session, start, end)
    async with context.transaction() as session:
        await audit.record(session, sender_id(update), "volunteer.hours.export", month, volunteers=len(rows))
    table = documents.hours_table(rows)
    caption = staff_views.export_caption(texts.EXPORT_HOURS.format(month=month))
    message = update.effective_message
    assert message is not None
    workbook = await cpu_bound(documents.to_xlsx, month, table)
    await message.reply_document(workbook, filename=f"volunteer-hours-{month}.xlsx", caption=caption)
    await message.reply_document(
        documents.to_csv(table), filename=f"volunteer-hours-{month}.csv", caption=caption
    )
