"""/outbox wording (Simplified Chinese)."""

from __future__ import annotations

COMMAND_DESCRIPTION = "待发消息：待发、重试、失败与无法送达的数量"
HEADER = "<b>待发消息</b>（因办理进展需送达他人的通知和卡片）"
EMPTY = "还没有任何需送达的消息。"
ROW = "• {kind}：待发 {pending} · 重试中 {retrying} · 失败 {failed} · 无法送达 {unreachable} · 已发 {sent}"
TOTAL = (
    "<b>合计</b>：待发 {pending} · 重试中 {retrying} · 失败 {failed} · 无法送达 {unreachable} · 已发 {sent}"
)
OLDEST = "最早一条待发消息已等待 {age}。"
NOTHING_WAITING = "目前没有待发消息。"
FAILED_HINT = "失败的消息已超过重试期限或被 Telegram 拒绝，请按类别核实后人工联系。"

# The supervision report's section.
REPORT_TITLE = "办理消息送达"
REPORT_OWED = "应送达的卡片与通知"
REPORT_SENT = "已送达"
REPORT_SENT_SHARE = "送达率"
REPORT_FAILED = "发送失败"
REPORT_UNREACHABLE = "无法送达（对方已屏蔽或群不可用）"
REPORT_UNDELIVERED = "未送达"
REPORT_WAITING_NOW = "当前待发（含重试中）"
REPORT_OLDEST_WAITING = "最早待发消息已等待"
REPORT_TABLE = "按类别"
REPORT_COLUMNS = ["类别", "本期总数", "已送达", "待发/重试", "失败", "无法送达", "上期总数"]
REPORT_CHART = "各类消息送达情况（本期）"

SECONDS = "{n} 秒"
MINUTES = "{n} 分钟"
HOURS = "{h} 小时 {m} 分"
DAYS = "{d} 天 {h} 小时"

# Kinds of owed message, as staff read them in /outbox and the report (a feature adds its own here;
# tests/test_owed_kinds.py checks that every kind a feature writes has a name, and no name is stale).
KIND_NAMES: dict[str, str] = {
    # complaint tickets (handlers/tickets/routing.py)
    "ticket.card": "工单卡片（部门群）",
    "ticket.urgent": "紧急投诉提醒（创文办）",
    "ticket.accepted": "投诉受理通知",
    "ticket.reassigned": "投诉转派通知",
    "ticket.triaged": "投诉分拣通知",
    "ticket.resolved": "投诉办结通知（含评价）",
    "ticket.rejected": "投诉驳回通知",
    "ticket.duplicate": "投诉合并通知",
    "ticket.linked_outcome": "合并投诉的办理结果",
    "ticket.auto_closed": "投诉自动关闭通知",
    "ticket.reopened": "重新办理通知（部门）",
    "ticket.warning": "临期提醒（部门）",
    "ticket.escalation": "超时督办",
    # volunteers (handlers/volunteers/owed.py)
    "volunteer.promoted": "候补转正通知",
    "volunteer.shift_changed": "活动变动通知",
    "volunteer.shift_cancelled": "活动取消通知",
    "volunteer.reminder": "志愿服务提醒",
    "volunteer.no_show": "未到岗通知",
    # nominations (handlers/nominations/owed.py)
    "nomination.status": "好人推荐状态通知",
    "nomination.published": "好人榜上榜通知",
    "nomination.round_opened": "投票开启通知",
    "nomination.new": "新推荐提醒（创文办）",
    "nomination.supplemented": "补充材料提醒（创文办）",
    # staff (handlers/staff/report.py)
    "report.scheduled": "定期督查报告",
    # inspections (handlers/inspections/notices.py)
    "rect.card": "整改任务卡片（责任单位）",
    "rect.check": "复查卡片",
    "rect.passed": "整改通过通知",
    "rect.returned": "整改退回通知",
    "rect.warning": "整改临期提醒",
    "rect.escalated": "整改超时督办",
}
