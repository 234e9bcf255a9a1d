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

SECONDS = "{n} 秒"
MINUTES = "{n} 分钟"
HOURS = "{h} 小时 {m} 分"
DAYS = "{d} 天 {h} 小时"

# Kinds of owed message, as staff read them in /outbox and the report (a feature adds its own here).
KIND_NAMES: dict[str, str] = {}
