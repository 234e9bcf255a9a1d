"""User-facing strings (Simplified Chinese) of the features not yet in the package shape.

A feature in the shape keeps its wording in ``handlers/<feature>/texts.py``; the main menu and the
replies every feature shares are in ``handlers/kit/texts.py``. What stays here is read by those
older features, and by code outside ``handlers/`` (the console, the CLI, ``bot.services.users``).
Strings that take user-supplied values are formatted by the caller with values already passed
through ``html.escape`` (replies use HTML parse mode). Sections are marked per feature.
"""

from __future__ import annotations

# ---------------------------------------------------------------- shared (the kit's texts name these too)
CANCELLED = "已取消当前操作。还需要什么帮助，请点击下方按钮。"
TEXT_TOO_LONG = "内容太长了（{length} 字），请控制在 {limit} 字以内后重新发送。"
TEXT_EMPTY = "内容不能为空，请重新输入。"
TEXT_EXPECTED = "这里需要输入文字，请重新发送。"
BUTTON_EXPIRED = "该按钮已失效，请重新操作。"
ALREADY_DONE = "已处理，无需重复操作。"
NOT_ALLOWED = "抱歉，您没有权限使用此功能。"

TOPIC_NAMES = {"notices": "通知", "daily_article": "每日公约", "honors": "好人榜"}

ADMIN_ADDED = "已将 {user_id} 设为管理员。"  # `chuangwen admin add`


# ---------------------------------------------------------------- report sections (shared column names)
REPORT_THIS_PERIOD = "本期"
REPORT_LAST_PERIOD = "上期"

REPORT_TICKETS_BY_CATEGORY = "投诉办理（按类别）"
REPORT_TICKETS_BY_DEPARTMENT = "投诉办理（按部门）"
REPORT_TICKETS_RECEIVED = "受理投诉"
REPORT_TICKETS_RECEIVED_NOW = "本期受理"
REPORT_TICKETS_RECEIVED_BEFORE = "上期受理"
REPORT_TICKETS_RESOLVED = "办结"
REPORT_TICKETS_ON_TIME = "按时办结"
REPORT_TICKETS_ON_TIME_RATE = "按时办结率"
REPORT_TICKETS_OVERDUE_NOW = "当前超时未办结"
REPORT_TICKETS_MEDIAN = "办理时长中位数"
REPORT_TICKETS_SATISFACTION = "平均满意度（5分制）"
REPORT_TICKETS_DEPARTMENTS = "有投诉的部门数"
REPORT_TICKETS_DEPARTMENTS_OVERDUE = "有超时工单的部门数"
REPORT_TICKETS_COLUMNS = [
    "类别",
    "本期受理",
    "上期受理",
    "本期办结",
    "按时办结率",
    "上期按时办结率",
    "当前超时",
    "办理时长中位数（小时）",
    "平均满意度",
]
REPORT_TICKETS_COLUMNS_DEPARTMENT = ["部门", *REPORT_TICKETS_COLUMNS[1:]]
REPORT_BOARD_TITLE = "红黑榜"
REPORT_BOARD_TABLE = "部门排名（按时办结率、满意度；本期办结不少于 {minimum} 件的部门参加排名）"
REPORT_BOARD_COLUMNS = [
    "名次",
    "部门",
    "榜单",
    "本期办结",
    "按时办结率",
    "平均满意度",
    "当前超时",
    "上期名次",
]
REPORT_BOARD_RED = "红榜"
REPORT_BOARD_BLACK = "黑榜"
REPORT_BOARD_RED_LINE = "🔴 红榜：{names}"
REPORT_BOARD_BLACK_LINE = "⚫ 黑榜：{names}"
REPORT_BOARD_NONE = "（参加排名的部门不足）"
REPORT_BOARD_CHART = "各部门按时办结率（%）"


REPORT_BC_TITLE = "通知发送"
REPORT_BC_TABLE = "按发送对象统计"
REPORT_BC_COLUMNS = [
    "发送对象",
    "通知数",
    "应发",
    "送达",
    "失败",
    "已屏蔽机器人",
    "触达人数",
    "送达率",
    "上期触达人数",
]
REPORT_BC_NOTICES = "发出的通知"
REPORT_BC_SENT = "送达条数"
REPORT_BC_REACH = "触达人数"
REPORT_BC_SUCCESS = "送达率"
REPORT_BC_UNREACHABLE = "已屏蔽机器人"
REPORT_BC_CHART = "各类对象触达人数"
REPORT_BC_AUDIENCES = {
    "topic": "订阅居民",
    "volunteers": "全体志愿者",
    "district": "区县志愿者",
    "staff": "工作人员",
    "department": "部门办理人员",
}


# ---------------------------------------------------------------- end of catalogue
