"""The inspections feature's wording (Simplified Chinese): the walk, the task cards, the lists, the
report's 督查 sections, the command line, and ``ERRORS`` for the feature's DomainError codes.

Templates are Telegram HTML; the views escape every value that comes from people or from the
city's data files. ``ERRORS`` templates are plain text (they also become pop-ups).
"""

from __future__ import annotations

from bot.models import ItemResult, RectificationStatus
from bot.services.inspections import ContentProblem, InspectionProblem, PlaceKind

COMMANDS = {
    "inspect": "暗访督查：到点位逐项检查",
    "inspections": "本月督查情况：得分最低的点位、超期整改",
    "rectifications": "整改任务：本单位待办（工作人员可按单位、区、状态筛选）",
}

# ---------------------------------------------------------------- finding a site
FIND_PROMPT = (
    "🕵️ <b>暗访督查</b>\n"
    "请点下方「发送我的位置」，我会列出附近的点位；也可以直接输入点位名称搜索（如：江汉路）。\n"
    "检查中可随时发送 /cancel 暂停，进度会保存。"
)
SEND_LOCATION = "📍 发送我的位置"
LOCATION_RECEIVED = "📍 已收到您的位置。"
NEARBY_HEADER = "附近的点位（由近到远），请选择要检查的点位："
NEARBY_BUTTON = "{name} · {distance}"
SEARCH_BUTTON = "{name}（{district}）"
SEARCH_HEADER = "找到 {count} 个点位，请选择："
SEARCH_NONE = "没有找到名称含「{words}」的点位，请换个说法，或发送位置查看附近的点位。"
SEARCH_TOO_LONG = "点位名称最多 {limit} 个字，请简短一些。"
FIND_EXPECTED = "请发送位置，或输入点位名称搜索。"
NO_SITES = "本市还没有配置督查点位（data/sites.yaml）。"
DISTANCE_METERS = "{meters} 米"
DISTANCE_KM = "{km} 公里"

# ---------------------------------------------------------------- drafts
RESUME = (
    "您有一项未完成的检查：<b>{site}</b>（{type}），已完成 {answered}/{total} 项，开始于 {started}。\n"
    "继续检查，还是作废后重新选择点位？"
)
RESUME_BUTTON = "▶️ 继续检查"
DISCARD_BUTTON = "🗑 作废"
DISCARDED = "已作废这次检查。发送 /inspect 可重新开始。"
PAUSED = "检查已暂停，进度已保存。发送 /inspect 可继续。"

# ---------------------------------------------------------------- location
STARTED = "开始检查 <b>{site}</b>（{type} · {district}）\n地址：{address}\n共 {total} 项。"
ASK_LOCATION = "请到达点位后点「发送我的位置」，核对是否在点位现场（{radius} 米内）。"
LOCATED = "📍 已定位，距点位 {distance}。"
FAR = (
    "⚠️ 您的位置距点位 {distance}，超出 {radius} 米。\n"
    "请到点位现场后重新发送位置；如确需在此检查，可点「仍然开始」，本次检查将标记为“位置不符”。"
)
START_ANYWAY = "仍然开始（标记位置不符）"
LOCATION_EXPECTED = "请点「发送我的位置」发送您当前的位置。"
MISMATCH_STARTED = "已开始检查，本次检查标记为“位置不符”。"

# ---------------------------------------------------------------- items
ITEM = "【{site}】第 {number}/{total} 项{negative}\n<b>{check}</b>\n不合格扣 {points} 分{current}"
ITEM_NEGATIVE = "（负面清单）"
ITEM_CURRENT = "\n当前：{result}"
RESULT_LABELS = {
    ItemResult.PASS: "✅ 合格",
    ItemResult.FAIL: "❌ 不合格",
    ItemResult.NOT_APPLICABLE: "➖ 不适用",
}
ANSWERED = "第 {number} 项 {check} — {result}"
ALREADY_ANSWERED = "已记录。"
WALK_EXPECTED = "请用检查项下方的按钮作答。"
PHOTO_PROMPT = (
    "❌ 第 {number} 项不合格：{check}\n"
    "请拍照上传（至少 1 张，最多 {limit} 张），可在照片说明或另发文字写明问题。完成后点「下一项」。"
)
PHOTO_RECEIVED = "已收到第 {count} 张照片。可继续拍照或补充文字说明，完成后点「下一项」。"
NOTE_RECEIVED = "已记录说明。{photos}"
NOTE_NEEDS_PHOTO = "还需至少 1 张照片。"
NOTE_HAS_PHOTOS = "完成后点「下一项」。"
NEXT_BUTTON = "下一项 ▶️"
PHOTO_EXPECTED = "请发送照片（可带文字说明），或发送文字补充说明。"

