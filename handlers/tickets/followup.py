"""The resident's follow-up: /mycomplaints, /ticket NUMBER, the rating (回访满意度) and 重新办理.

The rating and 重新办理 buttons come with the notice that a ticket was resolved; a rating closes it,
重新办理 (within the reopen window) asks why the problem is not solved and sends the ticket back to
its department with the reason and a new time limit. Either redraws the department's card; a reopen
also tells the department (with the reason) and posts the card there again (owed, through the
outbox: ``routing``).

Conversation, persistent as "tk_reopen" (handlers.kit.conversation)::

    重新办理 ──► REASON ──text──► reopened, END
    REASON: empty or too long: say why (stay); stickers, photos …: re-ask (stay)
    /cancel → END (nothing changes)
"""

from __future__ import annotations

from typing import TypedDict

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler

from bot.app import BotContext
from bot.services import tickets as service
from bot.services.tickets import check_note
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, Draft, conversation, reask
from handlers.kit.errors import show_errors
from handlers.kit.replies import edit_or_reply, reply, send_long_view, send_photos
from handlers.tickets import list_views, reporter_views, routing, texts, views
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
    await reply(update, list_views.my_tickets_text(classifier, mine, context.settings.tz))


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
    if handles and ticket.photo_file_ids:  # the reporter sent them: they see them in their own chat
        await send_photos(update, ticket.photo_file_ids, views.card_photos_caption(ticket))
    await send_long_view(  # a long history (notes of up to 1,000 characters each) takes several
        update, list_views.detail_view(classifier, ticket, events, context.settings.tz, handles=handles)
    )


async def rate_pressed(update: Update, context: BotContext, press: RateButton) -> None:
    """The reporter's 1–5 rating; it closes the ticket."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        ticket = await service.rate(session, press.ticket, user.id, press.stars, now=context.clock.now())
        await routing.redraw_card(session, context.bot_data, ticket)
    await edit_or_reply(update, reporter_views.rated_text(ticket))


# The conversation's state; persistence stores it.
REASON = 0


class PendingReopen(TypedDict):
    """The ticket whose reporter is asked why it should be handled again (user_data["ticket_reopen"])."""

    ticket: int


PENDING = Draft("ticket_reopen", lambda: PendingReopen(ticket=0))


async def reopen_pressed(update: Update, context: BotContext, press: ReopenButton) -> int:
    """重新办理 within the window: ask why the problem is not solved (the department is told)."""
    user = update.effective_user
    assert user is not None
    async with context.transaction(read_only=True) as session:
        ticket = await service.check_reopen(session, press.ticket, user.id, now=context.clock.now())
    PENDING.start(context)["ticket"] = ticket.id
    await reply(update, reporter_views.reopen_reason_prompt(ticket))
    return REASON


async def reopen_reason(update: Update, context: BotContext) -> int:
    """REASON: the ticket goes back to its department, which hears why."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    pending = PENDING.peek(context)
    if not pending or not pending["ticket"]:
        await reply(update, texts.DRAFT_LOST)
        return END
    reason = check_note(message.text or "")
    classifier = await classifier_of(context.bot_data)
    async with context.transaction() as session:
        ticket = await service.reopen(
            session, classifier, pending["ticket"], user.id, now=context.clock.now(), reason=reason
        )
        notice = reporter_views.reopened_staff_notice(ticket, reason)
        await routing.tell_department(
            session, context.bot_data, ticket.department_id, notice, kind=Owed.REOPENED
        )
        await routing.post_card(session, context.bot_data, ticket)
    PENDING.drop(context)
    await reply(update, reporter_views.reopened_text(classifier, ticket))
    return END


def reopen_conversation() -> BaseHandler[Update, BotContext, object]:
    return conversation(
        "tk_reopen",
        entry_points=[ReopenButton.handler(reopen_pressed)],
        states={
            REASON: [
                MessageHandler(ANSWER_TEXT, reopen_reason),
                MessageHandler(NOT_TEXT, reask(texts.REOPEN_REASON_EXPECTED)),
            ]
        },
        cleanup=PENDING.drop,
    )
