"""The `chuangwen` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot import __version__, texts
from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("chuangwen")

Handler = Callable[[argparse.Namespace, Settings], int]


async def migrate(url: str) -> None:
    from bot.database import make_engine, migrate_if_behind

    engine = make_engine(url)
    try:
        await migrate_if_behind(engine)
    finally:
        await engine.dispose()


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from telegram import Update

    from bot.app import build_application

    if not settings.telegram_bot_token:
        raise ConfigError(texts.CONFIG_ERROR.format(name="TELEGRAM_BOT_TOKEN", problem=texts.CONFIG_NO_TOKEN))
    if args.webhook and not settings.webhook_url:
        raise ConfigError(texts.CONFIG_ERROR.format(name="WEBHOOK_URL", problem=texts.CONFIG_NO_WEBHOOK_URL))
    asyncio.run(migrate(settings.database_url))
    application = build_application(settings)  # imports the handlers (jieba the quick way first)
    from handlers.tickets.resources import load_classifier_in_background

    application.bot_data.startup_hooks.append(load_classifier_in_background)
    if args.webhook or settings.metrics_port is not None:
        from bot import web  # the web server (tornado) only when something is served

        application.bot_data.startup_hooks.append(web.start_metrics_server)
        application.bot_data.shutdown_hooks.append(web.stop_metrics_server)
    if args.webhook:
        asyncio.run(web.run_webhook(application, settings))
    else:
        application.run_polling(
            allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=args.poll_timeout
        )
    return 0


# The console's own database, so trying the bot never touches the data of `chuangwen run`.
CONSOLE_DATABASE_URL = "sqlite+aiosqlite:///chuangwen-console.sqlite3"


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot import console

    if args.database_url:
        settings = settings.model_copy(update={"database_url": args.database_url})
    elif "database_url" not in settings.model_fields_set:  # DATABASE_URL not set: not run's file
        settings = settings.model_copy(update={"database_url": CONSOLE_DATABASE_URL})
    asyncio.run(migrate(settings.database_url))
    return console.main(settings, args.user_id)


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(migrate(settings.database_url))
    print(texts.CLI_DB_UPGRADED)
    return 0


def cmd_admin_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot import texts
    from bot.database import make_engine, make_sessionmaker, transaction
    from bot.models import Role
    from bot.services import audit, users

    async def _add() -> None:
        await migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            async with transaction(make_sessionmaker(engine)) as session:
                await users.set_role(session, args.telegram_id, Role.ADMIN)
                await audit.record(
                    session, None, "role.grant", str(args.telegram_id), role="admin", via="cli"
                )
        finally:
            await engine.dispose()

    asyncio.run(_add())
    print(texts.ADMIN_ADDED.format(user_id=args.telegram_id))
    return 0


CORE_COMMANDS = frozenset({"run", "console", "db", "admin"})


def build_parser(*, features: bool = True) -> argparse.ArgumentParser:
    """The parser; ``features=False`` leaves out the features' subcommands (and skips importing every
    feature, seconds on a slow disk) for a core command, which needs none of them to parse."""
    parser = argparse.ArgumentParser(prog="chuangwen", description=texts.CLI_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser("run", help="run the bot against Telegram (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook (WEBHOOK_* settings)")
    run.add_argument("--poll-timeout", type=int, default=10, help="long-polling timeout in seconds")
    run.set_defaults(handler=cmd_run)

    console = sub.add_parser("console", help="talk to the bot in this terminal: no token, no network")
    console.add_argument("--user-id", type=int, default=10001, help="act as this Telegram user id")
    console.add_argument(
        "--database-url",
        help="the database to use (default: DATABASE_URL if set, else chuangwen-console.sqlite3 here)",
    )
    console.set_defaults(handler=cmd_console)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply pending migrations").set_defaults(handler=cmd_db_upgrade)

    admin = sub.add_parser("admin", help="manage administrators")
    admin_sub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    add = admin_sub.add_parser("add", help="make a Telegram user an administrator")
    add.add_argument("telegram_id", type=int, help="numeric Telegram user id")
    add.set_defaults(handler=cmd_admin_add)

    if features:
        import handlers  # the features' manifests add their subcommands

        handlers.add_cli_commands(sub)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def configure_logging(verbose: bool, command: str, settings: Settings | None) -> None:
    level: Any = logging.DEBUG if verbose else (settings.log_level if settings else "INFO")
    if command == "console" and not verbose:
        level = logging.WARNING  # the console is a conversation, not a log
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(features=_command_of(words) not in CORE_COMMANDS)
    args = parser.parse_args(words)
    try:
        settings = load_settings()
        configure_logging(args.verbose, args.command, settings)
        handler: Handler = args.handler
        return handler(args, settings)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
