"""The supervision report (一月一督查、一季一通报): sections from providers, three renderers.

Importing this package registers every section provider (one module per domain below).
"""

from bot.services.reports import staff_activity  # noqa: F401  (registers its section)
from bot.services.reports.core import (
    Better,
    Chart,
    Metric,
    Period,
    PeriodError,
    PeriodKind,
    Report,
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
    "ReportSection",
    "Table",
    "Unit",
    "build_report",
    "parse_kind",
    "parse_period",
    "register_section",
    "registered_sections",
]
