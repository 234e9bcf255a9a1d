"""The tickets feature's wording (Simplified Chinese). Templates taking user text get it escaped."""

from __future__ import annotations

from bot.models import TicketAction, TicketStatus
from bot.services.tickets import TicketProblem
from bot.texts import ALREADY_DONE, TEXT_EMPTY, TEXT_TOO_LONG

COMMANDS = {
    "complain": "投诉举报",
    "mycomplaints": "我的投诉",
    "ticket": "查看工单详情",
    "complaints": "投诉工单队列（工作人员）",
}

STATUS_NAMES = {
    TicketStatus.RECEIVED: "待受理",
    TicketStatus.ACCEPTED: "办理中",
    TicketStatus.RESOLVED: "已办结",
    TicketStatus.CLOSED: "已关闭",
    TicketStatus.REJECTED: "已驳回",
    TicketStatus.DUPLICATE: "重复件",
}
# A ticket's history: "created", every TicketAction, and the time-limit notices.
EVENT_NAMES = {
    "created": "提交",
    TicketAction.ACCEPT: "受理",
    TicketAction.REASSIGN: "转派",
    TicketAction.RESOLVE: "办结",
    TicketAction.REJECT: "驳回",
    TicketAction.DUPLICATE: "标记重复",
    TicketAction.TRIAGE: "分拣",
    TicketAction.RATE: "评价",
    TicketAction.REOPEN: "重新办理",
    TicketAction.CLOSE: "自动关闭",
    "warned": "临期提醒",
    "escalated": "超时督办",
}
LIST_SEPARATOR = "、"
# A shared location as a link the handler can open: 高德地图's marker page takes the phone's own
# (WGS-84) coordinates and converts them, so the pin lands where the resident stood.
PLACE_PIN = (
    '<a href="https://uri.amap.com/marker?position={longitude:.6f},{latitude:.6f}'
    '&amp;coordinate=wgs84&amp;name={name}">📍 在地图上查看</a>'
)
PLACE_MAP_NAME = "投诉位置"
PLACE_VENUE_TITLE = "工单 {number} 的位置"
PLACE_VENUE_COORDINATES = "{latitude:.5f}, {longitude:.5f}"
NO_PLACE = "未提供"
NO_KEYWORDS = "未识别到关键词，将由工作人员人工分拣"
DUE = "{due}（{hours} 小时）"
NO_DUE = "—"

# ---------------------------------------------------------------- filing (/complain, 投诉举报)
START = (
    "请描述您要投诉或反映的问题（{limit} 字以内）：什么问题、在哪里、什么时间。\n"
    "可以直接发文字，也可以发一张带文字说明的照片。随时发送 /cancel 退出。"
)
DESCRIPTION_EXPECTED = "请用文字描述问题（也可以发送带文字说明的照片）。"
DESCRIPTION_TOO_LONG = "描述太长了（{length} 字），请精简到 {limit} 字以内后重新发送。已收到的照片会保留。"
NO_WORDS = "只有表情无法受理，请用文字说明是什么问题、在哪里。"
PHOTO_KEPT = "照片已收到（共 {count} 张）。请再发送一段文字，说明是什么问题、在哪里。"
FORWARDED = "已收到您转发的内容，将作为问题描述。"
ASK_LOCATION = "请发送问题发生的位置：点击下方「发送当前位置」，或直接输入地址；不方便可点「跳过」。"
LOCATION_BUTTON = "📍 发送当前位置"
SKIP = "跳过"
LOCATION_EXPECTED = "请发送位置、输入地址，或点击「跳过」。"
ADDRESS_TOO_LONG = "地址太长了，请控制在 {limit} 字以内。"
ASK_IDENTITY = "是否对承办部门隐藏您的昵称？（工作人员仍可通过本机器人联系您反馈结果）"
NAMED = "实名反映"
ANONYMOUS = "匿名反映"
USE_BUTTONS = "请点击上方按钮选择。"
SUMMARY = (
    "<b>请确认您的投诉</b>\n"
    "问题描述：{text}\n"
    "位置：{place}\n"
    "身份：{identity}\n"
    "分类：<b>{category}</b>\n"
    "判断依据（关键词）：{keywords}\n"
    "承办部门：{department}\n"
    "办理时限：{hours} 小时{urgent}"
)
USER_CHOSEN = "（您选择的分类）"
URGENT_MARK = "\n⚠️ 紧急事项（{kinds}），将优先处理。"
CONFIRM = "✅ 确认提交"
OTHER_CATEGORY = "选择其他分类"
PICK_CATEGORY = "请选择最符合的分类："
FILED = (
    "投诉已受理登记，编号 <b>{number}</b>。\n"
    "已转交{department}办理，时限 {hours} 小时。{photos}办理进展会第一时间通知您。\n"
    "发送 /mycomplaints 查看我的投诉。"
)
FILED_DUPLICATE = (
    "感谢反映！编号 <b>{number}</b>。\n"
    "同一问题已有市民反映（编号 {original}），正在办理中，您的反映已合并，办理结果同样会通知您。"
)
FILED_PHOTOS = "您的 {count} 张照片已一并转交。"
DRAFT_LOST = "这条投诉草稿已失效，请发送 /complain 重新开始。"
URGENT_ALERT = "🚨 <b>紧急投诉</b> {number}（{kinds}）：{text}\n承办部门：{department}，时限 {hours} 小时。"

