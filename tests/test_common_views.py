"""The common feature's views on their own: greeting, help, /forget's question, subscriptions, errors."""

from __future__ import annotations

from bot.models import Topic
from handlers.common import texts, views
from handlers.common.callbacks import ForgetButton, SubscriptionButton
from handlers.kit.feature import Command
from handlers.kit.guards import Audience
from handlers.kit.replies import View


def buttons(view: View) -> list[tuple[str, str]]:
    assert view.keyboard is not None
    return [(b.text, str(b.callback_data)) for row in view.keyboard.inline_keyboard for b in row]


def test_welcome_escapes_the_name() -> None:
    text = views.welcome_text("王<阿姨>")
    assert text.startswith("您好，王&lt;阿姨&gt;！欢迎使用<b>创文助手</b>。")


def test_help_lists_resident_commands_then_staff_commands_under_their_header() -> None:
    commands = [
        Command("start", "开始"),
        Command("report", "督查报告 <月|季>", Audience.CAMPAIGN_STAFF),
        Command("help", "查看帮助"),
    ]
    lines = views.help_text(commands).splitlines()
    assert lines == [
        texts.HELP_HEADER,
        "/start — 开始",
        "/help — 查看帮助",
        "",
        texts.HELP_STAFF_HEADER,
        "/report — 督查报告 &lt;月|季&gt;",
        "",
        texts.HELP_FOOTER,
    ]
    residents_only = views.help_text(commands[:1], console=True)
    assert texts.HELP_STAFF_HEADER not in residents_only
    assert residents_only.endswith(texts.CONSOLE_HELP)


def test_forget_asks_with_yes_and_no_buttons() -> None:
    view = views.forget_confirm_view(7310042977)
    assert view.text == texts.FORGET_CONFIRM
    assert [(label, ForgetButton.parse(data)) for label, data in buttons(view)] == [
        (texts.FORGET_YES, ForgetButton(answer="yes", asker=7310042977)),
        (texts.FORGET_NO, ForgetButton(answer="no", asker=7310042977)),
    ]


def test_subscribe_view_shows_every_topic_as_a_toggle() -> None:
    view = views.subscribe_view({Topic.DAILY_ARTICLE})
    assert view.text == f"{texts.SUBSCRIBE_PROMPT}\n当前订阅：每日公约"
    shown = [(label, SubscriptionButton.parse(data)) for label, data in buttons(view)]
    assert shown == [
        ("⬜ 通知", SubscriptionButton(action="toggle", topic=Topic.NOTICES)),
        ("✅ 每日公约", SubscriptionButton(action="toggle", topic=Topic.DAILY_ARTICLE)),
        ("⬜ 好人榜", SubscriptionButton(action="toggle", topic=Topic.HONORS)),
    ]
    assert views.subscription_status(set()) == "当前订阅：无"
    assert views.subscription_status(set(Topic)) == "当前订阅：通知、每日公约、好人榜"


def test_unsubscribe_view_offers_only_what_is_subscribed_and_only_removes() -> None:
    assert views.unsubscribe_view(set()) == View(texts.UNSUBSCRIBE_NONE)
    view = views.unsubscribe_view({Topic.HONORS, Topic.NOTICES})
    assert [SubscriptionButton.parse(data) for _, data in buttons(view)] == [
        SubscriptionButton(action="off", topic=Topic.NOTICES),
        SubscriptionButton(action="off", topic=Topic.HONORS),
    ]
    assert views.subscription_toast(Topic.HONORS, True) == "已订阅「好人榜」。"
    assert views.subscription_toast(Topic.HONORS, False) == "已退订「好人榜」。"


def test_fallback_and_error_texts_escape_what_they_quote() -> None:
    assert "/<b>" not in views.unknown_command_text("/<b>")
    assert "/&lt;b&gt;" in views.unknown_command_text("/<b>")
    assert "E-1A2B3C" in views.error_reply("E-1A2B3C")
    alert = views.admin_alert(
        "E-1", "BadRequest", "volunteers.phone_step → base.reply", (7, "message", "private")
    )
    assert (
        alert
        == "⚠️ 错误 E-1：BadRequest\n处理函数：volunteers.phone_step → base.reply\n更新：7 · message · private"
    )
