"""`chuangwen report month 2026-11 --out DIR`: the supervision report's PNG and XLSX from the shell."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.services import DomainError
from handlers.kit.errors import error_text
from handlers.staff import texts


def add_commands(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report", help="write the supervision report (PNG chart + XLSX workbook) for a month or quarter"
    )
    report.add_argument("kind", choices=["month", "quarter"], help=texts.CLI_KIND_HELP)
    report.add_argument(
        "period", nargs="?", default=None, help="2026-11 or 2026-Q4 (default: the last complete one)"
    )
    report.add_argument("--out", type=Path, default=Path("."), help="directory to write into")
    report.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """Writes the two files and prints their paths; prints why and returns 2 for a bad period."""
    try:
        rendered = asyncio.run(_build(settings, args.kind, args.period))
    except DomainError as error:
        print(error_text(error, texts.ERRORS))
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    png, xlsx = out / rendered.png_name, out / rendered.xlsx_name
    png.write_bytes(rendered.png)
    xlsx.write_bytes(rendered.xlsx)
    print(f"{rendered.title}\n{png}\n{xlsx}")
    return 0


async def _build(settings: Settings, kind: str, period_text: str | None) -> Any:
    from bot.cli import migrate
    from bot.clock import utcnow
    from bot.database import make_engine, make_sessionmaker, transaction
    from handlers.staff.periods import parse_kind, parse_period
    from handlers.staff.report import build, render

    now = utcnow()  # the process clock: no application (and no clock of its own) here
    period = parse_period(parse_kind(kind), period_text, now, settings.tz)
    await migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            report = await build(session, period, settings.data_dir, now)
    finally:
        await engine.dispose()
    return await render(report)
