"""好人推荐: residents nominate role models, staff review them, residents vote, the 好人榜 is published.

This module is the feature's manifest; the pieces live beside it: ``nominate`` (the nomination
conversation and its 修改 sub-flow), ``mine`` (/mynominations and 补充材料), ``review`` (the staff
queue, cards and decisions), ``voting`` (rounds, statistics, /vote), ``honors`` (publishing and
/honors), ``report`` (its section of the supervision report), ``views``, ``callbacks``, ``texts``
and ``draft``. The rules are in ``bot.services.nominations``.
"""

from __future__ import annotations

from bot.app import BotApplication
from bot.services import nominations as service
from bot.services.personal_data import PersonalData
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience
from handlers.nominations import honors, mine, nominate, report, review, texts, voting
from handlers.nominations.callbacks import BUTTONS

RESIDENT_COMMANDS = ("nominate", "mynominations", "vote", "honors")
PRIVATE_COMMANDS = ("nominate", "mynominations", "vote")  # personal: private chats only
STAFF_COMMANDS = ("nominations", "openround", "closeround", "votestats", "voidvotes", "publishhonors")


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            *nominate.handlers(),  # conversations first: while one waits for input, its state sees it
            *mine.handlers(),
            *review.handlers(),
            *voting.handlers(),
            *honors.handlers(),
        ]
    )


FEATURE = Feature(
    name="nominations",
    register=register,
    commands=[
        *(
            Command(name, texts.COMMANDS[name], private=name in PRIVATE_COMMANDS)
            for name in RESIDENT_COMMANDS
        ),
        *(Command(name, texts.COMMANDS[name], Audience.CAMPAIGN_STAFF) for name in STAFF_COMMANDS),
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    personal_data=PersonalData("nominations", service.export_for_user, service.erase_for_user),
    report_sections=report.SECTIONS,
    benchmarks={"nominations": "bench.nominations:bench_nominations"},
)
