"""Inspections benchmark: the supervision report's 督查 sections (督查 and 督查红黑榜) over 10,000
inspections with 50,000 items in a quarter (and as many in the quarter before, for the comparison),
with the rectification tasks of their failed items, on SQLite and PostgreSQL.

Printed per database:
- ``inspections.report_quarter``: building both sections (aggregate SQL), median of runs; baseline:
  the same figures the naive way — fetch the quarter's inspections, items and tasks and loop over
  them in Python — in the same run on the same database. Goal: ≤ 1 s on PostgreSQL;
- ``inspections.report_month``: the same for one month of the quarter; baseline: a plain
  ``SELECT COUNT(*)`` over the three tables, the floor a database can do on them.

PostgreSQL runs when ``--database-url`` (or TEST_DATABASE_URL) names a server: a fresh database
``cw_bench_<random>`` is created there, migrated, and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

import handlers
from bench.run import result
from bot.config import SHIPPED_DATA_DIR
from bot.database import make_engine, make_sessionmaker, transaction
from bot.models import (
    Inspection,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    RectificationStatus,
    RectificationTask,
    User,
)
from bot.services import reports
from bot.services.inspections import load_content
from bot.services.reports import Period, PeriodKind
from tests.support.databases import bench_database, postgres_server

QUARTER = Period(PeriodKind.QUARTER, 2026, 3)
MONTH = Period(PeriodKind.MONTH, 2026, 8)
SECTIONS = ["inspections", "inspection_board"]
ITEMS_PER_INSPECTION = 5
FAIL_SHARE = 0.2
SITES = 400
INSPECTORS = 50
CHUNK = 5_000


async def _bulk(engine: AsyncEngine, model: Any, rows: list[dict[str, Any]]) -> None:
    async with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            await connection.execute(insert(model), rows[start : start + CHUNK])


async def populate(engine: AsyncEngine, inspections: int) -> None:
    """``inspections`` in each of the quarter and the one before, spread over their days."""
    rng = random.Random(20261218)
    content = load_content(SHIPPED_DATA_DIR)
    units = sorted(content.units)
    districts = list(content.districts)
    sites = [(f"S-{n:04d}", rng.choice(units), rng.choice(districts)) for n in range(SITES)]
    begin = QUARTER.previous().start
    span = (QUARTER.end - begin).total_seconds()
    await _bulk(
        engine,
        User,
        [
            {
                "id": 20_000_000 + n,
                "display_name": f"督查员{n}",
                "role": "inspector",
                "created_at": begin,
                "updated_at": begin,
            }
            for n in range(INSPECTORS)
        ],
    )
    inspection_rows, item_rows, task_rows = [], [], []
    for n in range(2 * inspections):
        site, unit, district = rng.choice(sites)
        submitted = begin + timedelta(seconds=rng.random() * span)
        inspection_id = n + 1
        deductions = 0.0
        for position in range(ITEMS_PER_INSPECTION):
            item_id = len(item_rows) + 1
            failed = rng.random() < FAIL_SHARE
            points = float(rng.choice([2, 3, 5]))
            negative = points == 5
            deductions += points if failed else 0.0
            item_unit = unit if rng.random() < 0.6 else rng.choice(units)
            item_rows.append(
                {
                    "id": item_id,
                    "inspection_id": inspection_id,
                    "position": position,
                    "item_id": f"IT{position:02d}",
                    "points": points,
                    "negative": negative,
                    "unit_id": item_unit,
                    "result": (ItemResult.FAIL if failed else ItemResult.PASS).value,
                    "photos": ["photo"] if failed else [],
                    "answered_at": submitted,
                }
            )
            if failed:
                due = submitted + timedelta(hours=24 if negative else 72)
                fate = rng.random()
                replied = submitted + timedelta(hours=rng.expovariate(1 / 48))
                status = (
                    RectificationStatus.PASSED
                    if fate < 0.7
                    else RectificationStatus.REVIEW
                    if fate < 0.8
                    else RectificationStatus.RETURNED
                    if fate < 0.9
                    else RectificationStatus.PENDING
                )
                answered = status is not RectificationStatus.PENDING
                task_rows.append(
                    {
                        "inspection_id": inspection_id,
                        "inspection_item_id": item_id,
                        "site_id": site,
                        "district": district,
                        "unit_id": item_unit,
                        "item_id": f"IT{position:02d}",
                        "negative": negative,
                        "status": status.value,
                        "round": 1 if status is RectificationStatus.RETURNED else 0,
                        "first_due_at": due,
                        "due_at": due,
                        "reply_photos": [],
                        "replied_at": replied if answered else None,
                        "replied_on_time": replied <= due if answered else None,
                        "passed_at": replied if status is RectificationStatus.PASSED else None,
                        "escalations": 0 if not answered or replied <= due else 1,
                        "created_at": submitted,
                        "updated_at": submitted,
                    }
                )
        inspection_rows.append(
            {
                "id": inspection_id,
                "site_id": site,
                "site_type": "main_road",
                "district": district,
                "unit_id": unit,
                "inspector_id": 20_000_000 + rng.randrange(INSPECTORS),
                "status": InspectionStatus.SUBMITTED.value,
                "distance_m": rng.random() * 400,
                "location_mismatch": rng.random() < 0.05,
                "deductions": deductions,
                "score": max(0.0, 100.0 - deductions),
                "started_at": submitted - timedelta(minutes=30),
                "submitted_at": submitted,
                "updated_at": submitted,
            }
        )
    await _bulk(engine, Inspection, inspection_rows)
    await _bulk(engine, InspectionItem, item_rows)
    await _bulk(engine, RectificationTask, task_rows)


async def python_loop_baseline(engine: AsyncEngine, period: Period) -> float:
    """The section's figures the naive way: fetch the period's rows, compute in Python."""
    started = time.perf_counter()
    sessions = make_sessionmaker(engine)
    async with transaction(sessions, read_only=True) as session:
        inspections = (
            await session.execute(
                select(
                    Inspection.id,
                    Inspection.site_id,
                    Inspection.unit_id,
                    Inspection.district,
                    Inspection.score,
                    Inspection.submitted_at,
                ).where(Inspection.submitted_at >= period.start, Inspection.submitted_at < period.end)
            )
        ).all()
        ids = [row[0] for row in inspections]
        items = (
            (
                await session.execute(
                    select(
                        InspectionItem.inspection_id,
                        InspectionItem.item_id,
                        InspectionItem.unit_id,
                        InspectionItem.result,
                    ).where(InspectionItem.inspection_id.in_(ids))
                )
            ).all()
            if ids
            else []
        )
        tasks = (
            await session.execute(
                select(
                    RectificationTask.unit_id,
                    RectificationTask.status,
                    RectificationTask.replied_on_time,
                    RectificationTask.due_at,
                ).where(
                    RectificationTask.created_at >= period.start, RectificationTask.created_at < period.end
                )
            )
        ).all()
    latest: dict[str, tuple[Any, ...]] = {}
    for row in inspections:
        if row[1] not in latest or row[5] > latest[row[1]][5]:
            latest[row[1]] = tuple(row)
    by_unit: dict[str, list[float]] = {}
    for row in latest.values():
        by_unit.setdefault(row[2], []).append(row[4])
    _ = {unit: statistics.mean(scores) for unit, scores in by_unit.items()}
    site_of = {row[0]: row[1] for row in inspections}
    repeats: dict[tuple[str, str], int] = {}
    for inspection_id, item_id, _unit, outcome in items:
        if outcome is ItemResult.FAIL:
            key = (site_of[inspection_id], item_id)
            repeats[key] = repeats.get(key, 0) + 1
    figures: dict[str, list[int]] = {}
    for unit, status, on_time, _due in tasks:
        counts = figures.setdefault(unit, [0, 0])
        counts[0] += int(status is RectificationStatus.PASSED and bool(on_time))
        counts[1] += int(on_time is False)
    return time.perf_counter() - started


async def _measure(url: str, inspections: int, runs: int) -> dict[str, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        await populate(engine, inspections)
        populate_seconds = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            async with engine.connect() as connection:
                await connection.execute(text("ANALYZE"))
        sessions = make_sessionmaker(engine)
        env = reports.ReportEnv(SHIPPED_DATA_DIR)

        async def timed(period: Period) -> float:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                async with transaction(sessions, read_only=True) as session:
                    await reports.build_report(
                        session,
                        period,
                        handlers.report_sections(),
                        only=SECTIONS,
                        env=reports.ReportEnv(env.data_dir),
                    )
                times.append(time.perf_counter() - started)
            return statistics.median(times)

        await timed(MONTH)  # warm-up: the content files are read and cached once
        quarter = await timed(QUARTER)
        month = await timed(MONTH)
        loop = statistics.median([await python_loop_baseline(engine, QUARTER) for _ in range(runs)])
        started = time.perf_counter()
        async with transaction(sessions, read_only=True) as session:
            for model in (Inspection, InspectionItem, RectificationTask):
                await session.scalar(select(func.count()).select_from(model))
        count_seconds = time.perf_counter() - started
        return {
            "populate": populate_seconds,
            "quarter": quarter,
            "month": month,
            "python_loop": loop,
            "count_star": count_seconds,
        }
    finally:
        await engine.dispose()


def bench(database_url: str | None = None, quick: bool = False) -> list[dict[str, Any]]:
    inspections = 1_000 if quick else 10_000
    runs = 1 if quick else 5
    rows: list[dict[str, Any]] = []
    targets: list[tuple[str, str | None]] = [("sqlite", None)]
    postgres = postgres_server(database_url)
    if postgres:
        targets.append(("postgresql", postgres))
    else:
        rows.append({"name": "inspections.postgresql", "skipped": "no --database-url / TEST_DATABASE_URL"})
    for kind, server in targets:
        with bench_database(server) as url:
            m = asyncio.run(_measure(url, inspections, runs))
        extra = {
            "inspections": inspections,
            "items": inspections * ITEMS_PER_INSPECTION,
            "database": kind,
            "populate_s": round(m["populate"], 1),
        }
        rows.append(
            result(
                f"inspections.report_quarter.{kind}",
                m["quarter"],
                "s",
                baseline=m["python_loop"],
                higher_is_better=False,
                baseline_is="the same figures by a Python loop over the quarter's rows",
                goal="≤ 1 s on PostgreSQL",
                **extra,
            )
        )
        rows.append(
            result(
                f"inspections.report_month.{kind}",
                m["month"],
                "s",
                baseline=m["count_star"],
                higher_is_better=False,
                baseline_is="SELECT COUNT(*) over inspections, inspection_items, rectification_tasks",
                **extra,
            )
        )
    return rows
