"""/subscribe (the 订阅通知 menu button too) and /unsubscribe: topics as buttons.

Under /subscribe a topic button flips the subscription; under /unsubscribe it only removes, so an
old button pressed twice cannot subscribe again.
"""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.services import users
from handlers.common import views
from handlers.common.callbacks import SubscriptionButton
from handlers.kit.replies import answer_quietly, edit_view, send_view


async def subscribe_menu(update: Update, context: BotContext) -> None:
    """Every topic as a toggle button."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        await users.ensure_user(session, user.id, user.full_name, user.username)
        current = await users.subscribed_topics(session, user.id)
    await send_view(update, views.subscribe_view(current))


async def unsubscribe_menu(update: Update, context: BotContext) -> None:
    """The subscribed topics, each a button that removes it."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        current = await users.subscribed_topics(session, user.id)
    await send_view(update, views.unsubscribe_view(current))


async def topic_pressed(update: Update, context: BotContext, press: SubscriptionButton) -> None:
    """toggle flips the topic; off only removes it. The message then shows every topic as toggles."""
    user = update.effective_user
    assert user is not None
    async with context.transaction() as session:
        if press.action == "toggle":
            subscribed = await users.toggle_subscription(session, user.id, press.topic)
        else:
            await users.unsubscribe(session, user.id, press.topic)
            subscribed = False
        current = await users.subscribed_topics(session, user.id)
    await answer_quietly(update, views.subscription_toast(press.topic, subscribed))
    await edit_view(update, views.subscribe_view(current))
