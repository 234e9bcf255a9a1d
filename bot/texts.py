"""Every user-facing string, in Simplified Chinese, in one catalogue.

Strings that take user-supplied values are formatted by the caller with values already passed
through ``html.escape`` (replies use HTML parse mode). Sections are marked per feature; keep each
feature's strings inside its section.
"""

from __future__ import annotations

# ---------------------------------------------------------------- common / foundation
BOT_NAME = "创文助手"

MENU_COMPLAIN = "投诉举报"
MENU_VOLUNTEER = "志愿报名"
MENU_CONVENTION = "文明公约"
MENU_NOMINATE = "好人推荐"
MENU_SUBSCRIBE = "订阅通知"
MENU_ROWS = [[MENU_COMPLAIN, MENU_VOLUNTEER], [MENU_CONVENTION, MENU_NOMINATE], [MENU_SUBSCRIBE]]
MENU_PLACEHOLDER = "请选择功能，或直接输入问题"

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
FEATURE_COMING = "「{feature}」功能正在建设中，敬请期待。"
BUTTON_EXPIRED = "该按钮已失效，请重新操作。"
ALREADY_DONE = "已处理，无需重复操作。"

NOT_ALLOWED = "抱歉，您没有权限使用此功能。"
FLOOD_NOTICE = "您发送得太快了，请稍等片刻再试。"
ERROR_REPLY = "抱歉，系统出了点问题，请稍后再试。（错误码 {code}）"
ERROR_ADMIN_ALERT = "⚠️ 错误 {code}：{error}\n更新：{update}"

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

# ---------------------------------------------------------------- complaints (classifier and tickets)


# ---------------------------------------------------------------- volunteers


# ---------------------------------------------------------------- convention
CONVENTION_COMMANDS = {
    "convention": "文明公约20条",
    "ask": "问公约：用一句话提问",
    "quiz": "公约知识小测验",
}
CONVENTION_LIST_HEADER = "<b>{title}</b>\n请点击条目查看全文（第 {page}/{pages} 页）："
CONVENTION_PREV_PAGE = "◀ 上一页"
CONVENTION_NEXT_PAGE = "下一页 ▶"
CONVENTION_PREV = "◀ 上一条"
CONVENTION_NEXT = "下一条 ▶"
CONVENTION_TO_LIST = "📋 目录"
CONVENTION_ASK_BUTTON = "问公约"
CONVENTION_QUIZ_BUTTON = "📝 小测验"
CONVENTION_DAILY_BUTTON = "📅 每日一条"
CONVENTION_ARTICLE_BUTTON = "{number}. {title}"
CONVENTION_ARTICLE = (
    "<b>第 {number} 条　{title}</b>\n\n{text}\n\n"
    "💡 <b>白话解释</b>\n{explanation}\n\n"
    "✅ <b>应该这样做</b>\n{do}\n\n"
    "❌ <b>不要这样做</b>\n{dont}"
)
CONVENTION_RULE = "\n\n⚖️ <b>相关规定</b>\n{rule}"
CONVENTION_BULLET = "• {item}"
CONVENTION_BAD_NUMBER = "没有「{value}」这一条。公约共 {count} 条，请发送 1 到 {count} 之间的数字，例如 /convention 3，或在下面的目录中点选。"
CONVENTION_DAILY_SUBSCRIBED = (
    "已订阅每日公约：每天 {time} 为您推送一条，按顺序循环学习。发送 /unsubscribe 可退订。"
)
CONVENTION_DAILY_ALREADY = "您已订阅每日公约，每天 {time} 推送一条。发送 /unsubscribe 可退订。"
CONVENTION_DAILY_HEADER = "📅 <b>每日公约</b>（{date}）\n\n"

CONVENTION_ASK_PROMPT = (
    "请用一句话说说您想问什么，例如：\n"
    "• 狗狗出门不拴绳可以吗\n"
    "• 公交车上要不要给老人让座\n"
    "• 电动车能停在人行道上吗\n\n"
    "发送 /cancel 退出。"
)
CONVENTION_ASK_REPROMPT = "这里需要输入文字问题，例如「饭店包间能抽烟吗」。发送 /cancel 退出。"
CONVENTION_ASK_TOO_LONG = (
    "问题太长了（{length} 字）。请用一两句话、{limit} 字以内说说您想问什么，例如「楼道里能停电动车吗」。"
)
CONVENTION_ASK_NOT_CHINESE = (
    "请用中文提问，例如「狗狗出门不拴绳可以吗」。也可以点下方「📋 目录」浏览全部 {count} 条公约。"
)
CONVENTION_ASK_BEST = "🔎 和您的问题最相关的是：\n\n<b>第 {number} 条　{title}</b>\n{text}\n\n💡 {excerpt}"
CONVENTION_ASK_WEAK = (
    "🤔 没有找到很确定的答案，可能相关的是：\n\n<b>第 {number} 条　{title}</b>\n{text}\n\n💡 {excerpt}"
)
CONVENTION_ASK_RULE = "\n\n⚖️ {rule}"
CONVENTION_ASK_ALSO = "\n\n其他可能相关的条目见下方按钮。"
CONVENTION_ASK_NONE = "抱歉，没有找到和「{question}」相关的公约条目。可以换个说法再问（发送 /ask 加问题），或者从下面的目录中查看："
CONVENTION_ASK_FULL = "查看第 {number} 条全文"

CONVENTION_QUIZ_QUESTION = "📝 <b>第 {index}/{total} 题</b>（第 {article} 条　{title}）\n\n{question}"
CONVENTION_QUIZ_OPTION = "{letter}. {option}"
CONVENTION_QUIZ_RIGHT = "✅ 回答正确！"
CONVENTION_QUIZ_WRONG = "❌ 回答错误，正确答案是 {letter}. {option}"
CONVENTION_QUIZ_ANSWERED = "{question}\n\n您的选择：{letter}. {option}\n{verdict}\n\n📖 {explanation}"
CONVENTION_QUIZ_DONE = "🎉 测验完成！本次得分：<b>{score}/{total}</b>\n{best}"
CONVENTION_QUIZ_NEW_BEST = "🏆 刷新个人最好成绩！（共测验 {attempts} 次）"
CONVENTION_QUIZ_BEST = "个人最好成绩：{best}/{best_total}（共测验 {attempts} 次）"
CONVENTION_QUIZ_AGAIN = "再测一次"
CONVENTION_QUIZ_ALREADY = "这道题已经答过了。"
CONVENTION_QUIZ_OVER = "这轮测验已经结束，发送 /quiz 可以再测一次。"
CONVENTION_QUIZ_BANK_CHANGED = "题库已更新，这轮测验无法继续，请发送 /quiz 重新开始。"


# ---------------------------------------------------------------- nominations


# ---------------------------------------------------------------- broadcasts


# ---------------------------------------------------------------- staff, roles, audit, reports


# ---------------------------------------------------------------- end of catalogue
