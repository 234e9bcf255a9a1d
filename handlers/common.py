"""Resident basics: /start, /help, /cancel, privacy, personal data, subscriptions."""

from __future__ import annotations

import contextlib
import json

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.app import BotApplication, BotContext
from bot.models import Topic
from bot.services import personal_data, users
from bot.services.users import Actor, Sighting
from handlers.base import (
    Audience,
    Command,
    answer_quietly,
    domain_errors,
    edit_or_reply,
    escape,
    inline_keyboard,
    main_menu,
    reply,
)
from handlers.kit import texts as kit_texts
from handlers.kit.feature import Feature

COMMANDS = [
    Command(name, texts.COMMAND_DESCRIPTIONS[name])
    for name in ("start", "help", "cancel", "subscribe", "unsubscribe", "privacy", "mydata", "forget")
]


async def start(update: Update, context: BotContext) -> None:
    """Greet the user and show the main menu."""
    user = update.effective_user
    assert user is not None
    context.bot_data.sightings.saw(Sighting(user.id, user.full_name, user.username, context.clock.now()))
    await reply(update, texts.WELCOME.format(name=escape(user.first_name)), reply_markup=main_menu())


def commands_for(actor: Actor, catalogue: list[Command]) -> list[Command]:
    return [c for c in catalogue if c.available_to(actor)]


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands this user's role may use."""
    import handlers

    actor = await context.actor(update)
    visible = commands_for(actor, handlers.command_catalogue())
    lines = [texts.HELP_HEADER]
    lines += [f"/{c.name} — {escape(c.description)}" for c in visible if c.audience is Audience.RESIDENT]
    staff_lines = [
        f"/{c.name} — {escape(c.description)}" for c in visible if c.audience is not Audience.RESIDENT
    ]
    if staff_lines:
        lines += ["", texts.HELP_STAFF_HEADER, *staff_lines]
    lines += ["", texts.HELP_FOOTER]
    if context.bot_data.console:
        lines += ["", texts.CONSOLE_HELP]
    await reply(update, "\n".join(lines), reply_markup=main_menu())


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel outside any conversation (conversations have their own /cancel fallback)."""
    await reply(update, texts.NOTHING_TO_CANCEL, reply_markup=main_menu())


async def privacy(update: Update, context: BotContext) -> None:
    await reply(update, texts.PRIVACY)


async def mydata(update: Update, context: BotContext) -> None:
    """Send the user everything stored about them as a JSON document."""
    import handlers

    user = update.effective_user
    assert user is not None
    async with context.transaction(read_only=True) as session:
        document = await personal_data.export_user_data(session, user.id, handlers.personal_data_sections())
    payload = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()
    message = update.effective_message
    assert message is not None
    await message.reply_document(payload, filename=f"mydata-{user.id}.json", caption=texts.MYDATA_CAPTION)


async def forget(update: Update, context: BotContext) -> None:
    await reply(
        update,
        texts.FORGET_CONFIRM,
        reply_markup=inline_keyboard([[(texts.FORGET_YES, "forget:yes"), (texts.FORGET_NO, "forget:no")]]),
    )


async def forget_answer(update: Update, context: BotContext) -> None:
    """Erase on 确认删除; a second press finds nothing left and says so harmlessly."""
    import handlers

    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    if query.data != "forget:yes":
        await edit_or_reply(update, texts.FORGET_KEPT)
        return
    # Under the sightings lock: a /start buffered a moment ago must not bring the person back.
    async with context.bot_data.sightings.forgetting(user.id), context.transaction() as session:
        await personal_data.forget_user(session, user.id, handlers.personal_data_sections())
    if context.user_data is not None:
        context.user_data.clear()  # drafts of unfinished conversations are personal data too
    await edit_or_reply(update, texts.FORGET_DONE)


def _topics_keyboard(current: set[Topic], action: str) -> list[list[tuple[str, str]]]:
    rows = []
    for topic in Topic:
        name = texts.TOPIC_NAMES[topic.value]
        label = (texts.TOPIC_ON if topic in current else texts.TOPIC_OFF).format(name=name)
        rows.append([(label, f"sub:{action}:{topic.value}")])
    return rows


def _status(current: set[Topic]) -> str:
    names = "、".join(texts.TOPIC_NAMES[t.value] for t in Topic if t in current) or texts.NO_SUBSCRIPTIONS
    return texts.SUBSCRIPTION_STATUS.format(topics=names)


async def subscribe_menu(update: Update, context: BotContext) -> None:
    """Topics as toggle buttons (订阅通知 menu button and /subscribe)."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await users.ensure_user(session, user.id, user.full_name, user.username)
        current = await users.subscribed_topics(session, user.id)
    await reply(
        update,
        f"{texts.SUBSCRIBE_PROMPT}\n{_status(current)}",
        reply_markup=inline_keyboard(_topics_keyboard(current, "toggle")),
    )