# ---------------------------------------------------------------- the department's card
CARD = (
    "{urgent}<b>投诉工单 {number}</b>（{status}）\n"
    "分类：{category}（置信度 {confidence}）\n"
    "关键词：{keywords}\n"
    "承办部门：{department}\n"
    "问题描述：{text}\n"
    "位置：{place}\n"
    "照片：{photos} 张\n"
    "举报人：{reporter}\n"
    "提交时间：{created}\n"
    "办理时限：{due}"
    "{handler}"
)
CARD_HANDLER = "\n经办人：{name}"
CARD_PHOTOS = "工单 {number} 的现场照片（{count} 张）"
CARD_URGENT = "🚨 <b>紧急</b>（{kinds}）\n"
REPORTER_ANONYMOUS = "匿名"
REPORTER_GONE = "已匿名"  # the reporter used /forget
BUTTON_ACCEPT = "受理"
BUTTON_REASSIGN = "转派"
BUTTON_RESOLVE = "办结"
BUTTON_REJECT = "驳回"
BUTTON_DUPLICATE = "重复"
BUTTON_TRIAGE = "分拣：{name}"
PICK_DEPARTMENT = "请选择转派的部门（工单 {number}）："
PICK_TRIAGE = "请为工单 {number} 选择分类："
ASK_RESOLVE_NOTE = "请回复工单 {number} 的办结说明（可附一张现场照片，照片请带文字说明）。发送 /cancel 取消。"
ASK_REJECT_REASON = "请回复驳回工单 {number} 的理由。发送 /cancel 取消。"
ASK_ORIGINAL = (
    "请回复原工单编号（例如 TS-20261127-0001），工单 {number} 将标记为其重复件。发送 /cancel 取消。"
)
MENTION = '<a href="tg://user?id={user_id}">{name}</a> '
NOTE_EXPECTED = "请输入文字说明（照片需带文字说明），或发送 /cancel 取消。"
DONE_TOAST = "已{action}：{number}"
STAFF_DONE = "工单 {number} 已{action}（{actor}）。"
# What STAFF_DONE and DONE_TOAST say was done.
DONE_RESOLVED = BUTTON_RESOLVE
DONE_REJECTED = BUTTON_REJECT
DONE_DUPLICATE = "标记重复"
DONE_TRIAGE = "分拣"
DONE_REASSIGNED_TO = BUTTON_REASSIGN + "至{department}"
DONE_TRIAGED_AS = "分拣为{category}"