# ---------------------------------------------------------------- summary and submitting
SUMMARY = (
    "📋 <b>检查小结：{site}</b>\n"
    "{location}\n"
    "合格 {passed} 项 · 不合格 {failed} 项 · 不适用 {skipped} 项\n"
    "扣分 {deductions} · 得分 <b>{score}</b>"
)
SUMMARY_LOCATION = "📍 距点位 {distance}"
SUMMARY_MISMATCH = "⚠️ 位置不符：距点位 {distance}"
SUMMARY_FAILED_HEADER = "\n<b>不合格项（提交后派发整改任务）</b>"
SUMMARY_FAILED = "• {check}{negative}（扣 {points} 分）→ {unit}，{hours}内整改{note}"
SUMMARY_NOTE = "：{note}"
SUMMARY_ALL_PASSED = "\n全部合格，无需整改。"
SUMMARY_FOOTER = "\n确认无误后请提交；提交后不能再修改。"
SUBMIT_BUTTON = "📤 提交"
EDIT_BUTTON = "✏️ 修改"
EDIT_HEADER = "请选择要修改的检查项："
EDIT_ITEM = "{number}. {mark} {check}"
EDIT_MARKS = {ItemResult.PASS: "✅", ItemResult.FAIL: "❌", ItemResult.NOT_APPLICABLE: "➖", None: "⬜"}
EDIT_LABEL_CHARS = 18
SUBMITTED = "✅ 已提交 <b>{site}</b> 的检查，得分 <b>{score}</b>。"
SUBMITTED_TASKS = "已向 {units} 个责任单位派发 {tasks} 项整改任务，整改后会请您复查。"
SUBMITTED_NO_TASKS = "全部合格，无整改任务。"
SCORE = "{value:g}"
HOURS = "{hours:g} 小时"
DAYS = "{days:g} 天"

# ---------------------------------------------------------------- the unit's task card
CARD = (
    "📋 <b>整改任务 #{number}</b>（暗访督查发现）\n"
    "点位：{site}（{district} · {address}）\n"
    "不合格项：{check}{negative}{note}\n"
    "整改期限：{due} 前\n"
    "状态：{status}{extra}"
)
CARD_NEGATIVE = "【负面清单】"
CARD_NOTE = "\n现场情况：{note}"
CARD_ASK = "\n整改完成后请点「整改回复」，上传整改后照片并说明。"
CARD_REVIEW = "\n已提交整改（{at}），等待复查。"
CARD_PASSED = "\n✅ 复查通过（{at}）。"
CARD_RETURNED = "\n↩️ 复查退回：{reason}\n请在新期限前重新整改后点「整改回复」。"
CARD_OVERDUE = "（已超期）"
REPLY_BUTTON = "📝 整改回复"
STATUS_LABELS = {
    RectificationStatus.PENDING: "待整改",
    RectificationStatus.REVIEW: "待复查",
    RectificationStatus.RETURNED: "已退回，待重新整改",
    RectificationStatus.PASSED: "已通过",
}
STATUS_SHORT = {
    RectificationStatus.PENDING: "⏳待整改",
    RectificationStatus.REVIEW: "🔍待复查",
    RectificationStatus.RETURNED: "↩️已退回",
    RectificationStatus.PASSED: "✅已通过",
}
UNIT_GROUP = "{unit}的工作群"  # the line above a card rerouted to the staff chat names it

