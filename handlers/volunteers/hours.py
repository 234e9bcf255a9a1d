"""/hours, /leaderboard and /certificate: hours served, this month's top volunteers, the PNG certificate."""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.offload import cpu_bound
from bot.services import volunteers as vol
from handlers.kit.errors import show_errors
from handlers.kit.replies import reply
from handlers.volunteers import documents, texts, views
from handlers.volunteers.reading import districts_of, sender_id


async def hours_command(update: Update, context: BotContext) -> None:
    """/hours: total recorded hours and hours by month."""
    async with context.transaction(read_only=True) as session:
        record = await vol.service_record(session, sender_id(update))
    await reply(update, views.hours_record_text(record, context.settings.tz))


async def leaderboard_command(update: Update, context: BotContext) -> None:
    """/leaderboard: this month's top volunteers by hours; names masked unless their owner agreed."""
    month, start, end = vol.month_bounds(None, context.clock.now(), context.settings.tz)
    async with context.transaction(read_only=True) as session:
        rows = await vol.hours_by_volunteer(session, start, end, limit=vol.LEADERBOARD_SIZE)
    await reply(update, views.leaderboard_text(month, rows))


@show_errors
async def certificate_command(update: Update, context: BotContext) -> None:
    """/certificate: a PNG 志愿服务时长证明 of the volunteer's completed shifts."""
    user_id = sender_id(update)
    async with context.transaction(read_only=True) as session:
        profile = await vol.require_profile(session, user_id)
        record = await vol.service_record(session, user_id)
    if not record.entries:
        await reply(update, texts.CERT_NO_RECORD)
        return
    issued = context.clock.now()
    number = vol.certificate_number(user_id, issued, context.settings.tz)
    png = await cpu_bound(  # Pillow: a quarter of a second, off the event loop
        documents.render_certificate,
        name=profile.real_name,
        record=record,
        city=districts_of(context).city or texts.DEFAULT_CITY,
        issued=issued,
        number=number,
        tz=context.settings.tz,
    )
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        png, filename=f"volunteer-certificate-{number}.png", caption=texts.CERT_CAPTION
    )
