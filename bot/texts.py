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


# ---------------------------------------------------------------- nominations


# ---------------------------------------------------------------- broadcasts


# ---------------------------------------------------------------- staff, roles, audit, reports
STAFF_COMMAND_DESCRIPTIONS = {
    "grant": "授予角色：/grant 用户ID 角色 [部门]",
    "revoke": "撤销角色：/revoke 用户ID",
    "staff": "查看工作人员及其角色",
    "audit": "查看操作日志：/audit [用户ID] [操作] [起始日期]",
    "report": "督查报告：/report month|quarter [2026-11|2026-Q4]",
}
ROLE_LABELS = {
    "resident": "居民",
    "volunteer": "志愿者",
    "handler": "部门处理人",
    "staff": "创文办工作人员",
    "admin": "管理员",
}
STAFF_GRANT_USAGE = (
    "用法：/grant 用户ID 角色 [部门]\n"
    "角色：staff（工作人员）、handler（部门处理人，须写部门）、admin（管理员）、volunteer（志愿者）、resident（居民）\n"
    "例如：/grant 123456789 工作人员\n"
    "　　　/grant 123456789 部门 chengguan"
)
STAFF_REVOKE_USAGE = "用法：/revoke 用户ID（撤销后该用户恢复为居民）"
STAFF_BAD_ID = "「{value}」不是有效的 Telegram 用户ID，应为一串数字（可请对方向 @userinfobot 查询）。"
STAFF_BAD_ROLE = "不认识角色「{value}」。可用：staff/工作人员、handler/部门、admin/管理员、volunteer/志愿者、resident/居民。"
STAFF_NEEDS_DEPARTMENT = (
    "部门处理人须指定部门，例如 /grant 123456789 部门 chengguan。\n可选部门：{departments}"
)
STAFF_BAD_DEPARTMENT = "没有部门「{value}」。可选部门：{departments}"
STAFF_DEPARTMENT_ONLY_FOR_HANDLER = "只有部门处理人（handler/部门）需要指定部门，其他角色请不要写部门。"
STAFF_CONFIG_ADMIN = (
    "{user_id} 是配置文件（ADMIN_IDS）中的管理员，角色以配置为准，不能在机器人里更改或撤销。"
    "如需调整，请修改配置中的 ADMIN_IDS 后重启机器人。"
)
STAFF_NOT_YOURSELF = "不能撤销自己的角色，请由另一位管理员操作。"
STAFF_NOTHING_TO_REVOKE = "{user_id} 目前没有工作人员角色，无需撤销。"
STAFF_GRANTED = "✅ 已将 {user_id} 设为「{role}」{department}。对方的命令菜单已更新。"
STAFF_GRANTED_UNCHANGED = "{user_id} 已经是「{role}」{department}，未做改动。"
STAFF_GRANT_DEPARTMENT = "（{department}）"
STAFF_REVOKED = "✅ 已撤销 {user_id} 的「{role}」角色，对方现为居民。"
STAFF_LIST_HEADER = "<b>工作人员名单</b>（共 {count} 人）"
STAFF_LIST_LINE = "• {name} <code>{user_id}</code> — {role}{department}{source}"
STAFF_LIST_FROM_CONFIG = "（配置）"
STAFF_LIST_EMPTY = "目前没有工作人员。管理员可用 /grant 授予角色。"
STAFF_UNNAMED = "（未登记姓名）"

AUDIT_HEADER = "<b>操作日志</b>　第 {first}–{last} 条，共 {total} 条{filters}"
AUDIT_FILTERS = "\n筛选：{filters}"
AUDIT_FILTER_WHO = "操作人 {value}"
AUDIT_FILTER_WHAT = "操作 {value}*"
AUDIT_FILTER_SINCE = "自 {value} 起"
AUDIT_LINE = "{time}　{actor}　{action}　{target}{details}"
AUDIT_SYSTEM_ACTOR = "系统"
AUDIT_EMPTY = "没有符合条件的操作记录。"
AUDIT_OLDER = "更早 ▶"
AUDIT_NEWER = "◀ 较新"
AUDIT_BAD_DATE = "日期「{value}」不正确，请写成 2026-11-01 这样。"
AUDIT_BAD_FILTER = (
    "看不懂筛选条件「{value}」。用法：/audit [用户ID] [操作] [起始日期]，"
    "例如 /audit 123456789 role 2026-11-01，或 /audit 7天。"
)
AUDIT_QUERY_GONE = "这组筛选已过期，请重新发送 /audit。"
AUDIT_ACTION_NAMES = {
    "role.grant": "授予角色",
    "role.revoke": "撤销角色",
    "report.view": "查看督查报告",
    "report.sent": "定时发送督查报告",
}

REPORT_USAGE = (
    "用法：/report month [年-月] 或 /report quarter [年-Q季度]\n"
    "例如：/report month 2026-11，/report quarter 2026-Q4；不写时间则为上一个完整的月/季度。"
)
REPORT_PICK = "请选择要查看的督查报告（上一个完整周期）："
REPORT_PICK_MONTH = "月报（{period}）"
REPORT_PICK_QUARTER = "季报（{period}）"
REPORT_BAD_PERIOD = "看不懂时间「{value}」，请写成 {example} 这样。"
REPORT_FUTURE_PERIOD = "{period}还没有开始，暂无数据。"
REPORT_MONTH_LABEL = "{year}年{number}月"
REPORT_QUARTER_LABEL = "{year}年第{number}季度"
REPORT_KIND_NAMES = {"month": "月度督查报告", "quarter": "季度通报"}
REPORT_TITLE = "创文{kind}（{period}）"
REPORT_TEXT_PERIOD = "统计周期：{current}；对比：{previous}；生成于 {generated}"
REPORT_TEXT_FOOTER = "详细数据见附件图表与 Excel 表格。"
REPORT_SECTION_EMPTY = "• 本期无数据"
REPORT_COMPARE = "上期 {previous}"
REPORT_NO_CHANGE = "持平"
REPORT_POINTS = "{value}个百分点"
REPORT_HOURS = "{value}小时"
REPORT_CHART_EMPTY = "本期暂无可绘制的数据"
REPORT_TABLE_EMPTY = "本期无数据"
REPORT_THIS_PERIOD = "本期"
REPORT_LAST_PERIOD = "上期"
REPORT_PHOTO_CAPTION = "{title} · 图表"
REPORT_XLSX_CAPTION = "{title} · Excel 明细（每个板块一个工作表）"
REPORT_XLSX_PERIOD = "统计周期"
REPORT_XLSX_PREVIOUS = "对比周期"
REPORT_XLSX_METRIC_COLUMNS = ["指标", "本期", "上期", "变化"]
REPORT_GENERATING = "正在生成{period}督查报告，请稍候……"
REPORT_SCHEDULED_INTRO = "📬 定时督查报告"

REPORT_STAFF_TITLE = "工作人员操作"
REPORT_STAFF_TABLE = "按操作类型统计"
REPORT_STAFF_COLUMNS = ["操作", "代码", "本期次数", "上期次数", "操作人数"]
REPORT_STAFF_ACTIONS = "操作总数"
REPORT_STAFF_ACTIVE = "有操作的工作人员"


# ---------------------------------------------------------------- end of catalogue
