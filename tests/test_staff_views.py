"""The staff feature's views on their own: roles, the audit log, the report's pick, labels and section."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import AuditEntry, Role
from bot.services import DomainError
from bot.services.reports import Period, PeriodKind, PeriodProblem, Report
from bot.services.staff import (
    ActionCount,
    AuditFilter,
    AuditFilterProblem,
    AuditPage,
    Grant,
    RoleProblem,
    StaffActivity,
    StaffMember,
)
from bot.timeutil import DEFAULT_TZ
from handlers.kit.errors import error_text
from handlers.staff import texts, views
from handlers.staff.callbacks import AuditPageButton, ReportButton

DEPARTMENTS = {"chengguan": "市城管局", "huanwei": "市环卫处<总>"}
WHEN = datetime(2026, 11, 3, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai


def entry(number: int, actor_id: int | None = 900001, **details: object) -> AuditEntry:
    return AuditEntry(
        actor_id=actor_id, action="role.grant", target=f"T{number}", details=details, created_at=WHEN
    )


def buttons(view: views.View) -> list[tuple[str, str]]:
    assert view.keyboard is not None
    return [(b.text, str(b.callback_data)) for row in view.keyboard.inline_keyboard for b in row]


def test_grant_and_revoke_say_what_changed_with_the_department_escaped() -> None:
    granted = Grant(700, Role.HANDLER, "huanwei", None, None)
    assert views.grant_text(granted, DEPARTMENTS) == (
        "✅ 已将 700 设为「部门处理人」（市环卫处&lt;总&gt;）。对方的命令菜单已更新。"
    )
    same = Grant(700, Role.STAFF, None, Role.STAFF, None)
    assert views.grant_text(same, DEPARTMENTS) == "700 已经是「创文办工作人员」，未做改动。"
    assert views.revoke_text(Grant(700, Role.RESIDENT, None, Role.ADMIN, None)) == (
        "✅ 已撤销 700 的「管理员」角色，对方现为居民。"
    )
    assert views.department_list(DEPARTMENTS) == "chengguan（市城管局）、huanwei（市环卫处<总>）"


def test_staff_list_marks_configured_admins_and_names_the_unnamed() -> None:
    assert views.staff_list_text([], DEPARTMENTS) == texts.LIST_EMPTY
    members = [
        StaffMember(900001, "", None, Role.ADMIN, None, from_config=True),
        StaffMember(701, "", "li", Role.STAFF, None),
        StaffMember(702, "王<阿姨>", None, Role.HANDLER, "chengguan"),
    ]
    lines = views.staff_list_text(members, DEPARTMENTS).splitlines()
    assert lines[0] == "<b>工作人员名单</b>（共 3 人）"
    assert lines[1] == "• （未登记姓名） <code>900001</code> — 管理员（配置）"
    assert lines[2] == "• @li <code>701</code> — 创文办工作人员"
    assert lines[3] == "• 王&lt;阿姨&gt; <code>702</code> — 部门处理人（市城管局）"


def test_audit_page_header_filters_lines_and_paging_buttons() -> None:
    filters = AuditFilter(actor_id=800, action="role", since=datetime(2026, 11, 1, tzinfo=DEFAULT_TZ))
    entries = [entry(1, role="staff", department=None), entry(2, actor_id=None)]
    middle = AuditPage(entries, offset=20, total=45)
    view = views.audit_view(middle, filters, {900001: "张<三>"}, query=3, tz=DEFAULT_TZ)
    lines = view.text.splitlines()
    assert lines[0] == "<b>操作日志</b>　第 21–22 条，共 45 条"
    assert lines[1] == "筛选：操作人 800，操作 role*，自 2026-11-01 起"
    assert lines[2] == "11-03 10:30　张&lt;三&gt; <code>900001</code>　授予角色　T1（role=staff）"
    assert lines[3] == "11-03 10:30　系统　授予角色　T2"
    newer, older = buttons(view)
    assert newer[0] == texts.AUDIT_NEWER and AuditPageButton.parse(newer[1]) == AuditPageButton(
        query=3, offset=0
    )
    assert older[0] == texts.AUDIT_OLDER and AuditPageButton.parse(older[1]) == AuditPageButton(
        query=3, offset=22
    )

    first = views.audit_view(AuditPage(entries, 0, 2), AuditFilter(), {}, query=1, tz=DEFAULT_TZ)
    assert first.keyboard is None and "筛选" not in first.text
    assert views.audit_view(AuditPage([], 0, 0), AuditFilter(), {}, 1, DEFAULT_TZ) == views.View(
        texts.AUDIT_EMPTY
    )


def test_audit_line_cuts_long_details_and_escapes_them() -> None:
    line = views.audit_line(entry(1, actor_id=5, note="<" * 500), {}, DEFAULT_TZ)
    assert line.startswith("11-03 10:30　<code>5</code>　授予角色　T1（note=")
    assert line.count("&lt;") == views.AUDIT_DETAILS_CHARS - len("note=")
    assert views.action_name("ticket.assign") == "其他操作（ticket.assign）"  # no name yet: the code


def test_period_labels_titles_and_the_pick_buttons() -> None:
    october, q3 = Period(PeriodKind.MONTH, 2026, 10), Period(PeriodKind.QUARTER, 2026, 3)
    assert views.period_label(october) == "2026年10月" and views.period_label(q3) == "2026年第3季度"
    report = Report(q3, WHEN, [])
    assert views.report_title(report) == "创文季度通报（2026年第3季度）"
    pick = views.report_pick_view(october, q3)
    assert pick.text == texts.REPORT_PICK
    (month_label, month_data), (quarter_label, quarter_data) = buttons(pick)
    assert month_label == "月报（2026年10月）" and quarter_label == "季报（2026年第3季度）"
    assert ReportButton.parse(month_data) == ReportButton(kind="month", period="2026-10")
    assert ReportButton.parse(quarter_data) == ReportButton(kind="quarter", period="2026-Q3")
    assert views.generating_text(october) == "正在生成2026年10月督查报告，请稍候……"


def test_staff_activity_section_lists_the_busiest_action_first() -> None:
    activity = StaffActivity(
        current={"role.grant": ActionCount(3, 1), "report.view": ActionCount(1, 1)},
        previous={"role.grant": ActionCount(1, 1), "role.revoke": ActionCount(2, 1)},
        active_staff=2,
        active_staff_before=1,
        by_actor={800001: 3, 800002: 1},
        by_actor_before={800001: 3},
        refused=5,
    )
    section = views.staff_activity_section(activity, {800001: "李科长"})
    assert section.key == "staff_activity" and section.title == texts.REPORT_STAFF_TITLE
    assert [(m.label, m.current, m.previous) for m in section.metrics] == [
        (texts.REPORT_STAFF_ACTIONS, 4, 3),
        (texts.REPORT_STAFF_ACTIVE, 2, 1),
        (texts.REPORT_STAFF_REFUSED, 5, 0),
    ]
    assert [list(row) for row in section.tables[0].rows] == [
        ["授予角色", 3, 1, 1],
        ["查看督查报告", 1, 0, 1],
        ["撤销角色", 0, 2, 0],
    ]
    assert [list(row) for row in section.tables[1].rows] == [["李科长", 3, 3], ["未命名（800002）", 1, 0]]

    assert section.chart is not None and section.chart.series == {
        "本期": [3.0, 1.0, 0.0],
        "上期": [1.0, 0.0, 2.0],
    }


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("broadcast.create", "创建通知"),
        ("ticket.accept", "工单受理"),
        ("ticket.resolve", "工单办结"),
        ("nomination.shortlisted", "推荐已入围"),
        ("volunteer.shift.create", "发布志愿活动"),
        ("something.new", "其他操作（something.new）"),
    ],
)
def test_audit_actions_read_in_chinese(code: str, name: str) -> None:
    assert views.action_name(code) == name


PARAMS = {
    "value": "x",
    "departments": "a（甲）",
    "user_id": 7,
    "example": "2026-11",
    "year": 2026,
    "number": 11,
}


@pytest.mark.parametrize("code", [*RoleProblem, *AuditFilterProblem, *PeriodProblem])
def test_every_error_code_has_wording(code: str) -> None:
    assert error_text(DomainError(code=code, **PARAMS), texts.ERRORS)


def test_a_period_not_started_is_named_by_its_label() -> None:
    error = DomainError(code=PeriodProblem.QUARTER_NOT_STARTED, year=2027, number=1)
    assert error_text(error, texts.ERRORS) == "2027年第1季度还没有开始，暂无数据。"
