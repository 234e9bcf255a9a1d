"""The supervision report's engine (一月一督查、一季一通报): periods, sections from providers, schedule.

Each feature declares its sections (``SectionSpec``) in its manifest, and callers pass the
manifests' sections to ``build_report`` (``handlers.report_sections()``). The engine knows no
wording: the staff feature renders a ``Report`` as text, chart and workbook (``handlers.staff``).
"""

from bot.services.reports.core import (
    Better,
    Chart,
    Metric,
    Period,
    PeriodError,
    PeriodKind,
    PeriodProblem,
    Report,
    ReportEnv,
    ReportSection,
    SectionSpec,
    Table,
    Unit,
    build_report,
    require_started,
)

__all__ = [
    "Better",
    "Chart",
    "Metric",
    "Period",
    "PeriodError",
    "PeriodKind",
    "PeriodProblem",
    "Report",
    "ReportEnv",
    "ReportSection",
    "SectionSpec",
    "Table",
    "Unit",
    "build_report",
    "require_started",
]
