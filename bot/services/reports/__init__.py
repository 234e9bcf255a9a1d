"""The supervision report (一月一督查、一季一通报): sections from providers, three renderers.

Importing this package registers every section provider (one module per domain below).
"""

# Each module registers its section(s) on import.
from bot.services.reports import (  # noqa: F401
    broadcasts,
    complaints,
    nominations,
    staff_activity,
    volunteers,
)
from bot.services.reports.core import (
    Better,
    Chart,
    Metric,
    Period,
    PeriodError,
    PeriodKind,
    Report,
    ReportEnv,
    ReportSection,
    Table,
    Unit,
    build_report,
    parse_kind,
    parse_period,
    register_section,
    registered_sections,
)

__all__ = [
    "Better",
    "Chart",
    "Metric",
    "Period",
    "PeriodError",
    "PeriodKind",
    "Report",
    "ReportEnv",
    "ReportSection",
    "Table",
    "Unit",
    "build_report",
    "parse_kind",
    "parse_period",
    "register_section",
    "registered_sections",
]
