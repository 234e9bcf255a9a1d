"""`chuangwen report month 2026-11 --out DIR`: the supervision report's PNG and XLSX from the shell."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import Settings


def add_commands(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report", help="write the supervision report (PNG chart + XLSX workbook) for a month or quarter"
    )
    report.add_argument("kind", choices=["month", "quarter"], help="month (月报) or quarter (季报)")
    report.add_argument(
        "period", nargs="?", default=None, help="2026-11 or 2026-Q4 (default: the last complete one)"
    )
    report.add_argument("--out", type=Path, default=Path("."), help="directory to write into")
    report.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import DomainError

    try:
        rendered = asyncio.run(_build(settings, args.kind, args.period))
    except DomainError as error:
        print(error)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    png, xlsx = out / rendered.png_name, out / rendered.xlsx_name
    png.write_bytes(rendered.png)
    xlsx.write_bytes(rendered.xlsx)
    print(f"{rendered.title}\n{png}\n{xlsx}")
    return 0


async def _build(settings: Settings, kind: str, period_text: str | None) -> Any:
    import handlers
    from bot.cli import migrate
    from bot.database import make_engine, make_sessionmaker, transaction
    from bot.services import reports
    from bot.services.reports.render import render_all

    period = reports.parse_period(reports.parse_kind(kind), period_text, tz=settings.tz)
    await migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            report = await reports.build_report(
                session, period, handlers.report_sections(), env=reports.ReportEnv(settings.data_dir)
            )
    finally:
        await engine.dispose()
    return await asyncio.to_thread(render_all, report)