# ---------------------------------------------------------------- the unit answers
REPLY_PROMPT = (
    '请 <a href="tg://user?id={user_id}">{name}</a> 回复本消息：发送整改任务 #{number} 整改后的照片，'
    "并在照片说明里写明整改情况（也可先发照片、再发文字）。发送 /cancel 可取消。"
)
REPLY_PHOTO_RECEIVED = "已收到照片（{count} 张），请回复文字说明整改情况。"
REPLY_EXPECTED = "请回复整改后的照片和文字说明。"
REPLY_DONE = "✅ 整改任务 #{number} 已提交复查{late}。"
REPLY_LATE = "（已超过期限）"
REPLY_CANCELLED = "已取消整改回复。"
REPLY_LOST = "这次回复已失效，请在任务卡片上重新点「整改回复」。"

# ---------------------------------------------------------------- the re-check card (inspectors, staff)
CHECK_CARD = (
    "🔍 <b>待复查：整改任务 #{number}</b>\n"
    "单位：{unit}\n"
    "点位：{site}（{district}）\n"
    "不合格项：{check}{negative}\n"
    "整改说明：{note}\n"
    "提交时间：{at}（{timeliness}）{extra}"
)
CHECK_ON_TIME = "按期"
CHECK_LATE = "逾期"
CHECK_PASSED = "\n✅ 已通过（{who}，{at}）"
CHECK_RETURNED = "\n↩️ 已退回（{who}，{at}）：{reason}；新期限 {due}"
CHECK_PHOTOS = "前 {before} 张为检查时照片，后 {after} 张为整改后照片。"
PASS_BUTTON = "✅ 复查通过"
RETURN_BUTTON = "↩️ 退回"
PASSED_TOAST = "整改任务 #{number} 已通过复查。"
PASSED_NOTICE = "✅ 整改任务 #{number}（{site} · {check}）已通过复查。"
RETURN_PROMPT = (
    '请 <a href="tg://user?id={user_id}">{name}</a> 回复本消息：写明整改任务 #{number} 退回的原因'
    "（单位会看到）。发送 /cancel 可取消。"
)
RETURN_DEADLINE = "退回原因：{reason}\n请选择新的整改期限："
DEADLINE_BUTTON = "{label}内"
RETURNED_DONE = "↩️ 已退回整改任务 #{number}，新期限 {due}。"
RETURNED_NOTICE = "↩️ 整改任务 #{number}（{site} · {check}）复查未通过：{reason}\n请在 {due} 前重新整改。"
RETURN_CANCELLED = "已取消退回。"
RETURN_LOST = "这次退回已失效，请在复查卡片上重新点「退回」。"
REASON_EXPECTED = "请回复文字写明退回原因。"
SOMEONE = "复查人"

# ---------------------------------------------------------------- time limits
WARNING = "⏰ 整改任务 #{number}（{site} · {check}）将于 {due} 到期，请抓紧整改并点「整改回复」。"
ESCALATION = (
    "🚨 <b>督办</b>：{unit}的整改任务 #{number} 已超过期限（{due}）仍未整改。\n"
    "点位：{site}（{district}）\n不合格项：{check}{negative}"
)
ESCALATION_UNIT = "🚨 整改任务 #{number}（{site} · {check}）已超期，已报创文办督办，请立即整改。"

