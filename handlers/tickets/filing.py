"""投诉举报: a resident describes a problem, says where, chooses 实名 or 匿名, and confirms how it
was sorted; the ticket is filed, its card goes to the department, and the resident gets its number.
The card (and, for an urgent report, the alert to the campaign staff) is written to the outbox in
the filing's transaction, so it goes out even when the resident's own answer fails.

Conversation, persistent as "complaint" (handlers.kit.conversation)::

    /complain | 投诉举报 ──► DESCRIBE ──text / captioned photo──► PLACE ──location / address / 跳过──►
        IDENTITY ──实名 / 匿名──► CONFIRM ──确认提交──► ticket number, END
                                     └──选择其他分类 ──a category──► CONFIRM
    DESCRIBE: a photo without a caption is kept, the text asked for; empty, too long or only emoji:
              say why (stay); stickers, voice …: re-ask (stay)
    IDENTITY, CONFIRM: typing where a button is expected points at the buttons (stay)
    /cancel → END (the draft is dropped)

Private chats only: /complain and 投诉举报 in a group do nothing. The draft lives in user_data, so
an unfinished report survives a restart.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import TypedDict

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.app import BotContext
from bot.models import Priority
from bot.outbox import notify
from bot.services import tickets as service
from bot.services import users
from bot.services.tickets import PHOTO_LIMIT, Report, assess, check_address, check_description
from handlers.kit import texts as kit_texts
from handlers.kit.callbacks import BadButton
from handlers.kit.conversation import (
    ANSWER_TEXT,
    END,
    NOT_COMMAND,
    NOT_TEXT,
    PRIVATE_CHAT,
    STAY,
    Draft,
    conversation,
    menu_button,
    reask,
)
from handlers.kit.replies import answer_quietly, edit_or_reply, edit_view, main_menu, reply, send_view
from handlers.tickets import routing, texts, views
from handlers.tickets.callbacks import (
    FILING_KEY_LENGTH,
    CategoryButton,
    ConfirmButton,
    IdentityButton,
    OtherCategoryButton,
    find_ref,
)
from handlers.tickets.resources import classifier_of
from handlers.tickets.routing import Owed

# The conversation's states; persistence stores them, so the numbers stay as they are.
DESCRIBE, PLACE, IDENTITY, CONFIRM = range(4)


class ComplaintDraft(TypedDict, total=False):
    """The report so far (user_data["complaint"])."""

    photos: list[str]  # Telegram file ids, the latest PHOTO_LIMIT
    text: str  # exactly as sent
    latitude: float
    longitude: float
    address: str
    anonymous: bool
    category: str  # the resident's choice instead of the classifier's
    key: str  # the filing key its confirm button carries (one per report, kept across re-sorting)


def _new_draft() -> ComplaintDraft:
    return {"photos": [], "key": _filing_key()}


def _filing_key() -> str:
    return secrets.token_hex(FILING_KEY_LENGTH // 2)


DRAFT = Draft("complaint", _new_draft)


async def start(update: Update, context: BotContext) -> int:
    """Start a new report (an unfinished draft is replaced)."""
    DRAFT.start(context)
    await reply(update, views.start_text())
    return DESCRIBE


async def describe_text(update: Update, context: BotContext) -> int:
    """DESCRIBE: the description, as text or as a photo's caption; then ask where."""
    message = update.effective_message
    assert message is not None
    raw = message.text if message.text is not None else (message.caption or "")
    DRAFT.get(context)["text"] = check_description(raw)
    forwarded = message.forward_origin is not None
    await reply(update, views.location_prompt(forwarded), reply_markup=views.location_keyboard())
    return PLACE


async def describe_photo(update: Update, context: BotContext) -> int | None:
    """DESCRIBE: a photo is kept; its caption is the description, or the text is asked for next."""
    message = update.effective_message
    assert message is not None and message.photo
    draft = DRAFT.get(context)
    draft["photos"] = [*draft.get("photos", []), message.photo[-1].file_id][-PHOTO_LIMIT:]
    if not (message.caption or "").strip():
        await reply(update, texts.PHOTO_KEPT.format(count=len(draft["photos"])))
        return STAY
    return await describe_text(update, context)


async def place_location(update: Update, context: BotContext) -> int:
    """PLACE: a shared location."""
    message = update.effective_message
    assert message is not None and message.location is not None
    draft = DRAFT.get(context)
    draft["latitude"], draft["longitude"] = message.location.latitude, message.location.longitude
    return await _ask_identity(update)


async def place_skip(update: Update, context: BotContext) -> int:
    """PLACE: 跳过, no place given."""
    return await _ask_identity(update)


async def place_address(update: Update, context: BotContext) -> int:
    """PLACE: a typed address."""
    message = update.effective_message
    assert message is not None
    DRAFT.get(context)["address"] = check_address(message.text or "")
    return await _ask_identity(update)


async def _ask_identity(update: Update) -> int:
    await send_view(update, views.identity_view())
    return IDENTITY


async def identity_chosen(update: Update, context: BotContext, press: IdentityButton) -> int:
    """IDENTITY: 实名 / 匿名, then how the report was sorted, to confirm."""
    DRAFT.get(context)["anonymous"] = press.anonymous
    return await _show_summary(update, context)


async def other_category(update: Update, context: BotContext, press: OtherCategoryButton) -> int:
    """CONFIRM: 选择其他分类 lists every category."""
    await edit_view(update, views.category_menu_view(await classifier_of(context.bot_data)))
    return CONFIRM


