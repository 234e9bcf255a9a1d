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


# ---------------------------------------------------------------- complaints (classifier and tickets)

COMPLAINT_TEXT_LIMIT = 1000
COMPLAINT_ADDRESS_LIMIT = 200

TICKET_STATUS_NAMES = {
    "received": "待受理",
    "accepted": "办理中",
    "resolved": "已办结",
    "closed": "已关闭",
    "rejected": "已驳回",
    "duplicate": "重复件",
}
TICKET_EVENT_NAMES = {
    "created": "提交",
    "accept": "受理",
    "reassign": "转派",
    "resolve": "办结",
    "reject": "驳回",
    "duplicate": "标记重复",
    "triage": "分拣",
    "rate": "评价",
    "reopen": "重新办理",
    "close": "自动关闭",
    "warned": "临期提醒",
    "escalated": "超时督办",
}

COMPLAIN_START = (
    "请描述您要投诉或反映的问题（{limit} 字以内）：什么问题、在哪里、什么时间。\n"
    "可以直接发文字，也可以发一张带文字说明的照片。随时发送 /cancel 退出。"
)
COMPLAIN_TEXT_EXPECTED = "请用文字描述问题（也可以发送带文字说明的照片）。"
COMPLAIN_TOO_LONG = "描述太长了（{length} 字），请精简到 {limit} 字以内后重新发送。已收到的照片会保留。"
COMPLAIN_NO_WORDS = "只有表情无法受理，请用文字说明是什么问题、在哪里。"
COMPLAIN_PHOTO_KEPT = "照片已收到（共 {count} 张）。请再发送一段文字，说明是什么问题、在哪里。"
COMPLAIN_FORWARDED = "已收到您转发的内容，将作为问题描述。"
COMPLAIN_ASK_LOCATION = "请发送问题发生的位置：点击下方「发送当前位置」，或直接输入地址；不方便可点「跳过」。"
COMPLAIN_LOCATION_BUTTON = "📍 发送当前位置"
COMPLAIN_SKIP = "跳过"
COMPLAIN_LOCATION_EXPECTED = "请发送位置、输入地址，或点击「跳过」。"
COMPLAIN_ADDRESS_TOO_LONG = "地址太长了，请控制在 {limit} 字以内。"
COMPLAIN_ASK_ANONYMOUS = "是否对承办部门隐藏您的昵称？（工作人员仍可通过本机器人联系您反馈结果）"
COMPLAIN_NAMED = "实名反映"
COMPLAIN_ANONYMOUS = "匿名反映"
COMPLAIN_USE_BUTTONS = "请点击上方按钮选择。"
COMPLAIN_SUMMARY = (
    "<b>请确认您的投诉</b>\n"
    "问题描述：{text}\n"
    "位置：{place}\n"
    "身份：{identity}\n"
    "分类：<b>{category}</b>\n"
    "判断依据（关键词）：{keywords}\n"
    "承办部门：{department}\n"
    "办理时限：{hours} 小时{urgent}"
)
COMPLAIN_NO_KEYWORDS = "未识别到关键词，将由工作人员人工分拣"
COMPLAIN_USER_CHOSEN = "（您选择的分类）"
COMPLAIN_URGENT_MARK = "\n⚠️ 紧急事项（{kinds}），将优先处理。"
COMPLAIN_NO_PLACE = "未提供"
COMPLAIN_CONFIRM = "✅ 确认提交"
COMPLAIN_OTHER_CATEGORY = "选择其他分类"
COMPLAIN_PICK_CATEGORY = "请选择最符合的分类："
COMPLAIN_FILED = (
    "投诉已受理登记，编号 <b>{number}</b>。\n"
    "已转交{department}办理，时限 {hours} 小时。办理进展会第一时间通知您。\n"
    "发送 /mycomplaints 查看我的投诉。"
)
COMPLAIN_FILED_DUPLICATE = (
    "感谢反映！编号 <b>{number}</b>。\n"
    "同一问题已有市民反映（编号 {original}），正在办理中，您的反映已合并，办理结果同样会通知您。"
)
COMPLAIN_DRAFT_LOST = "这条投诉草稿已失效，请发送 /complain 重新开始。"

