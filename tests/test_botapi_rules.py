"""The emulator refuses what Telegram refuses, so a test that sends it fails."""

from __future__ import annotations

import pytest

from bot import botapi_rules as rules
from bot.botapi_emulator import BotApiEmulator, BotApiError


@pytest.mark.parametrize(
    "text",
    [
        '<b>粗体</b>、<i>斜体</i>、<a href="https://example.org">链接</a>、&lt;括号&gt; &amp; &#21019;',
        '<blockquote expandable>引用</blockquote><code class="language-python">x</code>',
        '<span class="tg-spoiler">剧透</span><tg-spoiler>也是</tg-spoiler>',
    ],
)
def test_html_telegram_accepts(text: str) -> None:
    assert rules.check_text(text, "HTML")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("<div>块</div>", "unsupported start tag"),
        ("<b>未闭合", "end tag"),
        ("<b><i>交错</b></i>", "end tag"),
        ("投诉 & 建议", "'&' is reserved"),
        ("&nbsp;空格", "unsupported HTML entity"),
        ("a < b", "'<' is reserved"),
        ('<a title="x">链接</a>', "unsupported attribute"),
        ("<span>普通</span>", "tg-spoiler"),
        ("<br/>", "self-closing"),
        ("<b> </b>", "empty"),
        ("字" * 4097, "too long"),
    ],
)
def test_html_telegram_refuses(text: str, why: str) -> None:
    with pytest.raises(rules.RuleViolation, match=why):
        rules.check_text(text, "HTML")


def test_length_counts_visible_characters_not_markup() -> None:
    assert rules.check_text("<b>" + "字" * 4096 + "</b>", "HTML")
    assert rules.check_text("&amp;" * 4096, "HTML")


async def test_the_emulator_answers_400_like_telegram() -> None:
    emulator = BotApiEmulator()
    too_long_data = {"inline_keyboard": [[{"text": "按钮", "callback_data": "x" * 65}]]}
    cases = [
        ("sendMessage", {"chat_id": 1, "text": "<p>段落</p>", "parse_mode": "HTML"}),
        ("sendMessage", {"chat_id": 1, "text": "好", "reply_markup": too_long_data}),
        ("sendPhoto", {"chat_id": 1, "photo": "p", "caption": "字" * 1025}),
        ("answerCallbackQuery", {"callback_query_id": "1", "text": "提示" * 101}),
        ("setMyCommands", {"commands": [{"command": "Start", "description": "开始"}]}),
    ]
    for method, params in cases:
        with pytest.raises(BotApiError) as refused:
            await emulator.call(method, params)
        assert refused.value.code == 400 and refused.value.description.startswith("Bad Request")
    assert emulator.messages == []
    sent = await emulator.call("sendMessage", {"chat_id": 1, "text": "<b>好</b>", "parse_mode": "HTML"})
    assert sent["text"] == "好"