async def category_chosen(update: Update, context: BotContext, press: CategoryButton) -> int:
    """CONFIRM: the resident's category; the summary again, for confirmation."""
    classifier = await classifier_of(context.bot_data)
    category_id = find_ref(press.category, classifier.categories)
    if category_id is None:  # the taxonomy changed since the list was shown
        raise BadButton(press.prefix)
    DRAFT.get(context)["category"] = category_id
    return await _show_summary(update, context)


async def _show_summary(update: Update, context: BotContext) -> int:
    draft = DRAFT.get(context)
    if "text" not in draft:
        await edit_or_reply(update, texts.DRAFT_LOST)
        return END
    classifier = await classifier_of(context.bot_data)
    key = draft.setdefault("key", _filing_key())  # drafts begun before keys existed get one now
    summary = views.summary_view(
        classifier,
        assess(classifier, draft["text"], draft.get("category")),
        text=draft["text"],
        place=views.place_text(draft.get("address"), draft.get("latitude"), draft.get("longitude")),
        anonymous=bool(draft.get("anonymous")),
        filing_key=key,
    )
    await edit_view(update, summary)
    return CONFIRM


async def confirm(update: Update, context: BotContext, press: ConfirmButton) -> int:
    """CONFIRM: 确认提交 files the ticket, routes it, and tells the resident its number.

    Idempotent by the button's key: a press this or another process already filed (a double tap,
    an update delivered again after a restart) answers with that ticket's number and files nothing.
    """
    user = update.effective_user
    assert user is not None
    draft = DRAFT.peek(context)
    if draft is None or "text" not in draft:
        return await confirm_again(update, context, press)
    classifier = await classifier_of(context.bot_data)
    report = Report(
        text=draft["text"],
        photo_file_ids=tuple(draft.get("photos", [])),
        latitude=draft.get("latitude"),
        longitude=draft.get("longitude"),
        address=draft.get("address"),
        anonymous=bool(draft.get("anonymous")),
        category_id=draft.get("category"),
    )
    try:
        async with context.transaction() as session:
            await users.ensure_user(session, user.id, user.full_name, user.username)
            filed = await service.file_ticket(
                session,
                classifier,
                user.id,
                report,
                now=context.clock.now(),
                tz=context.settings.tz,
                filing_key=press.key,
            )
            # A duplicate's reporter hears the original's outcome instead; a repeated press routes nothing.
            if filed.original is None and not filed.again:
                await routing.post_card(session, context.bot_data, filed.ticket)
                if filed.ticket.urgent:
                    alert = views.urgent_alert_text(classifier, filed.ticket)
                    await notify.staff(
                        session, context.settings, alert, kind=Owed.URGENT, priority=Priority.URGENT
                    )
    except service.AlreadyFiled:  # filed by another process a moment ago
        DRAFT.drop(context)
        return await confirm_again(update, context, press)
    DRAFT.drop(context)
    await answer_quietly(update)
    query = update.callback_query
    if query is not None:  # the summary keeps its text; its buttons go
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
    await reply(update, views.filed_text(classifier, filed), reply_markup=main_menu())
    return END


async def confirm_again(update: Update, context: BotContext, press: ConfirmButton) -> int:
    """确认提交 once more (outside the conversation, or with the draft gone): the ticket it filed, or
    the draft is lost."""
    user = update.effective_user
    assert user is not None
    async with context.transaction(read_only=True) as session:
        filed = await service.filed_with(session, user.id, press.key)
    if filed is None:
        await edit_or_reply(update, texts.DRAFT_LOST)
        return END
    await answer_quietly(update)
    classifier = await classifier_of(context.bot_data)
    await reply(update, views.filed_text(classifier, filed), reply_markup=main_menu())
    return END


def handlers() -> list[BaseHandler[Update, BotContext, object]]:
    use_buttons = reask(texts.USE_BUTTONS)
    return [
        conversation(
            "complaint",
            entry_points=[
                CommandHandler("complain", start, filters=PRIVATE_CHAT),
                MessageHandler(menu_button(kit_texts.MENU_COMPLAIN) & PRIVATE_CHAT, start),
            ],
            states={
                DESCRIBE: [
                    MessageHandler(filters.PHOTO, describe_photo),
                    MessageHandler(ANSWER_TEXT, describe_text),
                    MessageHandler(NOT_TEXT, reask(texts.DESCRIPTION_EXPECTED)),
                ],
                PLACE: [
                    MessageHandler(filters.LOCATION, place_location),
                    MessageHandler(menu_button(texts.SKIP), place_skip),
                    MessageHandler(ANSWER_TEXT, place_address),
                    MessageHandler(NOT_TEXT, reask(texts.LOCATION_EXPECTED)),
                ],
                IDENTITY: [
                    IdentityButton.handler(identity_chosen),
                    MessageHandler(NOT_COMMAND, use_buttons),
                ],
                CONFIRM: [
                    ConfirmButton.handler(confirm),
                    OtherCategoryButton.handler(other_category),
                    CategoryButton.handler(category_chosen),
                    MessageHandler(NOT_COMMAND, use_buttons),
                ],
            },
            cleanup=DRAFT.drop,
        ),
        ConfirmButton.handler(confirm_again),  # a confirm pressed again after the report was filed
    ]
