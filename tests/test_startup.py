"""Start-up stays cheap: heavy libraries load later or in the background, never on the way in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.harness import ChatHarness
from bot.offload import cpu_bound
from handlers.tickets.resources import CLASSIFIER_KEY as CLASSIFIER
from handlers.tickets.resources import load_classifier_in_background

RUN_PATH = """
import json, sys
from bot.cli import CORE_COMMANDS, _command_of, build_parser
from bot.config import load_settings
assert _command_of(["-v", "run", "--poll-timeout", "1"]) in CORE_COMMANDS
build_parser(features=False)
from bot.app import build_application
build_application(load_settings(TELEGRAM_BOT_TOKEN="1:X", DATABASE_URL=sys.argv[1]))
print(json.dumps(sorted(m for m in ("numpy", "alembic", "pkg_resources", "matplotlib", "PIL", "openpyxl") if m in sys.modules)))
"""


def test_the_run_path_imports_nothing_heavy(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", RUN_PATH, f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


async def test_the_classifier_is_warmed_up_by_a_job(harness: ChatHarness) -> None:
    application = harness.application
    assert CLASSIFIER not in application.bot_data.resources  # tests and the console load it on demand
    await load_classifier_in_background(application)
    assert application.job_queue is not None
    (job,) = application.job_queue.get_jobs_by_name("classifier-warm-up")
    await job.run(application)
    await application.bot_data.resources["classifier_warm_up"]
    assert application.bot_data.resources[CLASSIFIER].categories


async def test_cpu_bound_work_runs_in_another_process() -> None:
    assert await cpu_bound(os.getpid) != os.getpid()
    assert await cpu_bound(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
