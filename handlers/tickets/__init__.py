"""Complaint tickets (投诉工单): a resident reports a problem, its department handles it against a
time limit, and the resident follows it to the end.

This module is the feature's manifest; the pieces live beside it: ``filing`` (/complain, a
conversation), ``cards`` (the department's card: 受理, 转派, 分拣, and 办结/驳回/重复 with a note),
``followup`` (/mycomplaints, /ticket, the rating and 重新办理), ``queue`` (/complaints for staff),
``tasks`` (the time limit's warning, 督办 and auto-close), ``routing`` (where cards and notices go),
``report`` (the supervision report's ticket sections and 红黑榜),
``views`` (filing, the card, time limits), ``reporter_views``, ``list_views``, ``callbacks``,
``texts``. The rules are in ``bot.services.tickets``; sorting a report into a category is
``bot.services.classifier``, and `chuangwen complaints …` is ``bot.complaints_cli``.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import CommandHandler

from bot.app import BotApplication
from bot.services import tickets as service
from bot.services.personal_data import PersonalData
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience
from handlers.tickets import cards, filing, followup, privacy, queue, report, tasks, texts
from handlers.tickets.callbacks import (
    BUTTONS,
    AcceptButton,
    QueueButton,
    QueueCategoryButton,
    QueueDepartmentButton,
    QueueMenuButton,
    QueueStatusButton,
    RateButton,
    ReassignButton,
    ReassignMenuButton,
    TriageButton,
    TriageMenuButton,
    ViewButton,
)


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            *filing.handlers(),  # first: while a report is being written, its steps see the input
            cards.note_conversation(),
            followup.reopen_conversation(),
            CommandHandler("mycomplaints", followup.my_complaints),
            CommandHandler("ticket", followup.show_ticket),
            CommandHandler("complaints", queue.queue_command),
            RateButton.handler(followup.rate_pressed),
            AcceptButton.handler(cards.accept_pressed),
            ReassignMenuButton.handler(cards.reassign_menu),
            ReassignButton.handler(cards.reassign_pressed),
            TriageMenuButton.handler(cards.triage_menu),
            TriageButton.handler(cards.triage_pressed),
            ViewButton.handler(queue.view_pressed),
            QueueButton.handler(queue.named_filter),
            QueueMenuButton.handler(queue.filter_menu),
            QueueStatusButton.handler(queue.status_filter),
            QueueCategoryButton.handler(queue.category_filter),
            QueueDepartmentButton.handler(queue.department_filter),
        ]
    )


def _add_cli_commands(subparsers: Any) -> None:
    """`chuangwen complaints …`, imported only when the command line is built (the learner brings
    numpy, which the bot's run path does not need)."""
    from bot import complaints_cli

    complaints_cli.add_commands(subparsers)


FEATURE = Feature(
    name="tickets",
    register=register,
    commands=[
        Command("complain", texts.COMMANDS["complain"], private=True),
        Command("mycomplaints", texts.COMMANDS["mycomplaints"], private=True),
        Command("ticket", texts.COMMANDS["ticket"]),
        Command("complaints", texts.COMMANDS["complaints"], Audience.STAFF),
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    # "complaints": the section's name in /mydata's export, which residents and their tools read.
    personal_data=PersonalData("complaints", service.export_tickets, service.erase_tickets),
    on_forget=privacy.anonymise_cards,
    tasks={
        service.WARN_KIND: tasks.warning_task,
        service.OVERDUE_KIND: tasks.escalation_task,
        service.CLOSE_KIND: tasks.close_task,
    },
    cli=_add_cli_commands,
    report_sections=report.SECTIONS,
    benchmarks={
        "tickets": "bench.tickets:bench_tickets",
        "classifier_speed": "bench.classifier:speed",
        "classifier_cv": "bench.classifier:learned_cv",
    },
)
