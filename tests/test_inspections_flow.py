"""Inspections through the real Application, the outbox's sender and the scheduler: the full loop of
issue 18, anonymity towards the units, refusals for other units, and bad input."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import handlers
from bot import texts as common_texts
from bot.clock import SystemClock, process_clock
from bot.config import Settings
from bot.harness import ChatHarness
from bot.models import InspectionItem as ItemRow
from bot.models import (
    InspectionStatus,
    ItemResult,
    RectificationEvent,
    RectificationStatus,
    ScheduledTask,
    TaskStatus,
)
from bot.services import reports
from bot.services.reports import Period, PeriodKind
from handlers.inspections import texts
from handlers.inspections.callbacks import AnswerButton, SubmitButton
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.inspections import (
    AT_SITE,
    FAR_AWAY,
    INSPECTOR,
    INSPECTOR_NAME,
    ITEMS,
    OTHER_HANDLER,
    SITE_NAME,
    STAFF_CHAT,
    UNIT_CHAT,
    UNIT_HANDLER,
    card_of,
    cards_in,
    check_card_of,
    city_data,
    group_photo,
    group_text,
    inspections_of,
    latest_card,
    make_people,
    settled,
    tasks_of,
    walk_site,
)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    # An inspector taps through a checklist quickly: flood control is not what these tests are about.
    return settings.model_copy(
        update={"staff_chat_id": STAFF_CHAT, "data_dir": city_data(tmp_path), "flood_max_messages": 100_000}
    )


async def run_due(harness: ChatHarness) -> int:
    data = harness.application.bot_data
    return await data.tasks.run_due(data.sessions)


def unit_messages(harness: ChatHarness) -> list[str]:
    """Everything the unit was sent: its group and its handler's private chat (every copy, edits too)."""
    return [
        m.body + " " + str(m.reply_markup or "")
        for m in harness.emulator.messages
        if m.chat_id in (UNIT_CHAT, UNIT_HANDLER)
    ]


