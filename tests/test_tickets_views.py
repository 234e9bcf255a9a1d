"""The tickets feature's views and buttons on their own: no Application, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.models import Ticket, TicketAction, TicketEvent, TicketStatus
from bot.services import DomainError
from bot.services.classifier import TRIAGE_ID, Category, Classification, ComplaintClassifier, Department
from bot.services.tickets import Assessment, Filed, TicketProblem
from handlers.kit.callbacks import CALLBACK_DATA_LIMIT
from handlers.kit.errors import KIT_ERRORS, error_text
from handlers.kit.replies import View
from handlers.tickets import list_views, reporter_views, texts, views
from handlers.tickets.callbacks import (
    BUTTONS,
    CategoryButton,
    QueueCategoryButton,
    ReassignButton,
    TriageButton,
    find_ref,
    ref,
)

TZ = ZoneInfo("Asia/Shanghai")
CREATED = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
NOISE_LABEL = "噪音扰民"  # a learned file's category id: its label
LONG_ID = "municipal_facilities_and_public_lighting_x"  # longer than a button holds


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    departments = [
        Department("wenmingban", "市文明办", None),
        Department("huanwei", "市环境卫生管理处", -100200),
        Department("chengguan", "市城市管理<综合执法>局", None),
    ]
    categories = [
        Category("sanitation", "市容环境卫生", "huanwei", 48),
        Category(NOISE_LABEL, NOISE_LABEL, "chengguan", 24),
        Category(LONG_ID, "市政设施", "chengguan", 72),
    ]
    return ComplaintClassifier(categories, departments, triage_department="wenmingban")


def ticket(**fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "id": 7,
        "number": "TS-20261127-0001",
        "reporter_id": 100001,
        "anonymous": False,
        "text": "小区门口<乱扔垃圾> & 成堆",
        "photo_file_ids": ["p1", "p2"],
        "address": None,
        "latitude": None,
        "longitude": None,
        "category_id": "sanitation",
        "department_id": "huanwei",
        "confidence": 0.8765,
        "keywords": ["乱扔垃圾", "垃圾<堆>"],
        "urgent": False,
        "urgent_kinds": [],
        "status": TicketStatus.RECEIVED,
        "time_limit_hours": 48.0,
        "created_at": CREATED,
        "due_at": CREATED + timedelta(hours=48),
        "rating": None,
        "reopen_count": 0,
    }
    values.update(fields)
    return Ticket(**values)


def labels(view: View) -> list[list[str]]:
    assert view.keyboard is not None
    return [[button.text for button in row] for row in view.keyboard.inline_keyboard]


def data(view: View) -> list[str]:
    assert view.keyboard is not None
    return [str(button.callback_data) for row in view.keyboard.inline_keyboard for button in row]


# ---------------------------------------------------------------- buttons
def test_ids_that_fit_a_button_name_themselves_and_others_a_digest(classifier: ComplaintClassifier) -> None:
    assert ref("sanitation") == "sanitation"
    assert CategoryButton(category=ref("sanitation")).data == "tkc:pick:sanitation"  # as before
    assert ReassignButton(ticket=7, department=ref("chengguan")).data == "tk:to:7:chengguan"
    for identifier in (NOISE_LABEL, LONG_ID):
        digest = ref(identifier)
        assert digest != identifier and digest.startswith("h-")
        assert find_ref(digest, classifier.categories) == identifier
        for button in (
            CategoryButton(category=digest),
            TriageButton(ticket=2**31 - 1, category=digest),
            QueueCategoryButton(category=digest),
        ):
            assert len(button.data.encode()) <= CALLBACK_DATA_LIMIT
            assert type(button).parse(button.data) == button
    assert find_ref("nowhere", classifier.categories) is None
    assert ref("h-0123456789abcdef") != "h-0123456789abcdef"  # an id shaped like a digest is digested


def test_every_kind_round_trips_and_staff_kinds_are_the_departments() -> None:
    for kind in BUTTONS:
        example = kind.example()
        assert kind.parse(example.data) == example
    staff = {kind.prefix for kind in BUTTONS if kind.staff}
    assert staff == {
        "tk:acc",
        "tk:fwd",
        "tk:to",
        "tk:tri",
        "tk:cat",
        "tk:res",
        "tk:rej",
        "tk:dup",
        "tk:q",
        "tk:q:menu",
        "tk:q:status",
        "tk:q:cat",
        "tk:q:dept",
        "tk:view",
    }


# ---------------------------------------------------------------- filing
def test_identity_and_location_keyboards() -> None:
    identity = views.identity_view()
    assert identity.text == texts.ASK_IDENTITY
    assert data(identity) == ["tkc:anon:0", "tkc:anon:1"]
    keyboard = views.location_keyboard()
    assert keyboard.keyboard[0][0].request_location and keyboard.keyboard[1][0].text == texts.SKIP
    assert views.location_prompt(forwarded=True).startswith(texts.FORWARDED + "\n")
    assert views.location_prompt(forwarded=False) == texts.ASK_LOCATION


def test_summary_escapes_the_text_and_says_how_it_was_sorted(classifier: ComplaintClassifier) -> None:
    result = Classification(
        category_id="sanitation",
        category_name="市容环境卫生",
        department="huanwei",
        department_name="市环境卫生管理处",
        confidence=0.9,
        urgent=True,
        urgent_kinds=("火灾", "人员受伤"),
        keywords=("乱扔垃圾", "<b>"),
        time_limit_hours=2,
        scores={"sanitation": 3.0},
    )
    assessment = Assessment(result, NOISE_LABEL, chosen=True, department_id="chengguan", hours=2.0)
    place = views.place_text("人民路<1号>", 30.27411, 120.15512)
    view = views.summary_view(
        classifier,
        assessment,
        text="<script>x</script>",
        place=place,
        anonymous=True,
        filing_key="0123abcd4567ef89",
    )
    assert "&lt;script&gt;x&lt;/script&gt;" in view.text and "<script>" not in view.text
    link = "https://uri.amap.com/marker?position=120.155120,30.274110&amp;coordinate=wgs84"
    assert f'人民路&lt;1号&gt; <a href="{link}&amp;name=' in view.text and "📍 在地图上查看</a>" in view.text
    assert NOISE_LABEL + texts.USER_CHOSEN in view.text and texts.ANONYMOUS in view.text
    assert "市城市管理&lt;综合执法&gt;局" in view.text and "乱扔垃圾、&lt;b&gt;" in view.text
    assert "办理时限：2 小时" in view.text and "紧急事项（火灾、人员受伤）" in view.text
    assert data(view) == ["tkc:ok:0123abcd4567ef89", "tkc:other"]


def test_place_and_due_read_as_before() -> None:
    assert views.place_text(None, None, None) == texts.NO_PLACE
    assert views.place_text("", 30.0, None) == texts.NO_PLACE  # half a location is none
    assert views.due_text(ticket(), TZ) == "2026-11-29 10:00（48 小时）"
    assert views.due_text(ticket(due_at=None), TZ) == texts.NO_DUE
    assert views.due_text(ticket(time_limit_hours=1.5), TZ).endswith("（1.5 小时）")


def test_category_menu_lists_every_category_two_to_a_row(classifier: ComplaintClassifier) -> None:
    view = views.category_menu_view(classifier)
    assert labels(view) == [["市容环境卫生", NOISE_LABEL], ["市政设施"]]
    assert data(view)[0] == "tkc:pick:sanitation"


def test_filed_text_names_the_department_or_the_original(classifier: ComplaintClassifier) -> None:
    new = ticket(department_id="chengguan", time_limit_hours=24.0)
    assert "已转交市城市管理&lt;综合执法&gt;局办理，时限 24 小时" in views.filed_text(classifier, Filed(new))
    original = ticket(number="TS-20261127-0000")
    merged = views.filed_text(classifier, Filed(ticket(status=TicketStatus.DUPLICATE), original))
    assert "TS-20261127-0000" in merged and "已合并" in merged


# ---------------------------------------------------------------- the card
def test_card_shows_the_reporter_as_allowed(classifier: ComplaintClassifier) -> None:
    named = views.card_text(classifier, ticket(), "王<阿姨>", TZ)
    assert "举报人：王&lt;阿姨&gt;" in named and "（待受理）" in named and "置信度 0.88" in named
    assert "小区门口&lt;乱扔垃圾&gt; &amp; 成堆" in named and "照片：2 张" in named
    assert "关键词：乱扔垃圾、垃圾&lt;堆&gt;" in named
    assert "举报人：匿名" in views.card_text(classifier, ticket(anonymous=True), "王阿姨", TZ)
    assert "举报人：已匿名" in views.card_text(classifier, ticket(), None, TZ)
    forgotten = ticket(reporter_id=None, anonymous=True)  # how /forget leaves a named report
    assert "举报人：已匿名" in views.card_text(classifier, forgotten, None, TZ)
    urgent = views.card_text(classifier, ticket(urgent=True, urgent_kinds=["火灾"]), None, TZ)
    assert urgent.startswith("🚨 <b>紧急</b>（火灾）\n")


def test_card_buttons_follow_the_status() -> None:
    received = views.card_view(ComplaintClassifier([], [Department("x", "x", None)]), ticket(), None, TZ)
    assert labels(received) == [["受理", "转派"], ["办结", "驳回", "重复"]]
    assert data(received) == ["tk:acc:7", "tk:fwd:7", "tk:res:7", "tk:rej:7", "tk:dup:7"]
    accepted = views.card_keyboard(ticket(status=TicketStatus.ACCEPTED))
    assert accepted is not None and [b.text for b in accepted.inline_keyboard[0]] == ["转派"]
    triage = views.card_keyboard(ticket(category_id=TRIAGE_ID))
    assert triage is not None and triage.inline_keyboard[-1][0].text == "分拣：待分拣"
    assert triage.inline_keyboard[-1][0].callback_data == "tk:tri:7"
    for closed in (TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.REJECTED, TicketStatus.DUPLICATE):
        assert views.card_keyboard(ticket(status=closed)) is None


def test_reassign_and_triage_menus(classifier: ComplaintClassifier) -> None:
    reassign = views.reassign_menu_view(classifier, ticket())
    assert "工单 TS-20261127-0001" in reassign.text
    assert labels(reassign) == [["市文明办", "市城市管理<综合执法>局"]]  # not its own department
    assert data(reassign) == ["tk:to:7:wenmingban", "tk:to:7:chengguan"]
    triage = views.triage_menu_view(classifier, ticket())
    assert data(triage)[0] == "tk:cat:7:sanitation" and data(triage)[1] == f"tk:cat:7:{ref(NOISE_LABEL)}"


def test_staff_texts() -> None:
    prompt = views.note_prompt(texts.ASK_REJECT_REASON, "TS-1", 900, "李<四>")
    assert prompt.startswith('<a href="tg://user?id=900">李&lt;四&gt;</a> 请回复驳回工单 TS-1 的理由')
    assert views.note_prompt(texts.ASK_ORIGINAL, "TS-1", None, "").startswith("请回复原工单编号")
    assert (
        views.staff_done_text("TS-1", texts.DONE_DUPLICATE, 900, "李<四>")
        == "工单 TS-1 已标记重复（李&lt;四&gt;）。"
    )
    assert views.staff_done_text("TS-1", texts.DONE_DUPLICATE, 900, None) == "工单 TS-1 已标记重复（900）。"
    assert views.done_toast(texts.BUTTON_ACCEPT, "TS-1") == "已受理：TS-1"


def test_reassigned_and_triaged_texts(classifier: ComplaintClassifier) -> None:
    moved = ticket(department_id="chengguan")
    assert views.reassigned_text(classifier, moved, 900, "王五") == (
        "工单 TS-20261127-0001 已转派至市城市管理&lt;综合执法&gt;局（王五）。"
    )
    triaged = views.triaged_text(classifier, ticket(category_id=NOISE_LABEL), 900, "王五")
    assert "已分拣为噪音扰民（王五）" in triaged
    notice = reporter_views.triaged_notice(
        classifier, ticket(category_id=NOISE_LABEL, department_id="chengguan")
    )
    assert "「噪音扰民」" in notice and "市城市管理&lt;综合执法&gt;局" in notice


# ---------------------------------------------------------------- the reporter
def test_resolved_notice_offers_ratings_and_reopening() -> None:
    view = reporter_views.resolved_notice(ticket(), "已清运<完毕>")
    assert "已清运&lt;完毕&gt;" in view.text and "7 天内" in view.text
    assert labels(view) == [
        ["⭐ 1分", "⭐⭐ 2分", "⭐⭐⭐ 3分"],
        ["⭐⭐⭐⭐ 4分", "⭐⭐⭐⭐⭐ 5分"],
        [texts.REOPEN_BUTTON],
    ]
    assert data(view)[4] == "tk:rate:7:5" and data(view)[5] == "tk:reopen:7"


def test_outcome_notices_escape_notes() -> None:
    assert "理由：不属&lt;实&gt;" in reporter_views.rejected_notice(ticket(), "不属<实>")
    linked = reporter_views.linked_outcome_notice(ticket(status=TicketStatus.RESOLVED), "a<b")
    assert "办理结果：已办结" in linked and "说明：a&lt;b" in linked
    original = ticket(number="TS-20261127-0009")
    assert "与工单 TS-20261127-0009 为同一问题" in reporter_views.duplicate_notice(ticket(), original)
    assert (
        reporter_views.rated_text(ticket(rating=4))
        == "感谢您的评价（4 分）！投诉 <b>TS-20261127-0001</b> 已关闭。"
    )


def test_my_tickets_and_detail(classifier: ComplaintClassifier) -> None:
    assert list_views.my_tickets_text(classifier, [], TZ) == texts.MINE_EMPTY
    mine = list_views.my_tickets_text(
        classifier, [ticket(), ticket(number="TS-2", status=TicketStatus.CLOSED)], TZ
    )
    assert mine.splitlines()[0] == "<b>我的投诉</b>（最近 2 件）"
    assert mine.splitlines()[1] == "TS-20261127-0001　待受理　市容环境卫生　11-27 10:00"
    assert "已关闭" in mine and mine.endswith(texts.MINE_FOOTER)
    events = [
        TicketEvent(kind="created", created_at=CREATED),
        TicketEvent(kind="duplicate_linked", created_at=CREATED),  # not for people
        TicketEvent(kind=TicketAction.REJECT.value, note="不<属实>", created_at=CREATED + timedelta(hours=1)),
    ]
    rejected = ticket(status=TicketStatus.REJECTED, rating=None)
    detail = list_views.detail_view(classifier, rejected, events, TZ, handles=True)
    assert detail.text.endswith("<b>办理记录</b>\n11-27 10:00 提交\n11-27 11:00 驳回：不&lt;属实&gt;")
    assert detail.keyboard is None  # closed: nothing to press
    open_one = list_views.detail_view(classifier, ticket(rating=5), [], TZ, handles=True)
    assert open_one.keyboard is not None and "满意度：5 分" in open_one.text
    assert list_views.detail_view(classifier, ticket(), [], TZ, handles=False).keyboard is None


# ---------------------------------------------------------------- the staff queue
def test_queue_marks_overdue_and_offers_a_button_for_the_first_ten(classifier: ComplaintClassifier) -> None:
    now = CREATED + timedelta(hours=50)
    shown = [ticket(id=i, number=f"TS-20261127-{i:04d}") for i in range(1, 13)]
    shown[1] = ticket(id=2, number="TS-20261127-0002", due_at=now + timedelta(hours=1))
    view = list_views.queue_view(classifier, shown, 30, "待<办>", TZ, now)
    lines = view.text.splitlines()
    assert lines[0] == "<b>投诉工单</b>（待&lt;办&gt;，共 30 件，仅显示前 12 件）"
    assert lines[1].startswith("🔴TS-20261127-0001　待受理　市容环境卫生　市环境卫生管理处　到期 11-29 10:00")
    assert lines[2].startswith("TS-20261127-0002")  # not due yet
    rows = labels(view)
    assert rows[:2] == [["待办", "待分拣", "已超时"], ["按状态", "按分类", "按部门"]]
    assert rows[2:] == [[f"处理 TS-20261127-{i:04d}"] for i in range(1, 11)]
    assert data(view)[:6] == [
        "tk:q:open",
        "tk:q:triage",
        "tk:q:overdue",
        "tk:q:menu:status",
        "tk:q:menu:cat",
        "tk:q:menu:dept",
    ]
    assert data(view)[6] == "tk:view:1"
    empty = list_views.queue_view(classifier, [], 0, "待办", TZ, now)
    assert empty.text == "<b>投诉工单</b>（待办，共 0 件）\n" + texts.QUEUE_EMPTY and len(labels(empty)) == 2


def test_queue_filter_values(classifier: ComplaintClassifier) -> None:
    statuses = list_views.queue_pick_view(classifier, "status")
    assert statuses.text == texts.QUEUE_PICK
    assert data(statuses) == [f"tk:q:status:{s.value}" for s in TicketStatus]
    assert [label for row in labels(statuses) for label in row] == list(texts.STATUS_NAMES.values())
    assert data(list_views.queue_pick_view(classifier, "cat"))[0] == "tk:q:cat:sanitation"
    assert data(list_views.queue_pick_view(classifier, "dept")) == [
        "tk:q:dept:wenmingban",
        "tk:q:dept:huanwei",
        "tk:q:dept:chengguan",
    ]


# ---------------------------------------------------------------- time limits
def test_warning_and_escalation(classifier: ComplaintClassifier) -> None:
    now = CREATED + timedelta(hours=36)
    assert (
        views.warning_text(ticket(), TZ, now)
        == "⏰ 工单 TS-20261127-0001 将于 2026-11-29 10:00 到期（时限 48 小时），请抓紧办理。"
    )
    escalation = views.escalation_text(classifier, ticket(status=TicketStatus.ACCEPTED), TZ, now)
    assert "（市容环境卫生，市环境卫生管理处）" in escalation and "状态「办理中」" in escalation


# ---------------------------------------------------------------- refusals
PARAMS: dict[str, Any] = {"length": 1200, "limit": 1000, "days": 7, "number": "TS-20261127-0001"}


@pytest.mark.parametrize("problem", list(TicketProblem))
def test_every_refusal_has_wording(problem: TicketProblem) -> None:
    params = dict(PARAMS)
    if problem is TicketProblem.WRONG_STATUS:
        params.update(status=TicketStatus.ACCEPTED, action=TicketAction.ACCEPT)
    rendered = error_text(DomainError(code=problem, **params), {**KIT_ERRORS, **texts.ERRORS})
    assert rendered and "{" not in rendered


def test_a_wrong_status_names_the_status_and_the_action() -> None:
    error = DomainError(
        code=TicketProblem.WRONG_STATUS,
        number="TS-20261127-0001",
        status=TicketStatus.REJECTED,
        action=TicketAction.RESOLVE,
    )
    assert error_text(error, texts.ERRORS) == "工单 TS-20261127-0001 当前状态为「已驳回」，不能办结。"
    assert "1200 字" in error_text(DomainError(code=TicketProblem.TEXT_TOO_LONG, **PARAMS), texts.ERRORS)
