"""The convention feature's wording (Simplified Chinese). Templates taking user text get it escaped."""

from __future__ import annotations

from bot.services.convention import ContentProblem, PlaceKind, QuestionProblem
from bot.texts import TEXT_EMPTY

COMMANDS = {
    "convention": "文明公约20条",
    "ask": "问公约：用一句话提问",
    "quiz": "公约知识小测验",
}
LIST_HEADER = "<b>{title}</b>\n请点击条目查看全文（第 {page}/{pages} 页）："
PREV_PAGE = "◀ 上一页"
NEXT_PAGE = "下一页 ▶"
PREV = "◀ 上一条"
NEXT = "下一条 ▶"
TO_LIST = "📋 目录"
ASK_BUTTON = "问公约"
QUIZ_BUTTON = "📝 小测验"
DAILY_BUTTON = "📅 每日一条"
ARTICLE_BUTTON = "{number}. {title}"
ARTICLE = (
    "<b>第 {number} 条　{title}</b>\n\n{text}\n\n"
    "💡 <b>白话解释</b>\n{explanation}\n\n"
    "✅ <b>应该这样做</b>\n{do}\n\n"
    "❌ <b>不要这样做</b>\n{dont}"
)
RULE = "\n\n⚖️ <b>相关规定</b>\n{rule}"
BULLET = "• {item}"
BAD_NUMBER = "没有「{value}」这一条。公约共 {count} 条，请发送 1 到 {count} 之间的数字，例如 /convention 3，或在下面的目录中点选。"
DAILY_SUBSCRIBED = "已订阅每日公约：每天 {time} 为您推送一条，按顺序循环学习。发送 /unsubscribe 可退订。"
DAILY_ALREADY = "您已订阅每日公约，每天 {time} 推送一条。发送 /unsubscribe 可退订。"
DAILY_HEADER = "📅 <b>每日公约</b>（{date}）\n\n"
DAILY_FOOTER = "\n\n📋 全部条目：/convention　📝 小测验：/quiz　退订：/unsubscribe"

ASK_PROMPT = (
    "请用一句话说说您想问什么，例如：\n"
    "• 狗狗出门不拴绳可以吗\n"
    "• 公交车上要不要给老人让座\n"
    "• 电动车能停在人行道上吗\n\n"
    "发送 /cancel 退出。"
)
ASK_REPROMPT = "这里需要输入文字问题，例如「饭店包间能抽烟吗」。发送 /cancel 退出。"
ASK_TOO_LONG = (
    "问题太长了（{length} 字）。请用一两句话、{limit} 字以内说说您想问什么，例如「楼道里能停电动车吗」。"
)
ASK_NOT_CHINESE = (
    "请用中文提问，例如「狗狗出门不拴绳可以吗」。也可以点下方「📋 目录」浏览全部 {count} 条公约。"
)
ASK_BEST = "🔎 和您的问题最相关的是：\n\n<b>第 {number} 条　{title}</b>\n{text}\n\n💡 {excerpt}"
ASK_WEAK = "🤔 没有找到很确定的答案，可能相关的是：\n\n<b>第 {number} 条　{title}</b>\n{text}\n\n💡 {excerpt}"
ASK_RULE = "\n\n⚖️ {rule}"
ASK_ALSO = "\n\n其他可能相关的条目见下方按钮。"
ASK_NONE = "抱歉，没有找到和「{question}」相关的公约条目。可以换个说法再问（发送 /ask 加问题），或者从下面的目录中查看："
ASK_FULL = "查看第 {number} 条全文"

QUIZ_QUESTION = "📝 <b>第 {index}/{total} 题</b>（第 {article} 条　{title}）\n\n{question}"
QUIZ_OPTION = "{letter}. {option}"
QUIZ_RIGHT = "✅ 回答正确！"
QUIZ_WRONG = "❌ 回答错误，正确答案是 {letter}. {option}"
QUIZ_ANSWERED = "{question}\n\n您的选择：{letter}. {option}\n{verdict}\n\n📖 {explanation}"
QUIZ_DONE = "🎉 测验完成！本次得分：<b>{score}/{total}</b>\n{best}"
QUIZ_NEW_BEST = "🏆 刷新个人最好成绩！（共测验 {attempts} 次）"
QUIZ_BEST = "个人最好成绩：{best}/{best_total}（共测验 {attempts} 次）"
QUIZ_AGAIN = "再测一次"
QUIZ_ALREADY = "这道题已经答过了。"
QUIZ_OVER = "这轮测验已经结束，发送 /quiz 可以再测一次。"
QUIZ_BANK_CHANGED = "题库已更新，这轮测验无法继续，请发送 /quiz 重新开始。"

DEFAULT_TITLE = "市民文明公约"
SENTENCE_ENDS = "。；！？"  # where an excerpt may end
DAILY_DATE = "{month:02d}月{day:02d}日"

# Reading an article number the way residents write it: "第3条", "十二", "二十".
NUMBER_PREFIX = "第"
NUMBER_SUFFIX = "条"
NUMERAL_DIGITS = "零一二三四五六七八九"
NUMERAL_TEN = "十"
NUMERAL_TWO_COLLOQUIAL = "两"

# DomainError codes of this feature (rendered by handlers.kit.errors).
ERRORS: dict[str, str] = {
    QuestionProblem.EMPTY: TEXT_EMPTY,
    QuestionProblem.TOO_LONG: ASK_TOO_LONG,
}

# `chuangwen convention check` and start-up: one line per broken content file.
CONTENT_ERROR = "公约内容错误: {file}{place} — {problem}"
CONTENT_PLACES = {
    PlaceKind.ENTRY: " 第 {number} 个条目",
    PlaceKind.ARTICLE: " 第 {number} 条",
    PlaceKind.QUESTION: " 第 {number} 个题目",
    PlaceKind.LINE: " 第 {number} 行",
}
CONTENT_PROBLEMS = {
    ContentProblem.MISSING_FILE: "文件不存在",
    ContentProblem.UNREADABLE: "无法读取（{error}）",
    ContentProblem.YAML_SYNTAX: "YAML 格式错误",
    ContentProblem.NO_LIST: "顶层应有列表字段 {key}",
    ContentProblem.NOT_MAPPING: "应为键值对（字段: 值）",
    ContentProblem.MISSING_TEXT: "缺少字段 {key}（应为非空文字）",
    ContentProblem.NOT_LIST: "字段 {key} 应为非空列表",
    ContentProblem.BLANK_ITEM: "字段 {key} 中有空白或非文字的项",
    ContentProblem.WRONG_COUNT: "字段 {key} 应有 {count} 项，实际 {actual} 项",
    ContentProblem.BAD_NUMBER: "number 应为 {expected}（条目须从 1 起连续编号）",
    ContentProblem.TITLE_TOO_LONG: "title「{title}」超过 {limit} 个字",
    ContentProblem.NO_ARTICLES: "articles 列表为空",
    ContentProblem.BAD_ARTICLE_REF: "article 应为 1 到 {count} 之间的条目编号",
    ContentProblem.BAD_ANSWER: "answer 应为 A、B、C 或 D",
    ContentProblem.DUPLICATE_OPTIONS: "options 中有重复的选项",
    ContentProblem.TOO_FEW_QUESTIONS: "每条公约至少需要 {minimum} 道题，第 {number} 条只有 {have} 道",
}
CHECK_SUMMARY = "{title}: {articles} 条公约，{questions} 道测验题，格式正确。"
CHECK_MATCH = "  第 {number} 条 {title}  得分 {score:.2f}  {terms}"
