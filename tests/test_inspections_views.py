"""The inspections views alone: every code has wording, cards fit Telegram and name no inspector,
user text is escaped, and the numbers read right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.botapi_rules import check_caption, check_text
from bot.config import SHIPPED_DATA_DIR
from bot.models import InspectionItem, ItemResult, RectificationStatus, RectificationTask
from bot.services import DomainError
from bot.services.inspections import (
    ContentError,
    ContentProblem,
    Deadlines,
    InspectionContent,
    InspectionProblem,
    Place,
    PlaceKind,
    TaskFilter,
    TaskPage,
    load_content,
)
from bot.timeutil import DEFAULT_TZ
from handlers.inspections import cli, list_views, report, task_cards, texts, views
from handlers.kit.errors import error_text

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
LONG = "<b>很长的说明</b>" * 60


@pytest.fixture(scope="module")
def content() -> InspectionContent:
    return load_content(SHIPPED_DATA_DIR)


def _task(status: RectificationStatus = RectificationStatus.PENDING, **fields: object) -> RectificationTask:
    values: dict[str, object] = {
        "id": 7,
        "inspection_id": 3,
        "inspection_item_id": 30,
        "site_id": "AL-001",
        "district": "江岸区",
        "unit_id": "ja-binjiang",
        "item_id": "AL02",
        "negative": True,
        "status": status,
        "round": 0,
        "first_due_at": NOW + timedelta(hours=24),
        "due_at": NOW + timedelta(hours=24),
        "reply_photos": ["after"],
        "reply_note": LONG,
        "replied_at": NOW,
        "replied_on_time": True,
        "return_reason": LONG,
        "passed_at": NOW,
        "checked_at": NOW,
        "escalations": 0,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return RectificationTask(**values)


def _item() -> InspectionItem:
    return InspectionItem(
        id=30,
        inspection_id=3,
        position=1,
        item_id="AL02",
        points=3,
        negative=True,
        unit_id="ja-binjiang",
        result=ItemResult.FAIL,
        note=LONG,
        photos=["before"],
    )


def test_every_code_has_wording() -> None:
    for problem in InspectionProblem:
        worded = error_text(
            DomainError(code=problem, number=3, limit=5, length=9, hours=5, site="X"), texts.ERRORS
        )
        assert worded and "{" not in worded, problem
    for problem in ContentProblem:
        error = ContentError(
            problem,
            "data/sites.yaml",
            Place(PlaceKind.SITE, 2, "X-1"),
            key="k",
            value="v",
            limit=1,
            district="d",
            kind="k",
            item="i",
            error="e",
        )
        line = views.content_error_text(error)
        assert "data/sites.yaml" in line and "X-1" in line and "\n" not in line, problem


@pytest.mark.parametrize("status", list(RectificationStatus))
def test_a_card_fits_a_caption_names_no_inspector_and_escapes(
    content: InspectionContent, status: RectificationStatus
) -> None:
    card = task_cards.task_card(_task(status), _item(), content, DEFAULT_TZ)
    check_caption(card.text, "HTML")  # with the line a rerouted copy carries, still under 1,024
    check_caption(card.text + "\n" + "⚠️" * 100, "HTML")
    assert len(card.text) <= 900 and "<b>很长" not in card.text and "&lt;b&gt;很长" in card.text
    assert texts.STATUS_LABELS[status] in card.text and "负面清单" in card.text
    assert (card.keyboard is not None) is status.is_open
    check = task_cards.check_card(_task(status), _item(), content, DEFAULT_TZ, checker="<老周>")
    check_text(check.text, "HTML")
    assert (check.keyboard is not None) is (status is RectificationStatus.REVIEW)


def test_the_summary_and_the_numbers(content: InspectionContent) -> None:
    assert (
        views.hours_text(24) == "24 小时"
        and views.hours_text(72) == "3 天"
        and views.hours_text(168) == "7 天"
    )
    assert views.distance_text(12.4) == "12 米" and views.distance_text(1540) == "1.5 公里"
    assert views.score_text(None) == texts.NO_VALUE and views.score_text(92.0) == "92"
    assert views.percent_text(0.5) == "50%"


def test_the_list_view_fits_and_its_buttons_are_short(content: InspectionContent) -> None:
    tasks = [_task(id=n) for n in range(1, 9)]
    page = TaskPage(tasks, 30, TaskFilter(RectificationStatus.PENDING, "ja-binjiang", "江岸区", True))
    view = list_views.list_view(
        page, content, number=1, size=8, staff=True, now=NOW + timedelta(days=3), tz=DEFAULT_TZ
    )
    check_text(view.text, "HTML")
    assert "第 2/4 页" in view.text and "（已超期）" in view.text
    assert view.keyboard is not None
    data = [b.callback_data for row in view.keyboard.inline_keyboard for b in row]
    assert all(isinstance(d, str) and len(d.encode()) <= 64 for d in data)
    unit_view = list_views.list_view(page, content, number=0, size=8, staff=False, now=NOW, tz=DEFAULT_TZ)
    assert "（江岸区滨江社区）" in unit_view.text and texts.FILTER_UNIT not in str(unit_view.keyboard)


def test_the_report_sections_have_their_titles_even_when_empty(content: InspectionContent) -> None:
    from bot.services.inspections import PeriodFigures

    section = report.inspections_view(PeriodFigures(), PeriodFigures(), content)
    assert section.key == "inspections" and section.chart is None and len(section.tables) == 4
    board = report.board_view([], [], [], {}, {}, content)
    assert board.highlights == [
        texts.REPORT_BOARD_RED_LINE.format(names=texts.REPORT_BOARD_NONE),
        texts.REPORT_BOARD_BLACK_LINE.format(names=texts.REPORT_BOARD_NONE),
    ]


def test_check_report_counts_the_shipped_content(content: InspectionContent) -> None:
    lines = cli.check_report(content)
    assert "12 类点位" in lines[0] and f"{content.standards.item_count} 个检查项" in lines[0]
    assert len(lines) == 1 + 12


def test_the_summary_lists_failures_with_units_and_deadlines(content: InspectionContent) -> None:
    from bot.models import Inspection
    from bot.services.inspections import Walk

    inspection = Inspection(
        id=3, site_id="AL-001", site_type="alley", distance_m=42.0, location_mismatch=False
    )
    items = [
        _item(),
        InspectionItem(
            position=0,
            item_id="AL01",
            points=2,
            negative=False,
            unit_id="shizheng",
            result=ItemResult.PASS,
            photos=[],
        ),
    ]
    view = views.summary_view(Walk(inspection, items), content, Deadlines(24, 72))
    check_text(view.text, "HTML")
    assert "江岸区滨江社区，24 小时内整改" in view.text and "得分 <b>97</b>" in view.text
    assert "距点位 42 米" in view.text