async def test_the_full_loop_of_an_inspection(harness: ChatHarness, clock: SystemClock) -> None:
    """Two failures → two tasks in the unit's group → one answered on time, one late → one passed,
    one returned → 督办 once → the month's report shows the score, the rank and the rate."""
    await make_people(harness)
    start = clock.now()
    sent = await walk_site(harness)
    assert "得分 <b>95</b>" in sent[-1].text and "2 项整改任务" in sent[-1].text
    (inspection,) = await inspections_of(harness)
    assert inspection.status is InspectionStatus.SUBMITTED and inspection.score == 95
    assert not inspection.location_mismatch and (inspection.distance_m or 0) < 1
    await settled(harness)
    first, second = await tasks_of(harness)
    assert [c.method for c in cards_in(harness, UNIT_CHAT)] == ["sendPhoto", "sendPhoto"]
    assert abs((first.due_at - start) - timedelta(hours=72)) < timedelta(minutes=1)  # not 负面清单

    # The unit answers the first task on time, in its group, by replying with a captioned photo.
    card = card_of(harness, UNIT_CHAT, first.id)
    prompt = await harness.press(UNIT_HANDLER, "整改回复", card)
    assert "force_reply" in str(prompt[-1].reply_markup) and str(UNIT_HANDLER) in prompt[-1].text
    sent = await group_photo(harness, UNIT_CHAT, UNIT_HANDLER, "纸箱已清走，门口已打扫")
    assert "已提交复查" in sent[-1].text and "超过期限" not in sent[-1].text
    await settled(harness)
    check = check_card_of(harness, INSPECTOR, first.id)
    assert "按期" in check.body and "纸箱已清走" in check_card_of(harness, STAFF_CHAT, first.id).body
    answered = latest_card(harness, UNIT_CHAT, first.id)
    assert "等待复查" in answered.body and not answered.buttons()

    # The second is not answered: the 75 % warning, then 督办, each once.
    clock.advance(timedelta(hours=55))
    await run_due(harness)
    await settled(harness)
    warnings = [m for m in harness.emulator.sent_to(UNIT_CHAT) if m.body.startswith("⏰")]
    assert len(warnings) == 1 and f"#{second.id}" in warnings[0].body
    clock.advance(timedelta(hours=18))  # 73 h: past the deadline
    await run_due(harness)
    await settled(harness)
    escalations = [m for m in harness.emulator.sent_to(STAFF_CHAT) if "督办" in m.body]
    assert len(escalations) == 1 and f"#{second.id}" in escalations[0].body
    assert any("已报创文办督办" in m.body for m in harness.emulator.sent_to(UNIT_CHAT))

    # The unit answers it late: photo first, then the note.
    card = card_of(harness, UNIT_CHAT, second.id)
    await harness.press(UNIT_HANDLER, "整改回复", card)
    sent = await group_photo(harness, UNIT_CHAT, UNIT_HANDLER, None)
    assert "请回复文字说明" in sent[-1].text
    sent = await group_text(harness, UNIT_CHAT, UNIT_HANDLER, "小广告已铲除")
    assert "已超过期限" in sent[-1].text
    await settled(harness)

    # The inspector passes the first and returns the second, with a reason and a new deadline.
    await harness.press(INSPECTOR, "复查通过", check_card_of(harness, INSPECTOR, first.id))
    assert harness.new_toasts()[-1] == f"整改任务 #{first.id} 已通过复查。"
    await harness.press(INSPECTOR, "退回", check_card_of(harness, INSPECTOR, second.id))
    await harness.send(INSPECTOR, "墙角还有残留，请彻底清理")
    sent = await harness.press(INSPECTOR, "3 天内")
    assert "已退回" in sent[-1].text
    await settled(harness)
    first, second = await tasks_of(harness)
    assert first.status is RectificationStatus.PASSED and first.replied_on_time
    assert second.status is RectificationStatus.RETURNED and second.replied_on_time is False
    assert second.round == 1 and second.due_at > clock.now() + timedelta(hours=71)
    group = [m.body for m in harness.emulator.sent_to(UNIT_CHAT)]
    assert any("已通过复查" in body and f"#{first.id}" in body for body in group)
    assert any("墙角还有残留" in body for body in group)
    assert card_of(harness, UNIT_CHAT, second.id)  # the card asks for an answer again

    # 督办 of the first round never fires again.
    await run_due(harness)
    await settled(harness)
    assert len([m for m in harness.emulator.sent_to(STAFF_CHAT) if "督办" in m.body]) == 1

    # The month's report: the site's score, the unit's rank, the rectification rate.
    month = Period.containing(PeriodKind.MONTH, clock.now())
    async with harness.application.bot_data.sessions() as session:
        report = await reports.build_report(
            session,
            month,
            handlers.report_sections(),
            env=reports.ReportEnv(harness.settings.data_dir),
            only=["inspections", "inspection_board"],
        )
    section, board = report.sections
    metrics = {m.label: m.current for m in section.metrics}
    assert metrics[texts.REPORT_SCORE] == 95 and metrics[texts.REPORT_INSPECTIONS] == 1
    assert metrics[texts.REPORT_ON_TIME_RATE] == 0.5 and metrics[texts.REPORT_TASKS] == 2
    lowest = section.tables[2].rows
    assert lowest[0][0] == SITE_NAME and lowest[0][3] == 95
    ranked = board.tables[0].rows
    assert ranked[0][1] == "江岸区滨江社区" and ranked[0][0] == 1
    assert ranked[0][3] == pytest.approx((95 + 50) / 2) and ranked[0][5] == 0.5

    # Anonymity: nothing the unit received names or links the inspector.
    seen = unit_messages(harness)
    assert seen and all(INSPECTOR_NAME not in body and str(INSPECTOR) not in body for body in seen)


async def test_a_draft_survives_a_restart_and_resumes(harness: ChatHarness) -> None:
    await make_people(harness)
    await harness.send(INSPECTOR, "/inspect")
    await harness.send_location(INSPECTOR, *AT_SITE)
    await harness.press(INSPECTOR, SITE_NAME)
    await harness.press(INSPECTOR, "合格")
    await harness.press(INSPECTOR, "不合格")
    await harness.stop()
    async with ChatHarness(harness.settings, clock=process_clock()) as restarted:
        # The conversation resumes where it was: the photo of the failed item.
        sent = await restarted.send_photo(INSPECTOR, caption="杂物堆放")
        assert "已收到第 1 张照片" in sent[-1].text
        await restarted.press(INSPECTOR, texts.NEXT_BUTTON)
        # Leaving the conversation and coming back: /inspect offers the draft where it stands.
        await restarted.send(INSPECTOR, "/help")
        (resume,) = await restarted.send(INSPECTOR, "/inspect")
        assert "已完成 2/12 项" in resume.text
        sent = await restarted.press(INSPECTOR, texts.RESUME_BUTTON)
        assert "第 3/12 项" in sent[-1].text
        for _ in range(ITEMS - 2):
            sent = await restarted.press(INSPECTOR, "合格")
        assert "检查小结" in sent[-1].text and "得分 <b>97</b>" in sent[-1].text
        await restarted.press(INSPECTOR, texts.SUBMIT_BUTTON)
        (inspection,) = await inspections_of(restarted)
    assert inspection.status is InspectionStatus.SUBMITTED and inspection.score == 97


