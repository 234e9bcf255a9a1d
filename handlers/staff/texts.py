"""The staff feature's wording (Simplified Chinese): roles, the audit log and the supervision report.

Templates taking user-supplied text get it escaped by the views. ``ERRORS`` renders the feature's
DomainError codes (plain text: they also become pop-ups).
"""

from __future__ import annotations

from bot.models import Role
from bot.services.reports import PeriodProblem
from bot.services.staff import AuditFilterProblem, RoleProblem
from bot.texts import REPORT_LAST_PERIOD, REPORT_THIS_PERIOD

COMMANDS = {
    "grant": "授予角色：/grant 用户ID 角色 [部门]",
    "revoke": "撤销角色：/revoke 用户ID",
    "staff": "查看工作人员及其角色",
    "audit": "查看操作日志：/audit [用户ID] [操作] [起始日期]",
    "report": "督查报告：/report month|quarter [2026-11|2026-Q4]",
}

# ---------------------------------------------------------------- roles
ROLE_LABELS = {
    Role.RESIDENT: "居民",
    Role.VOLUNTEER: "志愿者",
    Role.HANDLER: "部门处理人",
    Role.STAFF: "创文办工作人员",
    Role.ADMIN: "管理员",
    Role.INSPECTOR: "督查员",
}
# Names an admin may type for each role, Chinese or English (matched lower-cased).
ROLE_WORDS: dict[str, Role] = {
    "resident": Role.RESIDENT,
    "居民": Role.RESIDENT,
    "群众": Role.RESIDENT,
    "volunteer": Role.VOLUNTEER,
    "志愿者": Role.VOLUNTEER,
    "handler": Role.HANDLER,
    "department": Role.HANDLER,
    "部门": Role.HANDLER,
    "部门处理人": Role.HANDLER,
    "处理人": Role.HANDLER,
    "staff": Role.STAFF,
    "工作人员": Role.STAFF,
    "创文办": Role.STAFF,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
    "inspector": Role.INSPECTOR,
    "督查员": Role.INSPECTOR,
    "暗访员": Role.INSPECTOR,
}
GRANT_USAGE = (
    "用法：/grant 用户ID 角色 [部门]\n"
    "角色：staff（工作人员）、handler（部门处理人，须写部门或督查责任单位）、inspector（督查员）、"
    "admin（管理员）、volunteer（志愿者）、resident（居民）\n"
    "例如：/grant 123456789 工作人员\n"
    "　　　/grant 123456789 部门 chengguan"
)
REVOKE_USAGE = "用法：/revoke 用户ID（撤销后该用户恢复为居民）"
GRANTED = "✅ 已将 {user_id} 设为「{role}」{department}。对方的命令菜单已更新。"
GRANTED_UNCHANGED = "{user_id} 已经是「{role}」{department}，未做改动。"
GRANT_DEPARTMENT = "（{department}）"
REVOKED = "✅ 已撤销 {user_id} 的「{role}」角色，对方现为居民。"
DEPARTMENT_CHOICE = "{key}（{name}）"
DEPARTMENT_SEPARATOR = "、"
LIST_HEADER = "<b>工作人员名单</b>（共 {count} 人）"
LIST_LINE = "• {name} <code>{user_id}</code> — {role}{department}{source}"
LIST_FROM_CONFIG = "（配置）"
LIST_EMPTY = "目前没有工作人员。管理员可用 /grant 授予角色。"
UNNAMED = "（未登记姓名）"
USERNAME = "@{username}"

# ---------------------------------------------------------------- the audit log
AUDIT_HEADER = "<b>操作日志</b>　第 {first}–{last} 条，共 {total} 条{filters}"
AUDIT_FILTERS = "\n筛选：{filters}"
AUDIT_FILTER_SEPARATOR = "，"
AUDIT_FILTER_WHO = "操作人 {value}"
AUDIT_FILTER_WHAT = "操作 {value}*"
AUDIT_FILTER_SINCE = "自 {value} 起"
AUDIT_LINE = "{time}　{actor}　{action}　{target}{details}"
AUDIT_ACTOR = "{name} <code>{user_id}</code>"
AUDIT_DETAILS = "（{details}）"
AUDIT_SYSTEM_ACTOR = "系统"
AUDIT_EMPTY = "没有符合条件的操作记录。"
AUDIT_OLDER = "更早 ▶"
AUDIT_NEWER = "◀ 较新"
AUDIT_QUERY_GONE = "这组筛选已过期，请重新发送 /audit。"
AUDIT_ACTION_NAMES = {
    "role.grant": "授予角色",
    "role.revoke": "撤销角色",
    "report.view": "查看督查报告",
    "report.sent": "定时发送督查报告",
    "inspection.submitted": "提交暗访检查",
    "rect.replied": "单位整改回复",
    "rect.passed": "整改复查通过",
    "rect.returned": "整改复查退回",
    "rect.escalated": "整改超期督办",
}
# Reading /audit's filter words: "7天" / "7d" is the last seven days, "今天" / "today" is today.
AUDIT_DAY_UNITS = ("d", "天")
AUDIT_TODAY_WORDS = ("今天", "today")

