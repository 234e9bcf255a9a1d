"""The Telegram side of broadcast delivery: PTB calls for the sender's broadcast source, and the
scheduled task that fires a notice's occurrence."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.app import BotApplication
from bot.broadcast_delivery import (
    Outgoing,
    RejectedSendError,
    RetryLater,
    Send,
    TransientSendError,
    Unreachable,
)
from bot.database import transaction
from bot.models import ScheduledTask
from bot.services import broadcasts as service


def _retry_after(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
        warnings.simplefilter("ignore")
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def telegram_send(bot: Bot) -> Send:
    """The broadcast source's ``send``: a PTB bot call, Telegram errors mapped to the sender's."""

    async def send(item: Outgoing) -> int:
        try:
            if item.photo_file_id:
                message = await bot.send_photo(
                    item.chat_id, item.photo_file_id, caption=item.text or None, parse_mode=ParseMode.HTML
                )
            else:
                message = await bot.send_message(item.chat_id, item.text, parse_mode=ParseMode.HTML)
        except RetryAfter as error:
            raise RetryLater(_retry_after(error)) from error
        except Forbidden as error:
            raise Unreachable(str(error)) from error
        except BadRequest as error:
            raise RejectedSendError(str(error)) from error
        except (TimedOut, NetworkError) as error:
            raise TransientSendError(str(error)) from error
        except TelegramError as error:
            raise RejectedSendError(str(error)) from error
        return message.message_id

    return send


def fire_task(application: BotApplication) -> Callable[[ScheduledTask], Awaitable[None]]:
    """The handler of the scheduled task kind ``service.TASK_KIND``: one occurrence of a notice is due."""

    async def fire(task: ScheduledTask) -> None:
        data = application.bot_data
        async with transaction(data.sessions) as session:
            await service.fire(
                session,
                int(task.payload["broadcast_id"]),
                int(task.payload["occurrence"]),
                data.settings.tz,
                now=data.clock.now(),
            )

    return fire
