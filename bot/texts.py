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


# ---------------------------------------------------------------- broadcasts
BROADCAST_HTML_INVALID = '格式有误：{reason}\n可用标签：&lt;b&gt; &lt;i&gt; &lt;u&gt; &lt;s&gt; &lt;a href="…"&gt; &lt;code&gt; &lt;pre&gt; &lt;blockquote&gt;；要显示 &lt; &gt; &amp; 请写成 &amp;lt; &amp;gt; &amp;amp;。请修改后重新发送。'
BROADCAST_HTML_BAD_TAG = "不支持标签 &lt;{tag}&gt;"
BROADCAST_HTML_BAD_ATTR = "标签 &lt;{tag}&gt; 不支持属性 {attr}"
BROADCAST_HTML_BAD_LINK = "链接须以 http:// 或 https:// 开头"
BROADCAST_HTML_UNBALANCED = "多余或次序错误的结束标签 &lt;/{tag}&gt;"
BROADCAST_HTML_UNCLOSED = "标签 &lt;{tag}&gt; 没有结束"
BROADCAST_HTML_STRAY = "出现了单独的 &lt; 或 &gt;"
BROADCAST_HTML_BAD_ENTITY = "不支持的字符实体 &amp;{entity};"
BROADCAST_DISTRICT_EMPTY = "请填写区县名称。"
BROADCAST_DEPARTMENT_EMPTY = "请选择部门。"
BROADCAST_BAD_AUDIENCE = "未知的发送对象，请重新选择。"
BROADCAST_BAD_TIME = "时间格式不对，请按“时:分”输入，例如 09:30。"
BROADCAST_BAD_DATETIME = (
    "日期时间格式不对，请按“年-月-日 时:分”输入，例如 2026-12-01 09:30，也可写“明天 09:30”。"
)
BROADCAST_TIME_PAST = "这个时间已经过去了，请输入将来的时间。"
BROADCAST_TIME_TOO_FAR = "只能预约一年以内的时间。"
BROADCAST_NOT_FOUND = "找不到这条通知。"
BROADCAST_BAD_TRANSITION = "该通知当前状态为「{status}」，不能执行此操作。"
BROADCAST_STATUS_NAMES = {
    "draft": "草稿",
    "scheduled": "待发送",
    "running": "发送中",
    "paused": "已暂停",
    "cancelled": "已取消",
    "finished": "已完成",
}
BROADCAST_AUDIENCE_NAMES = {
    "topic": "订阅「{param}」的居民",
    "volunteers": "全体志愿者",
    "district": "{param}的志愿者",
    "staff": "全体工作人员",
    "department": "{param}的办理人员",
}
BROADCAST_AUDIENCE_BUTTONS = {
    "volunteers": "全体志愿者",
    "district": "按区县（志愿者）",
    "staff": "全体工作人员",
    "department": "某部门办理人员",
}
BROADCAST_TOPIC_BUTTON = "订阅「{name}」的居民"
BROADCAST_WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
BROADCAST_WHEN_NOW = "立即发送"
BROADCAST_WHEN_AT = "定时发送"
BROADCAST_WHEN_DAILY = "每天定时"
BROADCAST_WHEN_WEEKLY = "每周定时"
BROADCAST_CONFIRM = "确认发送"
BROADCAST_DISCARD = "放弃"
BROADCAST_PAUSE = "暂停"
BROADCAST_RESUME = "继续"
BROADCAST_CANCEL = "取消发送"

BROADCAST_COMPOSE = (
    "请发送通知内容：\n"
    '• 文字（可用 HTML 格式，如 &lt;b&gt;加粗&lt;/b&gt;、&lt;a href="https://…"&gt;链接&lt;/a&gt;）；\n'
    "• 或一张图片，说明文字即为图片说明。\n"
    "发送 /cancel 放弃。"
)
BROADCAST_COMPOSE_AGAIN = "这里需要通知的文字或一张图片，请重新发送（/cancel 放弃）。"
BROADCAST_CHOOSE_AUDIENCE = "请选择发送对象："
BROADCAST_ASK_DISTRICT = "请选择区县（发给在该区县登记的志愿者）："
BROADCAST_CHOOSE_DEPARTMENT = "请选择部门："
BROADCAST_NO_DEPARTMENTS = "目前还没有设置任何部门办理人员，请选择其他发送对象。"
BROADCAST_CHOOSE_WHEN = "发送对象：{audience}（当前约 {count} 人）\n请选择发送时间："
BROADCAST_ASK_DATETIME = "请输入发送的日期和时间（北京时间），例如 2026-12-01 09:30，或“明天 09:30”："
BROADCAST_ASK_TIME = "请输入每天发送的时间（北京时间），例如 08:30："
BROADCAST_ASK_WEEKDAY = "请选择每周哪一天发送："
BROADCAST_ASK_WEEK_TIME = "每{weekday}发送。请输入时间（北京时间），例如 08:30："
BROADCAST_PREVIEW_HEADER = "👇 以下是收件人将看到的内容预览："
BROADCAST_CONFIRM_PROMPT = "发送对象：{audience}（约 {count} 人）\n发送时间：{when}\n确认发送吗？"
BROADCAST_WHEN_NOW_TEXT = "立即"
BROADCAST_WHEN_AT_TEXT = "{at}"
BROADCAST_WHEN_DAILY_TEXT = "每天 {time}"
BROADCAST_WHEN_WEEKLY_TEXT = "每{weekday} {time}"
BROADCAST_CREATED_NOW = "✅ 通知 #{id} 已开始发送，共 {count} 人。发送 /broadcasts 查看进度。"
BROADCAST_CREATED_SCHEDULED = "✅ 通知 #{id} 已预约：{when}。发送 /broadcasts 查看或取消。"
BROADCAST_DISCARDED = "已放弃这条通知，没有发送。"
BROADCAST_PREVIEW_FAILED = "预览发送失败，Telegram 不接受这段内容：{error}\n请修改后重新发送。"
BROADCAST_LIST_EMPTY = "还没有发送过通知。发送 /broadcast 新建一条。"
BROADCAST_LIST_HEADER = "<b>最近的通知</b>"
BROADCAST_LIST_ITEM = (
    "<b>#{id}</b> {status} · {audience} · {when}\n"
    "{snippet}\n已发送 {sent} · 待发送 {pending} · 失败 {failed} · 无法送达 {unreachable}"
)
BROADCAST_PAUSED = "通知 #{id} 已暂停。"
BROADCAST_RESUMED = "通知 #{id} 已继续（{status}）。"
BROADCAST_CANCELLED_DONE = "通知 #{id} 已取消，不再发送。"
BROADCAST_PHOTO_LABEL = "[图片]"
BROADCAST_BUTTON_HINT = "请点击上方按钮选择（发送 /cancel 放弃）。"
BROADCAST_COMMAND_DESCRIPTIONS = {"broadcast": "发布通知", "broadcasts": "通知列表与进度"}

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
