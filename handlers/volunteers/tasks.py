"""The volunteers' scheduled tasks: the 24 h and 1 h reminders, and closing a shift after its end.

Each task kind's handler is made for the application (the manifest's ``tasks``); what a task does is
decided by the service (``bot.services.volunteers.tasks``), the notices are worded here and written
to the outbox in the task's transaction.
"""

from __future__ import annotations

from bot.app import BotApplication
from bot.database import transaction
from bot.models import ScheduledTask
from bot.services import volunteers as vol
from handlers.kit.feature import TaskHandler
from handlers.volunteers import owed, views


def reminder_task(application: BotApplication) -> TaskHandler:
    data = application.bot_data

    async def send_reminder(task: ScheduledTask) -> None:
        """A 24 h or 1 h reminder, unless the booking or the shift changed meanwhile."""
        payload = task.payload or {}
        async with transaction(data.sessions) as session:
            reminder = await vol.reminder_to_send(
                session,
                int(payload["booking_id"]),
                str(payload.get("which")),
                task.due_at,
                now=data.clock.now(),
            )
            if reminder is not None:
                text = views.reminder_text(reminder, data.settings.tz)
                await owed.tell(session, [reminder.user_id], text, kind=owed.Owed.REMINDER)

    return send_reminder


def close_task(application: BotApplication) -> TaskHandler:
    data = application.bot_data

    async def close(task: ScheduledTask) -> None:
        """After a shift: no-shows marked (and told), open check-ins closed at the end time."""
        async with transaction(data.sessions) as session:
            closed = await vol.close_shift(session, int(task.payload["shift_id"]), now=data.clock.now())
            if closed is not None and closed.no_show_user_ids:
                text = views.no_show_text(closed.shift)
                await owed.tell(session, closed.no_show_user_ids, text, kind=owed.Owed.NO_SHOW)

    return close
