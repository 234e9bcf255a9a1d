"""The scheduled tasks of a ticket's time limit: the 75 % warning to its department, 督办 to the
campaign staff and the department once it is overdue, and closing a resolved ticket nobody rated.

Each task decides in the service whether it still applies (the ticket may have been resolved or
reassigned since it was scheduled) and only then tells anyone — in the same transaction, through
the outbox (``routing``). Time is the task's claim time.
"""

from __future__ import annotations

from bot.app import BotApplication
from bot.database import transaction
from bot.models import Priority, ScheduledTask
from bot.services import tickets as service
from handlers.kit.feature import TaskHandler
from handlers.tickets import reporter_views, routing, views
from handlers.tickets.resources import classifier_of
from handlers.tickets.routing import Owed


def warning_task(application: BotApplication) -> TaskHandler:
    """The handler of the 75 % warning (ticket-warn)."""
    data = application.bot_data

    async def warn(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with transaction(data.sessions) as session:
            ticket = await service.open_for_warning(session, int(task.payload["ticket"]), now)
            if ticket is not None:
                notice = views.warning_text(ticket, data.settings.tz, now)
                await routing.tell_department(session, data, ticket.department_id, notice, kind=Owed.WARNING)

    return warn


def escalation_task(application: BotApplication) -> TaskHandler:
    """The handler of 督办 (ticket-overdue)."""
    data = application.bot_data

    async def escalate(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        classifier = await classifier_of(data)
        async with transaction(data.sessions) as session:
            ticket = await service.overdue_for_escalation(session, int(task.payload["ticket"]), now)
            if ticket is not None:
                notice = views.escalation_text(classifier, ticket, data.settings.tz, now)
                await routing.tell_department(
                    session,
                    data,
                    ticket.department_id,
                    notice,
                    kind=Owed.ESCALATION,
                    with_staff=True,
                    priority=Priority.URGENT,
                )

    return escalate


def close_task(application: BotApplication) -> TaskHandler:
    """The handler of closing an unrated resolved ticket (ticket-close): the reporter is told, the
    card redrawn."""
    data = application.bot_data

    async def close(task: ScheduledTask) -> None:
        now = task.claimed_at or data.clock.now()
        async with transaction(data.sessions) as session:
            ticket = await service.close_unrated(session, int(task.payload["ticket"]), now)
            if ticket is not None:
                notice = reporter_views.auto_closed_notice(ticket)
                await routing.tell_reporter(session, ticket, notice, kind=Owed.AUTO_CLOSED)
                await routing.redraw_card(session, data, ticket)

    return close
