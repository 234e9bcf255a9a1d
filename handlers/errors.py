"""The one error handler: log with context, answer in Chinese with a code, alert admins (rate-limited)."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.app import BotContext
from bot.database import is_database_busy
from handlers.base import escape

log = logging.getLogger(__name__)
ADMIN_ALERT_INTERVAL_SECONDS = 60.0


async def on_error(update: object, context: BotContext) -> None:
    if is_database_busy(context.error):  # another writer holds the database: not a bug, no code
        log.warning("database busy while handling %r: %s", update, context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(update.effective_chat.id, texts.DATABASE_BUSY)
        return
    code = "E-" + secrets.token_hex(3).upper()
    log.error("unhandled error %s while handling %r", code, update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, texts.ERROR_REPLY.format(code=code))
        except TelegramError:
            log.warning("could not tell chat %s about error %s", update.effective_chat.id, code)
    await _alert_admins(context, code, update)


async def _alert_admins(context: BotContext, code: str, update: object) -> None:
    resources = context.bot_data.resources
    now = time.monotonic()
    if now - resources.get("last_admin_alert", -ADMIN_ALERT_INTERVAL_SECONDS) < ADMIN_ALERT_INTERVAL_SECONDS:
        return
    resources["last_admin_alert"] = now
    summary = update.to_dict() if isinstance(update, Update) else repr(update)
    message = texts.ERROR_ADMIN_ALERT.format(
        code=code, error=escape(repr(context.error))[:500], update=escape(str(summary))[:1500]
    )
    for admin_id in context.settings.admin_ids:
        try:
            await context.bot.send_message(admin_id, message)
        except (Forbidden, TelegramError):
            log.warning("could not alert admin %s", admin_id)
