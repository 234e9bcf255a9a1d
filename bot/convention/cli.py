"""`chuangwen convention check [DIR]`: validate replacement convention files before deploying them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.config import Settings


def add_commands(subparsers: Any) -> None:
    parser = subparsers.add_parser("convention", help="the civic convention content files")
    actions = parser.add_subparsers(dest="convention_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate convention.yaml and convention_quiz.yaml")
    check.add_argument("directory", nargs="?", type=Path, help="folder with the files (default: DATA_DIR)")
    check.add_argument("--ask", metavar="QUESTION", help="also show what a question would find")
    check.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Prints a summary, or raises ContentError (printed as one line by the CLI, exit code 2)."""
    from bot.convention import load_resources

    directory: Path = args.directory or settings.data_dir
    resources = load_resources(directory)
    convention = resources.convention
    print(f"{convention.title}: {convention.size} 条公约，{len(convention.questions)} 道测验题，格式正确。")
    if args.ask:
        for match in resources.index.search(args.ask):
            print(
                f"  第 {match.article.number} 条 {match.article.title}  得分 {match.score:.2f}  {' '.join(match.terms)}"
            )
    return 0
