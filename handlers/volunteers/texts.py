"""The volunteer feature's wording (Simplified Chinese). Templates taking user text get it escaped.

``ERRORS`` words the services' refusals (``VolunteerProblem`` codes); the report's wording is at the end.
"""

from __future__ import annotations

from bot.services.volunteers import VolunteerProblem
from bot.texts import BUTTON_EXPIRED, TEXT_EMPTY, TEXT_TOO_LONG

# ---------------------------------------------------------------- commands
COMMANDS = {
    "volunteer": "志愿者登记 / 我的资料",
    "shifts": "可报名的志愿服务活动",
    "myshifts": "我的报名（取消、签到、签退）",
    "hours": "我的服务时长",
    "leaderboard": "本月志愿服务时长榜",
    "certificate": "志愿服务时长证明",
    "newshift": "发布志愿服务活动",
    "editshift": "修改志愿服务活动",
    "cancelshift": "取消志愿服务活动",
    "roster": "活动名单与导出",
    "hoursexport": "导出志愿服务时长",
}

# ---------------------------------------------------------------- registration and profile
CONSENT = (
    "<b>志愿者登记</b>\n"
    "登记需要保存您的<b>真实姓名、手机号、所在区和社区</b>（技能、常用服务时间可选），"
    "仅用于组织志愿服务、记录服务时长和出具证明（依据《志愿服务记录与证明出具办法》）。\n"
    "手机号在他人可见处一律打码显示；您可随时 /mydata 导出、/forget 删除。\n\n"
    "您同意我们保存以上信息吗？"
)
CONSENT_YES = "同意并继续"
CONSENT_NO = "不同意"
CONSENT_DECLINED = "好的，未保存任何信息。如改变主意，随时发送 /volunteer。"
ASK_NAME = "请输入您的<b>真实姓名</b>（2–20 个字）："
BAD_NAME = "姓名应为 {shortest}–{longest} 个字，不含数字和符号，请重新输入："
ASK_PHONE = "请点击下方「分享手机号」按钮，或直接输入 11 位手机号："
SHARE_PHONE = "📱 分享手机号"
BAD_PHONE = "「{phone}」不是有效的大陆手机号（应为 1 开头的 11 位数字），请重新输入："
PHONE_OK = "✅ 手机号：{phone}"
BTN_BROWSE = "📋 查看可报名的活动"
NOT_OWN_CONTACT = "请分享您本人的手机号（点击下方按钮），或直接输入手机号。"
ASK_DISTRICT = "请选择您所在的区："
ASK_COMMUNITY = "{district}：请选择您所在的社区："
ASK_SKILLS = "您有哪些特长？（例如：急救、手语、外语、摄影；可跳过）"
ASK_AVAILABILITY = "您通常什么时间方便参加？（例如：周末上午、工作日晚上；可跳过）"
ASK_LEADERBOARD = "是否愿意在「志愿服务时长榜」上显示您的姓名？（不显示时姓名打码）"
SKIP = "跳过"
SHOW_NAME = "愿意显示"
HIDE_NAME = "不显示（打码）"
PLEASE_PRESS = "请点击上方按钮选择。"
REGISTERED = "✅ 登记成功！欢迎加入文明劝导志愿者队伍。\n发送 /shifts 查看可报名的活动。"
SAVED = "✅ 已保存。"
PROFILE = (
    "<b>我的志愿者资料</b>\n"
    "姓名：{name}\n手机：{phone}\n区域：{district} {community}\n"
    "特长：{skills}\n常用时间：{availability}\n时长榜显示姓名：{show}\n登记时间：{since}"
)
EDIT_PROMPT = "要修改哪一项？"
FIELD_LABELS = {
    "name": "姓名",
    "phone": "手机号",
    "district": "区域/社区",
    "skills": "特长",
    "availability": "常用时间",
    "leaderboard": "时长榜显示",
}
NOT_GIVEN = "未填写"
YES = "是"
NO = "否"
NOT_REGISTERED = "您还没有登记为志愿者，请先发送 /volunteer 登记。"

