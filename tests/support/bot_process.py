"""Start the real `chuangwen run` process against a fake Bot API and wait for what it sends."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.botapi_emulator import BotApiEmulator, SentMessage
from bot.config import PROJECT_ROOT


def bot_environment(base_url: str, token: str, database_url: str, **env: str) -> dict[str, str]:
    """The environment a bot process runs in: this checkout's code, the fake Bot API, the database."""
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **env,
    }


def start_bench_process(
    command: list[str], base_url: str, token: str, database_url: str, workdir: Path, **env: str
) -> subprocess.Popen[bytes]:
    """A benchmark's bot (or echo baseline) process: no flood limit, output discarded."""
    return subprocess.Popen(
        command,
        env=bot_environment(base_url, token, database_url, FLOOD_MAX_MESSAGES="100000", **env),
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class BotProcess:
    def __init__(self, base_url: str, token: str, database_url: str, workdir: Path, **env: str) -> None:
        self.env = bot_environment(base_url, token, database_url, **env)
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self, webhook: bool = False) -> None:
        self.started_at = time.monotonic()
        self.log = open(self.workdir / "bot.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *(["--webhook"] if webhook else ["--poll-timeout", "1"])],
            env=self.env,
            cwd=self.workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Signal the process and wait without blocking the loop (the fake server must keep answering)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                await asyncio.to_thread(self.process.wait, timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                await asyncio.to_thread(self.process.wait)
        self.log.close()
        return self.process.returncode

    def output(self) -> str:
        return (self.workdir / "bot.log").read_text(encoding="utf-8", errors="replace")


async def wait_for(
    emulator: BotApiEmulator, predicate: Callable[[SentMessage], bool], timeout: float = 30.0, after: int = 0
) -> SentMessage:
    """Wait until the bot has sent a message matching predicate (index ≥ after in emulator.messages)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in emulator.messages[after:]:
            if predicate(message):
                return message
        await asyncio.sleep(0.02)
    sent = [m.body[:60] for m in emulator.messages[after:]]
    raise AssertionError(f"the bot did not send the expected message within {timeout}s; it sent {sent}")
