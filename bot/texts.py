"""Every user-facing string, in Simplified Chinese, in one catalogue.

Strings that take user-supplied values are formatted by the caller with values already passed
through ``html.escape`` (replies use HTML parse mode). Sections are marked per feature; keep each
feature's strings inside its section.
"""

from __future__ import annotations

# ---------------------------------------------------------------- common / foundation
BOT_NAME = "创文助手"


WELCOME = (
    "您好，{name}！欢迎使用<b>创文助手</b>。\n"
    "我是本市创建全国文明城市的服务窗口，您可以在这里：\n"
    "• 投诉举报不文明行为和城市问题\n"
    "• 报名参加文明劝导志愿服务\n"
    "• 学习《市民文明公约20条》\n"
    "• 推荐身边的好人好事\n"
    "• 订阅创文通知\n\n"
    "请点击下方按钮开始，发送 /help 查看全部命令。"
)
HELP_HEADER = "<b>可用命令</b>"
HELP_STAFF_HEADER = "<b>工作人员命令</b>"
HELP_FOOTER = "随时发送 /cancel 可退出当前操作。"
CONSOLE_HELP = (
    "<b>控制台输入方式</b>\n"
    "#N — 点击最近一条消息的第 N 个按钮（例如 #2）\n"
    "!photo 说明文字 — 发送一张图片（可带说明）\n"
    "!location 纬度,经度 — 发送位置，例如 !location 30.27,120.15\n"
    "!contact 手机号 — 分享联系人，例如 !contact 13800138000\n"
    "!sticker — 发送一个表情贴纸\n"
    "!user N — 切换为 Telegram 用户 N\n"
    "!quit — 退出控制台"
)

CANCELLED = "已取消当前操作。还需要什么帮助，请点击下方按钮。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。"
UNKNOWN_COMMAND = "抱歉，我不认识命令 {command}。发送 /help 查看可用命令。"
UNKNOWN_TEXT = "我没有理解您的意思。请点击下方按钮选择功能，或发送 /help 查看全部命令。"
NON_TEXT_NOT_EXPECTED = "收到啦。不过这里需要文字或按钮操作，请点击下方按钮选择功能。"
TEXT_TOO_LONG = "内容太长了（{length} 字），请控制在 {limit} 字以内后重新发送。"
TEXT_EMPTY = "内容不能为空，请重新输入。"
TEXT_EXPECTED = "这里需要输入文字，请重新发送。"
BUTTON_EXPIRED = "该按钮已失效，请重新操作。"
ALREADY_DONE = "已处理，无需重复操作。"

NOT_ALLOWED = "抱歉，您没有权限使用此功能。"
ERROR_REPLY = "抱歉，系统出了点问题，请稍后再试。（错误码 {code}）"
DATABASE_BUSY = "系统繁忙，请稍后再试。"
ERROR_ADMIN_ALERT = "⚠️ 错误 {code}：{error}\n处理函数：{handler}\n更新：{update}"

PRIVACY = (
    "<b>隐私说明</b>\n"
    "我们保存：您的 Telegram 编号与昵称、您订阅的通知、您提交的投诉、推荐和志愿者资料"
    "（姓名、手机号仅在您同意后保存）。\n"
    "用途：受理投诉、组织志愿服务、评选好人、发送您订阅的通知。\n"
    "保存期限：志愿服务记录按《志愿服务记录与证明出具办法》保存；其余资料在您删除或活动结束后一年内删除。\n"
    "手机号等个人信息在他人可见处一律打码显示。\n\n"
    "发送 /mydata 导出您的全部数据，发送 /forget 删除您的个人数据。"
)
MYDATA_CAPTION = "这是我们保存的关于您的全部数据（JSON 格式）。"
FORGET_CONFIRM = (
    "确定要删除您的个人数据吗？\n"
    "删除后：您的资料、订阅、志愿者信息将被清除；已提交的投诉内容会匿名保留以便继续办理。此操作不可撤销。"
)
FORGET_YES = "确认删除"
FORGET_NO = "取消"
FORGET_DONE = "您的个人数据已删除。感谢您对创文工作的支持！"
FORGET_KEPT = "已取消，您的数据未做任何改动。"

TOPIC_NAMES = {"notices": "通知", "daily_article": "每日公约", "honors": "好人榜"}
SUBSCRIBE_PROMPT = "请选择要订阅的通知（再次点击可取消）："
UNSUBSCRIBE_PROMPT = "请选择要退订的通知："
SUBSCRIBED = "已订阅「{topic}」。"
UNSUBSCRIBED = "已退订「{topic}」。"
SUBSCRIPTION_STATUS = "当前订阅：{topics}"
NO_SUBSCRIPTIONS = "无"
TOPIC_ON = "✅ {name}"
TOPIC_OFF = "⬜ {name}"
UNSUBSCRIBE_NONE = "您目前没有订阅任何通知。"

ADMIN_ADDED = "已将 {user_id} 设为管理员。"

COMMAND_DESCRIPTIONS = {
    "start": "开始 / 主菜单",
    "help": "查看帮助",
    "cancel": "退出当前操作",
    "privacy": "隐私说明",
    "mydata": "导出我的数据",
    "forget": "删除我的个人数据",
    "subscribe": "订阅通知",
    "unsubscribe": "退订通知",
}


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
