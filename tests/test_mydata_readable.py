"""/mydata reads as Chinese to its owner and stays JSON a program can read (issue 17: the export
showed `street_vending`, `closed`, `true`)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from bot.harness import ChatHarness
from handlers.tickets import texts as ticket_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.owed import settled

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def keys_of(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(key for item in value.values() for key in keys_of(item))]
    if isinstance(value, list):
        return [key for item in value for key in keys_of(item)]
    return []


async def test_mydata_has_chinese_labels_and_values_and_parses(harness: ChatHarness) -> None:
    await harness.send(RESIDENT_ID, "/start")
    await harness.send(RESIDENT_ID, "/subscribe")
    await harness.press(RESIDENT_ID, "每日公约")
    await harness.send(RESIDENT_ID, "/complain")
    await harness.send(RESIDENT_ID, "小区门口天天有人摆摊卖菜，占道经营堵住了路")
    await harness.send(RESIDENT_ID, ticket_texts.SKIP)
    await harness.press(RESIDENT_ID, ticket_texts.ANONYMOUS)
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM)
    await settled(harness)
    card = harness.latest_with_buttons(ADMIN_ID)
    await harness.press(ADMIN_ID, "驳回", card)
    await harness.send(ADMIN_ID, "不属于本部门职责")
    await settled(harness)

    (document,) = await harness.send(RESIDENT_ID, "/mydata")
    exported = json.loads(document.document_bytes or b"{}")  # still JSON
    assert all(CHINESE.search(key) for key in keys_of(exported)), keys_of(exported)
    (ticket,) = exported["投诉举报"]
    assert ticket["分类"] == "占道经营与乱摆乱设" and ticket["状态"] == "已驳回" and ticket["匿名"] == "是"
    assert ticket["部门"] == "市城市管理综合执法局"
    assert exported["订阅"] == ["每日公约"] and exported["基本资料"]["身份"] == "居民"
    created = datetime.fromisoformat(ticket["创建时间"])  # a program can read the times
    assert created.utcoffset() is not None and created.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert {message["状态"] for message in exported["发给您的消息"]} == {"已送达"}
    raw = (document.document_bytes or b"").decode()
    for code in ("street_vending", "chengguan", "rejected", "daily_article", "resident", "true", "ticket."):
        assert code not in raw, code
