"""The supervision report's 督查 sections: the inspections and rectification figures, and the
督查红黑榜 of units (beside the complaints' 红黑榜, with each department's complaint on-time rate).

Providers run the service's aggregate queries for the period and the one before; the figures are
shared by both sections of one report through ``env.memo``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.inspections import PeriodFigures
from bot.services.inspections import scores as service
from bot.services.reports import Period, ReportEnv, ReportSection, SectionSpec
from bot.services.reports import tickets as complaints
from bot.timeutil import utcnow
from handlers.inspections import views
from handlers.inspections.resources import content_for

SECTION_ORDER = 35  # after the complaints' 红黑榜 (30), before volunteers
BOARD_ORDER = 36


async def _figures(session: AsyncSession, period: Period, env: ReportEnv) -> PeriodFigures:
    key = ("inspections", period.kind, period.key)
    if key not in env.memo:
        env.memo[key] = await service.period_figures(session, period, utcnow())
    figures: PeriodFigures = env.memo[key]
    return figures


async def inspections_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    """Provider of the "inspections" section (督查)."""
    current = await _figures(session, period, env)
    previous = await _figures(session, period.previous(), env)
    return views.inspections_section(current, previous, content_for(env.data_dir))


async def board_section(session: AsyncSession, period: Period, env: ReportEnv) -> ReportSection:
    """Provider of the "inspection_board" section (督查红黑榜)."""
    ranked = service.rank_units(await _figures(session, period, env))
    previous = service.rank_units(await _figures(session, period.previous(), env))
    red, black = service.boards(ranked)
    departments = await complaints.shared_figures(
        session, env, period, "department", overdue_now=False, medians=False
    )
    on_time = {key: figures.on_time_rate for key, figures in departments.items()}
    previous_rank = {entry.unit_id: n for n, entry in enumerate(previous, 1)}
    return views.board_section(ranked, red, black, previous_rank, on_time, content_for(env.data_dir))


SECTIONS = (
    SectionSpec("inspections", inspections_section, order=SECTION_ORDER),
    SectionSpec("inspection_board", board_section, order=BOARD_ORDER),
)
