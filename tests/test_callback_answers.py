"""One answerCallbackQuery per button press (issue 17: 168 answers for about 90 presses).

Telegram accepts one answer per press; a second is refused. The emulator's call log over whole flows
— a complaint filed, handled through the queue and the card, rated; a stale button; a resident
pressing a staff button; subscriptions toggled — must show each press answered exactly once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.harness import ChatHarness
from handlers.common import texts as common_texts
from handlers.tickets import texts as ticket_texts
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.owed import settled


def record_presses(harness: ChatHarness) -> list[str]:
    """The ids of every press the emulator makes from here on."""
    pressed: list[str] = []
    make = harness.emulator.callback_update

    def recorded(*args: Any, **kwargs: Any) -> dict[str, Any]:
        update = make(*args, **kwargs)
        pressed.append(str(update["callback_query"]["id"]))
        return update

    harness.emulator.callback_update = recorded  # type: ignore[method-assign]
    return pressed


def answer_counts(harness: ChatHarness) -> Counter[str]:
    return Counter(
        str(params["callback_query_id"])
        for method, params in harness.emulator.calls
        if method == "answerCallbackQuery"
    )


async def test_each_press_is_answered_exactly_once_over_whole_flows(harness: ChatHarness) -> None:
    pressed = record_presses(harness)
    await harness.send(RESIDENT_ID, "/complain")
    await harness.send(RESIDENT_ID, "小区门口有人乱扔垃圾，垃圾成堆没人管")
    await harness.send(RESIDENT_ID, ticket_texts.SKIP)
    (summary,) = await harness.press(RESIDENT_ID, ticket_texts.NAMED)
    (menu,) = await harness.press(RESIDENT_ID, ticket_texts.OTHER_CATEGORY, summary)
    (summary,) = await harness.press(RESIDENT_ID, "市容环境卫生", menu)
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM, summary)
    await harness.press(RESIDENT_ID, ticket_texts.CONFIRM, summary)  # pressed again: stale
    await settled(harness)

    (queue,) = await harness.send(ADMIN_ID, "/complaints")
    await harness.press(ADMIN_ID, ticket_texts.FILTER_TRIAGE, queue)
    await harness.press(ADMIN_ID, ticket_texts.FILTER_OPEN)
    shown = await harness.press(ADMIN_ID, "处理")
    card = next(m for m in shown if m.buttons())
    await harness.press(RESIDENT_ID, "受理", card)  # a resident pressing a staff button: refused
    await harness.press(ADMIN_ID, "受理", card)
    await settled(harness)
    await harness.press(ADMIN_ID, "办结", card)
    await harness.send(ADMIN_ID, "垃圾已清运")
    await settled(harness)
    resolved = harness.emulator.last_to(RESIDENT_ID)
    await harness.press(RESIDENT_ID, "5分", resolved)
    await harness.press(RESIDENT_ID, "3分", resolved)  # already rated

    (topics,) = await harness.send(RESIDENT_ID, "/subscribe")
    await harness.press(RESIDENT_ID, common_texts.TOPIC_NAMES["notices"], topics)
    await harness.press_data(RESIDENT_ID, "forged:data:1", topics)

    answers = answer_counts(harness)
    assert len(pressed) >= 14
    assert {query: answers[query] for query in pressed} == dict.fromkeys(pressed, 1)
    assert sum(answers.values()) == len(pressed)