async def test_units_never_act_on_other_units_tasks(harness: ChatHarness) -> None:
    await make_people(harness)
    await walk_site(harness)
    await settled(harness)
    first, _ = await tasks_of(harness)
    card = card_of(harness, UNIT_CHAT, first.id)
    for user in (OTHER_HANDLER, RESIDENT_ID, INSPECTOR):
        sent = await harness.press(user, "整改回复", card)
        assert sent == []
    toasts = harness.new_toasts()
    assert toasts[0] == texts.ERRORS["inspections.task_not_yours"]  # another unit's handler
    assert toasts[1] == common_texts.NOT_ALLOWED  # a resident
    assert toasts[2] == common_texts.NOT_ALLOWED  # the inspector is no unit handler
    # The other unit's list and details never show it.
    (listing,) = await harness.send(OTHER_HANDLER, "/rectifications")
    assert f"#{first.id}" not in listing.text and "江汉区花楼街社区" in listing.text
    await harness.press_data(OTHER_HANDLER, f"rect:view:{first.id}", listing)
    assert harness.new_toasts() == [texts.ERRORS["inspections.task_not_found"]]
    # Its own handler sees both, with buttons; no inspector anywhere.
    (own,) = await harness.send(UNIT_HANDLER, "/rectifications")
    assert f"#{first.id}" in own.text and "（江岸区滨江社区）" in own.text
    (detail,) = await harness.press(UNIT_HANDLER, f"#{first.id}", own)
    assert "派发" in detail.text and [b["text"] for b in detail.buttons()] == [texts.REPLY_BUTTON]
    assert all(INSPECTOR_NAME not in body and str(INSPECTOR) not in body for body in unit_messages(harness))
    # Re-checking is for inspectors and staff: a unit's handler cannot pass its own answer.
    await harness.press(UNIT_HANDLER, "整改回复", card)
    await group_photo(harness, UNIT_CHAT, UNIT_HANDLER, "已整改")
    await settled(harness)
    check = check_card_of(harness, STAFF_CHAT, first.id)
    assert await harness.press(UNIT_HANDLER, "复查通过", check) == []
    assert harness.new_toasts()[-1] == common_texts.NOT_ALLOWED
    assert (await tasks_of(harness))[0].status is RectificationStatus.REVIEW


async def test_a_failed_item_needs_a_photo(harness: ChatHarness) -> None:
    await make_people(harness)
    await harness.send(INSPECTOR, "/inspect")
    await harness.send_location(INSPECTOR, *AT_SITE)
    await harness.press(INSPECTOR, SITE_NAME)
    await harness.press(INSPECTOR, "不合格")
    sent = await harness.send(INSPECTOR, "门口很乱")
    assert "还需至少 1 张照片" in sent[-1].text
    (sticker,) = await harness.send_sticker(INSPECTOR)
    assert sticker.text == texts.PHOTO_EXPECTED
    (inspection,) = await inspections_of(harness)
    # 下一项 and 提交 (a forged press) are both refused while the failed item has no photo.
    carrier = harness.latest_with_buttons(INSPECTOR)
    await harness.press_data(INSPECTOR, f"insp:next:{inspection.id}:0", carrier)
    await harness.press_data(INSPECTOR, SubmitButton(inspection=inspection.id).data, carrier)
    assert harness.new_toasts() == [
        texts.ERRORS["inspections.photo_required"].format(number=1),
        texts.ERRORS["inspections.photo_required"].format(number=1),
    ]
    async with harness.application.bot_data.sessions() as session:
        item = await session.scalar(
            select(ItemRow).where(ItemRow.inspection_id == inspection.id).order_by(ItemRow.position)
        )
    assert item is not None and item.result is ItemResult.FAIL and item.note == "门口很乱"
    assert (await inspections_of(harness))[0].status is InspectionStatus.DRAFT


async def test_a_far_location_is_refused_until_the_inspector_decides(harness: ChatHarness) -> None:
    await make_people(harness)
    await harness.send(INSPECTOR, "/inspect")
    await harness.send(INSPECTOR, "黎黄陂")
    await harness.press(INSPECTOR, SITE_NAME)
    sent = await harness.send_location(INSPECTOR, *FAR_AWAY)
    assert any("超出 300 米" in m.text for m in sent)
    (inspection,) = await inspections_of(harness)
    carrier = harness.latest_with_buttons(INSPECTOR)
    answer = AnswerButton(inspection=inspection.id, position=0, result=ItemResult.PASS).data
    await harness.press_data(INSPECTOR, answer, carrier)
    assert harness.new_toasts() == [texts.ERRORS["inspections.not_located"]]
    # Closer, but still far: asked again; then 仍然开始 marks the inspection.
    await harness.send_location(INSPECTOR, AT_SITE[0] + 0.01, AT_SITE[1])
    sent = await harness.press(INSPECTOR, "仍然开始")
    assert "位置不符" in sent[0].text and "第 1/12 项" in sent[-1].text
    (inspection,) = await inspections_of(harness)
    assert inspection.location_mismatch and 1000 < (inspection.distance_m or 0) < 1200


