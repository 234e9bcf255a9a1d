"""The one line the sender itself writes (Simplified Chinese): above a message rerouted to staff."""

from __future__ import annotations

# Put above a message (or card) whose department or staff group could not be reached.
GROUP_UNREACHABLE = (
    "⚠️ <b>无法送达{group}的工作群</b>（机器人可能已被移出或群已解散），此消息改发到这里，"
    "请转交办理并检查该群的设置。"
)
GROUP_UNNAMED = "相关部门"
STAFF_GROUP = "创文办"  # the staff chat, when it is the group that could not be reached
NOTES = {"group_unreachable": GROUP_UNREACHABLE}  # by the engine's note code
