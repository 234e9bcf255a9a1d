"""Telling people and groups: the same rules for every feature when a message cannot be delivered."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.botapi_emulator import BotApiError
from bot.harness import ChatHarness
from bot.models import User
from bot.services.users import ensure_user
from handlers.kit import notify
from tests.conftest import ADMIN_ID

PERSON = 100301
GROUP = -1002000


async def unreachable_since(sessions: async_sessionmaker[AsyncSession], user_id: int) -> object:
    async with sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user.unreachable_since


@pytest.fixture
async def person(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session, session.begin():
        await ensure_user(session, PERSON)
    return PERSON


async def test_a_person_and_a_group_get_text_buttons_and_photos(harness: ChatHarness, person: int) -> None:
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="conv:quiz")]])
    app = harness.application
    assert await notify.tell(app, notify.Person(person), "<b>您好</b>", buttons=buttons) == 1
    message = harness.emulator.last_to(person)
    assert message.text == "<b>您好</b>" and message.buttons()[0]["callback_data"] == "conv:quiz"
    assert await notify.tell(app, [notify.Group(GROUP), notify.Person(person)], "说明", photo="file-1") == 2
    photo = harness.emulator.last_to(GROUP)
    assert photo.method == "sendPhoto" and photo.caption == "说明"


async def test_blocked_or_vanished_people_are_marked_unreachable(
    harness: ChatHarness,
    person: int,
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    harness.emulator.blocked_chats.add(person)
    assert await notify.tell(harness.application, notify.Person(person), "通知") == 0
    assert await unreachable_since(sessions, person) is not None
    assert all(str(person) not in record.getMessage() for record in caplog.records)  # no personal data

    harness.emulator.blocked_chats.clear()
    async with sessions() as session, session.begin():
        user = await session.get(User, person)
        assert user is not None
        user.unreachable_since = None
    harness.emulator.fail_next.append(BotApiError(400, "Bad Request: chat not found"))
    assert await notify.tell(harness.application, notify.people([person]), "通知") == 0
    assert await unreachable_since(sessions, person) is not None


async def test_other_failures_are_logged_and_change_nothing(
    harness: ChatHarness,
    person: int,
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness.emulator.fail_next.append(BotApiError(400, "Bad Request: message is too long"))
    harness.emulator.blocked_chats.add(GROUP)
    sent = await notify.tell(harness.application, [notify.Person(person), notify.Group(GROUP)], "通知")
    assert sent == 0
    assert await unreachable_since(sessions, person) is None  # a bad request is not a blocked bot
    messages = [record.getMessage() for record in caplog.records if record.name == "handlers.kit.notify"]
    assert any(str(GROUP) in m for m in messages) and all(str(person) not in m for m in messages)


async def test_campaign_staff_is_the_staff_chat_or_every_admin(harness: ChatHarness) -> None:
    settings = harness.application.bot_data.settings
    assert notify.chat_ids(settings, [notify.STAFF]) == [ADMIN_ID]
    with_chat = settings.model_copy(update={"staff_chat_id": GROUP})
    assert notify.chat_ids(with_chat, [notify.STAFF, notify.Group(GROUP), notify.Person(ADMIN_ID)]) == [
        GROUP,
        ADMIN_ID,
    ]  # each chat once, in order
    assert await notify.tell(harness.application, [notify.STAFF, notify.Person(ADMIN_ID)], "提醒") == 1
