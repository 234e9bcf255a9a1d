"""The supervision report (一月一督查、一季一通报): sections from providers, three renderers.

Each domain module below declares its ``SECTIONS``; the features' manifests list them, and callers
pass the manifests' sections to ``build_report`` (``handlers.report_sections()``).
"""

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
    SectionSpec,
    Table,
    Unit,
    build_report,
    parse_kind,
    parse_period,
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
    "SectionSpec",
    "Table",
    "Unit",
    "build_report",
    "parse_kind",
    "parse_period",
]
