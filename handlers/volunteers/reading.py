"""What the volunteer flows read from an update and the bot: who, what was typed, which shift, the districts."""

from __future__ import annotations

from telegram import Update

from bot.app import BotContext
from bot.services.volunteers import Districts, load_districts
from handlers.kit.callbacks import MAX_ID


def sender_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def typed(update: Update) -> str:
    """The text of the message (the states' filters let only text through where text is read)."""
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def districts_of(context: BotContext) -> Districts:
    """The city's districts and communities (data/districts.yaml, read once)."""
    return load_districts(context.settings.data_dir)


def command_shift_id(context: BotContext) -> int | None:
    """The shift number after a command ("/roster 12", "/roster #12"); None when there is none (then
    the command shows its usage; a number that is no shift is the service's "not found")."""
    args = context.args or []
    if not args:
        return None
    try:
        shift_id = int(args[0].lstrip("#"))
    except ValueError:
        return None
    # A number no id column can hold is no shift either (and must not reach the database).
    return shift_id if abs(shift_id) <= MAX_ID else None