TICKET_CARD = (
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
)
TICKET_CARD_URGENT = "🚨 <b>紧急</b>（{kinds}）\n"
TICKET_REPORTER_ANONYMOUS = "匿名"
TICKET_REPORTER_GONE = "（已注销）"
TICKET_BUTTON_ACCEPT = "受理"
TICKET_BUTTON_REASSIGN = "转派"
TICKET_BUTTON_RESOLVE = "办结"
TICKET_BUTTON_REJECT = "驳回"
TICKET_BUTTON_DUPLICATE = "重复"
TICKET_BUTTON_TRIAGE = "分拣：{name}"
TICKET_PICK_DEPARTMENT = "请选择转派的部门（工单 {number}）："
TICKET_PICK_TRIAGE = "请为工单 {number} 选择分类："
TICKET_ASK_RESOLVE_NOTE = (
    "请回复工单 {number} 的办结说明（可附一张现场照片，照片请带文字说明）。发送 /cancel 取消。"
)
TICKET_ASK_REJECT_REASON = "请回复驳回工单 {number} 的理由。发送 /cancel 取消。"
TICKET_ASK_ORIGINAL = (
    "请回复原工单编号（例如 TS-20261127-0001），工单 {number} 将标记为其重复件。发送 /cancel 取消。"
)
TICKET_NOTE_EXPECTED = "请输入文字说明（照片需带文字说明），或发送 /cancel 取消。"
TICKET_DONE_TOAST = "已{action}：{number}"
TICKET_STAFF_DONE = "工单 {number} 已{action}（{actor}）。"
TICKET_NOT_FOUND = "没有找到这个工单。"
TICKET_NUMBER_INVALID = "工单编号格式不对，应类似 TS-20261127-0001。"
TICKET_WRONG_STATUS = "工单 {number} 当前状态为「{status}」，不能{action}。"
TICKET_NOT_YOURS = "只有该工单的承办部门或创文办工作人员可以操作。"
TICKET_ONLY_REPORTER = "只有举报人本人可以进行此操作。"
TICKET_REOPEN_EXPIRED = "办结已超过 {days} 天，不能再申请重新办理。如问题仍存在，请重新投诉。"
TICKET_SAME_DEPARTMENT = "工单已在该部门，无需转派。"
TICKET_UNKNOWN_DEPARTMENT = "没有这个部门。"
TICKET_UNKNOWN_CATEGORY = "没有这个分类。"
TICKET_DUPLICATE_SELF = "不能把工单标记为自身的重复件。"
TICKET_ALREADY_RATED = "您已评价过这个工单，感谢！"
TICKET_RATING_INVALID = "评分应为 1 到 5。"

TICKET_NOTIFY_ACCEPTED = "您的投诉 <b>{number}</b> 已被{department}受理，正在办理。"
TICKET_NOTIFY_REASSIGNED = "您的投诉 <b>{number}</b> 已转交{department}办理。"
TICKET_NOTIFY_RESOLVED = (
    "您的投诉 <b>{number}</b> 已办结。\n办理结果：{note}\n\n"
    "请为本次办理打分（回访满意度，1 分最低，5 分最高）。如问题没有解决，{days} 天内可申请重新办理。"
)
TICKET_NOTIFY_REJECTED = "您的投诉 <b>{number}</b> 未予受理。\n理由：{note}\n如有疑问可重新投诉并补充说明。"
TICKET_NOTIFY_DUPLICATE = (
    "您的投诉 <b>{number}</b> 与工单 {original} 为同一问题，已合并办理，结果会一并通知您。"
)
TICKET_NOTIFY_TRIAGED = "您的投诉 <b>{number}</b> 已分类为「{category}」，由{department}办理。"
TICKET_NOTIFY_REOPENED = "您的投诉 <b>{number}</b> 已重新交{department}办理，时限 {hours} 小时。"
TICKET_NOTIFY_CLOSED = "感谢您的评价（{rating} 分）！投诉 <b>{number}</b> 已关闭。"
TICKET_RATE_BUTTON = "{stars} {n}分"
TICKET_REOPEN_BUTTON = "问题未解决，重新办理"
TICKET_LINKED_OUTCOME = "您反映的问题（已合并至工单 {number}）办理结果：{status}。\n说明：{note}"
TICKET_REOPENED_STAFF = "🔁 工单 {number} 经举报人申请重新办理。"

TICKET_WARN = "⏰ 工单 {number} 将于 {due} 到期（时限 {hours} 小时），请抓紧办理。"
TICKET_ESCALATE = "🔴 <b>督办</b>：工单 {number}（{category}，{department}）已超过办理时限（{due} 到期），状态「{status}」。"
TICKET_URGENT_ALERT = (
    "🚨 <b>紧急投诉</b> {number}（{kinds}）：{text}\n承办部门：{department}，时限 {hours} 小时。"
)

MYCOMPLAINTS_EMPTY = "您还没有提交过投诉。点击「投诉举报」即可反映问题。"
MYCOMPLAINTS_HEADER = "<b>我的投诉</b>（最近 {count} 件）"
MYCOMPLAINTS_LINE = "{number}　{status}　{category}　{created}"
MYCOMPLAINTS_FOOTER = "发送 /ticket 编号 查看详情和办理记录。"
TICKET_USAGE = "用法：/ticket 工单编号，例如 /ticket TS-20261127-0001"
TICKET_DETAIL = (
    "<b>工单 {number}</b>（{status}）\n"
    "分类：{category}\n"
    "承办部门：{department}\n"
    "问题描述：{text}\n"
    "位置：{place}\n"
    "提交时间：{created}\n"
    "办理时限：{due}{rating}\n\n"
    "<b>办理记录</b>\n{history}"
)
TICKET_DETAIL_RATING = "\n满意度：{rating} 分"
TICKET_HISTORY_LINE = "{time} {event}{note}"

