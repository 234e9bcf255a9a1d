"""A stand-alone sender process: ``python -m tests.support.outbox_worker DB API``.

Runs the bot's one sender (the outbox, then broadcast deliveries) through PTB over HTTP to ``API``
until nothing is left, then prints its stats as one JSON line. Used by the two-process test and
the outbox benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.clock import process_clock
from bot.config import Settings
from bot.database import make_engine, make_sessionmaker
from bot.outbox.telegram import build_sender
from handlers.broadcasts import telegram_send

TOKEN = "123456:TEST"


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("api_url")
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--staff-chat", type=int, default=None)
    args = parser.parse_args(argv)
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=args.database_url,
        TELEGRAM_BOT_TOKEN=TOKEN,
        BROADCAST_RATE_PER_SECOND=args.rate,
        STAFF_CHAT_ID=args.staff_chat,
        _env_file=None,
    )
    engine = make_engine(args.database_url)
    sessions = make_sessionmaker(engine)
    bot = Bot(TOKEN, base_url=f"{args.api_url}/bot", request=HTTPXRequest(connection_pool_size=32))
    try:
        async with bot:
            sender = build_sender(
                sessions, settings, bot, telegram_send(bot), clock=process_clock(), backoff_seconds=0.2
            )
            await sender.run_until_idle()
    finally:
        await engine.dispose()
    stats = sender.stats
    print(
        json.dumps(
            {
                "worker": sender.worker_id,
                "sent": stats.sent,
                "unreachable": stats.unreachable,
                "failed": stats.failed,
                "rate_limited": stats.rate_limited,
                "send_times": list(stats.send_times),
                "wasted_slots": sender.pacer.wasted,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