# ---------------------------------------------------------------- /rectifications
LIST_HEADER = "<b>整改任务</b>{scope}　共 {total} 项{page}"
LIST_SCOPE_UNIT = "（{unit}）"
LIST_PAGE = "，第 {number}/{count} 页"
LIST_FILTERS = "筛选：{filters}"
LIST_FILTER_SEPARATOR = "，"
LIST_ALL_UNFINISHED = "未完成"
LIST_LINE = "#{number} {status} {site} · {check}\n　{unit}，期限 {due}{overdue}"
LIST_EMPTY = "没有符合条件的整改任务。"
FILTER_ALL = "全部未完成"
FILTER_OVERDUE = "只看超期"
FILTER_UNIT = "按单位"
FILTER_DISTRICT = "按区"
FILTER_CLEAR = "清除筛选"
FILTER_PICK_UNIT = "请选择单位（有未完成任务的）："
FILTER_PICK_DISTRICT = "请选择区："
FILTER_NO_UNITS = "目前没有未完成的整改任务。"
PREVIOUS_PAGE = "◀ 上一页"
NEXT_PAGE = "下一页 ▶"
VIEW_BUTTON = "#{number}"
DETAIL_HISTORY = "\n<b>经过</b>"
DETAIL_EVENT = "{at} {what}{note}"
DETAIL_EVENT_NOTE = "：{note}"
EVENT_NAMES = {
    "issued": "派发",
    "reply": "单位整改回复",
    "pass": "复查通过",
    "return": "复查退回",
    "warned": "到期提醒",
    "escalated": "超期督办",
}

# ---------------------------------------------------------------- /inspections
OVERVIEW = (
    "🕵️ <b>{month}督查情况</b>\n"
    "检查 {inspections} 次 · 点位 {sites} 个 · 平均得分 {score}\n"
    "不合格 {failed} 项（负面清单 {negative} 项）· 位置不符 {mismatches} 次\n"
    "整改任务 {tasks} 项：已通过 {passed}，未完成 {open}，超期 {overdue}；按期整改率 {rate}"
)
OVERVIEW_MONTH = "{year}年{month}月"
OVERVIEW_LOWEST = "\n<b>得分最低的点位</b>"
OVERVIEW_SITE = "• {site}（{unit}）{score} 分"
OVERVIEW_OVERDUE = "\n<b>超期未整改</b>"
OVERVIEW_TASK = "• #{number} {unit} · {site} · {check}，期限 {due}"
OVERVIEW_RECENT = "\n<b>最近的检查</b>"
OVERVIEW_INSPECTION = "• {at} {site} {score} 分{mismatch}"
OVERVIEW_MISMATCH = "（位置不符）"
OVERVIEW_NONE = "• 暂无"
OVERVIEW_MORE = "查看整改任务：/rectifications"
NO_VALUE = "—"
PERCENT = "{value:.0f}%"

# ---------------------------------------------------------------- the report's 督查 sections
REPORT_TITLE = "暗访督查"
REPORT_INSPECTIONS = "检查次数"
REPORT_SITES = "检查点位数"
REPORT_SCORE = "点位平均得分"
REPORT_FAILED = "不合格项"
REPORT_NEGATIVE = "负面清单不合格项"
REPORT_TASKS = "整改任务"
REPORT_ON_TIME_RATE = "按期整改率"
REPORT_OVERDUE_NOW = "当前超期未整改"
REPORT_REPEATS = "重复问题"
REPORT_MISMATCHES = "位置不符的检查"
REPORT_DISTRICT_TABLE = "各区得分"
REPORT_DISTRICT_COLUMNS = ["区", "点位数", "检查次数", "平均得分", "上期平均得分"]
REPORT_UNIT_TABLE = "各单位得分与整改"
REPORT_UNIT_COLUMNS = [
    "单位",
    "点位数",
    "平均得分",
    "整改任务",
    "已通过",
    "按期整改率",
    "超期未整改",
    "被退回",
    "重复问题",
]
REPORT_LOWEST_TABLE = "得分最低的点位"
REPORT_LOWEST_COLUMNS = ["点位", "区", "责任单位", "得分", "本期检查次数"]
REPORT_REPEAT_TABLE = "重复问题（同一点位同一项本期两次以上不合格）"
REPORT_REPEAT_COLUMNS = ["点位", "检查项", "整改单位", "不合格次数"]
REPORT_CHART = "各区点位平均得分"
REPORT_THIS_PERIOD = "本期"
REPORT_LAST_PERIOD = "上期"
REPORT_BOARD_TITLE = "督查红黑榜"
REPORT_BOARD_TABLE = "单位排名（综合得分 = 点位平均得分与按期整改率×100 的平均）"
REPORT_BOARD_COLUMNS = [
    "排名",
    "单位",
    "榜单",
    "综合得分",
    "点位平均得分",
    "按期整改率",
    "整改任务",
    "超期未整改",
    "投诉按期办结率",
    "上期排名",
]
REPORT_BOARD_RED = "红榜"
REPORT_BOARD_BLACK = "黑榜"
REPORT_BOARD_RED_LINE = "🔴 督查红榜：{names}"
REPORT_BOARD_BLACK_LINE = "⚫ 督查黑榜：{names}"
REPORT_BOARD_NONE = "（本期无）"
REPORT_BOARD_SEPARATOR = "、"
REPORT_BOARD_CHART = "各单位综合得分"
REPORT_BOARD_COMBINED = "综合得分"

