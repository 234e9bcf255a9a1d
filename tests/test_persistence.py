"""Conversation state lives in the database: a new process continues where the old one stopped."""

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.app import BotContext
from bot.clock import process_clock
from bot.harness import ChatHarness
from handlers.common import texts as common_texts
from handlers.kit import texts as kit_texts

ASK_NAME, ASK_CITY = range(2)


async def begin(update: Update, context: BotContext) -> int:
    await update.effective_message.reply_text("name?")
    return ASK_NAME


async def got_name(update: Update, context: BotContext) -> int:
    context.user_data["name"] = update.effective_message.text
    await update.effective_message.reply_text("city?")
    return ASK_CITY


async def got_city(update: Update, context: BotContext) -> int:
    await update.effective_message.reply_text(
        f"{context.user_data['name']} from {update.effective_message.text}"
    )
    return ConversationHandler.END


def add_conversation(harness: ChatHarness) -> None:
    """Register like a feature would: in the feature group, ahead of the fallbacks."""
    harness.application.add_handler(conversation(), group=0)
    group = harness.application.handlers[0]
    group.insert(0, group.pop())


def conversation() -> ConversationHandler:
    return ConversationHandler(
        entry_points=[CommandHandler("begin", begin)],
        states={
            ASK_NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_name)],
            ASK_CITY: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_city)],
        },
        fallbacks=[],
        name="persistence-test",
        persistent=True,
    )


async def test_conversation_survives_a_restart(settings, engine) -> None:
    first = ChatHarness(settings, clock=process_clock())
    add_conversation(first)
    await first.start()
    await first.send(42, "/begin")
    (reply,) = await first.send(42, "李四")
    assert reply.text == "city?"
    await first.stop()

    second = ChatHarness(settings, clock=process_clock())
    add_conversation(second)
    await second.start()
    try:
        (reply,) = await second.send(42, "杭州")
        assert reply.text == "李四 from 杭州"
    finally:
        await second.stop()


async def test_menu_button_or_command_leaves_an_unfinished_conversation(settings, engine) -> None:

    harness = ChatHarness(settings, clock=process_clock())
    add_conversation(harness)
    await harness.start()
    try:
        await harness.send(42, "/begin")
        # The menu button opens subscriptions instead of being taken as a name.
        await harness.send(42, kit_texts.MENU_SUBSCRIBE)
        assert "请选择要订阅的通知" in harness.emulator.last_to(42).text
        (reply,) = await harness.send(42, "李四")
        assert reply.text == common_texts.UNKNOWN_TEXT  # the conversation was left

        await harness.send(42, "/begin")
        await harness.send(42, "/help")
        (reply,) = await harness.send(42, "李四")
        assert reply.text == common_texts.UNKNOWN_TEXT
    finally:
        await harness.stop()