# ---------------------------------------------------------------- /shifts and booking
SHIFTS_HEADER = "<b>志愿服务活动</b>（{filters}，共 {total} 场，第 {page}/{pages} 页）"
SHIFTS_EMPTY = "暂时没有符合条件的活动。可以换个区域或日期看看。"
SHIFT_LINE = "<b>#{id} {title}</b>\n📍 {place}（{district}）\n🕒 {when}\n👥 {places}{mine}"
PLACES_FREE = "剩余 {free}/{capacity} 个名额"
PLACES_FULL = "已满（{capacity} 人），候补 {waitlist} 人"
MINE_CONFIRMED = "\n✅ 您已报名"
MINE_WAITLISTED = "\n⏳ 您在候补第 {n} 位"
BTN_BOOK = "报名 #{id}"
BTN_WAITLIST = "候补 #{id}"
BTN_PREV = "« 上一页"
BTN_NEXT = "下一页 »"
BTN_FILTER_DISTRICT = "📍 区域：{name}"
BTN_FILTER_DATE = "📅 日期：{name}"
ALL_DISTRICTS = "全部区域"
DATE_FILTERS = {"all": "全部日期", "today": "今天", "tomorrow": "明天", "week": "未来7天"}
FILTERS = "{district}，{dates}"
CHOOSE_DISTRICT = "按区域筛选："
CHOOSE_DATE = "按日期筛选："

BOOKED = "✅ 报名成功：{title}\n🕒 {when}\n📍 {place}\n活动前 24 小时和 1 小时会提醒您。"
WAITLISTED = "⏳ 名额已满，您已进入候补第 {n} 位：{title}\n有人取消时将自动为您补上并通知您。"
ALREADY_BOOKED = "您已报名该活动，无需重复报名。"
ALREADY_WAITLISTED = "您已在该活动的候补名单中。"
ALREADY_FINISHED = "您已参加过该活动。"
SHIFT_NOT_FOUND = "没有找到这个活动，可能已被删除。"
SHIFT_CANCELLED = "该活动已取消，无法报名。"
SHIFT_STARTED = "该活动已开始或已结束，无法报名。"
OVERLAP = "该活动与您已报名的「{title}」（{when}）时间冲突，不能同时报名。"
BOOKING_NOT_FOUND = "没有找到这条报名记录。"
BOOKING_NOT_ACTIVE = "这条报名已取消或已结束，无需再操作。"
CANCEL_TOO_LATE = "活动已开始，无法取消报名。如有特殊情况请联系活动负责人。"
BOOKING_CANCELLED = "已取消报名：{title}（{when}）。"
PROMOTED = (
    "🎉 候补成功！您已获得名额：{title}\n🕒 {when}\n📍 {place}\n请准时参加，不能参加请在 /myshifts 取消。"
)
CONFIRM_CANCEL = "确定取消报名「{title}」（{when}）吗？"
BTN_CONFIRM_CANCEL = "确定取消"
BTN_KEEP = "保留报名"
KEPT = "好的，报名保留。"

# ---------------------------------------------------------------- /myshifts, check-in and check-out
MYSHIFTS_HEADER = "<b>我的报名</b>"
MYSHIFTS_EMPTY = "您目前没有待参加的活动。发送 /shifts 看看有哪些活动。"
MYSHIFT_LINE = "<b>#{id} {title}</b> — {status}\n🕒 {when}\n📍 {place}"
BOOKING_STATUS_NAMES = {
    "confirmed": "已报名",
    "waitlisted": "候补中",
    "cancelled": "已取消",
    "completed": "已完成",
    "no_show": "未到岗",
}
CHECKED_IN_AT = "（{time} 已签到）"
BTN_CANCEL_BOOKING = "取消 #{id}"
BTN_CHECKIN = "签到 #{id}"
BTN_CHECKOUT = "签退 #{id}"

SEND_LOCATION = "请点击下方「发送位置」按钮，分享您当前的位置完成{action}（需在活动地点 {radius} 米内）。"
BTN_SEND_LOCATION = "📍 发送位置"
ACTION_CHECKIN = "签到"
ACTION_CHECKOUT = "签退"
LOCATION_EXPECTED = "这里需要您分享位置，请点击下方「发送位置」按钮；发送 /cancel 退出。"
LOCATION_FORWARDED = "转发的位置不能用于签到，请点击下方「发送位置」按钮分享您现在的位置。"
BAD_LOCATION = "这个位置无法识别，请点击下方「发送位置」按钮重新分享。"
CHECKED_IN = "✅ 签到成功：{title}，{time}。结束时请签退。"
CHECKED_OUT = "✅ 签退成功：{title}。本次服务时长 {hours} 小时，感谢您的付出！"
TOO_FAR = "您距离活动地点约 {distance} 米，超出 {radius} 米范围，请到达「{place}」后再试。"
CHECKIN_TOO_EARLY = "还没到签到时间：活动 {start:%m月%d日 %H:%M} 开始，开始前 {minutes} 分钟起可签到。"
CHECKIN_CLOSED = "活动已结束，无法签到。"
NOT_CONFIRMED = "您没有该活动的有效名额（候补或已取消），无法签到。"
ALREADY_CHECKED_IN = "您已签到，无需重复签到。"
NOT_CHECKED_IN = "您还没有签到，请先签到。"
ALREADY_CHECKED_OUT = "您已签退，无需重复操作。"
CHECKOUT_CLOSED = "签退时间已过，系统已按活动结束时间为您自动签退。"

