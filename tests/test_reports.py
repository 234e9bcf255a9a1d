"""The report engine: periods, SQL medians, sections, the three renderers, /report, schedule, CLI."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import handlers
from bot import cli
from bot.clock import ShiftedClock
from bot.harness import ChatHarness
from bot.models import AuditEntry, ScheduledTask, TaskStatus
from bot.services import reports
from bot.services.reports import Period, PeriodError, PeriodKind
from bot.services.reports.core import hours_between, median_by_group
from bot.services.reports.schedule import TASK_KIND, due_at, schedule_upcoming, task_key
from bot.timeutil import DEFAULT_TZ
from handlers.kit import texts as kit_texts
from handlers.kit.errors import error_text
from handlers.staff import texts as staff_texts
from handlers.staff.periods import parse_period
from handlers.staff.rendering import render_png, render_text, render_xlsx
from handlers.staff.views import period_label
from tests.conftest import ADMIN_ID, RESIDENT_ID
from tests.support.owed import settled

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _late_november(clock: ShiftedClock) -> None:
    """These tests read October's and November's reports, so they run on NOW."""
    clock.set(NOW)


MONTH = PeriodKind.MONTH
QUARTER = PeriodKind.QUARTER


def test_periods_bounds_shift_and_labels() -> None:
    november = Period(MONTH, 2026, 11)
    assert november.start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    assert november.end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert november.previous().key == "2026-10" and november.next().next().key == "2027-01"
    q1 = Period(QUARTER, 2027, 1)
    assert q1.previous().key == "2026-Q4" and period_label(q1) == "2027年第1季度"
    assert q1.local_end == datetime(2027, 4, 1, tzinfo=DEFAULT_TZ)
    assert Period.last_complete(MONTH, NOW).key == "2026-10"
    assert Period.last_complete(QUARTER, NOW).key == "2026-Q3"
    # 2026-12-31 17:00 UTC is already January 1st in Shanghai
    assert Period.containing(MONTH, datetime(2026, 12, 31, 17, tzinfo=UTC)).key == "2027-01"


def test_period_keys_read_back_and_nothing_else() -> None:
    assert Period.from_key(MONTH, "2026-11") == Period(MONTH, 2026, 11)
    assert Period.from_key(QUARTER, "2026-Q4") == Period(QUARTER, 2026, 4)
    for kind, key in [(MONTH, "2026-13"), (MONTH, "2026-Q4"), (QUARTER, "2026-11"), (MONTH, "2026年11月")]:
        with pytest.raises(ValueError):
            Period.from_key(kind, key)


@pytest.mark.parametrize(
    ("kind", "text", "key"),
    [
        (MONTH, "2026-11", "2026-11"),
        (MONTH, "2026年3月", "2026-03"),
        (MONTH, "2026/1", "2026-01"),
        (QUARTER, "2026-Q3", "2026-Q3"),
        (QUARTER, "2026q2", "2026-Q2"),
        (QUARTER, "2026年第三季度", "2026-Q3"),
        (MONTH, None, "2026-10"),
        (QUARTER, "", "2026-Q3"),
    ],
)
def test_parse_period(kind: PeriodKind, text: str | None, key: str) -> None:
    assert parse_period(kind, text, NOW, DEFAULT_TZ).key == key


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (MONTH, "2026-13", "看不懂"),
        (MONTH, "2026-Q4", "看不懂"),
        (QUARTER, "2026-Q5", "看不懂"),
        (MONTH, "2027-01", "还没有开始"),
    ],
)
def test_parse_period_rejects(kind: PeriodKind, text: str, message: str) -> None:
    with pytest.raises(PeriodError) as refused:
        parse_period(kind, text, NOW, DEFAULT_TZ)
    assert message in error_text(refused.value, staff_texts.ERRORS)


async def test_median_by_group_in_sql(session) -> None:
    """Even group → mean of the two middle values; odd group → the middle one; on both databases."""
    base = datetime(2026, 11, 1, tzinfo=UTC)
    for kind, hours in {"even": [1, 2, 3, 10], "odd": [9, 1, 5], "one": [7]}.items():
        for n, h in enumerate(hours):
            session.add(
                ScheduledTask(key=f"{kind}{n}", kind=kind, due_at=base + timedelta(hours=h), created_at=base)
            )
    await session.flush()
    value = hours_between(session, ScheduledTask.created_at, ScheduledTask.due_at)
    rows = await session.execute(median_by_group(ScheduledTask.kind, value))
    medians = {kind: round(float(m), 6) for kind, m in rows.all()}
    assert medians == {"even": 2.5, "odd": 5.0, "one": 7.0}


async def add_audit(session, when: datetime, action: str, actor: int | None = 1) -> None:
    await session.flush()
    session.add(AuditEntry(actor_id=actor, action=action, target="x", details={}, created_at=when))


async def test_staff_activity_section_counts_this_and_previous_period(session) -> None:
    november = Period(MONTH, 2026, 11)
    inside = november.start + timedelta(days=3)
    for _ in range(3):
        await add_audit(session, inside, "role.grant", actor=1)
    await add_audit(session, inside, "report.view", actor=2)
    await add_audit(session, november.start - timedelta(seconds=1), "role.grant", actor=1)  # October
    await add_audit(session, november.end, "role.grant", actor=1)  # December: not counted
    await session.flush()
    report = await reports.build_report(
        session, november, handlers.report_sections(), only=["staff_activity"]
    )
    (section,) = report.sections
    assert [(m.current, m.previous) for m in section.metrics] == [(4, 1), (2, 1)]
    rows = {row[1]: row[2:] for row in section.tables[0].rows}
    assert rows == {"role.grant": [3, 1, 1], "report.view": [1, 0, 1]}


def sample_report() -> reports.Report:
    section = reports.ReportSection(
        key="demo",
        title="投诉办理",
        metrics=[
            reports.Metric("受理投诉", 120, 100),
            reports.Metric("按时办结率", 0.9, 0.8, reports.Unit.PERCENT),
            reports.Metric("办理时长中位数", 20.0, 30.0, reports.Unit.HOURS, reports.Better.LOWER),
        ],
        tables=[
            reports.Table(
                "按部门",
                ["部门", "受理", "按时办结率"],
                [["市城管局", 80, 0.9]],
                [None, None, reports.Unit.PERCENT],
            )
        ],  # type: ignore[list-item]
        chart=reports.Chart("各部门受理量", ["市城管局", "市环卫处"], {"本期": [80, 40], "上期": [70, 30]}),
        highlights=["红榜：市城管局", "黑榜：<市环卫处>"],
    )
    return reports.Report(Period(MONTH, 2026, 10), NOW, [section, reports.ReportSection("empty", "志愿服务")])


def test_text_summary_compares_with_previous_period() -> None:
    text = render_text(sample_report())
    assert "创文月度督查报告（2026年10月）" in text and "对比：2026年9月" in text
    assert "受理投诉：<b>120</b>（上期 100，+20，+20% 👍）" in text
    assert "按时办结率：<b>90.0%</b>（上期 80.0%，+10.0个百分点 👍）" in text
    assert "办理时长中位数：<b>20.0小时</b>（上期 30.0小时，-10.0小时 👍）" in text
    assert "黑榜：&lt;市环卫处&gt;" in text
    assert "<b>二、志愿服务</b>\n" + staff_texts.REPORT_SECTION_EMPTY in text


def test_png_chart_renders_chinese_without_missing_glyphs() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from bot.fonts import use_cjk_font_in_matplotlib

    font = FT2Font(font_manager.findfont(use_cjk_font_in_matplotlib()))
    for char in "创文月度督查报告各部门受理量本期上期市城管局环卫处红黑榜":
        assert font.get_char_index(ord(char)) != 0, char
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        png = render_png(sample_report())
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_xlsx_has_one_sheet_per_section() -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(render_xlsx(sample_report())))
    assert workbook.sheetnames == ["投诉办理", "志愿服务"]
    values = [[c for c in row if c is not None] for row in workbook["投诉办理"].iter_rows(values_only=True)]
    assert ["受理投诉", 120, 100, 20] in values
    assert ["市城管局", 80, 0.9] in values
    assert workbook["投诉办理"]["A1"].value == "投诉办理"


async def test_report_command_sends_text_chart_and_workbook(harness: ChatHarness, sessions) -> None:
    sent = await harness.send(ADMIN_ID, "/report month 2026-10")
    assert [m.method for m in sent] == ["sendMessage", "sendMessage", "sendPhoto", "sendDocument"]
    assert "创文月度督查报告（2026年10月）" in sent[1].text
    assert sent[3].document_name == "chuangwen-report-2026-10.xlsx" and sent[3].document_bytes[:2] == b"PK"
    photo = sent[2].params["photo"]
    assert photo[1][:4] == b"\x89PNG"
    async with sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "report.view"))
    assert entry is not None and entry.actor_id == ADMIN_ID and entry.target == "2026-10"

    (pick,) = await harness.send(ADMIN_ID, "/report")
    assert len(pick.buttons()) == 2
    sent = await harness.press(ADMIN_ID, "季报")
    assert [m.method for m in sent][-2:] == ["sendPhoto", "sendDocument"]
    for bad, expected in [
        ("/report week", "用法"),
        ("/report month 2099-01", "还没有开始"),
        ("/report month x y z", "用法"),
    ]:
        (reply,) = await harness.send(ADMIN_ID, bad)
        assert expected in reply.text


async def test_schedule_sends_once_and_chains_the_next_period(harness: ChatHarness, sessions) -> None:
    async with sessions() as session, session.begin():
        keys = set(
            (await session.scalars(select(ScheduledTask.key).where(ScheduledTask.kind == TASK_KIND))).all()
        )
    # The startup hook stored the next month and quarter reports, none already due.
    month = Period.last_complete(MONTH)
    assert task_key(month) in keys or task_key(month.next()) in keys
    async with sessions() as session, session.begin():
        await session.execute(ScheduledTask.__table__.delete())
        assert {p.key for p in await schedule_upcoming(session, NOW)} == {"2026-11", "2026-Q4"}
        assert await schedule_upcoming(session, NOW) == []  # idempotent
        task = await session.scalar(select(ScheduledTask).where(ScheduledTask.key == "report:month:2026-11"))
        assert task is not None and task.due_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 local
    assert due_at(Period(QUARTER, 2026, 4)) == datetime(2027, 1, 1, 9, tzinfo=DEFAULT_TZ).astimezone(UTC)

    runner = harness.application.bot_data.tasks
    harness.new_messages()
    assert await runner.run_due(sessions, datetime(2026, 12, 1, 1, 0, 1, tzinfo=UTC)) == 1
    # The summary is owed (the outbox sends it); the chart and the workbook follow directly.
    sent = await settled(harness)
    assert sorted((m.chat_id, m.method) for m in sent) == [
        (ADMIN_ID, "sendDocument"),
        (ADMIN_ID, "sendMessage"),
        (ADMIN_ID, "sendPhoto"),
    ]
    (summary,) = [m for m in sent if m.method == "sendMessage"]
    assert "2026年11月" in summary.text and "/report month 2026-11" in summary.text
    assert await runner.run_due(sessions, datetime(2026, 12, 1, 2, tzinfo=UTC)) == 0  # fired once
    async with sessions() as session:
        tasks = {t.key: t.status for t in (await session.scalars(select(ScheduledTask))).all()}
    assert tasks["report:month:2026-11"] is TaskStatus.DONE
    assert tasks["report:month:2026-12"] is TaskStatus.PENDING  # the handler chained the next one
    assert tasks["report:quarter:2026-Q4"] is TaskStatus.PENDING


async def test_scheduled_report_goes_to_the_staff_chat_when_configured(
    settings, engine, sessions, clock
) -> None:
    chat = ChatHarness(settings.model_copy(update={"staff_chat_id": -100500}), clock=clock)
    await chat.start()
    try:
        async with sessions() as session, session.begin():
            await schedule_upcoming(session, NOW)
        await chat.application.bot_data.tasks.run_due(sessions, datetime(2027, 1, 1, 2, tzinfo=UTC))
        targets = {(m.chat_id, m.method) for m in await settled(chat)}
        assert targets == {(-100500, "sendMessage"), (-100500, "sendPhoto"), (-100500, "sendDocument")}
    finally:
        await chat.stop()


async def test_resident_gets_no_report(harness: ChatHarness) -> None:
    (reply,) = await harness.send(RESIDENT_ID, "/report month 2026-10")
    assert reply.text == kit_texts.NOT_ALLOWED


def test_cli_writes_png_and_xlsx(database_url: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert cli.main(["report", "month", "2026-10", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "chuangwen-report-2026-10.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "chuangwen-report-2026-10.xlsx").read_bytes()[:2] == b"PK"
    assert cli.main(["report", "quarter", "2026-Q9", "--out", str(tmp_path)]) == 2


async def test_local_times_are_stored_as_the_same_instant(session) -> None:
    """AwareDateTime converts to UTC before storing (SQLite keeps no offset)."""
    local_nine = datetime(2026, 12, 1, 9, 0, tzinfo=DEFAULT_TZ)
    session.add(ScheduledTask(key="tz", kind="tz", due_at=local_nine))
    await session.commit()
    session.expire_all()
    stored = await session.scalar(select(ScheduledTask.due_at).where(ScheduledTask.key == "tz"))
    assert stored == local_nine and stored.utcoffset() == timedelta(0)