async def unsubscribe_menu(update: Update, context: BotContext) -> None:
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        current = await users.subscribed_topics(session, user.id)
    if not current:
        await reply(update, texts.UNSUBSCRIBE_NONE)
        return
    rows = [
        [(texts.TOPIC_ON.format(name=texts.TOPIC_NAMES[t.value]), f"sub:off:{t.value}")]
        for t in Topic
        if t in current
    ]
    await reply(update, f"{texts.UNSUBSCRIBE_PROMPT}\n{_status(current)}", reply_markup=inline_keyboard(rows))


@domain_errors
async def subscription_button(update: Update, context: BotContext) -> None:
    """sub:toggle:TOPIC flips; sub:off:TOPIC only removes (so a double tap cannot re-subscribe)."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    _, action, value = (query.data or "::").split(":", 2)
    try:
        topic = Topic(value)
    except ValueError:
        await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)
        return
    async with context.transaction() as session:
        if action == "toggle":
            now_on = await users.toggle_subscription(session, user.id, topic)
        else:
            await users.unsubscribe(session, user.id, topic)
            now_on = False
        current = await users.subscribed_topics(session, user.id)
    name = texts.TOPIC_NAMES[topic.value]
    await answer_quietly(update, (texts.SUBSCRIBED if now_on else texts.UNSUBSCRIBED).format(topic=name))
    await edit_or_reply(
        update,
        f"{texts.SUBSCRIBE_PROMPT}\n{_status(current)}",
        reply_markup=inline_keyboard(_topics_keyboard(current, "toggle")),
    )


async def publish_commands_for_chat(application: BotApplication, chat_id: int, actor: Actor) -> None:
    """Give one staff member's chat the command menu of their role (setMyCommands, chat scope)."""
    import handlers

    commands = [BotCommand(c.name, c.description) for c in commands_for(actor, handlers.command_catalogue())]
    # A staff member who never opened the bot has no chat yet: nothing to do then.
    with contextlib.suppress(TelegramError):
        await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            CommandHandler("start", start),
            CommandHandler("help", help_command),
            CommandHandler("privacy", privacy),
            CommandHandler("mydata", mydata),
            CommandHandler("forget", forget),
            CallbackQueryHandler(forget_answer, pattern=r"^forget:"),
            CommandHandler("subscribe", subscribe_menu),
            MessageHandler(filters.Text([kit_texts.MENU_SUBSCRIBE]), subscribe_menu),
            CommandHandler("unsubscribe", unsubscribe_menu),
            CallbackQueryHandler(subscription_button, pattern=r"^sub:"),
        ]
    )


def register_fallbacks(application: BotApplication) -> None:
    """Registered after every feature, so they only catch what nothing else handled."""
    application.add_handlers(
        [
            CommandHandler("cancel", cancel),
            MessageHandler(filters.COMMAND, unknown_command),
            MessageHandler(filters.TEXT, stray_text),
            CallbackQueryHandler(stale_button),
            MessageHandler(filters.ALL, non_text),
        ]
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "?"
    await reply(update, texts.UNKNOWN_COMMAND.format(command=escape(command)), reply_markup=main_menu())


async def stray_text(update: Update, context: BotContext) -> None:
    await reply(update, texts.UNKNOWN_TEXT, reply_markup=main_menu())


async def stale_button(update: Update, context: BotContext) -> None:
    await answer_quietly(update, texts.BUTTON_EXPIRED, alert=True)


async def non_text(update: Update, context: BotContext) -> None:
    if update.effective_message is None:
        return  # edited messages, channel posts and the like need no answer
    await reply(update, texts.NON_TEXT_NOT_EXPECTED, reply_markup=main_menu())


FEATURE = Feature("common", register, COMMANDS)