# ---------------------------------------------------------------- hours, leaderboard, certificate
HOURS = "<b>我的志愿服务时长</b>\n累计：<b>{hours}</b> 小时，共 {count} 次服务"
HOURS_MONTH = "{month}：{hours} 小时（{count} 次）"
HOURS_EMPTY = "您还没有已记录的服务时长。参加活动并签到、签退后即可累计。"
LEADERBOARD_HEADER = "<b>{month} 志愿服务时长榜</b>"
LEADERBOARD_LINE = "{rank}. {name}（{district}）— {hours} 小时"
LEADERBOARD_EMPTY = "本月还没有记录的服务时长。"

CERT_TITLE = "志愿服务时长证明"
CERT_NO_RECORD = "您还没有已记录的服务时长，暂时无法出具证明。"
CERT_CAPTION = "这是您的志愿服务时长证明（PNG）。"
CERT_BODY = "兹证明 {name} 同志于 {start} 至 {end} 期间参加{city}文明城市创建志愿服务 {count} 次，累计服务时长 {hours} 小时。"
CERT_TABLE_HEADER = ("日期", "服务项目", "地点", "时长(小时)")
CERT_MORE = "……另有 {n} 次较早的服务，详见服务记录"
CERT_ISSUER = "{city}创建全国文明城市工作指挥部办公室"
CERT_STAMP = "（盖章）"
CERT_FOOTER = "证明编号：{number}    出具日期：{date}"
CERT_NOTE = "本证明依据《志愿服务记录与证明出具办法》（民政部令第67号）出具，服务记录可查询核实。"

