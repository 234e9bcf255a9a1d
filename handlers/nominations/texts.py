"""The nominations feature's wording (Simplified Chinese). Templates taking user text get it escaped.

Error templates (``ERRORS``) are plain text: the kit escapes the whole reply.
"""

from __future__ import annotations

from bot.models import NominationKind, NominationStatus
from bot.services.nominations import NominationProblem
from bot.texts import TEXT_EMPTY, TEXT_TOO_LONG

COMMANDS = {
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
KIND_NAMES = {
    NominationKind.HELPING_OTHERS: "助人为乐",
    NominationKind.BRAVERY: "见义勇为",
    NominationKind.HONESTY: "诚实守信",
    NominationKind.DEDICATION: "敬业奉献",
    NominationKind.FILIAL_PIETY: "孝老爱亲",
}
STATUS_NAMES = {
    NominationStatus.SUBMITTED: "待审核",
    NominationStatus.NEEDS_MORE_INFO: "待补充材料",
    NominationStatus.SHORTLISTED: "已入围",
    NominationStatus.REJECTED: "未通过",
    NominationStatus.APPROVED: "已审定",
    NominationStatus.PUBLISHED: "已上榜",
    NominationStatus.SUPPORTING: "已并入同一人选的推荐",
}
YES = "是"
NO = "否"
NONE = "未填写"
ELLIPSIS = "…"

# ---------------------------------------------------------------- the nomination conversation
START = "<b>好人推荐</b>\n让身边的事教育身边的人。请选择您要推荐的好人类别：\n（随时发送 /cancel 可退出）"
ASK_NAME = "请输入被推荐人的姓名："
ASK_COMMUNITY = "请输入被推荐人所在的社区或工作单位（例如：幸福里社区 / 市第一人民医院）："
ASK_STORY = "请讲讲TA的事迹（{min}～{max} 字），写清楚时间、地点和经过："
STORY_TOO_SHORT = "事迹写得太简短了（{length} 字），请至少写 {min} 字，讲清楚时间、地点和经过。"
STORY_TOO_LONG = "事迹太长了（{length} 字），请精简到 {max} 字以内后重新发送。"
ASK_PHOTOS = "可以上传最多 {max} 张照片作为佐证（直接发送图片）。上传完毕或没有照片，请点「完成」。"
PHOTO_ADDED = "已收到第 {count} 张照片。还可以再发 {left} 张，或点「完成」。"
PHOTO_TOO_LARGE = "这张照片太大了（{size:.1f} MB），请发送 {limit} MB 以内的照片。"
PHOTO_LIMIT = "最多上传 {max} 张照片，已收到 {max} 张。请点「完成」继续。"
PHOTO_EXPECTED = "这里需要发送照片，或点「完成」继续。"
PHOTOS_DONE = "完成"
ASK_CONTACT = "请留下您的联系电话，方便工作人员核实（选填，工作人员列表中会打码显示）。不想留请点「跳过」。"
SKIP = "跳过"
BAD_PHONE = "手机号格式不对，请输入 11 位手机号（例如 13800138000），或点「跳过」。"
ASK_CONSENT = "被推荐人是否同意（或您确认可以）由工作人员联系TA核实事迹？"
CONSENT_YES = "可以联系"
CONSENT_NO = "暂不联系"
SUMMARY = (
    "<b>请核对推荐信息</b>\n"
    "类别：{kind}\n姓名：{name}\n社区/单位：{community}\n事迹：{story}\n"
    "照片：{photos} 张\n您的电话：{contact}\n可联系被推荐人：{may_contact}"
)
SUBMIT = "提交"
EDIT = "修改"
CANCEL = "取消"
EDIT_WHICH = "请选择要修改的内容："
FIELD_NAMES = {
    "kind": "类别",
    "name": "姓名",
    "community": "社区/单位",
    "story": "事迹",
    "photos": "照片",
    "contact": "电话",
    "consent": "可否联系",
}
SUBMITTED = "推荐已提交，编号 <b>{number}</b>。审核进展会通过这里告诉您，也可发送 /mynominations 查看。"
JOINED = (
    "推荐已提交，编号 <b>{number}</b>。\n"
    "已有市民推荐过 {name}（{community}），您的推荐已作为补充材料并入 {parent}，"
    "与之一同参加评选，进展也会告诉您。"
)
CANCELLED = "已取消本次推荐。"
REASK_BUTTONS = "请点击上方按钮选择。"

# ---------------------------------------------------------------- following one's nominations
MINE_EMPTY = "您还没有推荐过好人。点击下方「好人推荐」开始推荐。"
MINE_HEADER = "<b>我的推荐</b>"
MINE_LINE = "{number} {name}（{kind}）— {status}"
MINE_JOINED = "{number} {name}（{kind}）— 已并入 {parent}，当前：{status}"
MINE_REASON = "　说明：{reason}"
SUPPLEMENT_BUTTON = "补充材料 {number}"
ASK_SUPPLEMENT = "请补充 {number} 的事迹材料（{max} 字以内），补充后将重新进入审核："
SUPPLEMENTED = "已收到补充材料，{number} 重新进入审核。"
SUPPLEMENT_HEADING = "【{date:%m-%d} 补充】"  # added to the story, before what the nominator added
NOT_YOURS = "找不到这条推荐，或它不需要补充材料。"
STATUS_CHANGED = "您推荐的 {name}（{number}）状态更新：<b>{status}</b>"
STATUS_REASON = "\n说明：{reason}"
STATUS_VIA_PARENT = "您推荐的 {name}（{number}，已并入 {parent}）状态更新：<b>{status}</b>"
ROUND_OPENED_NOTICE = (
    "🗳 您推荐的 {name}（{number}）已入围「{title}」投票，投票时间 {start} 至 {end}。"
    "发送 /vote 即可查看和投票，欢迎转告亲友。"
)
BAD_TRANSITION = "该推荐当前为「{current}」，不能改为「{target}」。可能已被其他工作人员处理。"
STATUS_MOVED_ON = "该推荐的状态已经变了，不能这样处理。可能已被其他工作人员处理。"
NOT_FOUND = "找不到这条推荐。"

# ---------------------------------------------------------------- staff review
STAFF_NEW = "🆕 新的好人推荐 <b>{number}</b>（{kind}）：{name}，{community}。发送 /nominations 审核。"
STAFF_JOINED = "➕ 好人推荐 <b>{parent}</b>（{name}）又收到一份推荐 {number}，可在卡片的「材料」中查看。"
STAFF_SUPPLEMENTED = (
    "📎 好人推荐 <b>{number}</b>（{name}）已补充材料，重新进入待审核。发送 /nominations 审核。"
)
QUEUE_HEADER = "<b>好人推荐</b>（{status}{kind}，共 {total} 条，显示前 {shown} 条）"
QUEUE_EMPTY = "没有符合条件的推荐（{status}{kind}）。"
QUEUE_KIND = " · {kind}"
QUEUE_FILTER_ALL = "全部"
QUEUE_USAGE = "用法：/nominations [状态] [类别]，例如 /nominations 待审核 见义勇为"
# What staff may type after /nominations besides the status names above.
STATUS_ALIASES = {"待审核": NominationStatus.SUBMITTED, "待补充": NominationStatus.NEEDS_MORE_INFO}
CARD = (
    "<b>{number}</b> {kind} · {status}\n"
    "被推荐人：{name}（{community}）\n"
    "事迹：{story}\n"
    "照片：{photos} 张 · 补充推荐：{supporters} 条 · 可联系：{may_contact}\n"
    "推荐人电话：{contact}"
)
CARD_VOTES = "\n本轮得票：{votes}"
CARD_REASON = "\n说明：{reason}"
BTN_SHORTLIST = "入围"
BTN_REJECT = "驳回"
BTN_MORE_INFO = "退回补充"
BTN_APPROVE = "审定"
BTN_MATERIAL = "材料"
MATERIAL_HEADER = "<b>{number} 的材料</b>：照片 {photos} 张，补充推荐 {supporters} 条"
MATERIAL_SUPPORTER = "<b>补充推荐 {number}</b>（推荐人电话：{contact}）\n{story}"
MATERIAL_PHOTO = "{number} 照片 {index}"
ASK_REJECT_REASON = "请输入驳回 {number} 的原因（会告知推荐人）："
ASK_MORE_INFO = "请说明 {number} 需要补充什么材料（会告知推荐人）："
REVIEW_DONE = "已将 {number} 设为「{status}」，已通知推荐人。"
TOAST_DONE = "{number}：{status}"

# ---------------------------------------------------------------- voting
ROUND_USAGE = "用法：/openround 标题 开始时间 结束时间\n例如：/openround 十一月好人评选 2026-11-28 08:00 2026-12-05 20:00"
ROUND_BAD_TIME = "结束时间必须晚于开始时间，且不能早于现在。"
ROUND_OVERLAP = "已有投票轮次「{title}」在该时间段内，请先用 /closeround 结束它。"
ROUND_NO_SHORTLIST = "还没有入围的推荐，请先在 /nominations 中入围候选人。"
ROUND_OPENED = "已开启投票「{title}」：{start} 至 {end}，共 {count} 位入围候选人。居民发送 /vote 即可投票。"
ROUND_NONE_OPEN = "当前没有进行中的投票轮次。"
ROUND_CLOSED = "投票「{title}」已结束。得票：\n{results}"
ROUND_RESULT_LINE = "{number} {name}：{votes} 票"
ROUND_NO_RESULTS = "—"
VOTE_HEADER = "<b>{title}</b>\n投票时间：{start} 至 {end}\n每人可为每位候选人投一票。"
VOTE_NONE = "现在没有进行中的好人评选投票，敬请关注。"
VOTE_CARD = "<b>{name}</b>（{kind} · {community}）\n{story}"
VOTE_BUTTON = "👍 投票（{votes}）"
VOTED = "投票成功，感谢您的参与！"
ALREADY_VOTED = "您已经为TA投过票了，每人每轮只能投一票。"
VOTE_NOT_STARTED = "投票尚未开始（{start:%Y-%m-%d %H:%M} 开始）。"
VOTE_ENDED = "本轮投票已结束，感谢关注。"
VOTE_NOT_CANDIDATE = "TA不在本轮候选名单中。"
STATS_HEADER = "<b>投票统计：{title}</b>（有效 {valid} 票，已作废 {voided} 票）"
STATS_NOMINEE = "{number} {name}：{votes} 票；每小时：{hours}"
STATS_HOUR = "{hour:%m-%d %H}时 {count}"
STATS_HOURS_SEPARATOR = "，"
STATS_SUSPECTS = "<b>可疑账号</b>（{count} 个）："
STATS_SUSPECT_LINE = "{voter}：{votes} 票 — {reasons}"
STATS_REASONS_SEPARATOR = "；"
STATS_NEW_ACCOUNT = "投票时账号注册不足 {hours} 小时"
STATS_BURST = "{seconds} 秒内连投 {votes} 票"
STATS_NO_SUSPECTS = "未发现可疑账号。"
STATS_VOID_HINT = "作废某些账号的投票：/voidvotes {round_id} 账号1 账号2 …"
STATS_NO_ROUND = "还没有投票轮次。"
VOID_USAGE = "用法：/voidvotes 轮次编号 账号1 账号2 …"
VOIDED = "已作废 {count} 票（账号：{voters}）。"
VOTERS_SEPARATOR = "、"

# ---------------------------------------------------------------- publication
PUBLISH_NONE = "没有已审定待发布的好人。请先在 /nominations 中对入围者点「审定」。"
PUBLISHED = "已发布 {month} 好人榜，共 {count} 人；已通知 {sent} 位订阅者。"
ANNOUNCEMENT = "🏅 <b>{month} 好人榜</b>发布啦！\n{names}\n发送 /honors 查看他们的故事。"
NAMES_SEPARATOR = "、"
HONORS_EMPTY = "好人榜还没有发布，敬请期待。"
HONORS_HEADER = "🏅 <b>{month} 好人榜</b>"
HONORS_KIND = "\n<b>【{kind}】</b>"
HONORS_ENTRY = "<b>{name}</b>（{community}）\n{story}"
HONORS_OTHER_MONTHS = "查看其他月份："

# ---------------------------------------------------------------- the supervision report
REPORT_TITLE = "好人推荐"
REPORT_TABLE = "按类别和环节统计（本期提交的推荐，环节为当前状态）"
REPORT_KIND = "类别"
REPORT_TOTAL = "合计"
REPORT_RECEIVED = "收到推荐"
REPORT_PUBLISHED = "上榜"
REPORT_VOTES = "有效投票"
REPORT_CHART = "各类别推荐数"
REPORT_STATUSES = {  # shorter than STATUS_NAMES: they head table columns
    NominationStatus.SUBMITTED: "待审核",
    NominationStatus.NEEDS_MORE_INFO: "待补充",
    NominationStatus.SHORTLISTED: "已入围",
    NominationStatus.REJECTED: "未通过",
    NominationStatus.APPROVED: "已审定",
    NominationStatus.PUBLISHED: "已上榜",
    NominationStatus.SUPPORTING: "已并入",
}

# DomainError codes of this feature (rendered by handlers.kit.errors).
ERRORS: dict[str, str] = {
    NominationProblem.TEXT_EMPTY: TEXT_EMPTY,
    NominationProblem.TEXT_TOO_LONG: TEXT_TOO_LONG,
    NominationProblem.NAME_MISSING: ASK_NAME,
    NominationProblem.COMMUNITY_MISSING: ASK_COMMUNITY,
    NominationProblem.STORY_TOO_SHORT: STORY_TOO_SHORT,
    NominationProblem.STORY_TOO_LONG: STORY_TOO_LONG,
    NominationProblem.PHOTO_TOO_LARGE: PHOTO_TOO_LARGE,
    NominationProblem.TOO_MANY_PHOTOS: PHOTO_LIMIT,
    NominationProblem.BAD_PHONE: BAD_PHONE,
    NominationProblem.NOT_FOUND: NOT_FOUND,
    NominationProblem.NOT_YOURS: NOT_YOURS,
    # Review names both statuses (views.transition_refused); this is the wording without them.
    NominationProblem.BAD_TRANSITION: STATUS_MOVED_ON,
    NominationProblem.ROUND_BAD_TIME: ROUND_BAD_TIME,
    NominationProblem.ROUND_OVERLAP: ROUND_OVERLAP,
    NominationProblem.ROUND_NO_SHORTLIST: ROUND_NO_SHORTLIST,
    NominationProblem.NO_OPEN_ROUND: ROUND_NONE_OPEN,
    NominationProblem.NO_ROUND: STATS_NO_ROUND,
    NominationProblem.VOTE_ENDED: VOTE_ENDED,
    NominationProblem.VOTE_NOT_STARTED: VOTE_NOT_STARTED,
    NominationProblem.NOT_CANDIDATE: VOTE_NOT_CANDIDATE,
    NominationProblem.ALREADY_VOTED: ALREADY_VOTED,
    NominationProblem.NOTHING_TO_PUBLISH: PUBLISH_NONE,
}
