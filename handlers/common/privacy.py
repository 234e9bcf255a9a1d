"""/privacy (what is kept and why), /mydata (all of it as JSON) and /forget (erase it, after a yes).

/mydata and /forget cover every feature: each manifest names its export and its eraser
(``personal_data``). /forget erases under the sightings lock, so a /start buffered a moment before
cannot write the person back afterwards (``bot.sightings``).
"""

from __future__ import annotations

import json

from telegram import Update

from bot.app import BotContext
from bot.services import personal_data
from handlers.common import texts, views
from handlers.common.callbacks import ForgetButton
from handlers.kit.conversation import forget_conversations
from handlers.kit.feature import ForgetHook
from handlers.kit.replies import answer_quietly, edit_or_reply, reply, send_view


def sections() -> list[personal_data.PersonalData]:
    """Every feature's export and eraser, from the manifests."""
    import handlers  # the manifests (this feature's is one of them)

    return handlers.personal_data_sections()


def forget_hooks() -> list[ForgetHook]:
    """What every feature owes others when a person is forgotten, from the manifests."""
    import handlers

    return handlers.forget_hooks()


async def privacy(update: Update, context: BotContext) -> None:
    await reply(update, texts.PRIVACY)


async def mydata(update: Update, context: BotContext) -> None:
    """Send the person everything stored about them as a JSON document."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    async with context.transaction(read_only=True) as session:
        document = await personal_data.export_user_data(session, user.id, sections())
    payload = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()
    await message.reply_document(payload, filename=f"mydata-{user.id}.json", caption=texts.MYDATA_CAPTION)


async def forget(update: Update, context: BotContext) -> None:
    """Ask first: erasing cannot be undone. The question can be answered by its asker only."""
    user = update.effective_user
    assert user is not None
    await send_view(update, views.forget_confirm_view(user.id))


async def forget_pressed(update: Update, context: BotContext, press: ForgetButton) -> None:
    """Erase on 确认删除; a second press finds nothing left and says so harmlessly.

    Final: the stored data goes in one transaction (each feature's eraser, the ticket cards edited
    to 已匿名 through the outbox in the same transaction), under the sightings lock so a /start
    buffered a moment ago cannot bring the person back; then what the running bot holds of them —
    their conversations in every chat, their user_data and their private chat's chat_data — goes too.
    """
    user = update.effective_user
    assert user is not None
    if press.asker != user.id:
        await answer_quietly(update, texts.FORGET_NOT_YOURS, alert=True)
        return
    if press.answer != "yes":
        await edit_or_reply(update, texts.FORGET_KEPT)
        return
    async with context.bot_data.sightings.forgetting(user.id), context.transaction() as session:
        for hook in forget_hooks():
            await hook(session, context.bot_data, user.id)
        await personal_data.forget_user(session, user.id, sections())
    forget_conversations(context.application, user.id)
    await edit_or_reply(update, texts.FORGET_DONE)