# ---------------------------------------------------------------- staff: /newshift, /editshift, /cancelshift, /roster
NEWSHIFT_TITLE = "<b>发布志愿服务活动</b>\n请输入活动名称（例如：文明交通劝导）："
ASK_PLACE = "请输入服务地点名称（例如：解放路与中山大道路口）："
ASK_COORDS = "如需按位置签到，请发送活动地点的位置（或输入「纬度,经度」）；不需要请点击「跳过」。"
BAD_COORDS = "没看懂这个坐标，请发送位置，或输入「纬度,经度」，例如 30.58,114.29；不需要请点击「跳过」。"
ASK_SHIFT_DISTRICT = "活动属于哪个区？"
ASK_START = "请输入开始时间，格式 YYYY-MM-DD HH:MM（例如 2026-12-05 07:30）："
ASK_END = "请输入结束时间：可写 HH:MM（同一天）或完整的 YYYY-MM-DD HH:MM："
BAD_TIME = "时间格式不对，请按 YYYY-MM-DD HH:MM 输入，例如 2026-12-05 07:30："
TIME_IN_PAST = "开始时间已经过去，请输入将来的时间："
END_BEFORE_START = "结束时间应晚于开始时间，请重新输入："
SHIFT_TOO_LONG = "单次活动不能超过 {hours} 小时，请重新输入结束时间："
ASK_CAPACITY = "需要多少名志愿者？（1–1000）"
BAD_CAPACITY = "请输入 {lowest}–{highest} 之间的整数："
ASK_NOTES = "有什么注意事项？（例如：穿志愿者马甲、提前 10 分钟到；可跳过）"
ASK_REPEAT = "是否每周重复？选择重复的周数（含本周）："
REPEAT_ONCE = "不重复"
REPEAT_WEEKS = "{n} 周"
SHIFT_CREATED = "✅ 已发布 {count} 场活动：{ids}"
SHIFT_SUMMARY = (
    "<b>#{id} {title}</b>\n📍 {place}（{district}）{coords}\n🕒 {when}\n👥 名额 {capacity}\n📝 {notes}"
)
COORDS_SET = " 📡 按位置签到"
NO_DISTRICT = "—"
EDITSHIFT_USAGE = "用法：/editshift 活动编号，例如 /editshift 12"
CANCELSHIFT_USAGE = "用法：/cancelshift 活动编号，例如 /cancelshift 12"
ROSTER_USAGE = "用法：/roster 活动编号，例如 /roster 12"
EDIT_SHIFT_PROMPT = "要修改活动 #{id} 的哪一项？"
SHIFT_FIELD_LABELS = {
    "title": "名称",
    "place": "地点",
    "time": "时间",
    "capacity": "名额",
    "notes": "注意事项",
}
ASK_NEW_VALUE = "请输入新的{field}："
SHIFT_UPDATED = "✅ 活动 #{id} 已更新，正在通知 {notified} 位报名/候补的志愿者。"
SHIFT_CHANGED_NOTICE = "📢 您报名的活动有变动：\n{summary}"
CAPACITY_BELOW_BOOKED = "名额不能少于已报名人数（{booked} 人）。"
SHIFT_NOT_EDITABLE = "该活动已取消或已开始，不能再修改。"
CONFIRM_CANCEL_SHIFT = "确定取消活动 #{id}「{title}」吗？已报名和候补的 {count} 位志愿者会收到通知。"
BTN_CANCEL_SHIFT = "确定取消活动"
BTN_EDIT_SHIFT = "修改活动"
BTN_ROSTER_CANCEL = "取消活动"
SHIFT_CANCELLED_DONE = "已取消活动 #{id}，正在通知 {notified} 位志愿者。"
SHIFT_CANCELLED_NOTICE = "📢 很抱歉，您报名的活动已取消：{title}（{when}，{place}）。"
SHIFT_ALREADY_CANCELLED = "该活动已经取消了。"
ROSTER_HEADER = "<b>#{id} {title}</b>\n🕒 {when}\n📍 {place}\n名额 {confirmed}/{capacity}，候补 {waitlist} 人"
ROSTER_SECTION = "\n<b>{name}</b>（{count}）"
ROSTER_LINE = "{n}. {name} {phone}{extra}"
ROSTER_EMPTY = "（无）"
ROSTER_NO_NAME = "—"
ROSTER_CHECKED_IN = " {time}"
ROSTER_HOURS = " {hours}h"
ROSTER_MORE = "…（+{n}）"
ROSTER_SECTIONS = {
    "confirmed": "已报名",
    "checked_in": "已签到",
    "completed": "已完成",
    "no_show": "未到岗",
    "waitlisted": "候补",
}
BTN_EXPORT_XLSX = "导出 Excel"
BTN_EXPORT_CSV = "导出 CSV"
EXPORT_CAPTION = "{what}（手机号已打码）"
EXPORT_ROSTER = "活动 #{id} 名单"
EXPORT_HOURS = "{month} 志愿服务时长"
HOURSEXPORT_USAGE = "用法：/hoursexport [YYYY-MM]，例如 /hoursexport 2026-11（默认本月）"
ROSTER_COLUMNS = (
    "序号",
    "姓名",
    "手机号",
    "区",
    "社区",
    "状态",
    "报名时间",
    "签到时间",
    "签退时间",
    "时长(小时)",
)
HOURS_COLUMNS = ("姓名", "手机号", "区", "社区", "服务次数", "时长(小时)")
# ---------------------------------------------------------------- scheduled notices
REMINDER = "⏰ 志愿服务提醒：{title} 将于 {when_left}开始。\n🕒 {when}\n📍 {place}\n{notes}到达后请在 /myshifts 签到。"
REMINDER_24H = "明天（24 小时后）"
REMINDER_1H = "1 小时后"
REMINDER_NOTES = "📝 {notes}\n"
NO_SHOW_NOTICE = "您报名的活动「{title}」已结束，未记录到您的签到，记为未到岗。如有疑问请联系活动负责人。"

# ---------------------------------------------------------------- shared pieces
DEFAULT_CITY = "本市"  # when data/districts.yaml names no city
IDS_SEPARATOR = "、"
CHOSEN = "{question} {answer}"  # a question with the answer chosen, once its buttons are pressed
CONSENT_GIVEN = "{consent}\n✅ {answer}"

