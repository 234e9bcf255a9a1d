"""Baseline for bench.bot_throughput: a bare python-telegram-bot echo bot (same server, same run)."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


def main() -> None:
    base = os.environ["TELEGRAM_API_BASE_URL"]
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", echo))
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=1)


if __name__ == "__main__":
    main()
