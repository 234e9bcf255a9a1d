"""The resident's follow-up: /mycomplaints, /ticket NUMBER, the rating (回访满意度) and 重新办理.

The rating and 重新办理 buttons come with the notice that a ticket was resolved; a rating closes it,
重新办理 (within the reopen window) sends it back to its department with a new time limit. Either
redraws the department's card; a reopen also tells the department and posts the card there again
(owed, through the outbox: ``routing``).
"""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.services import tickets as service
from handlers.kit.errors import show_errors
from handlers.kit.replies import edit_or_reply, reply, send_long_view
from handlers.tickets import routing, texts, views
from handlers.tickets.callbacks import RateButton, ReopenButton
from handlers.tickets.resources import classifier_of
from handlers.tickets.routing import Owed


async def my_complaints(update: Update, context: BotContext) -> None:
    """/mycomplaints: the resident's latest tickets with their status."""
    user = update.effective_user
    assert user is not None
    classifier = await classifier_of(context.bot_data)
    async with context.transaction(read_only=True) as session:
        mine = await service.tickets_of(session, user.id)
    await reply(update, views.my_tickets_text(classifier, mine, context.settings.tz))


@show_errors
async def show_ticket(update: Update, context: BotContext) -> None:
    """/ticket NUMBER: one ticket with its history (for its reporter, its department, campaign staff)."""
    if not context.args:
        await reply(update, texts.USAGE)
        return
    actor = await context.actor(update)
    classifier = await classifier_of(context.bot_data)
    async with context.transaction(read_only=True) as session:
        ticket = await service.visible_ticket(session, context.args[0], actor)
        events = await service.history(session, ticket.id)
    handles = service.can_handle(actor, ticket)
    await send_long_view(  # a long history (notes of up to 1,000 characters each) takes several
        update, views.detail_view(classifier, ticket, events, context.settings.tz, handles=handles)
    )


async def rate_pressed(update: Update, context: BotContext, press: RateButton) -> None:
    """The reporter's 1–5 rating; it closes the ticket."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        ticket = await service.rate(session, press.ticket, user.id, press.stars, now=context.clock.now())
        await routing.redraw_card(session, context.bot_data, ticket)
    await edit_or_reply(update, views.rated_text(ticket))


async def reopen_pressed(update: Update, context: BotContext, press: ReopenButton) -> None:
    """重新办理 within the window: the department hears of it and gets the card again."""
    user = update.effective_user
    assert user is not None
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await service.reopen(session, classifier, press.ticket, user.id, now=context.clock.now())
        notice = views.reopened_staff_notice(ticket)
        await routing.tell_department(
            session, context.bot_data, ticket.department_id, notice, kind=Owed.REOPENED
        )
        await routing.post_card(session, context.bot_data, ticket)
    await edit_or_reply(update, views.reopened_text(classifier, ticket))
