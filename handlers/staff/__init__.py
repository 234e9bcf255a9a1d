"""Staff administration: roles (/grant, /revoke, /staff), the audit log (/audit) and the supervision
report (/report, its monthly and quarterly schedule, and `chuangwen report`).

This module is the feature's manifest; the pieces live beside it: ``roles``, ``audit``, ``report``
(the command, the scheduled task and the staff section), ``periods`` (reading typed periods),
``rendering`` (the report's text, chart and workbook), ``views``, ``callbacks``, ``texts``, ``cli``.
The rules are in ``bot.services.staff``; the report's engine is ``bot.services.reports``.
"""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import BotApplication
from bot.services import audit as audit_log
from bot.services.personal_data import PersonalData
from bot.services.reports import SectionSpec, schedule
from handlers.kit.feature import Command, Feature
from handlers.kit.guards import Audience
from handlers.staff import audit, cli, report, roles, texts
from handlers.staff.callbacks import BUTTONS, AuditPageButton, ReportButton

STAFF_ACTIVITY_ORDER = 900  # the last section of the report


def register(application: BotApplication) -> None:
    application.add_handlers(
        [
            CommandHandler("grant", roles.grant),
            CommandHandler("revoke", roles.revoke),
            CommandHandler("staff", roles.staff_list),
            CommandHandler("audit", audit.audit_command),
            AuditPageButton.handler(audit.page_pressed),
            CommandHandler("report", report.report_command),
            ReportButton.handler(report.period_pressed),
        ]
    )


FEATURE = Feature(
    name="staff",
    register=register,
    commands=[
        Command("grant", texts.COMMANDS["grant"], Audience.ADMIN),
        Command("revoke", texts.COMMANDS["revoke"], Audience.ADMIN),
        Command("audit", texts.COMMANDS["audit"], Audience.ADMIN),
        Command("staff", texts.COMMANDS["staff"], Audience.CAMPAIGN_STAFF),
        Command("report", texts.COMMANDS["report"], Audience.CAMPAIGN_STAFF),
    ],
    buttons=BUTTONS,
    errors=texts.ERRORS,
    personal_data=PersonalData("audit", audit_log.export_user, audit_log.erase_user),
    tasks={schedule.TASK_KIND: report.report_task},
    startup=[report.schedule_reports_at_startup],
    cli=cli.add_commands,
    report_sections=(
        SectionSpec("staff_activity", report.staff_activity_section, order=STAFF_ACTIVITY_ORDER),
    ),
    benchmarks={"report": "bench.report:bench"},
)