# Times of shifts: "12月05日 07:30–09:30（周六）"; the end names its day when it is another day.
SHIFT_DAY_TIME = "%m月%d日 %H:%M"
SHIFT_TIME = "{start}–{end}（周{weekday}）"
WEEKDAYS = "一二三四五六日"
CERT_DATE = "%Y年%m月%d日"

# ---------------------------------------------------------------- the services' refusals
ERRORS: dict[str, str] = {
    VolunteerProblem.NOT_REGISTERED: NOT_REGISTERED,
    VolunteerProblem.TEXT_EMPTY: TEXT_EMPTY,
    VolunteerProblem.TEXT_TOO_LONG: TEXT_TOO_LONG,
    VolunteerProblem.BAD_NAME: BAD_NAME,
    VolunteerProblem.BAD_PHONE: BAD_PHONE,
    VolunteerProblem.UNKNOWN_PLACE: BUTTON_EXPIRED,
    VolunteerProblem.BAD_TIME: BAD_TIME,
    VolunteerProblem.TIME_IN_PAST: TIME_IN_PAST,
    VolunteerProblem.END_BEFORE_START: END_BEFORE_START,
    VolunteerProblem.SHIFT_TOO_LONG: SHIFT_TOO_LONG,
    VolunteerProblem.BAD_CAPACITY: BAD_CAPACITY,
    VolunteerProblem.BAD_COORDS: BAD_COORDS,
    VolunteerProblem.BAD_MONTH: HOURSEXPORT_USAGE,
    VolunteerProblem.SHIFT_NOT_FOUND: SHIFT_NOT_FOUND,
    VolunteerProblem.SHIFT_NOT_EDITABLE: SHIFT_NOT_EDITABLE,
    VolunteerProblem.SHIFT_CANCELLED: SHIFT_CANCELLED,
    VolunteerProblem.SHIFT_STARTED: SHIFT_STARTED,
    VolunteerProblem.SHIFT_ALREADY_CANCELLED: SHIFT_ALREADY_CANCELLED,
    VolunteerProblem.CAPACITY_BELOW_BOOKED: CAPACITY_BELOW_BOOKED,
    VolunteerProblem.ALREADY_BOOKED: ALREADY_BOOKED,
    VolunteerProblem.ALREADY_WAITLISTED: ALREADY_WAITLISTED,
    VolunteerProblem.ALREADY_FINISHED: ALREADY_FINISHED,
    VolunteerProblem.OVERLAP: OVERLAP,
    VolunteerProblem.BOOKING_NOT_FOUND: BOOKING_NOT_FOUND,
    VolunteerProblem.BOOKING_NOT_ACTIVE: BOOKING_NOT_ACTIVE,
    VolunteerProblem.CANCEL_TOO_LATE: CANCEL_TOO_LATE,
    VolunteerProblem.LOCATION_EXPECTED: LOCATION_EXPECTED,
    VolunteerProblem.BAD_LOCATION: BAD_LOCATION,
    VolunteerProblem.TOO_FAR: TOO_FAR,
    VolunteerProblem.CHECKIN_TOO_EARLY: CHECKIN_TOO_EARLY,
    VolunteerProblem.CHECKIN_CLOSED: CHECKIN_CLOSED,
    VolunteerProblem.NOT_CONFIRMED: NOT_CONFIRMED,
    VolunteerProblem.ALREADY_CHECKED_IN: ALREADY_CHECKED_IN,
    VolunteerProblem.NOT_CHECKED_IN: NOT_CHECKED_IN,
    VolunteerProblem.ALREADY_CHECKED_OUT: ALREADY_CHECKED_OUT,
    VolunteerProblem.CHECKOUT_CLOSED: CHECKOUT_CLOSED,
}

# ---------------------------------------------------------------- the supervision report's section
REPORT_TITLE = "志愿服务"
REPORT_TABLE = "按区县统计（按上岗时间计入）"
REPORT_COLUMNS = [
    "区县",
    "岗位数",
    "名额",
    "报名",
    "签到",
    "到岗率",
    "上期到岗率",
    "服务时长（小时）",
    "上岗人数",
]
REPORT_SHIFTS = "志愿岗位"
REPORT_BOOKED = "报名（占名额）"
REPORT_CHECKED_IN = "签到"
REPORT_TURNOUT = "到岗率"
REPORT_HOURS = "服务时长"
REPORT_ACTIVE = "上岗志愿者"
REPORT_NEW = "新注册志愿者"
REPORT_NO_DISTRICT = "（未分区）"
REPORT_CHART = "各区县报名与签到"