async def test_double_presses_and_a_submitted_inspection_cannot_change(harness: ChatHarness) -> None:
    await make_people(harness)
    await harness.send(INSPECTOR, "/inspect")
    await harness.send_location(INSPECTOR, *AT_SITE)
    await harness.press(INSPECTOR, SITE_NAME)
    prompt = harness.latest_with_buttons(INSPECTOR)
    first = await harness.press(INSPECTOR, "合格", prompt)
    again = await harness.press(INSPECTOR, "合格", prompt)  # a second tap on the same message
    assert "第 2/12 项" in first[-1].text and again == []
    assert harness.new_toasts()[-1] == texts.ALREADY_ANSWERED
    for _ in range(ITEMS - 1):
        await harness.press(INSPECTOR, "合格")
    summary = harness.latest_with_buttons(INSPECTOR)
    await harness.press(INSPECTOR, texts.SUBMIT_BUTTON, summary)
    assert await harness.press(INSPECTOR, texts.SUBMIT_BUTTON, summary) == []
    assert harness.new_toasts()[-1] == texts.ERRORS["inspections.already_submitted"]
    (inspection,) = await inspections_of(harness)
    for result in ItemResult:  # editing any item of it afterwards
        data = AnswerButton(inspection=inspection.id, position=3, result=result).data
        assert await harness.press_data(INSPECTOR, data, summary) == []
        assert harness.new_toasts()[-1] == texts.ERRORS["inspections.already_submitted"]
    assert (await inspections_of(harness))[0].score == 100 and not await tasks_of(harness)
    # Another inspector's draft is not theirs either.
    await harness.send(ADMIN_ID, "/inspect")
    await harness.send_location(ADMIN_ID, *AT_SITE)
    await harness.press(ADMIN_ID, SITE_NAME)
    mine = (await inspections_of(harness))[-1]
    data = AnswerButton(inspection=mine.id, position=0, result=ItemResult.PASS).data
    assert await harness.press_data(INSPECTOR, data, summary) == []
    assert harness.new_toasts()[-1] == texts.ERRORS["inspections.not_yours"]


async def test_stale_recheck_and_reply_buttons(harness: ChatHarness) -> None:
    await make_people(harness)
    await walk_site(harness, failed={1: "杂物"})
    await settled(harness)
    (task,) = await tasks_of(harness)
    card = card_of(harness, UNIT_CHAT, task.id)
    await harness.press(UNIT_HANDLER, "整改回复", card)
    await group_photo(harness, UNIT_CHAT, UNIT_HANDLER, "已清理")
    await settled(harness)
    # Answered: the old 整改回复 button no longer acts.
    assert await harness.press(UNIT_HANDLER, "整改回复", card) == []
    assert "当前状态不能进行此操作" in harness.new_toasts()[-1]
    check = check_card_of(harness, INSPECTOR, task.id)
    await harness.press(INSPECTOR, "退回", check)
    await harness.send(INSPECTOR, "   ")
    assert harness.emulator.last_to(INSPECTOR).text == texts.ERRORS["inspections.reason_empty"]
    await harness.send(INSPECTOR, "没有清理干净")
    deadline = harness.latest_with_buttons(INSPECTOR)
    await harness.press(INSPECTOR, "24 小时内", deadline)
    assert await harness.press(INSPECTOR, "24 小时内", deadline) == []  # a double press
    # Every copy of the round-0 card shows the outcome without buttons; its old buttons are stale.
    await settled(harness)
    for chat in (INSPECTOR, STAFF_CHAT):
        (copy,) = [m for m in harness.emulator.sent_to(chat) if f"待复查：整改任务 #{task.id}" in m.body]
        assert "已退回" in copy.body and "没有清理干净" in copy.body and not copy.buttons()
    async with harness.application.bot_data.sessions() as session:
        returns = await session.scalars(select(RectificationEvent).where(RectificationEvent.kind == "return"))
        assert len(list(returns)) == 1
        pending = await session.scalars(
            select(ScheduledTask.key).where(
                ScheduledTask.status == TaskStatus.PENDING, ScheduledTask.key.startswith("rect-")
            )
        )
        assert sorted(pending) == [f"rect-overdue:{task.id}:1", f"rect-warn:{task.id}:1"]
    stale = f"rect:pass:{task.id}:0"
    assert await harness.press_data(ADMIN_ID, stale, check) == []
    assert harness.new_toasts()[-1] == texts.ERRORS["inspections.task_stale"].format(number=task.id)
    assert (await tasks_of(harness))[0].status is RectificationStatus.RETURNED
