"""整改回复: a unit's handler answers a task card with an after-photo and a note (→ 待复查).

Conversation, persistent as "rect_reply" (handlers.kit.conversation)::

    整改回复 on a card (the unit's handler) ─► AFTER ──photo with a caption──► 待复查, END
                                               │ photo alone → ask for the note (stay)
                                               │ text before any photo → ask for the photo (stay)
                                               │ the task moved on meanwhile → say so, END
                                               └ /cancel → END (no main menu: it may be a group)

The prompt is a selective ForceReply that mentions the handler, so in the unit's group (privacy
mode on) the reply reaches the bot and the box opens for them alone. The answer goes to the
inspector and the campaign staff as a re-check card; the unit's card shows 待复查.
"""

from __future__ import annotations

from typing import TypedDict

from telegram import ForceReply, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.app import BotContext
from bot.services import DomainError
from bot.services.inspections import MAX_REPLY_PHOTOS, InspectionError, InspectionProblem
from bot.services.inspections import rectification as service
from handlers.inspections import notices, task_cards, texts
from handlers.inspections.callbacks import ReplyButton
from handlers.inspections.resources import content_of
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_TEXT, Draft, conversation
from handlers.kit.errors import show_error
from handlers.kit.guards import staff_only
from handlers.kit.replies import answer_quietly, reply

AFTER = 30  # stored by persistence: the number stays
NOTE_PROBLEMS = (InspectionProblem.NOTE_EMPTY, InspectionProblem.NOTE_TOO_LONG)


class PendingReply(TypedDict):
    """The task being answered and the photos received so far (user_data["rect_reply"])."""

    task: int
    photos: list[str]


PENDING = Draft("rect_reply", lambda: PendingReply(task=0, photos=[]))


@staff_only
async def reply_pressed(update: Update, context: BotContext, press: ReplyButton) -> int:
    """整改回复: the unit's handler, on an open task; ask for the photo and the note."""
    actor = await context.actor(update)
    async with context.transaction(read_only=True) as session:
        task = await service.check_reply(session, press.task, actor)
    pending = PENDING.start(context)
    pending["task"] = task.id
    await answer_quietly(update)
    user = update.effective_user
    assert user is not None
    await reply(
        update,
        task_cards.reply_prompt(task.id, user.id, user.first_name),
        reply_markup=ForceReply(selective=True),
    )
    return AFTER


@staff_only
async def photo_received(update: Update, context: BotContext) -> int:
    """AFTER: an after-photo; with a caption it is the whole answer."""
    message = update.effective_message
    assert message is not None and message.photo
    pending = PENDING.peek(context)
    if not pending or not pending["task"]:
        await reply(update, texts.REPLY_LOST)
        return END
    pending["photos"] = [*pending["photos"], message.photo[-1].file_id][-MAX_REPLY_PHOTOS:]
    if message.caption and message.caption.strip():
        return await _answer(update, context, pending, message.caption)
    await reply(
        update,
        task_cards.reply_photo_received(len(pending["photos"])),
        reply_markup=ForceReply(selective=True),
    )
    return AFTER


@staff_only
async def note_received(update: Update, context: BotContext) -> int:
    """AFTER: the note, once there is a photo."""
    message = update.effective_message
    assert message is not None
    pending = PENDING.peek(context)
    if not pending or not pending["task"]:
        await reply(update, texts.REPLY_LOST)
        return END
    if not pending["photos"]:
        raise InspectionError(InspectionProblem.REPLY_PHOTO_REQUIRED)
    return await _answer(update, context, pending, message.text or "")


async def _answer(update: Update, context: BotContext, pending: PendingReply, note: str) -> int:
    actor = await context.actor(update)
    content = content_of(context)
    try:
        async with context.transaction() as session:
            task = await service.reply(
                session, pending["task"], actor, pending["photos"], note, context.clock.now()
            )
            item = await service.item_of(session, task)
            inspector = await service.inspector_of(session, task)
            await notices.after_reply(session, context.settings, content, task, item, inspector)
    except DomainError as error:
        if error.code in NOTE_PROBLEMS:
            raise  # the kit shows it and AFTER asks again
        PENDING.drop(context)  # the task moved on meanwhile: no use asking
        await show_error(update, context, error)
        return END
    PENDING.drop(context)
    await reply(update, task_cards.reply_done(task))
    return END


async def reply_expected(update: Update, context: BotContext) -> int:
    await reply(update, texts.REPLY_EXPECTED, reply_markup=ForceReply(selective=True))
    return AFTER


async def cancel_reply(update: Update, context: BotContext) -> int:
    """/cancel while an answer is expected (no main menu: this may be the unit's group)."""
    PENDING.drop(context)
    await reply(update, texts.REPLY_CANCELLED)
    return END


def reply_conversation() -> BaseHandler[Update, BotContext, object]:
    return conversation(
        "rect_reply",
        entry_points=[ReplyButton.handler(reply_pressed)],
        states={
            AFTER: [
                MessageHandler(filters.PHOTO, photo_received),
                MessageHandler(ANSWER_TEXT, note_received),
                MessageHandler(NOT_TEXT, reply_expected),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel_reply)],
    )
