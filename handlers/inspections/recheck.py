"""复查: an inspector or campaign staff passes a unit's answer, or returns it with a reason and a
new deadline.

通过 acts at once. 退回 is a conversation, persistent as "rect_return"::

    退回 on a re-check card ─► REASON ──text──► DEADLINE ──24 小时 / 3 天 / 7 天──► returned, END
                                 │ empty, too long → say why (stay)
                                 └ /cancel → END (no main menu: it may be the staff group)

Buttons carry the round they were made for: a card of an earlier answer no longer acts.
"""

from __future__ import annotations

from typing import TypedDict

from telegram import ForceReply, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot.app import BotContext
from bot.services.inspections import rectification as service
from handlers.inspections import notices, task_cards, texts
from handlers.inspections.callbacks import DeadlineButton, PassButton, ReturnButton
from handlers.inspections.resources import content_of
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, Draft, conversation, reask
from handlers.kit.guards import inspector_only
from handlers.kit.replies import answer_quietly, edit_or_reply, reply

REASON, DEADLINE = 40, 41  # stored by persistence: the numbers stay


class PendingReturn(TypedDict):
    task: int
    round: int
    reason: str


PENDING = Draft("rect_return", lambda: PendingReturn(task=0, round=0, reason=""))


def _checker_name(update: Update) -> str:
    user = update.effective_user
    return user.first_name if user else ""


@inspector_only
async def pass_pressed(update: Update, context: BotContext, press: PassButton) -> None:
    """复查通过: the unit hears of it; every copy of the re-check card shows it."""
    actor = await context.actor(update)
    async with context.transaction() as session:
        task = await service.recheck_pass(session, press.task, press.round, actor, context.clock.now())
        item = await service.item_of(session, task)
        await notices.after_pass(
            session, context.settings, content_of(context), task, item, _checker_name(update)
        )
    await answer_quietly(update, task_cards.passed_toast(task))


@inspector_only
async def return_pressed(update: Update, context: BotContext, press: ReturnButton) -> int:
    """退回: checked now (and again at the end); ask for the reason."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        task = await service.check_recheck(session, press.task, press.round, actor)
    pending = PENDING.start(context)
    pending["task"], pending["round"] = task.id, task.round
    await answer_quietly(update)
    user = update.effective_user
    assert user is not None
    await reply(
        update,
        task_cards.return_prompt(task.id, user.id, user.first_name),
        reply_markup=ForceReply(selective=True),
    )
    return REASON


@inspector_only
async def reason_received(update: Update, context: BotContext) -> int:
    """REASON: the reason; then the new deadline."""
    message = update.effective_message
    assert message is not None
    pending = PENDING.peek(context)
    if not pending or not pending["task"]:
        await reply(update, texts.RETURN_LOST)
        return END
    pending["reason"] = service.check_reason(message.text or "")
    view = task_cards.deadline_view(pending["task"], pending["round"], pending["reason"])
    await reply(update, view.text, reply_markup=view.keyboard)
    return DEADLINE


@inspector_only
async def deadline_pressed(update: Update, context: BotContext, press: DeadlineButton) -> int:
    """DEADLINE: returned; the unit's card asks again and a notice tells it why and until when."""
    pending = PENDING.peek(context)
    if not pending or pending["task"] != press.task or not pending["reason"]:
        await answer_quietly(update, texts.RETURN_LOST, alert=True)
        return END
    actor = await context.actor(update)
    async with context.transaction() as session:
        task = await service.recheck_return(
            session, press.task, press.round, actor, pending["reason"], press.hours, context.clock.now()
        )
        item = await service.item_of(session, task)
        await notices.after_return(
            session, context.settings, content_of(context), task, item, _checker_name(update), press.round
        )
    PENDING.drop(context)
    await edit_or_reply(update, task_cards.returned_done(task, context.settings.tz))
    return END


async def cancel_return(update: Update, context: BotContext) -> int:
    PENDING.drop(context)
    await reply(update, texts.RETURN_CANCELLED)
    return END


def return_conversation() -> BaseHandler[Update, BotContext, object]:
    return conversation(
        "rect_return",
        entry_points=[ReturnButton.handler(return_pressed)],
        states={
            REASON: [
                MessageHandler(ANSWER_TEXT, reason_received),
                MessageHandler(NOT_TEXT, reask(texts.REASON_EXPECTED)),
            ],
            DEADLINE: [DeadlineButton.handler(deadline_pressed)],
        },
        fallbacks=[CommandHandler("cancel", cancel_return)],
    )
