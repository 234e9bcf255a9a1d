"""Broadcasts' wording (Simplified Chinese): the /broadcast wizard, /broadcasts and the refusals."""

from __future__ import annotations

from bot.services.broadcasts import BroadcastProblem
from bot.texts import ALREADY_DONE as ALREADY_DONE
from bot.texts import REPORT_LAST_PERIOD as REPORT_LAST_PERIOD
from bot.texts import REPORT_THIS_PERIOD as REPORT_THIS_PERIOD
from bot.texts import TOPIC_NAMES as TOPIC_NAMES

COMMANDS = {"broadcast": "发布通知", "broadcasts": "通知列表与进度"}

STATUS_NAMES = {
    "draft": "草稿",
    "scheduled": "待发送",
    "running": "发送中",
    "paused": "已暂停",
    "cancelled": "已取消",
    "finished": "已完成",
}
AUDIENCE_NAMES = {
    "topic": "订阅「{param}」的居民",
    "volunteers": "全体志愿者",
    "district": "{param}的志愿者",
    "staff": "全体工作人员",
    "department": "{param}的办理人员",
}
AUDIENCE_BUTTONS = {
    "volunteers": "全体志愿者",
    "district": "按区县（志愿者）",
    "staff": "全体工作人员",
    "department": "某部门办理人员",
}
TOPIC_BUTTON = "订阅「{name}」的居民"
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
WHEN_NOW = "立即发送"
WHEN_AT = "定时发送"
WHEN_DAILY = "每天定时"
WHEN_WEEKLY = "每周定时"
CONFIRM = "确认发送"
DISCARD = "放弃"
PAUSE = "暂停"
RESUME = "继续"
CANCEL = "取消发送"

COMPOSE = (
    "请发送通知内容：\n"
    '• 文字（可用 HTML 格式，如 &lt;b&gt;加粗&lt;/b&gt;、&lt;a href="https://…"&gt;链接&lt;/a&gt;）；\n'
    "• 或一张图片，说明文字即为图片说明。\n"
    "发送 /cancel 放弃。"
)
COMPOSE_AGAIN = "这里需要通知的文字或一张图片，请重新发送（/cancel 放弃）。"
CHOOSE_AUDIENCE = "请选择发送对象："
ASK_DISTRICT = "请选择区县（发给在该区县登记的志愿者）："
CHOOSE_DEPARTMENT = "请选择部门："
NO_DEPARTMENTS = "目前还没有设置任何部门办理人员，请选择其他发送对象。"
CHOOSE_WHEN = "发送对象：{audience}（当前约 {count} 人）\n请选择发送时间："
ASK_DATETIME = "请输入发送的日期和时间（北京时间），例如 2026-12-01 09:30，或“明天 09:30”："
ASK_TIME = "请输入每天发送的时间（北京时间），例如 08:30："
ASK_WEEKDAY = "请选择每周哪一天发送："
ASK_WEEK_TIME = "每{weekday}发送。请输入时间（北京时间），例如 08:30："
PREVIEW_HEADER = "👇 以下是收件人将看到的内容预览："
CONFIRM_PROMPT = "发送对象：{audience}（约 {count} 人）\n发送时间：{when}\n确认发送吗？"
WHEN_NOW_TEXT = "立即"
WHEN_AT_TEXT = "{at}"
WHEN_DAILY_TEXT = "每天 {time}"
WHEN_WEEKLY_TEXT = "每{weekday} {time}"
CREATED_NOW = "✅ 通知 #{id} 已开始发送，共 {count} 人。发送 /broadcasts 查看进度。"
CREATED_SCHEDULED = "✅ 通知 #{id} 已预约：{when}。发送 /broadcasts 查看或取消。"
DISCARDED = "已放弃这条通知，没有发送。"
PREVIEW_FAILED = "预览发送失败，Telegram 不接受这段内容：{error}\n请修改后重新发送。"
LIST_EMPTY = "还没有发送过通知。发送 /broadcast 新建一条。"
LIST_HEADER = "<b>最近的通知</b>"
LIST_ITEM = (
    "<b>#{id}</b> {status} · {audience} · {when}\n"
    "{snippet}\n已发送 {sent} · 待发送 {pending} · 失败 {failed} · 无法送达 {unreachable}"
)
PAUSED = "通知 #{id} 已暂停。"
RESUMED = "通知 #{id} 已继续（{status}）。"
CANCELLED_DONE = "通知 #{id} 已取消，不再发送。"
PHOTO_LABEL = "[图片]"
BUTTON_HINT = "请点击上方按钮选择（发送 /cancel 放弃）。"

