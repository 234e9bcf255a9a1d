"""Who may do what: one guard family, checked on every call — command, button or conversation step.

``@staff_only``, ``@campaign_staff_only``, ``@admin_only`` and ``@inspector_only`` (or ``Guard(audience, on_refused=...)``)
wrap a callback. Each call reads the actor's role (once per update: ``BotContext.actor`` caches it),
and a refusal is the same everywhere: a pop-up for a button, a reply for a message, the hook (e.g.
an audit entry), and ``ConversationHandler.END``. ``guard_of(callback)`` finds the guard through any
other decorators, so tests can check every staff command and button, and ``Command.audience`` in
``/help`` matches the guard of the command's handler.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from telegram import Update
from telegram.ext import ConversationHandler

from bot.app import BotContext
from bot.services.users import Actor
from handlers.kit import texts
from handlers.kit.replies import refuse

C = TypeVar("C", bound=Callable[..., Awaitable[Any]])
RefusalHook = Callable[[Update, BotContext, str], Awaitable[None]]


class Audience(enum.Enum):
    """Who a command or a button is for; each audience includes the ones below it (INSPECTOR aside:
    it admits inspectors and campaign staff, not department handlers)."""

    RESIDENT = "resident"  # everyone
    STAFF = "staff"  # department handlers, campaign staff and admins
    CAMPAIGN_STAFF = "campaign_staff"  # campaign office staff and admins (not department handlers)
    ADMIN = "admin"
    INSPECTOR = "inspector"  # inspectors (督查员), campaign staff and admins

    def admits(self, actor: Actor) -> bool:
        if self is Audience.RESIDENT:
            return True
        if self is Audience.STAFF:
            return actor.is_staff
        if self is Audience.CAMPAIGN_STAFF:
            return actor.is_campaign_staff
        if self is Audience.INSPECTOR:
            return actor.is_inspector
        return actor.is_admin


@dataclass(frozen=True, eq=False)
class Guard:
    """A role check around a callback (see the module docstring)."""

    audience: Audience
    on_refused: RefusalHook | None = None  # runs before the refusal is shown

    def admits(self, actor: Actor) -> bool:
        return self.audience.admits(actor)

    def __call__(self, callback: C) -> C:
        @functools.wraps(callback)
        async def guarded(update: Update, context: BotContext, *args: Any) -> Any:
            if not self.admits(await context.actor(update)):
                if self.on_refused is not None:
                    await self.on_refused(update, context, texts.NOT_ALLOWED)
                await refuse(update, texts.NOT_ALLOWED)
                return ConversationHandler.END
            return await callback(update, context, *args)

        guarded.__guard__ = self  # type: ignore[attr-defined]
        return cast(C, guarded)


staff_only = Guard(Audience.STAFF)
campaign_staff_only = Guard(Audience.CAMPAIGN_STAFF)
admin_only = Guard(Audience.ADMIN)
inspector_only = Guard(Audience.INSPECTOR)


def guard_of(callback: Any) -> Guard | None:
    """The guard around ``callback``, looking through decorators that keep ``__wrapped__``."""
    seen = 0
    while callback is not None and seen < 32:
        guard = callback.__dict__.get("__guard__") if hasattr(callback, "__dict__") else None
        if isinstance(guard, Guard):
            return guard
        callback = getattr(callback, "__wrapped__", None)
        seen += 1
    return None
