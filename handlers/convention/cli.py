"""`chuangwen convention check [DIR]`: validate replacement convention files before deploying them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings


def add_commands(subparsers: Any) -> None:
    parser = subparsers.add_parser("convention", help="the civic convention content files")
    actions = parser.add_subparsers(dest="convention_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate convention.yaml and convention_quiz.yaml")
    check.add_argument("directory", nargs="?", type=Path, help="folder with the files (default: DATA_DIR)")
    check.add_argument("--ask", metavar="QUESTION", help="also show what a question would find")
    check.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Prints a summary, or raises ConfigError with the problem in one line (the CLI exits with 2)."""
    from bot.services.convention import ContentError, load_resources
    from handlers.convention.views import check_report, content_error_text

    directory: Path = args.directory or settings.data_dir
    try:
        resources = load_resources(directory)
    except ContentError as error:
        raise ConfigError(content_error_text(error)) from None
    for line in check_report(resources, args.ask):
        print(line)
    return 0