# ---------------------------------------------------------------- the command line
CLI_CHECK_SUMMARY = (
    "{city}督查标准与点位格式正确：{types} 类点位、{items} 个检查项（负面清单 {negative} 项）；"
    "{sites} 个点位、{units} 个责任单位（其中 {groups} 个已配置工作群）。"
)
CLI_CHECK_TYPE = "  {name}：{items} 项，{sites} 个点位"
CLI_EXPORTED = "已导出 {period} 的 {inspections} 次检查、{tasks} 项整改任务：{path}"
CLI_BAD_MONTH = "月份应写成 2026-12 这样：{value}"
EXPORT_FILENAME = "inspections-{period}.xlsx"
EXPORT_SHEET_INSPECTIONS = "检查记录"
EXPORT_SHEET_ITEMS = "检查明细"
EXPORT_SHEET_TASKS = "整改任务"
EXPORT_INSPECTION_COLUMNS = [
    "检查编号",
    "提交时间",
    "点位编号",
    "点位",
    "类型",
    "区",
    "责任单位",
    "得分",
    "扣分",
    "距点位（米）",
    "位置不符",
    "督查员ID",
]
EXPORT_ITEM_COLUMNS = [
    "检查编号",
    "序号",
    "检查项编号",
    "检查内容",
    "负面清单",
    "扣分",
    "结果",
    "整改单位",
    "说明",
    "照片（file_id）",
]
EXPORT_TASK_COLUMNS = [
    "任务编号",
    "检查编号",
    "点位",
    "区",
    "整改单位",
    "检查项",
    "负面清单",
    "状态",
    "派发时间",
    "首次期限",
    "当前期限",
    "回复时间",
    "按期",
    "退回次数",
    "督办次数",
    "通过时间",
    "整改说明",
    "整改照片（file_id）",
]
YES = "是"
NO = "否"

