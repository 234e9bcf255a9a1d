"""What the staff feature shows: pure functions from roles, audit entries and reports to text.

Nothing here talks to Telegram or the database, so every view is unit-tested on its own
(tests/test_staff_views.py). User-supplied text (names, audit targets) is escaped here, once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.models import AuditEntry, Role
from bot.services.reports import Better, Metric, Period, PeriodKind, Report, ReportSection, Table
from bot.services.reports.core import table_chart
from bot.services.staff import AuditFilter, AuditPage, Grant, StaffActivity, StaffMember
from bot.timeutil import format_local
from handlers.kit.paging import fitting, shorten
from handlers.kit.replies import View, escape, inline_keyboard
from handlers.staff import texts
from handlers.staff.callbacks import AuditPageButton, ReportButton

AUDIT_DETAILS_CHARS = 120
AUDIT_NAME_CHARS = 32  # of a display name (up to 128), and of an entry's target (up to 128)
AUDIT_TARGET_CHARS = 64
ACTIVITY_CHART_ROWS = 8


# ---------------------------------------------------------------- roles
def role_label(role: Role) -> str:
    return texts.ROLE_LABELS[role]


def department_suffix(department: str | None, departments: Mapping[str, str]) -> str:
    """ "（市城管局）" after a role, or nothing when the role has no department."""
    if not department:
        return ""
    return texts.GRANT_DEPARTMENT.format(department=escape(departments.get(department, department)))


def department_list(departments: Mapping[str, str]) -> str:
    """The departments a handler may belong to, for the /grant errors (plain text)."""
    return texts.DEPARTMENT_SEPARATOR.join(
        texts.DEPARTMENT_CHOICE.format(key=key, name=name) for key, name in departments.items()
    )


def grant_text(grant: Grant, departments: Mapping[str, str]) -> str:
    template = texts.GRANTED if grant.changed else texts.GRANTED_UNCHANGED
    return template.format(
        user_id=grant.user_id,
        role=role_label(grant.role),
        department=department_suffix(grant.department, departments),
    )


def revoke_text(grant: Grant) -> str:
    previous = role_label(grant.previous_role) if grant.previous_role else ""
    return texts.REVOKED.format(user_id=grant.user_id, role=previous)


def staff_list_text(members: Sequence[StaffMember], departments: Mapping[str, str]) -> str:
    """/staff: who holds which role (configured admins marked)."""
    if not members:
        return texts.LIST_EMPTY
    lines = [texts.LIST_HEADER.format(count=len(members))]
    for member in members:
        username = texts.USERNAME.format(username=member.username) if member.username else texts.UNNAMED
        lines.append(
            texts.LIST_LINE.format(
                name=escape(member.display_name or username),
                user_id=member.user_id,
                role=role_label(member.role),
                department=department_suffix(member.department, departments),
                source=texts.LIST_FROM_CONFIG if member.from_config else "",
            )
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- the audit log
def audit_view(
    page: AuditPage, filters: AuditFilter, names: Mapping[int, str], query: int, tz: ZoneInfo
) -> View:
    """One page of the audit log, newest first, with 较新 / 更早 buttons."""
    if not page.entries:
        return View(texts.AUDIT_EMPTY)
    described = []
    if filters.actor_id is not None:
        described.append(texts.AUDIT_FILTER_WHO.format(value=filters.actor_id))
    if filters.action:
        described.append(texts.AUDIT_FILTER_WHAT.format(value=escape(filters.action)))
    if filters.since is not None:
        described.append(texts.AUDIT_FILTER_SINCE.format(value=format_local(filters.since, tz, "%Y-%m-%d")))
    shown = texts.AUDIT_FILTERS.format(filters=texts.AUDIT_FILTER_SEPARATOR.join(described))

    def header(last: int) -> str:
        return texts.AUDIT_HEADER.format(
            first=page.offset + 1, last=last, total=page.total, filters=shown if described else ""
        )

    # As many entries as fit one message (it is edited in place by the buttons); the next page
    # starts after the last one shown.
    lines = [audit_line(entry, names, tz) for entry in page.entries]
    count = fitting(lines, header=header(page.offset + len(lines)))
    older = page.offset + count if page.offset + count < page.total else None
    buttons = []
    if page.newer_offset is not None:
        buttons.append((texts.AUDIT_NEWER, AuditPageButton(query=query, offset=page.newer_offset).data))
    if older is not None:
        buttons.append((texts.AUDIT_OLDER, AuditPageButton(query=query, offset=older).data))
    text = "\n".join([header(page.offset + count), *lines[:count]])
    return View(text, inline_keyboard([buttons]) if buttons else None)


def audit_line(entry: AuditEntry, names: Mapping[int, str], tz: ZoneInfo) -> str:
    if entry.actor_id is None:
        actor = texts.AUDIT_SYSTEM_ACTOR
    else:
        name = escape(shorten(names.get(entry.actor_id, ""), AUDIT_NAME_CHARS))
        actor = texts.AUDIT_ACTOR.format(name=name, user_id=entry.actor_id).lstrip()
    details = ", ".join(f"{k}={v}" for k, v in (entry.details or {}).items() if v not in (None, ""))
    return texts.AUDIT_LINE.format(
        time=format_local(entry.created_at, tz, "%m-%d %H:%M"),
        actor=actor,
        action=escape(action_name(entry.action)),
        target=escape(shorten(entry.target, AUDIT_TARGET_CHARS)),
        details=texts.AUDIT_DETAILS.format(details=escape(details[:AUDIT_DETAILS_CHARS])) if details else "",
    )


def action_name(action: str) -> str:
    return texts.AUDIT_ACTION_NAMES.get(action, action)


# ---------------------------------------------------------------- the report
def period_label(period: Period) -> str:
    """2026年11月, 2026年第4季度."""
    template = texts.REPORT_MONTH_LABEL if period.kind is PeriodKind.MONTH else texts.REPORT_QUARTER_LABEL
    return template.format(year=period.year, number=period.number)


def report_title(report: Report) -> str:
    kind = texts.REPORT_KIND_NAMES[report.period.kind.value]
    return texts.REPORT_TITLE.format(kind=kind, period=period_label(report.period))


def report_pick_view(month: Period, quarter: Period) -> View:
    """A bare /report: the last complete month and quarter as buttons."""
    rows = [
        [(texts.REPORT_PICK_MONTH.format(period=period_label(month)), _report_button(month))],
        [(texts.REPORT_PICK_QUARTER.format(period=period_label(quarter)), _report_button(quarter))],
    ]
    return View(texts.REPORT_PICK, inline_keyboard(rows))


def _report_button(period: Period) -> str:
    return ReportButton(kind=period.kind.value, period=period.key).data


def generating_text(period: Period) -> str:
    return texts.REPORT_GENERATING.format(period=period_label(period))


def scheduled_summary(summary: str, period: Period) -> str:
    """A scheduled report's summary, with how to get its chart and workbook again."""
    return summary + "\n" + texts.REPORT_SCHEDULED_AGAIN.format(kind=period.kind.value, key=period.key)


