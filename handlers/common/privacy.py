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
from bot.services.classifier import TRIAGE_ID
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


async def value_names(context: BotContext) -> views.ValueNames:
    """The names of the coded values /mydata holds, from the features that own them."""
    from handlers.inspections import texts as inspection_texts
    from handlers.nominations import texts as nomination_texts
    from handlers.outbox import texts as outbox_texts
    from handlers.staff import texts as staff_texts
    from handlers.tickets import texts as ticket_texts
    from handlers.tickets.resources import classifier_of
    from handlers.volunteers import texts as volunteer_texts

    classifier = await classifier_of(context.bot_data)
    departments = {key: department.name for key, department in classifier.departments.items()}
    categories = {key: category.name for key, category in classifier.categories.items()}
    categories[TRIAGE_ID] = classifier.triage_name
    return {
        ("profile", "role"): {str(role): name for role, name in staff_texts.ROLE_LABELS.items()},
        ("profile", "department"): departments,
        ("subscriptions", "subscriptions"): dict(texts.TOPIC_NAMES),
        ("complaints", "status"): {str(status): name for status, name in ticket_texts.STATUS_NAMES.items()},
        ("complaints", "category"): categories,
        ("complaints", "department"): departments,
        ("nominations", "kind"): {str(k): name for k, name in nomination_texts.KIND_NAMES.items()},
        ("nominations", "status"): {str(s): name for s, name in nomination_texts.STATUS_NAMES.items()},
        ("volunteer", "status"): dict(volunteer_texts.BOOKING_STATUS_NAMES),
        ("broadcasts", "status"): texts.MYDATA_OUTBOX_STATUS,
        ("outbox", "kind"): dict(outbox_texts.KIND_NAMES),
        ("outbox", "status"): texts.MYDATA_OUTBOX_STATUS,
        ("inspections", "status"): texts.MYDATA_INSPECTION_STATUS,
        ("inspections", "action"): dict(inspection_texts.EVENT_NAMES),
    }


async def privacy(update: Update, context: BotContext) -> None:
    await reply(update, texts.PRIVACY)


async def mydata(update: Update, context: BotContext) -> None:
    """Send the person everything stored about them as a JSON document."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    async with context.transaction(read_only=True) as session:
        document = await personal_data.export_user_data(session, user.id, sections())
    readable = views.readable_export(document, await value_names(context), context.settings.tz)
    payload = json.dumps(readable, ensure_ascii=False, indent=2, default=str).encode()
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
