"""Inspections (暗访督查): the campaign office's own unannounced site inspections, the rectification
tasks they give the responsible units, and the scores of sites, units and districts.

This module is the feature's manifest; the pieces live beside it: ``walk`` (/inspect, the walk:
a conversation over a draft kept in the database; finding the site and the location in ``arrival``,
its states and draft in ``draft``), ``rectify`` (整改回复 on a task card, the unit's
conversation), ``recheck`` (复查: 通过, or 退回 with a reason and a new deadline), ``lists``
(/rectifications, a task's details, /inspections), ``tasks`` (the time limit's warning and 督办),
``notices`` (everything owed to others, through the outbox), ``report`` (the report's 督查
sections), ``export`` and ``cli`` (`chuangwen inspections check|export`), ``resources`` (the
standards and sites), ``views`` (the walk's screens), ``task_cards`` (the task and re-check cards,
warnings), ``list_views``, ``callbacks``, ``texts``. The rules are in
``bot.services.inspections``.
"""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import BotApplication
from bot.services import inspections as service
from bot.services.personal_data import PersonalData
from handlers.inspections import cli, lists, recheck, rectify, report, tasks, texts, walk
from handlers.inspections.callbacks import BUTTONS, FilterMenuButton, ListButton, PassButton, ViewButton
from handlers.inspections.resources import load_at_startup
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            *walk.handlers(),  # conversations first: while one waits for input, its state sees it
            rectify.reply_conversation(),
            recheck.return_conversation(),
            PassButton.handler(recheck.pass_pressed),
            CommandHandler("rectifications", lists.rectifications_command),
            ListButton.handler(lists.list_pressed),
            FilterMenuButton.handler(lists.filter_menu_pressed),
            ViewButton.handler(lists.view_pressed),
            CommandHandler("inspections", lists.inspections_command),
        ]
    )


FEATURE = Feature(
    name="inspections",
    register=register,
    commands=[
        Command("inspect", texts.COMMANDS["inspect"], Audience.INSPECTOR),
        Command("rectifications", texts.COMMANDS["rectifications"], Audience.STAFF),
        Command("inspections", texts.COMMANDS["inspections"], Audience.CAMPAIGN_STAFF),
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    # "inspections": the section's name in /mydata's export.
    personal_data=PersonalData("inspections", service.export_user_data, service.erase_user_data),
    tasks={service.WARN_KIND: tasks.warning_task, service.OVERDUE_KIND: tasks.escalation_task},
    startup=[load_at_startup],
    cli=cli.add_commands,
    report_sections=report.SECTIONS,
    benchmarks={"inspections": "bench.inspections:bench"},
)
