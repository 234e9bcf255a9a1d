"""Where an inspector's walk stands between updates: the conversation's states, what it remembers
(the draft itself is in the database), and the step that moves the walk on."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from telegram import Update

from bot.app import BotContext
from bot.models import ItemResult
from bot.services.inspections import walk as service
from bot.services.inspections.rectification import Deadlines
from handlers.inspections import views
from handlers.inspections.resources import content_of
from handlers.kit.conversation import Draft
from handlers.kit.replies import reply, send_view

# States keep their numbers: persisted conversations resume after a restart.
FIND, LOCATE, WALK, PHOTOS, SUMMARY = 10, 11, 12, 13, 14
LOCATION_FRESH = timedelta(minutes=15)  # a location shared to find sites also stamps the chosen one


class Pending(TypedDict):
    """What the conversation remembers between updates (user_data["inspection"]); the answers
    themselves are in the database."""

    inspection: int  # the draft being walked (0: none yet)
    position: int  # the failed item whose photos are awaited (-1: none)
    latitude: float | None  # the location shared to find sites, and when (ISO, UTC)
    longitude: float | None
    located: str


def _new() -> Pending:
    return Pending(inspection=0, position=-1, latitude=None, longitude=None, located="")


PENDING = Draft("inspection", _new)


def deadlines_of(context: BotContext) -> Deadlines:
    settings = context.settings
    return Deadlines(settings.inspection_negative_hours, settings.inspection_deadline_hours)


async def show_next(update: Update, context: BotContext, walk: service.Walk) -> int:
    """The next thing to do: the first unfinished item (its photos, if it failed), or the summary."""
    content = content_of(context)
    item = walk.current
    pending = PENDING.get(context)
    pending["inspection"] = walk.inspection.id
    if item is None:
        pending["position"] = -1
        await send_view(update, views.summary_view(walk, content, deadlines_of(context)))
        return SUMMARY
    if item.result is ItemResult.FAIL:  # failed, no photo yet
        pending["position"] = item.position
        await reply(update, views.photo_prompt(item, content))
        return PHOTOS
    pending["position"] = -1
    await send_view(update, views.item_view(walk, item, content))
    return WALK
