"""`chuangwen inspections check [DIR]` validates a city's standards and sites files (against its
departments and districts files); `chuangwen inspections export 2026-12 --out DIR` writes the
month's inspections and rectification tasks as a workbook."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings
from bot.services.inspections import InspectionContent
from handlers.inspections import texts


def add_commands(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "inspections", help="inspections: check the standards and sites files, export a month"
    )
    actions = parser.add_subparsers(dest="inspections_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate standards.yaml and sites.yaml")
    check.add_argument("directory", nargs="?", type=Path, help="folder with the files (default: DATA_DIR)")
    check.set_defaults(handler=cmd_check)
    export = actions.add_parser("export", help="write a month's inspections and tasks (XLSX)")
    export.add_argument("month", help="the month, e.g. 2026-12")
    export.add_argument("--out", type=Path, default=Path("."), help="directory to write into")
    export.set_defaults(handler=cmd_export)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Prints a summary, or raises ConfigError with the problem in one line (the CLI exits with 2)."""
    from bot.services.inspections import ContentError, load_content
    from handlers.inspections.views import content_error_text

    directory: Path = args.directory or settings.data_dir
    try:
        content = load_content(directory)
    except ContentError as error:
        raise ConfigError(content_error_text(error)) from None
    for line in check_report(content):
        print(line)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Writes inspections-YYYY-MM.xlsx into --out and prints what it wrote; 2 for a bad month."""
    from bot.services.reports import Period, PeriodKind

    try:
        period = Period.from_key(PeriodKind.MONTH, args.month.strip(), settings.tz)
    except ValueError:
        print(texts.CLI_BAD_MONTH.format(value=args.month))
        return 2
    data, inspections, tasks = asyncio.run(_export(settings, period))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    path = out / texts.EXPORT_FILENAME.format(period=period.key)
    path.write_bytes(data)
    print(texts.CLI_EXPORTED.format(period=period.key, inspections=inspections, tasks=tasks, path=path))
    return 0


async def _export(settings: Settings, period: Any) -> tuple[bytes, int, int]:
    from bot.cli import migrate
    from bot.database import make_engine, make_sessionmaker, transaction
    from bot.services.inspections import month_records
    from handlers.inspections.export import workbook
    from handlers.inspections.resources import content_for

    await migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        async with transaction(make_sessionmaker(engine), read_only=True) as session:
            records = await month_records(session, period)
            data = workbook(records, content_for(settings.data_dir), settings.tz)
    finally:
        await engine.dispose()
    return data, len(records.inspections), len(records.tasks)


def check_report(content: InspectionContent) -> list[str]:
    """What the check prints: the totals, then each site type with its items and sites."""
    standards = content.standards
    negative = sum(1 for item in standards.items.values() if item.negative)
    lines = [
        texts.CLI_CHECK_SUMMARY.format(
            city=content.city,
            types=len(standards.site_types),
            items=standards.item_count,
            negative=negative,
            sites=len(content.sites),
            units=len({s.unit for s in content.sites.values()} | set(content.responsible.values())),
            groups=sum(1 for u in content.units.values() if u.chat_id is not None),
        )
    ]
    for kind in standards.site_types.values():
        sites = sum(1 for s in content.sites.values() if s.type == kind.id)
        lines.append(texts.CLI_CHECK_TYPE.format(name=kind.name, items=len(kind.items), sites=sites))
    return lines
