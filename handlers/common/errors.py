"""The one error handler: log, answer in Chinese with a code, alert admins (rate-limited).

Neither the log nor the alert carries personal data: no message text, contact, location, names or
usernames, and no exception message (which may quote them, e.g. a failed INSERT's values). They
carry what an engineer needs to find the fault: the code the user was shown, the update's id and
kind, the chat type, the handler function and the exception's type and stack frames.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import traceback
from dataclasses import dataclass
from pathlib import Path

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.app import BotContext
from bot.config import PROJECT_ROOT
from bot.database import is_database_busy
from bot.services import DomainError
from handlers.common import texts, views
from handlers.kit.errors import catalogue_of, error_text, show_error

log = logging.getLogger(__name__)
ADMIN_ALERT_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class ErrorReport:
    """What may be logged and sent to admins about an unhandled error."""

    code: str
    update_id: int | None
    update_kind: str
    chat_type: str
    handler: str
    exception: str
    frames: str

    def line(self) -> str:
        return (
            f"error {self.code}: {self.exception} in {self.handler} "
            f"(update {self.update_id}, {self.update_kind}, {self.chat_type} chat)"
        )


def describe(code: str, update: object, error: BaseException | None) -> ErrorReport:
    update_id, kind, chat_type = None, type(update).__name__, "none"
    if isinstance(update, Update):
        update_id = update.update_id
        kinds = [k for k, v in update.to_dict().items() if k != "update_id" and v is not None]
        kind = kinds[0] if kinds else "unknown"
        if update.effective_chat is not None:
            chat_type = update.effective_chat.type
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(PROJECT_ROOT / "handlers")]
    # The chain through our handlers names the callback that failed and the helper it was in.
    handler = " → ".join(f"{Path(f.filename).stem}.{f.name}" for f in ours) or "?"
    project = [f for f in frames if Path(f.filename).resolve().is_relative_to(PROJECT_ROOT)]
    stack = "".join(traceback.format_list([*project, *frames[-1:]]))  # file, line and code: no values
    exception = type(error).__name__ if error is not None else "None"
    return ErrorReport(code, update_id, kind, chat_type, handler, exception, stack)


async def on_error(update: object, context: BotContext) -> None:
    if (
        isinstance(context.error, DomainError)
        and isinstance(update, Update)
        and _worded(context.error, context)
    ):
        # A rule said no and no callback on the way showed it: its wording, as the kit would show
        # it — a refusal is not a fault, so no code and no alert.
        await show_error(update, context, context.error)
        return
    if is_database_busy(context.error):  # another writer holds the database: not a bug, no code
        log.warning("database busy: %s", describe("-", update, context.error).line())
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(update.effective_chat.id, texts.DATABASE_BUSY)
        return
    code = "E-" + secrets.token_hex(3).upper()
    report = describe(code, update, context.error)
    log.error("unhandled %s\n%s", report.line(), report.frames)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, views.error_reply(code))
        except TelegramError:
            log.warning("could not tell the chat about error %s", code)
    await _alert_admins(context, report)


async def _alert_admins(context: BotContext, report: ErrorReport) -> None:
    resources = context.bot_data.resources
    now = context.clock.monotonic()
    if now - resources.get("last_admin_alert", -ADMIN_ALERT_INTERVAL_SECONDS) < ADMIN_ALERT_INTERVAL_SECONDS:
        return
    resources["last_admin_alert"] = now
    message = views.admin_alert(
        report.code,
        report.exception,
        report.handler,
        (report.update_id, report.update_kind, report.chat_type),
    )
    for admin_id in context.settings.admin_ids:
        try:
            await context.bot.send_message(admin_id, message)
        except (Forbidden, TelegramError):
            log.warning("could not alert admin %s", admin_id)


def _worded(error: DomainError, context: BotContext) -> bool:
    """Whether the error has wording to show (a code without any is a bug: reported as one)."""
    try:
        error_text(error, catalogue_of(context))
    except (KeyError, IndexError, ValueError):
        return False
    return True