def photo_caption(title: str) -> str:
    return texts.REPORT_PHOTO_CAPTION.format(title=title)


def workbook_caption(title: str) -> str:
    return texts.REPORT_XLSX_CAPTION.format(title=title)


def staff_activity_section(activity: StaffActivity) -> ReportSection:
    """The report's staff section: actions this period and last, and how many staff acted."""
    rows: list[list[Any]] = [
        [
            action_name(action),
            action,
            activity.now(action).entries,
            activity.before(action).entries,
            activity.now(action).staff,
        ]
        for action in activity.actions
    ]
    metrics = [
        Metric(texts.REPORT_STAFF_ACTIONS, activity.entries, activity.entries_before, better=Better.NEUTRAL),
        Metric(
            texts.REPORT_STAFF_ACTIVE,
            activity.active_staff,
            activity.active_staff_before,
            better=Better.NEUTRAL,
        ),
    ]
    series = {texts.REPORT_THIS_PERIOD: 2, texts.REPORT_LAST_PERIOD: 3}
    return ReportSection(
        key="staff_activity",
        title=texts.REPORT_STAFF_TITLE,
        metrics=metrics,
        tables=[Table(texts.REPORT_STAFF_TABLE, texts.REPORT_STAFF_COLUMNS, rows)],
        chart=table_chart(texts.REPORT_STAFF_TITLE, rows, series, limit=ACTIVITY_CHART_ROWS),
    )