# ---------------------------------------------------------------- the supervision report
REPORT_USAGE = (
    "用法：/report month [年-月] 或 /report quarter [年-Q季度]\n"
    "例如：/report month 2026-11，/report quarter 2026-Q4；不写时间则为上一个完整的月/季度。"
)
REPORT_PICK = "请选择要查看的督查报告（上一个完整周期）："
REPORT_PICK_MONTH = "月报（{period}）"
REPORT_PICK_QUARTER = "季报（{period}）"
REPORT_BAD_PERIOD = "看不懂时间「{value}」，请写成 {example} 这样。"
REPORT_FUTURE_PERIOD = "{period}还没有开始，暂无数据。"
REPORT_MONTH_LABEL = "{year}年{number}月"
REPORT_QUARTER_LABEL = "{year}年第{number}季度"
REPORT_KIND_NAMES = {"month": "月度督查报告", "quarter": "季度通报"}
REPORT_TITLE = "创文{kind}（{period}）"
REPORT_GENERATING = "正在生成{period}督查报告，请稍候……"
REPORT_PHOTO_CAPTION = "{title} · 图表"
REPORT_XLSX_CAPTION = "{title} · Excel 明细（每个板块一个工作表）"
# Reading the periods people type: "month", "月报" …; 2026-11, 2026年3月; 2026-Q4, 2026年第三季度.
PERIOD_KIND_WORDS = {
    "month": ("month", "m", "月", "月报", "月度"),
    "quarter": ("quarter", "q", "季", "季度", "季报"),
}
MONTH_PATTERN = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?"
QUARTER_PATTERN = r"(\d{4})\s*[-/.年]?\s*(?:q|Q|第)\s*([1-4一二三四])\s*(?:季度?)?"
QUARTER_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4}

CLI_KIND_HELP = "month (月报) or quarter (季报)"  # `chuangwen report --help`

# The renderers: the chat summary, the chart and the workbook.
REPORT_TEXT_PERIOD = "统计周期：{current}；对比：{previous}；生成于 {generated}"
REPORT_TEXT_FOOTER = "详细数据见附件图表与 Excel 表格。"
REPORT_SCHEDULED_AGAIN = "（图表与 Excel 随后发送；如未收到，发送 /report {kind} {key} 可重新获取。）"
REPORT_SECTION_HEADER = "<b>{number}、{title}</b>"
REPORT_SECTION_NUMERALS = "一二三四五六七八九十"
REPORT_SECTION_EMPTY = "• 本期无数据"
REPORT_METRIC_LINE = "• {label}：<b>{value}</b>（{comparison}）"
REPORT_COMPARE = "上期 {previous}"
REPORT_COMPARE_CHANGE = "上期 {previous}，{change}"
REPORT_CHANGE_SHARE = "{change}，{sign}{share}%"
REPORT_NO_CHANGE = "持平"
REPORT_POINTS = "{value}个百分点"
REPORT_HOURS = "{value}小时"
REPORT_CHART_EMPTY = "本期暂无可绘制的数据"
REPORT_TABLE_EMPTY = "本期无数据"
REPORT_XLSX_PERIOD = "统计周期"
REPORT_XLSX_PREVIOUS = "对比周期"
REPORT_XLSX_METRIC_COLUMNS = ["指标", REPORT_THIS_PERIOD, REPORT_LAST_PERIOD, "变化"]

# The report's staff section.
REPORT_STAFF_TITLE = "工作人员操作"
REPORT_STAFF_TABLE = "各类操作次数"
REPORT_STAFF_COLUMNS = ["操作", "代码", "本期次数", "上期次数", "操作人数"]
REPORT_STAFF_ACTIONS = "操作总数"
REPORT_STAFF_ACTIVE = "有操作的工作人员"

# ---------------------------------------------------------------- DomainError codes
ERRORS: dict[str, str] = {
    RoleProblem.BAD_ID: "「{value}」不是有效的 Telegram 用户ID，应为一串数字（可请对方向 @userinfobot 查询）。",
    RoleProblem.UNKNOWN_ROLE: (
        "不认识角色「{value}」。可用：staff/工作人员、handler/部门、inspector/督查员、admin/管理员、"
        "volunteer/志愿者、resident/居民。"
    ),
    RoleProblem.NEEDS_DEPARTMENT: (
        "部门处理人须指定部门，例如 /grant 123456789 部门 chengguan。\n可选部门：{departments}"
    ),
    RoleProblem.UNKNOWN_DEPARTMENT: "没有部门「{value}」。可选部门：{departments}",
    RoleProblem.DEPARTMENT_ONLY_FOR_HANDLER: "只有部门处理人（handler/部门）需要指定部门，其他角色请不要写部门。",
    RoleProblem.CONFIG_ADMIN: (
        "{user_id} 是配置文件（ADMIN_IDS）中的管理员，角色以配置为准，不能在机器人里更改或撤销。"
        "如需调整，请修改配置中的 ADMIN_IDS 后重启机器人。"
    ),
    RoleProblem.NOT_YOURSELF: "不能撤销自己的角色，请由另一位管理员操作。",
    RoleProblem.NOTHING_TO_REVOKE: "{user_id} 目前没有工作人员角色，无需撤销。",
    AuditFilterProblem.BAD_DATE: "日期「{value}」不正确，请写成 2026-11-01 这样。",
    AuditFilterProblem.BAD_FILTER: (
        "看不懂筛选条件「{value}」。用法：/audit [用户ID] [操作] [起始日期]，"
        "例如 /audit 123456789 role 2026-11-01，或 /audit 7天。"
    ),
    PeriodProblem.UNKNOWN_KIND: REPORT_USAGE,
    PeriodProblem.UNREADABLE: REPORT_BAD_PERIOD,
    # "{period}" stands for the period's label, which depends on the kind.
    PeriodProblem.MONTH_NOT_STARTED: REPORT_FUTURE_PERIOD.format(period=REPORT_MONTH_LABEL),
    PeriodProblem.QUARTER_NOT_STARTED: REPORT_FUTURE_PERIOD.format(period=REPORT_QUARTER_LABEL),
}
