"""The inspection loop typed into `chuangwen console`: the same Application, a real terminal session.

The console keeps real time; nothing asserted here depends on the month it runs in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT

ADMIN, INSPECTOR, HANDLER = 777, 555, 888
NEAR_THE_ALLEY = "30.5893,114.2952"  # 黎黄陂路支巷


def test_an_inspection_from_walk_to_recheck_in_the_console(tmp_path: Path) -> None:
    script = [
        f"/grant {INSPECTOR} inspector",
        f"/grant {HANDLER} handler ja-binjiang",
        f"!user {INSPECTOR}",
        "/inspect",
        f"!location {NEAR_THE_ALLEY}",
        "#1",  # the nearest site
        "#1",  # item 1 合格
        "#2",  # item 2 不合格
        "!photo 门口堆满纸箱",
        "#1",  # 下一项
        *["#1"] * 10,  # items 3–12 合格
        "#1",  # 提交
        f"!user {HANDLER}",
        "/rectifications",
        "#1",  # the first task's details
        "#1",  # 整改回复
        "!photo 纸箱已清走",
        f"!user {ADMIN}",
        "/rectifications",
        "#1",  # the task, 待复查
        "#1",  # 复查通过
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user-id", str(ADMIN)],
        input="\n".join(script) + "\n",
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PROJECT_ROOT),
            "ADMIN_IDS": str(ADMIN),
            "STAFF_CHAT_ID": "-100900",
            "FLOOD_MAX_MESSAGES": "1000",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Traceback" not in out + result.stderr and "⚠️" not in out  # every #N found its button
    assert "已提交 黎黄陂路支巷 的检查，得分 97" in out
    assert "已向 1 个责任单位派发 1 项整改任务" in out
    assert "整改任务 #1 已提交复查" in out
    assert "🔔 整改任务 #1 已通过复查。" in out
