"""/broadcasts (campaign staff): the latest notices with their counts; pause, resume or cancel one."""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.services import broadcasts as service
from bot.services.broadcasts import BroadcastError, BroadcastProblem
from handlers.broadcasts import texts, views
from handlers.broadcasts.callbacks import ManageButton
from handlers.kit.guards import campaign_staff_only
from handlers.kit.replies import answer_quietly, edit_view, send_view


@campaign_staff_only
async def list_command(update: Update, context: BotContext) -> None:
    """/broadcasts."""
    async with context.transaction(read_only=True) as session:
        items = await service.summaries(session)
    await send_view(update, views.notices_list(items, context.settings.tz))


@campaign_staff_only
async def manage_pressed(update: Update, context: BotContext, press: ManageButton) -> None:
    """暂停 / 继续 / 取消发送: guarded on every press; a refused change says the notice's status."""
    actor = await context.actor(update)
    try:
        async with context.transaction() as session:
            if press.action == "pause":
                await service.pause(session, actor, press.broadcast)
                toast = texts.PAUSED.format(id=press.broadcast)
            elif press.action == "resume":
                broadcast = await service.resume(session, actor, press.broadcast)
                toast = texts.RESUMED.format(
                    id=press.broadcast, status=texts.STATUS_NAMES[broadcast.status.value]
                )
            else:
                await service.cancel(session, actor, press.broadcast)
                toast = texts.CANCELLED_DONE.format(id=press.broadcast)
    except BroadcastError as error:
        if error.problem is BroadcastProblem.BAD_TRANSITION:  # the status by its name
            raise BroadcastError(error.problem, status=texts.STATUS_NAMES[error.params["status"]]) from None
        raise
    async with context.transaction(read_only=True) as session:
        items = await service.summaries(session)
    await answer_quietly(update, toast)
    await edit_view(update, views.notices_list(items, context.settings.tz))