# ---------------------------------------------------------------- what the reporter hears
NOTIFY_ACCEPTED = "您的投诉 <b>{number}</b> 已被{department}受理，正在办理。"
NOTIFY_REASSIGNED = "您的投诉 <b>{number}</b> 已转交{department}办理。"
NOTIFY_RESOLVED = (
    "您的投诉 <b>{number}</b> 已办结。\n办理结果：{note}\n\n"
    "请为本次办理打分（回访满意度，1 分最低，5 分最高）。如问题没有解决，{days} 天内可申请重新办理。"
)
NOTIFY_REJECTED = "您的投诉 <b>{number}</b> 未予受理。\n理由：{note}\n如有疑问可重新投诉并补充说明。"
NOTIFY_DUPLICATE = "您的投诉 <b>{number}</b> 与工单 {original} 为同一问题，已合并办理，结果会一并通知您。"
NOTIFY_TRIAGED = "您的投诉 <b>{number}</b> 已分类为「{category}」，由{department}办理。"
NOTIFY_REOPENED = "您的投诉 <b>{number}</b> 已重新交{department}办理，时限 {hours} 小时。"
NOTIFY_CLOSED = "感谢您的评价（{rating} 分）！投诉 <b>{number}</b> 已关闭。"
NOTIFY_AUTO_CLOSED = (
    "您的投诉 <b>{number}</b> 办结已满 {days} 天，未收到评价，已自动关闭。感谢您对创文工作的支持！"
)
STAR = "⭐"
RATE_BUTTON = "{stars} {n}分"
REOPEN_BUTTON = "问题未解决，重新办理"
LINKED_OUTCOME = "您反映的问题（已合并至工单 {number}）办理结果：{status}。\n说明：{note}"
REOPENED_STAFF = "🔁 工单 {number} 经举报人申请重新办理。\n原因：{reason}"
ASK_REOPEN_REASON = (
    "工单 {number}：请简要说明问题为什么没有解决（例如“垃圾只清走了一半”），我们会转告办理部门。"
    "发送 /cancel 取消。"
)
REOPEN_REASON_EXPECTED = "请用文字说明问题为什么没有解决，或发送 /cancel 取消。"

# ---------------------------------------------------------------- time limits
WARN = "⏰ 工单 {number} 将于 {due} 到期（时限 {hours} 小时），请抓紧办理。"
ESCALATE = "🔴 <b>督办</b>：工单 {number}（{category}，{department}）已超过办理时限（{due} 到期），状态「{status}」。"

# ---------------------------------------------------------------- /mycomplaints and /ticket
MINE_EMPTY = "您还没有提交过投诉。点击「投诉举报」即可反映问题。"
MINE_HEADER = "<b>我的投诉</b>（最近 {count} 件）"
MINE_LINE = "{number}　{status}　{category}　{created}"
MINE_FOOTER = "发送 /ticket 编号 查看详情和办理记录。"
USAGE = "用法：/ticket 工单编号，例如 /ticket TS-20261127-0001"
DETAIL = (
    "<b>工单 {number}</b>（{status}）\n"
    "分类：{category}\n"
    "承办部门：{department}\n"
    "问题描述：{text}\n"
    "位置：{place}\n"
    "提交时间：{created}\n"
    "办理时限：{due}{rating}\n\n"
    "<b>办理记录</b>\n{history}"
)
DETAIL_RATING = "\n满意度：{rating} 分"
HISTORY_LINE = "{time} {event}{note}"
HISTORY_NOTE = "：{note}"

# ---------------------------------------------------------------- the staff queue (/complaints)
QUEUE_HEADER = "<b>投诉工单</b>（{filter}，共 {count} 件{more}）"
QUEUE_MORE = "，仅显示前 {shown} 件"
QUEUE_EMPTY = "没有符合条件的工单。"
QUEUE_LINE = "{overdue}{number}　{status}　{category}　{department}　到期 {due}"
QUEUE_OVERDUE_MARK = "🔴"
FILTER_OPEN = "待办"
FILTER_TRIAGE = "待分拣"
FILTER_OVERDUE = "已超时"
FILTER_STATUS = "按状态"
FILTER_CATEGORY = "按分类"
FILTER_DEPARTMENT = "按部门"
QUEUE_PICK = "请选择筛选条件："
VIEW_BUTTON = "处理 {number}"
QUEUE_REROUTED = "⚠️ <b>部门工作群无法送达</b>，以下 {count} 件工单的卡片已改发创文办（或管理员），请转交办理并检查该群设置："
QUEUE_REROUTED_LINE = "• {number}　{status}　{department}"


