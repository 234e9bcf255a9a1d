"""A stand-alone broadcast sender process: ``python -m tests.support.broadcast_worker DB API``.

Sends every runnable delivery through the real engine and PTB (HTTP to ``API``), then prints its
stats as one JSON line. Used by the crash and two-process tests and by the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.broadcast_delivery import BroadcastSender
from bot.database import make_engine, make_sessionmaker
from handlers.broadcasts import telegram_send

TOKEN = "123456:TEST"


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("api_url")
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--lease", type=float, default=120.0)
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    sessions = make_sessionmaker(engine)
    bot = Bot(TOKEN, base_url=f"{args.api_url}/bot", request=HTTPXRequest(connection_pool_size=32))
    try:
        async with bot:
            sender = BroadcastSender(
                sessions,
                telegram_send(bot),
                rate=args.rate,
                concurrency=args.concurrency,
                lease_seconds=args.lease,
                backoff_seconds=0.2,
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