QUEUE_HEADER = "<b>投诉工单</b>（{filter}，共 {count} 件{more}）"
QUEUE_MORE = "，仅显示前 {shown} 件"
QUEUE_EMPTY = "没有符合条件的工单。"
QUEUE_LINE = "{overdue}{number}　{status}　{category}　{department}　到期 {due}"
QUEUE_OVERDUE_MARK = "🔴"
QUEUE_FILTER_OPEN = "待办"
QUEUE_FILTER_TRIAGE = "待分拣"
QUEUE_FILTER_OVERDUE = "已超时"
QUEUE_FILTER_STATUS = "按状态"
QUEUE_FILTER_CATEGORY = "按分类"
QUEUE_FILTER_DEPARTMENT = "按部门"
QUEUE_PICK = "请选择筛选条件："
QUEUE_VIEW_BUTTON = "处理 {number}"

TICKET_COMMAND_DESCRIPTIONS = {
    "complain": "投诉举报",
    "mycomplaints": "我的投诉",
    "ticket": "查看工单详情",
    "complaints": "投诉工单队列（工作人员）",
}


# ---------------------------------------------------------------- volunteers
VOL_COMMAND_DESCRIPTIONS = {
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

VOL_CONSENT = (
    "<b>志愿者登记</b>\n"
    "登记需要保存您的<b>真实姓名、手机号、所在区和社区</b>（技能、常用服务时间可选），"
    "仅用于组织志愿服务、记录服务时长和出具证明（依据《志愿服务记录与证明出具办法》）。\n"
    "手机号在他人可见处一律打码显示；您可随时 /mydata 导出、/forget 删除。\n\n"
    "您同意我们保存以上信息吗？"
)
VOL_CONSENT_YES = "同意并继续"
VOL_CONSENT_NO = "不同意"
VOL_CONSENT_DECLINED = "好的，未保存任何信息。如改变主意，随时发送 /volunteer。"
VOL_ASK_NAME = "请输入您的<b>真实姓名</b>（2–20 个字）："
VOL_BAD_NAME = "姓名应为 2–20 个字，不含数字和符号，请重新输入："
VOL_ASK_PHONE = "请点击下方「分享手机号」按钮，或直接输入 11 位手机号："
VOL_SHARE_PHONE = "📱 分享手机号"
VOL_BAD_PHONE = "「{phone}」不是有效的大陆手机号（应为 1 开头的 11 位数字），请重新输入："
VOL_PHONE_OK = "✅ 手机号：{phone}"
VOL_BTN_BROWSE = "📋 查看可报名的活动"
VOL_NOT_OWN_CONTACT = "请分享您本人的手机号（点击下方按钮），或直接输入手机号。"
VOL_ASK_DISTRICT = "请选择您所在的区："
VOL_ASK_COMMUNITY = "{district}：请选择您所在的社区："
VOL_ASK_SKILLS = "您有哪些特长？（例如：急救、手语、外语、摄影；可跳过）"
VOL_ASK_AVAILABILITY = "您通常什么时间方便参加？（例如：周末上午、工作日晚上；可跳过）"
VOL_ASK_LEADERBOARD = "是否愿意在「志愿服务时长榜」上显示您的姓名？（不显示时姓名打码）"
VOL_SKIP = "跳过"
VOL_YES_SHOW = "愿意显示"
VOL_NO_SHOW = "不显示（打码）"
VOL_PLEASE_PRESS = "请点击上方按钮选择。"
VOL_REGISTERED = "✅ 登记成功！欢迎加入文明劝导志愿者队伍。\n发送 /shifts 查看可报名的活动。"
VOL_SAVED = "✅ 已保存。"
VOL_PROFILE = (
    "<b>我的志愿者资料</b>\n"
    "姓名：{name}\n手机：{phone}\n区域：{district} {community}\n"
    "特长：{skills}\n常用时间：{availability}\n时长榜显示姓名：{show}\n登记时间：{since}"
)
VOL_EDIT_PROMPT = "要修改哪一项？"
VOL_FIELD_LABELS = {
    "name": "姓名",
    "phone": "手机号",
    "district": "区域/社区",
    "skills": "特长",
    "availability": "常用时间",
    "leaderboard": "时长榜显示",
}
VOL_NONE = "未填写"
VOL_YES = "是"
VOL_NO = "否"
VOL_NOT_REGISTERED = "您还没有登记为志愿者，请先发送 /volunteer 登记。"

VOL_SHIFTS_HEADER = "<b>志愿服务活动</b>（{filters}，共 {total} 场，第 {page}/{pages} 页）"
VOL_SHIFTS_EMPTY = "暂时没有符合条件的活动。可以换个区域或日期看看。"
VOL_SHIFT_LINE = "<b>#{id} {title}</b>\n📍 {place}（{district}）\n🕒 {when}\n👥 {places}{mine}"
VOL_PLACES_FREE = "剩余 {free}/{capacity} 个名额"
VOL_PLACES_FULL = "已满（{capacity} 人），候补 {waitlist} 人"
VOL_MINE_CONFIRMED = "\n✅ 您已报名"
VOL_MINE_WAITLISTED = "\n⏳ 您在候补第 {n} 位"
VOL_BTN_BOOK = "报名 #{id}"
VOL_BTN_WAITLIST = "候补 #{id}"
VOL_BTN_PREV = "« 上一页"
VOL_BTN_NEXT = "下一页 »"
VOL_BTN_FILTER_DISTRICT = "📍 区域：{name}"
VOL_BTN_FILTER_DATE = "📅 日期：{name}"
VOL_ALL_DISTRICTS = "全部区域"
VOL_DATE_FILTERS = {"all": "全部日期", "today": "今天", "tomorrow": "明天", "week": "未来7天"}
VOL_CHOOSE_DISTRICT = "按区域筛选："
VOL_CHOOSE_DATE = "按日期筛选："

VOL_BOOKED = "✅ 报名成功：{title}\n🕒 {when}\n📍 {place}\n活动前 24 小时和 1 小时会提醒您。"
VOL_WAITLISTED = "⏳ 名额已满，您已进入候补第 {n} 位：{title}\n有人取消时将自动为您补上并通知您。"
VOL_ALREADY_BOOKED = "您已报名该活动，无需重复报名。"
VOL_ALREADY_WAITLISTED = "您已在该活动的候补名单中。"
VOL_ALREADY_FINISHED = "您已参加过该活动。"
VOL_SHIFT_NOT_FOUND = "没有找到这个活动，可能已被删除。"
VOL_SHIFT_CANCELLED = "该活动已取消，无法报名。"
VOL_SHIFT_STARTED = "该活动已开始或已结束，无法报名。"
VOL_OVERLAP = "该活动与您已报名的「{title}」（{when}）时间冲突，不能同时报名。"
VOL_BOOKING_NOT_FOUND = "没有找到这条报名记录。"
VOL_BOOKING_NOT_ACTIVE = "这条报名已取消或已结束，无需再操作。"
VOL_CANCEL_TOO_LATE = "活动已开始，无法取消报名。如有特殊情况请联系活动负责人。"
VOL_BOOKING_CANCELLED = "已取消报名：{title}（{when}）。"
VOL_PROMOTED = (
    "🎉 候补成功！您已获得名额：{title}\n🕒 {when}\n📍 {place}\n请准时参加，不能参加请在 /myshifts 取消。"
)
VOL_CONFIRM_CANCEL = "确定取消报名「{title}」（{when}）吗？"
VOL_BTN_CONFIRM_CANCEL = "确定取消"
VOL_BTN_KEEP = "保留报名"
VOL_KEPT = "好的，报名保留。"

VOL_MYSHIFTS_HEADER = "<b>我的报名</b>"
VOL_MYSHIFTS_EMPTY = "您目前没有待参加的活动。发送 /shifts 看看有哪些活动。"
VOL_MYSHIFT_LINE = "<b>#{id} {title}</b> — {status}\n🕒 {when}\n📍 {place}"
VOL_BOOKING_STATUS_NAMES = {
    "confirmed": "已报名",
    "waitlisted": "候补中",
    "cancelled": "已取消",
    "completed": "已完成",
    "no_show": "未到岗",
}
VOL_CHECKED_IN_AT = "（{time} 已签到）"
VOL_BTN_CANCEL_BOOKING = "取消 #{id}"
VOL_BTN_CHECKIN = "签到 #{id}"
VOL_BTN_CHECKOUT = "签退 #{id}"

VOL_SEND_LOCATION = "请点击下方「发送位置」按钮，分享您当前的位置完成{action}（需在活动地点 {radius} 米内）。"
VOL_BTN_SEND_LOCATION = "📍 发送位置"
VOL_ACTION_CHECKIN = "签到"
VOL_ACTION_CHECKOUT = "签退"
VOL_LOCATION_EXPECTED = "这里需要您分享位置，请点击下方「发送位置」按钮；发送 /cancel 退出。"
VOL_CHECKED_IN = "✅ 签到成功：{title}，{time}。结束时请签退。"
VOL_CHECKED_OUT = "✅ 签退成功：{title}。本次服务时长 {hours} 小时，感谢您的付出！"
VOL_TOO_FAR = "您距离活动地点约 {distance} 米，超出 {radius} 米范围，请到达「{place}」后再试。"
VOL_CHECKIN_TOO_EARLY = "还没到签到时间：活动 {start} 开始，开始前 {minutes} 分钟起可签到。"
VOL_CHECKIN_CLOSED = "活动已结束，无法签到。"
VOL_NOT_CONFIRMED = "您没有该活动的有效名额（候补或已取消），无法签到。"
VOL_ALREADY_CHECKED_IN = "您已签到，无需重复签到。"
VOL_NOT_CHECKED_IN = "您还没有签到，请先签到。"
VOL_ALREADY_CHECKED_OUT = "您已签退，无需重复操作。"
VOL_CHECKOUT_CLOSED = "签退时间已过，系统已按活动结束时间为您自动签退。"

VOL_HOURS = "<b>我的志愿服务时长</b>\n累计：<b>{hours}</b> 小时，共 {count} 次服务"
VOL_HOURS_MONTH = "{month}：{hours} 小时（{count} 次）"
VOL_HOURS_EMPTY = "您还没有已记录的服务时长。参加活动并签到、签退后即可累计。"
VOL_LEADERBOARD_HEADER = "<b>{month} 志愿服务时长榜</b>"
VOL_LEADERBOARD_LINE = "{rank}. {name}（{district}）— {hours} 小时"
VOL_LEADERBOARD_EMPTY = "本月还没有记录的服务时长。"

VOL_CERT_TITLE = "志愿服务时长证明"
VOL_CERT_NO_RECORD = "您还没有已记录的服务时长，暂时无法出具证明。"
VOL_CERT_CAPTION = "这是您的志愿服务时长证明（PNG）。"
VOL_CERT_BODY = "兹证明 {name} 同志于 {start} 至 {end} 期间参加{city}文明城市创建志愿服务 {count} 次，累计服务时长 {hours} 小时。"
VOL_CERT_TABLE_HEADER = ("日期", "服务项目", "地点", "时长(小时)")
VOL_CERT_MORE = "……另有 {n} 次较早的服务，详见服务记录"
VOL_CERT_ISSUER = "{city}创建全国文明城市工作指挥部办公室"
VOL_CERT_STAMP = "（盖章）"
VOL_CERT_FOOTER = "证明编号：{number}    出具日期：{date}"
VOL_CERT_NOTE = "本证明依据《志愿服务记录与证明出具办法》（民政部令第67号）出具，服务记录可查询核实。"

# staff
VOL_NEWSHIFT_TITLE = "<b>发布志愿服务活动</b>\n请输入活动名称（例如：文明交通劝导）："
VOL_ASK_PLACE = "请输入服务地点名称（例如：解放路与中山大道路口）："
VOL_ASK_COORDS = "如需按位置签到，请发送活动地点的位置（或输入「纬度,经度」）；不需要请点击「跳过」。"
VOL_BAD_COORDS = "没看懂这个坐标，请发送位置，或输入「纬度,经度」，例如 30.58,114.29；不需要请点击「跳过」。"
VOL_ASK_SHIFT_DISTRICT = "活动属于哪个区？"
VOL_ASK_START = "请输入开始时间，格式 YYYY-MM-DD HH:MM（例如 2026-12-05 07:30）："
VOL_ASK_END = "请输入结束时间：可写 HH:MM（同一天）或完整的 YYYY-MM-DD HH:MM："
VOL_BAD_TIME = "时间格式不对，请按 YYYY-MM-DD HH:MM 输入，例如 2026-12-05 07:30："
VOL_TIME_IN_PAST = "开始时间已经过去，请输入将来的时间："
VOL_END_BEFORE_START = "结束时间应晚于开始时间，请重新输入："
VOL_SHIFT_TOO_LONG = "单次活动不能超过 12 小时，请重新输入结束时间："
VOL_ASK_CAPACITY = "需要多少名志愿者？（1–1000）"
VOL_BAD_CAPACITY = "请输入 1–1000 之间的整数："
VOL_ASK_NOTES = "有什么注意事项？（例如：穿志愿者马甲、提前 10 分钟到；可跳过）"
VOL_ASK_REPEAT = "是否每周重复？选择重复的周数（含本周）："
VOL_REPEAT_ONCE = "不重复"
VOL_REPEAT_WEEKS = "{n} 周"
VOL_SHIFT_CREATED = "✅ 已发布 {count} 场活动：{ids}"
VOL_SHIFT_SUMMARY = (
    "<b>#{id} {title}</b>\n📍 {place}（{district}）{coords}\n🕒 {when}\n👥 名额 {capacity}\n📝 {notes}"
)
VOL_COORDS_SET = "📡 按位置签到"
VOL_EDITSHIFT_USAGE = "用法：/editshift 活动编号，例如 /editshift 12"
VOL_CANCELSHIFT_USAGE = "用法：/cancelshift 活动编号，例如 /cancelshift 12"
VOL_ROSTER_USAGE = "用法：/roster 活动编号，例如 /roster 12"
VOL_EDIT_SHIFT_PROMPT = "要修改活动 #{id} 的哪一项？"
VOL_SHIFT_FIELD_LABELS = {
    "title": "名称",
    "place": "地点",
    "time": "时间",
    "capacity": "名额",
    "notes": "注意事项",
}
VOL_ASK_NEW_VALUE = "请输入新的{field}："
VOL_SHIFT_UPDATED = "✅ 活动 #{id} 已更新，已通知 {notified} 位报名/候补的志愿者。"
VOL_SHIFT_CHANGED_NOTICE = "📢 您报名的活动有变动：\n{summary}"
VOL_CAPACITY_BELOW_BOOKED = "名额不能少于已报名人数（{booked} 人）。"
VOL_SHIFT_NOT_EDITABLE = "该活动已取消或已开始，不能再修改。"
VOL_CONFIRM_CANCEL_SHIFT = "确定取消活动 #{id}「{title}」吗？已报名和候补的 {count} 位志愿者会收到通知。"
VOL_BTN_CANCEL_SHIFT = "确定取消活动"
VOL_BTN_EDIT_SHIFT = "修改活动"
VOL_BTN_ROSTER_CANCEL = "取消活动"
VOL_SHIFT_CANCELLED_DONE = "已取消活动 #{id}，已通知 {notified} 位志愿者。"
VOL_SHIFT_CANCELLED_NOTICE = "📢 很抱歉，您报名的活动已取消：{title}（{when}，{place}）。"
VOL_SHIFT_ALREADY_CANCELLED = "该活动已经取消了。"
VOL_ROSTER_HEADER = (
    "<b>#{id} {title}</b>\n🕒 {when}\n📍 {place}\n名额 {confirmed}/{capacity}，候补 {waitlist} 人"
)
VOL_ROSTER_SECTION = "\n<b>{name}</b>（{count}）"
VOL_ROSTER_LINE = "{n}. {name} {phone}{extra}"
VOL_ROSTER_EMPTY = "（无）"
VOL_ROSTER_SECTIONS = {
    "confirmed": "已报名",
    "checked_in": "已签到",
    "completed": "已完成",
    "no_show": "未到岗",
    "waitlisted": "候补",
}
VOL_BTN_EXPORT_XLSX = "导出 Excel"
VOL_BTN_EXPORT_CSV = "导出 CSV"
VOL_EXPORT_CAPTION = "{what}（手机号已打码）"
VOL_EXPORT_ROSTER = "活动 #{id} 名单"
VOL_EXPORT_HOURS = "{month} 志愿服务时长"
VOL_HOURSEXPORT_USAGE = "用法：/hoursexport [YYYY-MM]，例如 /hoursexport 2026-11（默认本月）"
VOL_ROSTER_COLUMNS = (
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
VOL_HOURS_COLUMNS = ("姓名", "手机号", "区", "社区", "服务次数", "时长(小时)")
VOL_REMINDER = "⏰ 志愿服务提醒：{title} 将于 {when_left}开始。\n🕒 {when}\n📍 {place}\n{notes}到达后请在 /myshifts 签到。"
VOL_REMINDER_24H = "明天（24 小时后）"
VOL_REMINDER_1H = "1 小时后"
VOL_NO_SHOW_NOTICE = "您报名的活动「{title}」已结束，未记录到您的签到，记为未到岗。如有疑问请联系活动负责人。"


# ---------------------------------------------------------------- nominations
NOMINATION_KIND_NAMES = {
    "helping_others": "助人为乐",
    "bravery": "见义勇为",
    "honesty": "诚实守信",
    "dedication": "敬业奉献",
    "filial_piety": "孝老爱亲",
}
NOMINATION_STATUS_NAMES = {
    "submitted": "待审核",
    "needs_more_info": "待补充材料",
    "shortlisted": "已入围",
    "rejected": "未通过",
    "approved": "已审定",
    "published": "已上榜",
    "supporting": "已并入同一人选的推荐",
}
NOM_START = "<b>好人推荐</b>\n让身边的事教育身边的人。请选择您要推荐的好人类别：\n（随时发送 /cancel 可退出）"
NOM_ASK_NAME = "请输入被推荐人的姓名："
NOM_ASK_COMMUNITY = "请输入被推荐人所在的社区或工作单位（例如：幸福里社区 / 市第一人民医院）："
NOM_ASK_STORY = "请讲讲TA的事迹（{min}～{max} 字），写清楚时间、地点和经过："
NOM_STORY_TOO_SHORT = "事迹写得太简短了（{length} 字），请至少写 {min} 字，讲清楚时间、地点和经过。"
NOM_STORY_TOO_LONG = "事迹太长了（{length} 字），请精简到 {max} 字以内后重新发送。"
NOM_ASK_PHOTOS = "可以上传最多 {max} 张照片作为佐证（直接发送图片）。上传完毕或没有照片，请点「完成」。"
NOM_PHOTO_ADDED = "已收到第 {count} 张照片。还可以再发 {left} 张，或点「完成」。"
NOM_PHOTO_TOO_LARGE = "这张照片太大了（{size} MB），请发送 {limit} MB 以内的照片。"
NOM_PHOTO_LIMIT = "最多上传 {max} 张照片，已收到 {max} 张。请点「完成」继续。"
NOM_PHOTO_EXPECTED = "这里需要发送照片，或点「完成」继续。"
NOM_PHOTOS_DONE = "完成"
NOM_ASK_CONTACT = (
    "请留下您的联系电话，方便工作人员核实（选填，工作人员列表中会打码显示）。不想留请点「跳过」。"
)
NOM_SKIP = "跳过"
NOM_BAD_PHONE = "手机号格式不对，请输入 11 位手机号（例如 13800138000），或点「跳过」。"
NOM_ASK_CONSENT = "被推荐人是否同意（或您确认可以）由工作人员联系TA核实事迹？"
NOM_CONSENT_YES = "可以联系"
NOM_CONSENT_NO = "暂不联系"
NOM_SUMMARY = (
    "<b>请核对推荐信息</b>\n"
    "类别：{kind}\n姓名：{name}\n社区/单位：{community}\n事迹：{story}\n"
    "照片：{photos} 张\n您的电话：{contact}\n可联系被推荐人：{may_contact}"
)
NOM_SUBMIT = "提交"
NOM_EDIT = "修改"
NOM_CANCEL = "取消"
NOM_EDIT_WHICH = "请选择要修改的内容："
NOM_FIELD_NAMES = {
    "kind": "类别",
    "name": "姓名",
    "community": "社区/单位",
    "story": "事迹",
    "photos": "照片",
    "contact": "电话",
    "consent": "可否联系",
}
NOM_YES = "是"
NOM_NO = "否"
NOM_NONE = "未填写"
NOM_SUBMITTED = "推荐已提交，编号 <b>{number}</b>。审核进展会通过这里告诉您，也可发送 /mynominations 查看。"
NOM_JOINED = (
    "推荐已提交，编号 <b>{number}</b>。\n"
    "已有市民推荐过 {name}（{community}），您的推荐已作为补充材料并入 {parent}，"
    "与之一同参加评选，进展也会告诉您。"
)
NOM_CANCELLED = "已取消本次推荐。"
NOM_REASK_BUTTONS = "请点击上方按钮选择。"
NOM_MINE_EMPTY = "您还没有推荐过好人。点击下方「好人推荐」开始推荐。"
NOM_MINE_HEADER = "<b>我的推荐</b>"
NOM_MINE_LINE = "{number} {name}（{kind}）— {status}"
NOM_MINE_JOINED = "{number} {name}（{kind}）— 已并入 {parent}，当前：{status}"
NOM_MINE_REASON = "　说明：{reason}"
NOM_SUPPLEMENT_BUTTON = "补充材料 {number}"
NOM_ASK_SUPPLEMENT = "请补充 {number} 的事迹材料（{max} 字以内），补充后将重新进入审核："
NOM_SUPPLEMENTED = "已收到补充材料，{number} 重新进入审核。"
NOM_NOT_YOURS = "找不到这条推荐，或它不需要补充材料。"
NOM_STATUS_CHANGED = "您推荐的 {name}（{number}）状态更新：<b>{status}</b>"
NOM_STATUS_REASON = "\n说明：{reason}"
NOM_STATUS_VIA_PARENT = "您推荐的 {name}（{number}，已并入 {parent}）状态更新：<b>{status}</b>"
NOM_BAD_TRANSITION = "该推荐当前为「{current}」，不能改为「{target}」。可能已被其他工作人员处理。"
NOM_NOT_FOUND = "找不到这条推荐。"
NOM_REPLY_NOT_FOUND = "找不到这条推荐（编号 {number}）。"

# staff review
NOM_QUEUE_HEADER = "<b>好人推荐</b>（{status}{kind}，共 {total} 条，显示前 {shown} 条）"
NOM_QUEUE_EMPTY = "没有符合条件的推荐（{status}{kind}）。"
NOM_QUEUE_FILTER_ALL = "全部"
NOM_QUEUE_USAGE = "用法：/nominations [状态] [类别]，例如 /nominations 待审核 见义勇为"
NOM_CARD = (
    "<b>{number}</b> {kind} · {status}\n"
    "被推荐人：{name}（{community}）\n"
    "事迹：{story}\n"
    "照片：{photos} 张 · 补充推荐：{supporters} 条 · 可联系：{may_contact}\n"
    "推荐人电话：{contact}"
)
NOM_CARD_VOTES = "\n本轮得票：{votes}"
NOM_CARD_REASON = "\n说明：{reason}"
NOM_BTN_SHORTLIST = "入围"
NOM_BTN_REJECT = "驳回"
NOM_BTN_MORE_INFO = "退回补充"
NOM_BTN_APPROVE = "审定"
NOM_BTN_MATERIAL = "材料"
NOM_MATERIAL_HEADER = "<b>{number} 的材料</b>：照片 {photos} 张，补充推荐 {supporters} 条"
NOM_MATERIAL_SUPPORTER = "<b>补充推荐 {number}</b>（推荐人电话：{contact}）\n{story}"
NOM_MATERIAL_PHOTO = "{number} 照片 {index}"
NOM_ASK_REJECT_REASON = "请输入驳回 {number} 的原因（会告知推荐人）："
NOM_ASK_MORE_INFO = "请说明 {number} 需要补充什么材料（会告知推荐人）："
NOM_REVIEW_DONE = "已将 {number} 设为「{status}」，已通知推荐人。"
NOM_TOAST_DONE = "{number}：{status}"

# voting
NOM_ROUND_USAGE = "用法：/openround 标题 开始时间 结束时间\n例如：/openround 十一月好人评选 2026-11-28 08:00 2026-12-05 20:00"
NOM_ROUND_BAD_TIME = "结束时间必须晚于开始时间，且不能早于现在。"
NOM_ROUND_OVERLAP = "已有投票轮次「{title}」在该时间段内，请先用 /closeround 结束它。"
NOM_ROUND_NO_SHORTLIST = "还没有入围的推荐，请先在 /nominations 中入围候选人。"
NOM_ROUND_OPENED = (
    "已开启投票「{title}」：{start} 至 {end}，共 {count} 位入围候选人。居民发送 /vote 即可投票。"
)
NOM_ROUND_NONE_OPEN = "当前没有进行中的投票轮次。"
NOM_ROUND_CLOSED = "投票「{title}」已结束。得票：\n{results}"
NOM_ROUND_RESULT_LINE = "{number} {name}：{votes} 票"
NOM_VOTE_HEADER = "<b>{title}</b>\n投票时间：{start} 至 {end}\n每人可为每位候选人投一票。"
NOM_VOTE_NONE = "现在没有进行中的好人评选投票，敬请关注。"
NOM_VOTE_CARD = "<b>{name}</b>（{kind} · {community}）\n{story}"
NOM_VOTE_BUTTON = "👍 投票（{votes}）"
NOM_VOTED = "投票成功，感谢您的参与！"
NOM_ALREADY_VOTED = "您已经为TA投过票了，每人每轮只能投一票。"
NOM_VOTE_NOT_STARTED = "投票尚未开始（{start} 开始）。"
NOM_VOTE_ENDED = "本轮投票已结束，感谢关注。"
NOM_VOTE_NOT_CANDIDATE = "TA不在本轮候选名单中。"
NOM_STATS_HEADER = "<b>投票统计：{title}</b>（有效 {valid} 票，已作废 {voided} 票）"
NOM_STATS_NOMINEE = "{number} {name}：{votes} 票；每小时：{hours}"
NOM_STATS_SUSPECTS = "<b>可疑账号</b>（{count} 个）："
NOM_STATS_SUSPECT_LINE = "{voter}：{votes} 票 — {reasons}"
NOM_STATS_NEW_ACCOUNT = "投票时账号注册不足 {hours} 小时"
NOM_STATS_BURST = "{seconds} 秒内连投 {votes} 票"
NOM_STATS_NO_SUSPECTS = "未发现可疑账号。"
NOM_STATS_VOID_HINT = "作废某些账号的投票：/voidvotes {round_id} 账号1 账号2 …"
NOM_STATS_NO_ROUND = "还没有投票轮次。"
NOM_VOID_USAGE = "用法：/voidvotes 轮次编号 账号1 账号2 …"
NOM_VOIDED = "已作废 {count} 票（账号：{voters}）。"

# publication
NOM_PUBLISH_NONE = "没有已审定待发布的好人。请先在 /nominations 中对入围者点「审定」。"
NOM_PUBLISHED = "已发布 {month} 好人榜，共 {count} 人；已通知 {sent} 位订阅者。"
NOM_ANNOUNCEMENT = "🏅 <b>{month} 好人榜</b>发布啦！\n{names}\n发送 /honors 查看他们的故事。"
NOM_HONORS_EMPTY = "好人榜还没有发布，敬请期待。"
NOM_HONORS_HEADER = "🏅 <b>{month} 好人榜</b>"
NOM_HONORS_KIND = "\n<b>【{kind}】</b>"
NOM_HONORS_ENTRY = "<b>{name}</b>（{community}）\n{story}"
NOM_HONORS_OTHER_MONTHS = "查看其他月份："

NOM_COMMANDS = {
    "nominate": "推荐身边好人",
    "mynominations": "我的推荐",
    "vote": "好人评选投票",
    "honors": "好人榜",
    "nominations": "好人推荐审核",
    "openround": "开启投票轮次",
    "closeround": "结束投票轮次",
    "votestats": "投票统计（防刷票）",
    "voidvotes": "作废指定账号的投票",
    "publishhonors": "发布好人榜",
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

REPORT_VOL_TITLE = "志愿服务"
REPORT_VOL_TABLE = "按区县统计（按上岗时间计入）"
REPORT_VOL_COLUMNS = [
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
REPORT_VOL_SHIFTS = "志愿岗位"
REPORT_VOL_BOOKED = "报名（占名额）"
REPORT_VOL_CHECKED_IN = "签到"
REPORT_VOL_TURNOUT = "到岗率"
REPORT_VOL_HOURS = "服务时长"
REPORT_VOL_ACTIVE = "上岗志愿者"
REPORT_VOL_NEW = "新注册志愿者"
REPORT_VOL_NO_DISTRICT = "（未分区）"
REPORT_VOL_CHART = "各区县报名与签到"

REPORT_NOM_TITLE = "好人推荐"
REPORT_NOM_TABLE = "按类别和环节统计（本期提交的推荐，环节为当前状态）"
REPORT_NOM_KIND = "类别"
REPORT_NOM_TOTAL = "合计"
REPORT_NOM_RECEIVED = "收到推荐"
REPORT_NOM_PUBLISHED = "上榜"
REPORT_NOM_VOTES = "有效投票"
REPORT_NOM_CHART = "各类别推荐数"
REPORT_NOM_KINDS = {
    "helping_others": "助人为乐",
    "bravery": "见义勇为",
    "honesty": "诚实守信",
    "dedication": "敬业奉献",
    "filial_piety": "孝老爱亲",
}
REPORT_NOM_STATUSES = {
    "submitted": "待审核",
    "needs_more_info": "待补充",
    "shortlisted": "已入围",
    "rejected": "未通过",
    "approved": "已审定",
    "published": "已上榜",
    "supporting": "已并入",
}

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