# ---------------------------------------------------------------- refusals (DomainError codes)
class Named(str):
    """An error template whose ``status`` and ``action`` parameters read as their Chinese names.

    The rules raise ``WRONG_STATUS`` with the ticket's status and the action as values; the kit
    formats catalogue templates with the parameters as given, so this template names them itself.
    """

    __slots__ = ()

    def format(self, *args: object, **params: object) -> str:
        if "status" in params:
            params["status"] = STATUS_NAMES[TicketStatus(str(params["status"]))]
        if "action" in params:
            params["action"] = EVENT_NAMES[TicketAction(str(params["action"]))]
        return str.format(self, *args, **params)


WRONG_STATUS = Named("工单 {number} 当前状态为「{status}」，不能{action}。")
NOT_FOUND = "没有找到这个工单。"
NUMBER_INVALID = "工单编号格式不对，应类似 TS-20261127-0001。"
NOT_YOURS = "只有该工单的承办部门或创文办工作人员可以操作。"
ONLY_REPORTER = "只有举报人本人可以进行此操作。"
REOPEN_EXPIRED = "办结已超过 {days} 天，不能再申请重新办理。如问题仍存在，请重新投诉。"
SAME_DEPARTMENT = "工单已在该部门，无需转派。"
UNKNOWN_DEPARTMENT = "没有这个部门。"
UNKNOWN_CATEGORY = "没有这个分类。"
DUPLICATE_SELF = "不能把工单标记为自身的重复件。"
ORIGINAL_CLOSED = "工单 {number} 已结案，不能作为原件，请输入仍在办理或已办结的工单编号。"
ALREADY_RATED = "您已评价过这个工单，感谢！"
RATING_INVALID = "评分应为 1 到 5。"

ERRORS: dict[str, str] = {
    TicketProblem.TEXT_EMPTY: TEXT_EMPTY,
    TicketProblem.TEXT_TOO_LONG: DESCRIPTION_TOO_LONG,
    TicketProblem.NO_WORDS: NO_WORDS,
    TicketProblem.ADDRESS_EMPTY: TEXT_EMPTY,
    TicketProblem.ADDRESS_TOO_LONG: ADDRESS_TOO_LONG,
    TicketProblem.NOTE_EMPTY: TEXT_EMPTY,
    TicketProblem.NOTE_TOO_LONG: TEXT_TOO_LONG,
    TicketProblem.NOT_FOUND: NOT_FOUND,
    TicketProblem.NUMBER_INVALID: NUMBER_INVALID,
    TicketProblem.WRONG_STATUS: WRONG_STATUS,
    TicketProblem.ALREADY_DONE: ALREADY_DONE,
    TicketProblem.NOT_YOURS: NOT_YOURS,
    TicketProblem.ONLY_REPORTER: ONLY_REPORTER,
    TicketProblem.REOPEN_EXPIRED: REOPEN_EXPIRED,
    TicketProblem.SAME_DEPARTMENT: SAME_DEPARTMENT,
    TicketProblem.UNKNOWN_DEPARTMENT: UNKNOWN_DEPARTMENT,
    TicketProblem.UNKNOWN_CATEGORY: UNKNOWN_CATEGORY,
    TicketProblem.DUPLICATE_SELF: DUPLICATE_SELF,
    TicketProblem.ORIGINAL_CLOSED: ORIGINAL_CLOSED,
    TicketProblem.ALREADY_RATED: ALREADY_RATED,
    TicketProblem.RATING_INVALID: RATING_INVALID,
}


# ---------------------------------------------------------------- the report's sections
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