# ---------------------------------------------------------------- refusals (plain text: escaped as a whole)
HTML_HELP = (
    '可用标签：<b> <i> <u> <s> <a href="…"> <code> <pre> <blockquote>；'
    "要显示 < > & 请写成 &lt; &gt; &amp;。请修改后重新发送。"
)
BAD_TIME = "时间格式不对，请按“时:分”输入，例如 09:30。"
TIME_PAST = "这个时间已经过去了，请输入将来的时间。"
ERRORS: dict[str, str] = {
    BroadcastProblem.TEXT_EMPTY: "内容不能为空，请重新输入。",
    BroadcastProblem.TEXT_TOO_LONG: "内容太长了（{length} 字），请控制在 {limit} 字以内后重新发送。",
    BroadcastProblem.HTML_BAD_TAG: "格式有误：不支持标签 <{tag}>\n" + HTML_HELP,
    BroadcastProblem.HTML_BAD_ATTR: "格式有误：标签 <{tag}> 不支持属性 {attr}\n" + HTML_HELP,
    BroadcastProblem.HTML_BAD_LINK: "格式有误：链接须以 http:// 或 https:// 开头\n" + HTML_HELP,
    BroadcastProblem.HTML_UNBALANCED: "格式有误：多余或次序错误的结束标签 </{tag}>\n" + HTML_HELP,
    BroadcastProblem.HTML_UNCLOSED: "格式有误：标签 <{tag}> 没有结束\n" + HTML_HELP,
    BroadcastProblem.HTML_STRAY: "格式有误：出现了单独的 < 或 >\n" + HTML_HELP,
    BroadcastProblem.HTML_BAD_ENTITY: "格式有误：不支持的字符实体 &{entity};\n" + HTML_HELP,
    BroadcastProblem.DISTRICT_EMPTY: "请填写区县名称。",
    BroadcastProblem.DEPARTMENT_EMPTY: "请选择部门。",
    BroadcastProblem.BAD_AUDIENCE: "未知的发送对象，请重新选择。",
    BroadcastProblem.BAD_TIME: BAD_TIME,
    BroadcastProblem.BAD_DATETIME: (
        "日期时间格式不对，请按“年-月-日 时:分”输入，例如 2026-12-01 09:30，也可写“明天 09:30”。"
    ),
    BroadcastProblem.TIME_PAST: TIME_PAST,
    BroadcastProblem.TIME_TOO_FAR: "只能预约一年以内的时间。",
    BroadcastProblem.NOT_FOUND: "找不到这条通知。",
    BroadcastProblem.BAD_TRANSITION: "该通知当前状态为「{status}」，不能执行此操作。",
}

# ---------------------------------------------------------------- the supervision report's section
REPORT_TITLE = "通知发送"
REPORT_TABLE = "按发送对象统计"
REPORT_COLUMNS = [
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
REPORT_NOTICES = "发出的通知"
REPORT_SENT = "送达条数"
REPORT_REACH = "触达人数"
REPORT_SUCCESS = "送达率"
REPORT_UNREACHABLE = "已屏蔽机器人"
REPORT_CHART = "各类对象触达人数"
REPORT_AUDIENCES = {
    "topic": "订阅居民",
    "volunteers": "全体志愿者",
    "district": "区县志愿者",
    "staff": "工作人员",
    "department": "部门办理人员",
}
