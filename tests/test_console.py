"""`chuangwen console`: the same bot in a terminal, scripted through stdin."""

import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT


def run_console(tmp_path: Path, script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", *args],
        input=script,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PROJECT_ROOT),
            "ADMIN_IDS": "777",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_piped_start_and_help_print_welcome_menu_and_help(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/start\n/help\n")
    assert "欢迎使用创文助手" in out
    assert "键盘: 投诉举报 | 志愿报名 | 文明公约 | 好人推荐 | 订阅通知" in out
    assert "/subscribe — 订阅通知" in out
    assert "#N — 点击最近一条消息的第 N 个按钮" in out  # the console explains its own syntax


def test_buttons_are_numbered_and_pressed_by_number(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/subscribe\n#2\n!sticker\n!location 30.27,120.15\n#99\n")
    assert "[#2 ⬜ 每日公约]" in out
    assert "当前订阅：每日公约" in out  # the press changed the subscription and edited the message
    assert "🔔 已订阅「每日公约」。" in out
    assert "⚠️" in out  # #99 does not exist: a note, not a crash


def test_user_id_option_acts_as_that_user(tmp_path: Path) -> None:
    out = run_console(tmp_path, "/mydata\n!user 888\n/mydata\n", "--user-id", "777")
    assert "[文件] mydata-777.json" in out
    assert "[文件] mydata-888.json" in out


def test_the_console_says_who_you_are_and_why_a_press_did_nothing(tmp_path: Path) -> None:
    out = run_console(tmp_path, "#1\n/subscribe\n#9\n!user 777\n!user x\n")
    assert "最近的消息上没有按钮，无法点击 #1" in out  # nothing with buttons on screen yet
    assert "最近的消息只有 3 个按钮，没有 #9" in out
    assert "现在以用户 777 的身份对话" in out
    assert "无法执行：!user x" in out


def test_the_console_keeps_its_own_database_unless_told_otherwise(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/start\n",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},  # no DATABASE_URL
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "chuangwen-console.sqlite3").is_file()
    assert not (tmp_path / "chuangwen.sqlite3").exists()  # `chuangwen run`'s data is left alone

    other = tmp_path / "other.sqlite3"
    out = run_console(tmp_path, "/start\n", "--database-url", f"sqlite+aiosqlite:///{other}")
    assert "欢迎使用创文助手" in out and other.is_file()
