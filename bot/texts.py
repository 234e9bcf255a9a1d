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


# ---------------------------------------------------------------- report sections (shared column names)
REPORT_THIS_PERIOD = "本期"
REPORT_LAST_PERIOD = "上期"


# ---------------------------------------------------------------- end of catalogue


# ---------------------------------------------------------------- the command line, console and settings
CLI_DESCRIPTION = "创文助手 — 文明城市创建 Telegram 机器人"
CLI_DB_UPGRADED = "数据库已升级到最新版本。"
CONFIG_ERROR = "配置错误: {name} — {problem}"
CONFIG_NO_TOKEN = "未设置（没有令牌时可用 `chuangwen console` 试用）"
CONFIG_NO_WEBHOOK_URL = "使用 --webhook 时必须设置"
CONFIG_BAD_ADMIN_IDS = "应为逗号分隔的 Telegram 数字 ID，例如 12345,67890"
CONFIG_BAD_TIME = "应为 24 小时制的 时:分，例如 08:00"
CONFIG_BAD_TIMEZONE = "未知时区 {value!r}，例如 Asia/Shanghai"
CONFIG_BAD_DATABASE_URL = "应以 sqlite+aiosqlite:// 或 postgresql+asyncpg:// 开头"
CONFIG_BAD_BASE_URL = "应为 http:// 或 https:// 开头的地址，例如 http://127.0.0.1:8081"
CONFIG_NO_DIRECTORY = "目录不存在: {value}"
CONSOLE_PROMPT = "你> "
CONSOLE_EDITED = "🤖(已更新) "
CONSOLE_PHOTO = "{prefix}[图片] {body}"
CONSOLE_DOCUMENT = "{prefix}[文件] {name} ({size} 字节) {body}"
CONSOLE_KEYBOARD = "   键盘: "
CONSOLE_SWITCHED = "👤 现在以用户 {user_id} 的身份对话。"
CONSOLE_NO_BUTTONS = "⚠️ 最近的消息上没有按钮，无法点击 #{number}。"
CONSOLE_NO_SUCH_BUTTON = "⚠️ 最近的消息只有 {count} 个按钮，没有 #{number}。"
CONSOLE_BAD_INPUT = "⚠️ 无法执行：{line}（发送 /help 查看控制台用法）"
FULL_WIDTH_COMMA = "，"  # typed in coordinates ("30.5，114.3")
FAKE_USER_NAME = "居民"  # the emulator's and the console's users when no name is given
BOT_NAME = "创文助手"  # the emulator's bot
LIST_SEPARATOR = "、"  # between names in a sentence


# ---------------------------------------------------------------- `chuangwen complaints classify|learn|eval`
COMPLAINTS_ERROR = "错误: {message}"
COMPLAINTS_EMPTY = "投诉内容为空"
COMPLAINTS_CATEGORY = "分类: {name} ({id})"
COMPLAINTS_DEPARTMENT = "责任部门: {name} ({id})"
COMPLAINTS_CONFIDENCE = "置信度: {confidence:.2f}"
COMPLAINTS_URGENT = "紧急: {urgent}"
COMPLAINTS_URGENT_YES = "是 — {kinds}"
COMPLAINTS_URGENT_NO = "否"
COMPLAINTS_TIME_LIMIT = "办理时限: {hours:g} 小时"
COMPLAINTS_KEYWORDS = "匹配关键词: {keywords}"
COMPLAINTS_NO_KEYWORDS = "（无）"
COMPLAINTS_UNLOADABLE = "写出的文件无法加载: {error}"
COMPLAINTS_LEARNED = "已从 {examples} 条标注数据学习 {labels} 个类别（{seconds:.0f} 秒），写入 {path}"
COMPLAINTS_LEARNED_LABEL = "  {label}: {count} 个关键词，如 {examples}"
COMPLAINTS_FITTED = (
    "已用 {n} 条标注数据拟合内置词表的权重（{seconds:.0f} 秒），写入 {path}：{changed} 个权重有变化，"
    "{unseen} 个关键词在数据中没有出现（保持原权重附近）"
)
COMPLAINTS_FITTED_LEFT_OUT = "；{left_out} 条紧急类或待分拣标注不参与权重拟合"
COMPLAINTS_FITTED_SUPPORT = "  {name} ({id}): {support} 条"
COMPLAINTS_FOLDS_TOO_FEW = "--folds 至少为 2"
COMPLAINTS_EVAL_CROSS = "{folds} 折交叉验证（重复文本在同一折），每类约 {keywords} 个关键词"
COMPLAINTS_EVAL_FIXED = "固定关键词文件 {config}"
COMPLAINTS_EVAL_SUMMARY = "样本数: {n}    准确率 accuracy: {accuracy:.4f}    宏平均 F1 macro-F1: {macro_f1:.4f}    待分拣: {triaged}"
COMPLAINTS_EVAL_TRIAGE_SHARE = "（{share:.1%}）"
COMPLAINTS_EVAL_URGENT = "最低召回率: {min_recall:.3f}    普通投诉被标为紧急: {flagged}"
COMPLAINTS_EVAL_COLUMNS = ("类别", "精确率", "召回率", "F1", "样本")  # the per-label table's heading
COMPLAINTS_EVAL_CONFUSION = "混淆矩阵（行: 真实类别，列: 预测类别）"
