"""/mynominations, and 补充材料: the nominator adds what staff asked for.

The other nominators of the same person and the campaign staff hear of a supplement through the
outbox, in its transaction. Conversation, persistent as "nomination_supplement"
(handlers.kit.conversation)::

    补充材料 (a button under /mynominations) ─► SUPPLEMENT ──text──► the nomination back to review ─► END
                                                  │ sticker/photo → re-ask (stay)
                                                  └ /cancel → END
"""

from __future__ import annotations

from typing import TypedDict

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot import texts as common_texts
from bot.app import BotContext
from bot.outbox import notify
from bot.services import nominations as service
from handlers.kit.conversation import ANSWER_TEXT, END, NOT_COMMAND, Draft, conversation, reask
from handlers.kit.replies import main_menu, reply, send_view
from handlers.nominations import owed, staff_views, texts, views
from handlers.nominations.callbacks import SupplementButton

SUPPLEMENT = 20  # the state number it has always had


class PendingSupplement(TypedDict):
    nomination: int


SUPPLEMENT_DRAFT = Draft("nom_supplement", lambda: PendingSupplement(nomination=0))


async def my_nominations(update: Update, context: BotContext) -> None:
    """/mynominations: each nomination with its status; 补充材料 buttons where staff asked."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        rows = await service.my_nominations(session, user.id)
    if not rows:
        await reply(update, texts.MINE_EMPTY, reply_markup=main_menu())
        return
    await send_view(update, views.mine_view(rows))


async def supplement_pressed(update: Update, context: BotContext, press: SupplementButton) -> int:
    """补充材料: for a nomination of theirs that staff asked more of, ask for the text."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        nomination = await service.supplementable(session, user.id, press.nomination)
    SUPPLEMENT_DRAFT.start(context)["nomination"] = nomination.id
    await reply(update, views.supplement_prompt(nomination))
    return SUPPLEMENT


async def supplement_received(update: Update, context: BotContext) -> int:
    """The added material: the nomination goes back to review; the other nominators are told."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    addition = service.check_text(message.text or "", service.SUPPLEMENT_MAX)
    pending = SUPPLEMENT_DRAFT.peek(context)
    now = context.clock.now()
    async with context.transaction() as session:
        change = await service.supplement(
            session,
            user.id,
            pending["nomination"] if pending else 0,
            addition,
            heading=views.supplement_heading(now.astimezone(context.settings.tz)),
            now=now,
        )
        await owed.tell_nominators(
            session, change.notices, views.status_notice, kind=owed.Owed.STATUS, skip=user.id
        )
        alert = staff_views.supplemented_alert(change.nomination)
        await notify.staff(session, context.settings, alert, kind=owed.Owed.SUPPLEMENTED)
    SUPPLEMENT_DRAFT.drop(context)
    await reply(update, views.supplemented_text(change.nomination), reply_markup=main_menu())
    return END


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    return [
        conversation(
            "nomination_supplement",
            entry_points=[SupplementButton.handler(supplement_pressed)],
            states={
                SUPPLEMENT: [
                    MessageHandler(ANSWER_TEXT, supplement_received),
                    MessageHandler(NOT_COMMAND, reask(common_texts.TEXT_EXPECTED)),
                ]
            },
            cleanup=SUPPLEMENT_DRAFT.drop,
        ),
        CommandHandler("mynominations", my_nominations),
    ]