# ---------------------------------------------------------------- content errors (check, start-up)
CONTENT_ERROR = "督查内容错误: {file}{place} — {problem}"
CONTENT_PLACES = {
    PlaceKind.UNIT_KIND: " unit_kinds 第 {number} 项（{name}）",
    PlaceKind.SITE_TYPE: " 第 {number} 类点位（{name}）",
    PlaceKind.ITEM: " 检查项第 {number} 项（{name}）",
    PlaceKind.UNIT: " units 第 {number} 个（{name}）",
    PlaceKind.SITE: " sites 第 {number} 个点位（{name}）",
    PlaceKind.RESPONSIBLE: " responsible 第 {number} 项（{name}）",
}
CONTENT_PROBLEMS = {
    ContentProblem.MISSING_FILE: "文件不存在",
    ContentProblem.YAML_SYNTAX: "YAML 格式错误",
    ContentProblem.NOT_MAPPING: "应为键值对（字段: 值）",
    ContentProblem.NO_LIST: "缺少非空字段 {key}",
    ContentProblem.MISSING_TEXT: "缺少字段 {key}（应为非空文字）",
    ContentProblem.TEXT_TOO_LONG: "字段 {key} 超过 {limit} 个字",
    ContentProblem.BAD_ID: "id「{value}」应为 1–32 位字母、数字、- 或 _",
    ContentProblem.DUPLICATE_ID: "id「{value}」重复",
    ContentProblem.BAD_POINTS: "points「{value}」应为大于 0、不超过 {limit:g} 的数",
    ContentProblem.BAD_FLAG: "{key} 应为 true 或 false",
    ContentProblem.UNKNOWN_UNIT_KIND: "未知的单位类别「{value}」（见 standards.yaml 的 unit_kinds）",
    ContentProblem.NO_ITEMS: "没有检查项",
    ContentProblem.UNKNOWN_SITE_TYPE: "未知的点位类型「{value}」（见 standards.yaml 的 site_types）",
    ContentProblem.UNKNOWN_DISTRICT: "districts.yaml 中没有区「{value}」",
    ContentProblem.UNKNOWN_COMMUNITY: "districts.yaml 的{district}中没有社区「{value}」",
    ContentProblem.UNKNOWN_UNIT: "未知的单位「{value}」（应为 departments.yaml 中的部门或 units 中的社区）",
    ContentProblem.UNIT_CLASH: "单位 id「{value}」与 departments.yaml 中的部门重复",
    ContentProblem.BAD_CHAT: "chat_id「{value}」应为工作群的 ID（负数），或留空",
    ContentProblem.BAD_COORDINATES: "latitude/longitude 应为有效的纬度、经度",
    ContentProblem.UNRESOLVED_KIND: "检查项 {item} 的整改单位类别「{kind}」没有对应单位（请在 responsible 或点位的 units 中指定）",
    ContentProblem.OTHER_FILE: "无法读取（{error}）",
}

# ---------------------------------------------------------------- DomainError codes
ERRORS: dict[str, str] = {
    InspectionProblem.NOT_INSPECTOR: "只有督查员和创文办工作人员可以进行督查。",
    InspectionProblem.UNKNOWN_SITE: "该点位已不在点位清单中，请重新选择。",
    InspectionProblem.DRAFT_EXISTS: "您还有一项未完成的检查，请先发送 /inspect 继续或作废。",
    InspectionProblem.NOT_FOUND: "找不到这次检查。",
    InspectionProblem.NOT_YOURS: "这不是您的检查。",
    InspectionProblem.ALREADY_SUBMITTED: "这次检查已提交，不能再修改。",
    InspectionProblem.DISCARDED: "这次检查已作废。",
    InspectionProblem.NOT_LOCATED: "请先在点位现场发送位置。",
    InspectionProblem.NOT_FAR: "您的位置在点位范围内，可直接检查。",
    InspectionProblem.BAD_POSITION: "该检查项已不存在，请重新发送 /inspect。",
    InspectionProblem.NOT_FAILED: "该项不是不合格项，无需照片或说明。",
    InspectionProblem.PHOTO_REQUIRED: "第 {number} 项不合格，请至少上传 1 张照片。",
    InspectionProblem.TOO_MANY_PHOTOS: "每项最多 {limit} 张照片，请点「下一项」。",
    InspectionProblem.NOTE_EMPTY: "说明不能为空。",
    InspectionProblem.NOTE_TOO_LONG: "说明有 {length} 个字，请控制在 {limit} 字以内。",
    InspectionProblem.UNFINISHED: "还有检查项未完成（第 {number} 项），请全部作答后再提交。",
    InspectionProblem.TASK_NOT_FOUND: "找不到该整改任务。",
    InspectionProblem.TASK_NOT_YOURS: "这是其他单位的整改任务，您不能处理。",
    InspectionProblem.TASK_WRONG_STATUS: "整改任务 #{number} 当前状态不能进行此操作。",
    InspectionProblem.TASK_STALE: "整改任务 #{number} 已有新的进展，该按钮已失效。",
    InspectionProblem.REPLY_PHOTO_REQUIRED: "请先发送整改后的照片，再写说明。",
    InspectionProblem.REASON_EMPTY: "退回原因不能为空。",
    InspectionProblem.REASON_TOO_LONG: "退回原因有 {length} 个字，请控制在 {limit} 字以内。",
    InspectionProblem.BAD_DEADLINE: "不支持 {hours} 小时的期限。",
}
