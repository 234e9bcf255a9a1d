"""The conversation factory: persistent and re-enterable, /cancel, re-asking, DomainErrors that stay."""

from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any, TypedDict

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot import texts
from bot.app import BotContext
from bot.harness import ChatHarness
from bot.services import DomainError
from handlers.common import texts as common_texts
from handlers.kit import texts as kit_texts
from handlers.kit.conversation import (
    ANSWER_TEXT,
    END,
    NOT_TEXT,
    Draft,
    conversation,
    reask,
)
from handlers.kit.errors import CATALOGUE_KEY
from tests.conftest import RESIDENT_ID

WAITING = 1


class Note(TypedDict):
    words: list[str]


NOTE = Draft("test_note", lambda: Note(words=[]))
cleaned: list[int] = []


async def start(update: Update, context: BotContext) -> int:
    NOTE.start(context)
    await context.bot.send_message(RESIDENT_ID, "请说")
    return WAITING


async def receive(update: Update, context: BotContext) -> int:
    text = update.effective_message.text if update.effective_message else ""
    if text == "不好":
        raise DomainError(code="test.refused", word=text)
    NOTE.get(context)["words"].append(text or "")
    await context.bot.send_message(RESIDENT_ID, "好的：" + " ".join(NOTE.get(context)["words"]))
    return END


def test_the_factory_builds_a_persistent_reenterable_conversation_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the per_message warning would fail here
        built = conversation(
            "test_note",
            entry_points=[CommandHandler("note", start)],
            states={WAITING: [MessageHandler(ANSWER_TEXT, receive)]},
        )
    assert built.persistent and built.allow_reentry and built.name == "test_note"
    assert any(isinstance(h, CommandHandler) and "cancel" in h.commands for h in built.fallbacks)


async def test_reask_a_step_error_and_cancel(harness: ChatHarness) -> None:
    built = conversation(
        "test_note",
        entry_points=[CommandHandler("note", start)],
        states={WAITING: [MessageHandler(ANSWER_TEXT, receive), MessageHandler(NOT_TEXT, reask("请发文字"))]},
        cleanup=lambda context: cleaned.append(1) or NOTE.drop(context),  # type: ignore[func-returns-value]
    )
    application = harness.application
    application.handlers[0].insert(0, built)  # ahead of the features, as a feature's would be
    application.bot_data.resources[CATALOGUE_KEY]["test.refused"] = "「{word}」不行，请重说"

    assert [m.text for m in await harness.send(RESIDENT_ID, "/note")] == ["请说"]
    assert [m.text for m in await harness.send_sticker(RESIDENT_ID)] == ["请发文字"]  # stays
    assert [m.text for m in await harness.send(RESIDENT_ID, "不好")] == ["「不好」不行，请重说"]  # stays
    assert [m.text for m in await harness.send(RESIDENT_ID, "很好")] == ["好的：很好"]
    assert (await harness.send(RESIDENT_ID, "很好"))[0].text == common_texts.UNKNOWN_TEXT  # it ended

    await harness.send(RESIDENT_ID, "/note")
    (cancelled,) = await harness.send(RESIDENT_ID, "/cancel")
    assert cancelled.text == texts.CANCELLED and cleaned == [1]
    assert NOTE.peek(SimpleNamespace(user_data=application.user_data[RESIDENT_ID])) is None  # type: ignore[arg-type]

    await harness.send(RESIDENT_ID, "/note")
    (menu,) = await harness.send(RESIDENT_ID, kit_texts.MENU_SUBSCRIBE)  # a menu button leaves
    assert menu.text.startswith(common_texts.SUBSCRIBE_PROMPT)
    assert (await harness.send(RESIDENT_ID, "很好"))[0].text == common_texts.UNKNOWN_TEXT


def test_drafts_are_typed_slots_in_user_data() -> None:
    context: Any = SimpleNamespace(user_data={})
    assert NOTE.peek(context) is None
    NOTE.get(context)["words"].append("一")
    assert context.user_data == {"test_note": {"words": ["一"]}}
    assert NOTE.start(context) == {"words": []}  # a fresh draft replaces the old one
    NOTE.drop(context)
    assert context.user_data == {}


# ---------------------------------------------------------------- a sub-flow as a child conversation
FIXING, BACK = 2, 3


async def fix_start(update: Update, context: BotContext) -> int:
    await context.bot.send_message(RESIDENT_ID, "改成什么")
    return FIXING


async def fixed(update: Update, context: BotContext) -> int:
    NOTE.get(context)["words"].append(
        "改:" + (update.effective_message.text or "" if update.effective_message else "")
    )
    await context.bot.send_message(RESIDENT_ID, "改好了")
    return BACK


def nested() -> Any:
    child = conversation(
        "test_note_fix",
        entry_points=[MessageHandler(filters.Text(["改"]), fix_start)],
        states={FIXING: [MessageHandler(ANSWER_TEXT, fixed)]},
        map_to_parent={BACK: WAITING, END: END},
    )
    return conversation(
        "test_note",
        entry_points=[CommandHandler("note", start)],
        states={WAITING: [child, MessageHandler(ANSWER_TEXT, receive)]},
    )


async def test_a_child_conversation_returns_to_its_parent_and_ends_with_it(harness: ChatHarness) -> None:
    harness.application.handlers[0].insert(0, nested())

    await harness.send(RESIDENT_ID, "/note")
    assert [m.text for m in await harness.send(RESIDENT_ID, "改")] == ["改成什么"]
    assert [m.text for m in await harness.send(RESIDENT_ID, "新")] == ["改好了"]
    assert [m.text for m in await harness.send(RESIDENT_ID, "很好")] == [
        "好的：改:新 很好"
    ]  # the parent's step

    # A menu button in the middle of the sub-flow ends both: the child's step does not linger.
    await harness.send(RESIDENT_ID, "/note")
    await harness.send(RESIDENT_ID, "改")
    await harness.send(RESIDENT_ID, kit_texts.MENU_SUBSCRIBE)
    await harness.send(RESIDENT_ID, "/note")
    assert [m.text for m in await harness.send(RESIDENT_ID, "旧")] == ["好的：旧"]

    # /cancel inside the sub-flow ends the parent too (END is mapped to the parent's END).
    await harness.send(RESIDENT_ID, "/note")
    await harness.send(RESIDENT_ID, "改")
    assert [m.text for m in await harness.send(RESIDENT_ID, "/cancel")] == [texts.CANCELLED]
    assert (await harness.send(RESIDENT_ID, "很好"))[0].text == common_texts.UNKNOWN_TEXT
