"""The common feature's wording (Simplified Chinese): greeting, help, privacy, subscriptions, fallbacks.

The main menu's labels and the replies every feature shares are the kit's (``handlers/kit/texts.py``).
Templates taking user-supplied text get it escaped by the views.
"""

from __future__ import annotations

# Topic names are shared with broadcasts (bot/texts.py) until that feature has its own package.
from bot.texts import TOPIC_NAMES as TOPIC_NAMES

COMMANDS = {
    "start": "开始 / 主菜单",
    "help": "查看帮助",
    "cancel": "退出当前操作",
    "privacy": "隐私说明",
    "mydata": "导出我的数据",
    "forget": "删除我的个人数据",
    "subscribe": "订阅通知",
    "unsubscribe": "退订通知",
}

GROUP_START = "您好，我是创文助手，请点击下方按钮与我私聊。"
SEND_COMMAND_NOW = "请发送 /{command} 继续。"
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
HELP_LINE = "/{name} — {description}"
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

NOTHING_TO_CANCEL = "当前没有进行中的操作。"
UNKNOWN_COMMAND = "抱歉，我不认识命令 {command}。发送 /help 查看可用命令。"
UNKNOWN_TEXT = "我没有理解您的意思。请点击下方按钮选择功能，或发送 /help 查看全部命令。"
NON_TEXT_NOT_EXPECTED = "收到啦。不过这里需要文字或按钮操作，请点击下方按钮选择功能。"

DATABASE_BUSY = "系统繁忙，请稍后再试。"
ERROR_REPLY = "抱歉，系统出了点问题，请稍后再试。（错误码 {code}）"
ERROR_ADMIN_ALERT = "⚠️ 错误 {code}：{error}\n处理函数：{handler}\n更新：{update}"

PRIVACY = (
    "<b>隐私说明</b>\n"
    "我们保存：您的 Telegram 编号与昵称、您订阅的通知、您提交的投诉、推荐和志愿者资料"
    "（姓名、手机号仅在您同意后保存）。\n"
    "用途：受理投诉、组织志愿服务、评选好人、发送您订阅的通知。\n"
    "保存期限：志愿服务记录按《志愿服务记录与证明出具办法》保存；其余资料在您删除或活动结束后一年内删除。\n"
    "手机号等个人信息在他人可见处一律打码显示；/mydata 等个人命令只在与我的私聊中使用。\n\n"
    "发送 /mydata 导出您的全部数据，发送 /forget 删除您的个人数据：资料、订阅、志愿者信息、"
    "未完成的填写和待发给您的消息全部删除；已提交的投诉和推荐内容匿名保留以便继续办理，"
    "承办部门看到的举报人显示为「已匿名」；进行中的投票里您投的票一并删除，"
    "已结束投票的票数保留但不再与您关联。"
)
MYDATA_CAPTION = "这是我们保存的关于您的全部数据（JSON 格式，时间为北京时间）。"
# /mydata's field names, as the person reads them (a field without one keeps its name).
MYDATA_LABELS = {
    "telegram_id": "Telegram账号ID",
    "exported_at": "导出时间",
    "profile": "基本资料",
    "display_name": "显示名称",
    "username": "用户名",
    "role": "身份",
    "department": "部门",
    "first_seen": "首次使用时间",
    "consent_at": "同意隐私说明时间",
    "subscriptions": "订阅",
    "audit": "操作记录",
    "target": "对象",
    "complaints": "投诉举报",
    "number": "编号",
    "text": "内容",
    "status": "状态",
    "category": "分类",
    "anonymous": "匿名",
    "address": "地址",
    "latitude": "纬度",
    "longitude": "经度",
    "photos": "照片",
    "rating": "评价",
    "created_at": "创建时间",
    "resolved_at": "办结时间",
    "nominations": "好人推荐",
    "kind": "类别",
    "nominee_name": "被推荐人",
    "community": "社区",
    "story": "事迹",
    "contact": "联系方式",
    "may_contact": "同意联系",
    "votes_cast": "投票次数",
    "convention": "文明公约",
    "quiz": "知识小测验",
    "best_score": "最好成绩",
    "best_total": "最好成绩题数",
    "best_at": "最好成绩时间",
    "last_score": "最近成绩",
    "attempts": "答题次数",
    "broadcasts": "收到的通知",
    "broadcast": "通知编号",
    "sent_at": "发送时间",
    "volunteer": "志愿服务",
    "bookings": "报名记录",
    "shift_id": "活动编号",
    "title": "活动名称",
    "place": "地点",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "booked_at": "报名时间",
    "checked_in_at": "签到时间",
    "checked_out_at": "签退时间",
    "service_minutes": "服务分钟数",
    "real_name": "姓名",
    "phone": "手机号",
    "district": "区县",
    "skills": "特长",
    "availability": "可服务时间",
    "show_on_leaderboard": "在时长榜显示",
    "outbox": "发给您的消息",
    "inspections": "暗访检查",
    "id": "序号",
    "site": "点位",
    "score": "得分",
    "distance_m": "距点位（米）",
    "started_at": "开始时间",
    "submitted_at": "提交时间",
    "rectification_actions": "整改记录",
    "task": "整改任务编号",
    "action": "操作",
    "note": "说明",
    "at": "时间",
}
MYDATA_INSPECTION_STATUS = {"draft": "检查中", "submitted": "已提交", "discarded": "已作废"}
MYDATA_YES = "是"
MYDATA_NO = "否"
# Coded values of the export's own fields (the features' codes have their names in their texts).
MYDATA_OUTBOX_STATUS = {
    "pending": "待发送",
    "claimed": "发送中",
    "sent": "已送达",
    "failed": "发送失败",
    "unreachable": "无法送达",
    "superseded": "已被更新取代",
}
FORGET_CONFIRM = (
    "确定要删除您的个人数据吗？\n"
    "删除后：您的资料、订阅、志愿者信息将被清除；已提交的投诉内容会匿名保留以便继续办理；"
    "进行中的投票里您投的票会一并删除。此操作不可撤销。"
)
FORGET_YES = "确认删除"
FORGET_NO = "取消"
FORGET_DONE = "您的个人数据已删除。感谢您对创文工作的支持！"
FORGET_KEPT = "已取消，您的数据未做任何改动。"
FORGET_NOT_YOURS = "只有发出删除请求的本人才能确认。"

SUBSCRIBE_PROMPT = "请选择要订阅的通知（再次点击可取消）："
UNSUBSCRIBE_PROMPT = "请选择要退订的通知："
SUBSCRIBED = "已订阅「{topic}」。"
UNSUBSCRIBED = "已退订「{topic}」。"
SUBSCRIPTION_STATUS = "当前订阅：{topics}"
TOPIC_SEPARATOR = "、"
NO_SUBSCRIPTIONS = "无"
TOPIC_ON = "✅ {name}"
TOPIC_OFF = "⬜ {name}"
UNSUBSCRIBE_NONE = "您目前没有订阅任何通知。"
