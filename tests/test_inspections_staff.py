"""The office's side of inspections through the real Application: granting inspectors and a
community's handlers, /help, /rectifications with its filters, /inspections, /mydata and /forget,
the supervision report, and `chuangwen inspections check|export`."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

import handlers
from bot import texts as common_texts
from bot.cli import main
from bot.config import Settings
from bot.harness import ChatHarness
from bot.models import User
from bot.services import reports
from bot.services.reports import Period, PeriodKind
from handlers.inspections import texts
from handlers.staff.rendering import render_all
from tests.conftest import ADMIN_ID, PINNED_INSTANT
from tests.support.inspections import (
    INSPECTOR,
    INSPECTOR_NAME,
    STAFF_CHAT,
    UNIT_HANDLER,
    city_data,
    inspections_of,
    make_people,
    settled,
    tasks_of,
    walk_site,
)

COMMUNITY_HANDLER = 500010


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={"staff_chat_id": STAFF_CHAT, "data_dir": city_data(tmp_path), "flood_max_messages": 100_000}
    )


async def test_admins_grant_inspectors_and_community_handlers(harness: ChatHarness) -> None:
    (granted,) = await harness.send(ADMIN_ID, f"/grant {INSPECTOR} 督查员")
    assert "督查员" in granted.text
    (granted,) = await harness.send(ADMIN_ID, f"/grant {COMMUNITY_HANDLER} handler ja-binjiang")
    assert "江岸区滨江社区" in granted.text
    (listing,) = await harness.send(ADMIN_ID, "/staff")
    assert "督查员" in listing.text and "江岸区滨江社区" in listing.text
    (help_text,) = await harness.send(INSPECTOR, "/help")
    assert "/inspect" in help_text.text and "/rectifications" not in help_text.text
    (help_text,) = await harness.send(COMMUNITY_HANDLER, "/help")
    assert "/rectifications" in help_text.text and "/inspect " not in help_text.text
    (revoked,) = await harness.send(ADMIN_ID, f"/revoke {INSPECTOR}")
    assert "已撤销" in revoked.text
    (refused,) = await harness.send(INSPECTOR, "/inspect")
    assert refused.text == common_texts.NOT_ALLOWED


async def test_staff_filter_the_rectifications_and_see_the_month(harness: ChatHarness) -> None:
    await make_people(harness)
    await walk_site(harness)
    await settled(harness)
    first, second = await tasks_of(harness)
    (listing,) = await harness.send(ADMIN_ID, "/rectifications")
    assert f"#{first.id}" in listing.text and f"#{second.id}" in listing.text and "共 2 项" in listing.text
    await harness.press(ADMIN_ID, texts.FILTER_UNIT, listing)
    units = harness.latest_with_buttons(ADMIN_ID)
    assert [b["text"] for b in units.buttons()] == ["江岸区滨江社区"]
    (filtered,) = await harness.press(ADMIN_ID, "江岸区滨江社区", units)
    assert "共 2 项" in filtered.text and "江岸区滨江社区" in filtered.text
    (passed,) = await harness.press(ADMIN_ID, "✅已通过", filtered)
    assert "共 0 项" in passed.text and texts.LIST_EMPTY in passed.text
    (overdue,) = await harness.press(ADMIN_ID, texts.FILTER_OVERDUE, passed)
    assert "共 0 项" in overdue.text
    await harness.press(ADMIN_ID, texts.FILTER_DISTRICT, overdue)
    districts = harness.latest_with_buttons(ADMIN_ID)
    (by_district,) = await harness.press(ADMIN_ID, "江汉区", districts)
    assert "共 0 项" in by_district.text and "江汉区" in by_district.text
    (month,) = await harness.send(ADMIN_ID, "/inspections")
    assert "检查 1 次" in month.text and "平均得分 95" in month.text and "黎黄陂路支巷" in month.text
    assert "整改任务 2 项" in month.text
    (refused,) = await harness.send(UNIT_HANDLER, "/inspections")
    assert refused.text == common_texts.NOT_ALLOWED


async def test_mydata_and_forget_cover_the_inspector(harness: ChatHarness) -> None:
    await make_people(harness)
    await walk_site(harness, failed={})
    (document,) = [m for m in await harness.send(INSPECTOR, "/mydata") if m.document_bytes]
    exported = json.loads(document.document_bytes or b"{}")
    assert [i["score"] for i in exported["inspections"]["inspections"]] == [100]
    await harness.send(INSPECTOR, "/forget")
    await harness.press(INSPECTOR, "确认")
    (inspection,) = await inspections_of(harness)
    assert inspection.inspector_id is None and inspection.score == 100
    async with harness.application.bot_data.sessions() as session:
        assert await session.get(User, INSPECTOR) is None


async def test_the_report_has_the_inspection_sections(harness: ChatHarness) -> None:
    await make_people(harness)
    await walk_site(harness)
    month = Period.containing(PeriodKind.MONTH, PINNED_INSTANT)
    async with harness.application.bot_data.sessions() as session:
        report = await reports.build_report(
            session, month, handlers.report_sections(), env=reports.ReportEnv(harness.settings.data_dir)
        )
    keys = [s.key for s in report.sections]
    assert keys.index("inspections") == keys.index("honor_board") + 1
    assert keys.index("inspection_board") == keys.index("inspections") + 1
    rendered = render_all(report)
    assert texts.REPORT_TITLE in rendered.text and texts.REPORT_BOARD_RED_LINE.split("：")[0] in rendered.text
    assert len(rendered.text) <= 4096 and rendered.png.startswith(b"\x89PNG")
    workbook = load_workbook(io.BytesIO(rendered.xlsx))
    assert texts.REPORT_TITLE in workbook.sheetnames and texts.REPORT_BOARD_TITLE in workbook.sheetnames
    assert INSPECTOR_NAME not in rendered.text


def test_check_validates_a_city_s_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = city_data(tmp_path)
    assert main(["inspections", "check", str(data)]) == 0
    out = capsys.readouterr().out
    assert "12 类点位" in out and "（其中 2 个已配置工作群）" in out and "农贸市场：12 项" in out
    (data / "sites.yaml").write_text(
        (data / "sites.yaml").read_text(encoding="utf-8").replace("unit: chengguan", "unit: nobody", 1),
        encoding="utf-8",
    )
    assert main(["inspections", "check", str(data)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "sites.yaml" in err and "nobody" in err


async def test_export_writes_the_month(
    harness: ChatHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await make_people(harness)
    await walk_site(harness)
    monkeypatch.setenv("DATABASE_URL", harness.settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(harness.settings.data_dir))
    month = Period.containing(PeriodKind.MONTH, PINNED_INSTANT).key
    out = tmp_path / "out"
    # The command runs its own event loop, as in a shell: in a thread beside the test's.
    assert await asyncio.to_thread(main, ["inspections", "export", month, "--out", str(out)]) == 0
    assert "1 次检查、2 项整改任务" in capsys.readouterr().out
    workbook = load_workbook(out / f"inspections-{month}.xlsx")
    assert workbook.sheetnames == [
        texts.EXPORT_SHEET_INSPECTIONS,
        texts.EXPORT_SHEET_ITEMS,
        texts.EXPORT_SHEET_TASKS,
    ]
    inspections = list(workbook[texts.EXPORT_SHEET_INSPECTIONS].values)
    assert inspections[0] == tuple(texts.EXPORT_INSPECTION_COLUMNS) and inspections[1][3] == "黎黄陂路支巷"
    items = list(workbook[texts.EXPORT_SHEET_ITEMS].values)
    assert len(items) == 1 + 12 and sum(1 for row in items if row[6] == "不合格") == 2
    assert any(str(row[9]).startswith("photo-") for row in items[1:])  # photos by reference
    tasks = list(workbook[texts.EXPORT_SHEET_TASKS].values)
    assert len(tasks) == 1 + 2 and tasks[1][4] == "江岸区滨江社区"
    assert await asyncio.to_thread(main, ["inspections", "export", "2026-13", "--out", str(out)]) == 2
    assert "2026-13" in capsys.readouterr().out
