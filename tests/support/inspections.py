"""Shared pieces of the inspections tests: a city's data with group chats, the people, group
messages, the outbox drained, and an inspector's walk through the real Application."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.botapi_emulator import SentMessage
from bot.config import SHIPPED_DATA_DIR
from bot.database import transaction
from bot.harness import ChatHarness
from bot.models import Inspection, RectificationTask, Role
from bot.outbox import service as outbox
from bot.services import users
from handlers.inspections import texts
from tests.support.eventually import eventually

INSPECTOR = 500001
INSPECTOR_NAME = "暗访员老周"
UNIT_HANDLER = 500002  # a handler of 江岸区滨江社区 (ja-binjiang)
OTHER_HANDLER = 500003  # a handler of 江汉区花楼街社区 (jh-hualoujie)
STAFF_CHAT = -100900
UNIT_CHAT = -100201  # 滨江社区's group
OTHER_CHAT = -100202  # 花楼街社区's group
SITE = "AL-001"  # 黎黄陂路支巷, an alley answered for by 滨江社区
SITE_NAME = "黎黄陂路支巷"
AT_SITE = (30.5893, 114.2952)
FAR_AWAY = (30.6300, 114.3900)  # about 10 km off
ITEMS = 12  # the alley checklist
FAILED = {1: "门口堆满纸箱", 4: "墙上贴满小广告"}  # positions (from 0) of items of the site's own unit


def city_data(tmp_path: Path) -> Path:
    """The shipped data, with group chats for two communities."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA_DIR, target)
    sites = target / "sites.yaml"
    text = sites.read_text(encoding="utf-8")
    for unit, chat in (("ja-binjiang", UNIT_CHAT), ("jh-hualoujie", OTHER_CHAT)):
        line = next(line for line in text.splitlines() if f"id: {unit}," in line)
        text = text.replace(line, line.replace("chat_id: null", f"chat_id: {chat}"))
    sites.write_text(text, encoding="utf-8")
    return target


async def make_people(harness: ChatHarness) -> None:
    async with transaction(harness.application.bot_data.sessions) as session:
        await users.set_role(session, INSPECTOR, Role.INSPECTOR)
        await users.set_role(session, UNIT_HANDLER, Role.HANDLER, "ja-binjiang")
        await users.set_role(session, OTHER_HANDLER, Role.HANDLER, "jh-hualoujie")
        inspector = await users.ensure_user(session, INSPECTOR, INSPECTOR_NAME, "laozhou")
        inspector.display_name = INSPECTOR_NAME


def group_message(harness: ChatHarness, chat_id: int, user_id: int, **content: Any) -> dict[str, Any]:
    message = {
        "message_id": harness.emulator.next_message_id(),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "supergroup", "title": "滨江社区工作群"},
        "from": harness.emulator.user_json(user_id, "网格员小李"),
        **content,
    }
    return {"message": message}


async def group_photo(
    harness: ChatHarness, chat_id: int, user_id: int, caption: str | None
) -> list[SentMessage]:
    file_id = f"after-{harness.emulator.next_message_id()}"
    photo = {"photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960}]}
    if caption is not None:
        photo["caption"] = caption
    return await harness.process(group_message(harness, chat_id, user_id, **photo))


async def group_text(harness: ChatHarness, chat_id: int, user_id: int, text: str) -> list[SentMessage]:
    return await harness.process(group_message(harness, chat_id, user_id, text=text))


async def settled(harness: ChatHarness, timeout: float = 30) -> list[SentMessage]:
    """Wait until the bot's sender has delivered everything owed; returns what was sent meanwhile
    (so the next update's answer is only that update's)."""

    async def empty() -> bool:
        async with harness.application.bot_data.sessions() as session:
            return not await outbox.open_count(session)

    await eventually(empty, timeout=timeout, what="the outbox to drain")
    return harness.new_messages()


def cards_in(harness: ChatHarness, chat_id: int) -> list[SentMessage]:
    """The task cards in a chat (latest copy of each), oldest first."""
    return [m for m in harness.emulator.sent_to(chat_id) if "整改任务 #" in m.body and "📋" in m.body]


def latest_card(harness: ChatHarness, chat_id: int, task_id: int) -> SentMessage:
    """The unit's card of a task as it stands now (edits replace the message)."""
    for message in reversed(harness.emulator.sent_to(chat_id)):
        if f"整改任务 #{task_id}</b>" in message.body and "📋" in message.body:
            return message
    raise AssertionError(f"no card for task {task_id} in chat {chat_id}")


def card_of(harness: ChatHarness, chat_id: int, task_id: int) -> SentMessage:
    for message in reversed(harness.emulator.sent_to(chat_id)):
        if f"整改任务 #{task_id}" in message.body and message.buttons():
            return message
    raise AssertionError(f"no card with buttons for task {task_id} in chat {chat_id}")


def check_card_of(harness: ChatHarness, chat_id: int, task_id: int) -> SentMessage:
    for message in reversed(harness.emulator.sent_to(chat_id)):
        if f"待复查：整改任务 #{task_id}" in message.body and message.buttons():
            return message
    raise AssertionError(f"no re-check card for task {task_id} in chat {chat_id}")


async def walk_site(
    harness: ChatHarness,
    *,
    failed: dict[int, str] | None = None,
    not_applicable: Iterable[int] = (),
    location: tuple[float, float] = AT_SITE,
    submit: bool = True,
) -> list[SentMessage]:
    """/inspect at the site, every item answered (failures with a photo), then the summary (and 提交)."""
    failed = FAILED if failed is None else failed
    skipped = set(not_applicable)
    await harness.send(INSPECTOR, "/inspect", first_name=INSPECTOR_NAME)
    await harness.send_location(INSPECTOR, *location)
    sent = await harness.press(INSPECTOR, SITE_NAME)
    for position in range(ITEMS):
        if position in failed:
            await harness.press(INSPECTOR, "不合格")
            await harness.send_photo(INSPECTOR, caption=failed[position])
            sent = await harness.press(INSPECTOR, texts.NEXT_BUTTON)
        elif position in skipped:
            sent = await harness.press(INSPECTOR, "不适用")
        else:
            sent = await harness.press(INSPECTOR, "合格")
    if submit:
        sent = await harness.press(INSPECTOR, texts.SUBMIT_BUTTON)
    return sent


async def tasks_of(harness: ChatHarness) -> list[RectificationTask]:
    async with harness.application.bot_data.sessions() as session:
        return list(await session.scalars(select(RectificationTask).order_by(RectificationTask.id)))


async def inspections_of(harness: ChatHarness) -> list[Inspection]:
    async with harness.application.bot_data.sessions() as session:
        return list(await session.scalars(select(Inspection).order_by(Inspection.id)))
