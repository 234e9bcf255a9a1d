"""The scheduled tasks of a rectification task's time limit: the 75 % warning to its unit, and 督办
to the campaign staff (and the unit) once it is overdue.

Each decides in the service whether it still applies (the unit may have answered, the task may have
been returned with a new deadline — a new round with tasks of its own) and writes what it owes to
the outbox in the same transaction. Time is the task's claim time.
"""

from __future__ import annotations

from bot.app import BotApplication
from bot.database import transaction
from bot.models import ScheduledTask
from bot.services.inspections import rectification as service
from handlers.inspections import notices
from handlers.inspections.resources import content_of_app
from handlers.kit.feature import TaskHandler


def warning_task(application: BotApplication) -> TaskHandler:
    """The handler of the 75 % warning (rect-warn)."""
    data = application.bot_data

    async def warn(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with transaction(data.sessions) as session:
            found = await service.due_for_warning(
                session, int(task.payload["task"]), int(task.payload["round"]), now
            )
            if found is not None:
                await notices.warn(session, data.settings, content_of_app(application), found)

    return warn


def escalation_task(application: BotApplication) -> TaskHandler:
    """The handler of 督办 (rect-overdue)."""
    data = application.bot_data

    async def escalate(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with transaction(data.sessions) as session:
            found = await service.due_for_escalation(
                session, int(task.payload["task"]), int(task.payload["round"]), now
            )
            if found is not None:
                await notices.escalate(session, data.settings, content_of_app(application), found)

    return escalate
