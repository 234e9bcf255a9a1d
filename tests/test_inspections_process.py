"""The inspection loop in the real `chuangwen run` process against the HTTP fake Bot API: the walk,
the card reaching the unit's group through the process's own sender, the answer, the re-check."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.botapi_emulator import BotApiEmulator, SentMessage
from tests.support.bot_process import BotProcess, wait_for
from tests.support.fake_bot_api import serve_fake_bot_api
from tests.support.inspections import AT_SITE, INSPECTOR, STAFF_CHAT, UNIT_CHAT, UNIT_HANDLER, city_data

pytestmark = pytest.mark.real_clock  # the bot runs in its own process, on real time

TOKEN = "424242:E2E-INSPECTIONS"
ADMIN = 900001


class Telegram:
    """Plays the people: each update is pushed once the previous answer has arrived."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    async def send(self, predicate: Callable[[SentMessage], bool], **update: Any) -> SentMessage:
        after = len(self.emulator.messages)
        self.emulator.push_update(update)
        return await wait_for(self.emulator, predicate, after=after)

    async def message(
        self, user: int, predicate: Callable[[SentMessage], bool], **content: Any
    ) -> SentMessage:
        update = self.emulator.message_update(user, **content)
        return await self.send(predicate, **update)

    async def press(
        self, user: int, message: SentMessage, label: str, predicate: Callable[[SentMessage], bool]
    ) -> SentMessage:
        (button,) = [b for b in message.buttons() if label in b["text"]][:1]
        update = self.emulator.callback_update(user, button["callback_data"], message)
        return await self.send(predicate, **update)


def to(chat: int, words: str) -> Callable[[SentMessage], bool]:
    return lambda m: m.chat_id == chat and words in m.body


async def test_the_loop_in_the_real_process(database_url: str, tmp_path: Path, engine: Any) -> None:
    emulator = BotApiEmulator(token=TOKEN)
    async with serve_fake_bot_api(emulator) as base_url:
        bot = BotProcess(
            base_url,
            TOKEN,
            database_url,
            tmp_path,
            ADMIN_IDS=str(ADMIN),
            STAFF_CHAT_ID=str(STAFF_CHAT),
            DATA_DIR=str(city_data(tmp_path)),
            FLOOD_MAX_MESSAGES="1000",
        )
        bot.start()
        try:
            telegram = Telegram(emulator)
            await telegram.message(ADMIN, to(ADMIN, "督查员"), text=f"/grant {INSPECTOR} inspector")
            await telegram.message(
                ADMIN, to(ADMIN, "滨江社区"), text=f"/grant {UNIT_HANDLER} handler ja-binjiang"
            )
            await telegram.message(INSPECTOR, to(INSPECTOR, "暗访督查"), text="/inspect")
            latitude, longitude = AT_SITE
            location = {"latitude": latitude, "longitude": longitude}
            nearby = await telegram.message(
                INSPECTOR, lambda m: m.chat_id == INSPECTOR and bool(m.buttons()), location=location
            )
            item = await telegram.press(INSPECTOR, nearby, "黎黄陂路支巷", to(INSPECTOR, "第 1/12 项"))
            item = await telegram.press(INSPECTOR, item, "合格", to(INSPECTOR, "第 2/12 项"))
            await telegram.press(INSPECTOR, item, "不合格", to(INSPECTOR, "请拍照上传"))
            photo = {"photo": [{"file_id": "before-1", "file_unique_id": "b1", "width": 640, "height": 480}]}
            received = await telegram.message(
                INSPECTOR, to(INSPECTOR, "已收到第 1 张照片"), caption="门口堆满纸箱", **photo
            )
            item = await telegram.press(INSPECTOR, received, "下一项", to(INSPECTOR, "第 3/12 项"))
            for number in range(4, 13):
                item = await telegram.press(INSPECTOR, item, "合格", to(INSPECTOR, f"第 {number}/12 项"))
            summary = await telegram.press(INSPECTOR, item, "合格", to(INSPECTOR, "检查小结"))
            await telegram.press(INSPECTOR, summary, "提交", to(INSPECTOR, "得分 <b>97</b>"))

            # The card reaches the unit's group through the outbox, with the inspector's photo.
            card = await wait_for(emulator, lambda m: m.chat_id == UNIT_CHAT and "整改任务 #1" in m.body)
            assert card.method == "sendPhoto" and card.params.get("photo") == "before-1"
            assert "门口堆满纸箱" in card.body and str(INSPECTOR) not in card.body
            await telegram.press(UNIT_HANDLER, card, "整改回复", to(UNIT_CHAT, "回复本消息"))
            after = emulator.message_update(
                UNIT_HANDLER,
                caption="纸箱已清走",
                photo=[{"file_id": "after-1", "file_unique_id": "a1", "width": 640, "height": 480}],
            )
            after["message"]["chat"] = {"id": UNIT_CHAT, "type": "supergroup", "title": "滨江社区工作群"}
            await telegram.send(to(UNIT_CHAT, "已提交复查"), **after)

            # The inspector re-checks from the card the process sent them; the unit hears of it.
            check = await wait_for(
                emulator, lambda m: m.chat_id == INSPECTOR and "待复查" in m.body and bool(m.buttons())
            )
            await telegram.press(INSPECTOR, check, "复查通过", to(UNIT_CHAT, "已通过复查"))
        finally:
            code = await bot.stop(signal.SIGTERM)
        assert code == 0, bot.output()
        assert "Traceback" not in bot.output()
