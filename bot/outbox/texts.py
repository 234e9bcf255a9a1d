"""The outbox's wording (Simplified Chinese): the line on rerouted messages, and /outbox."""

from __future__ import annotations

# Put above a message (or card) whose department or staff group could not be reached.
GROUP_UNREACHABLE = (
    "⚠️ <b>无法送达{group}的工作群</b>（机器人可能已被移出或群已解散），此消息改发到这里，"
    "请转交办理并检查该群的设置。"
)
GROUP_UNNAMED = "相关部门"
STAFF_GROUP = "创文办"  # the staff chat, when it is the group that could not be reached
NOTES = {"group_unreachable": GROUP_UNREACHABLE}  # by the engine's note code

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

SECONDS = "{n} 秒"
MINUTES = "{n} 分钟"
HOURS = "{h} 小时 {m} 分"
DAYS = "{d} 天 {h} 小时"
