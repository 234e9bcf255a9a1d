"""The nominations feature's views and buttons on their own: domain objects in, text and keyboard out.

No Telegram and no database: models are built in memory.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.models import Nomination, NominationKind, NominationStatus, VotingRound
from bot.services import DomainError
from bot.services.nominations import (
    HonorRoll,
    NominationProblem,
    NomineeTimeline,
    Notice,
    Publication,
    QueuePage,
    Submission,
    Suspect,
    VoteStats,
)
from handlers.kit.callbacks import BadButton, Button
from handlers.kit.errors import error_text
from handlers.kit.replies import View
from handlers.nominations import staff_views, texts, views
from handlers.nominations.callbacks import (
    BUTTONS,
    ConsentButton,
    FieldButton,
    HonorsButton,
    KindButton,
    QueueButton,
    RejectButton,
    SupplementButton,
    VoteButton,
)
from handlers.nominations.draft import new_draft

SHANGHAI = ZoneInfo("Asia/Shanghai")


def nomination(
    id: int = 7,
    *,
    status: NominationStatus = NominationStatus.SUBMITTED,
    name: str = "王<建国>",
    story: str = "拾金不昧。",
    reason: str | None = None,
    contact: str | None = "13800138000",
) -> Nomination:
    return Nomination(
        id=id,
        number=f"HR-20261127-{id:04d}",
        kind=NominationKind.HONESTY,
        nominee_name=name,
        community="幸福里&社区",
        nominee_key="",
        story=story,
        photos=["p1", "p2"],
        nominator_id=1,
        nominator_contact=contact,
        may_contact=True,
        status=status,
        status_reason=reason,
    )


def voting_round(id: int = 3) -> VotingRound:
    return VotingRound(
        id=id,
        title="十一月<评选>",
        starts_at=datetime(2026, 11, 28, 0, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 5, 12, 0, tzinfo=UTC),
    )


def rows(view: View) -> list[list[tuple[str, str]]]:
    assert view.keyboard is not None
    return [[(b.text, str(b.callback_data)) for b in row] for row in view.keyboard.inline_keyboard]


# ---------------------------------------------------------------- the conversation
def test_the_five_kinds_two_to_a_row() -> None:
    prompt = views.kind_prompt()
    assert prompt.text == texts.START
    layout = rows(prompt)
    assert [len(row) for row in layout] == [2, 2, 1]
    assert [label for row in layout for label, _ in row] == list(texts.KIND_NAMES.values())
    assert layout[0][1] == ("见义勇为", "nom:kind:bravery")


def test_the_summary_escapes_and_names_what_is_missing() -> None:
    draft = new_draft()
    draft.update(name="李<勇>", community="市一院", story="a&b", photos=["x", "y"])
    summary = views.summary(draft)
    assert "李&lt;勇&gt;" in summary.text and "a&amp;b" in summary.text
    assert "类别：未填写" in summary.text and "您的电话：未填写" in summary.text
    assert "照片：2 张" in summary.text and "可联系被推荐人：否" in summary.text
    assert rows(summary) == [[("提交", "nom:submit"), ("修改", "nom:edit"), ("取消", "nom:cancel")]]
    draft.update(kind="bravery", contact="13800138000", may_contact=True)
    summary = views.summary(draft)
    assert "类别：见义勇为" in summary.text and "13800138000" in summary.text and "：是" in summary.text
    assert "类别：未填写" in views.summary({"photos": []}).text  # type: ignore[typeddict-item]  # an old draft


def test_the_field_picker_and_the_step_keyboards() -> None:
    picker = rows(views.field_picker())
    assert [len(row) for row in picker] == [3, 4]
    assert picker[0][1] == ("姓名", "nom:field:name") and picker[1][-1] == ("可否联系", "nom:field:consent")
    assert rows(views.photos_prompt()) == [[("完成", "nom:photos_done")]]
    assert "还可以再发 1 张" in views.photo_added(2).text
    assert rows(views.contact_prompt()) == [[("跳过", "nom:skip")]]
    assert rows(views.consent_prompt()) == [[("可以联系", "nom:consent:yes"), ("暂不联系", "nom:consent:no")]]
    assert "30～1500 字" in views.story_prompt().text


def test_submitted_says_which_nomination_it_joined() -> None:
    first = nomination(1, name="王<建国>")
    assert views.submitted_text(Submission(first, None)) == texts.SUBMITTED.format(number=first.number)
    joined = views.submitted_text(Submission(nomination(2), first))
    assert first.number in joined and "王&lt;建国&gt;" in joined and "幸福里&amp;社区" in joined


# ---------------------------------------------------------------- a resident's nominations
def test_mine_lists_statuses_reasons_and_supplement_buttons() -> None:
    asked = nomination(1, status=NominationStatus.NEEDS_MORE_INFO, reason="请补充<照片>")
    primary = nomination(2, status=NominationStatus.SHORTLISTED)
    joined = nomination(3, status=NominationStatus.SUPPORTING)
    mine = views.mine_view([(asked, None), (joined, primary)])
    assert "待补充材料" in mine.text and "请补充&lt;照片&gt;" in mine.text
    assert f"已并入 {primary.number}，当前：已入围" in mine.text
    assert rows(mine) == [[(f"补充材料 {asked.number}", "nomsup:1")]]
    assert views.mine_view([(nomination(4), None)]).keyboard is None
    many = views.mine_view([(nomination(i), None) for i in range(1, 40)])
    assert many.text.count("HR-") == views.MINE_SHOWN


def test_status_notices_name_the_primary_and_escape_the_reason() -> None:
    direct = Notice(1, "王<建国>", "HR-1", NominationStatus.REJECTED, "材料<不实>")
    text = views.status_notice(direct)
    assert "王&lt;建国&gt;（HR-1）" in text and "<b>未通过</b>" in text and "材料&lt;不实&gt;" in text
    via = views.status_notice(Notice(2, "王建国", "HR-2", NominationStatus.SHORTLISTED, None, "HR-1"))
    assert "已并入 HR-1" in via and "说明" not in via


def test_supplement_heading_is_dated() -> None:
    assert views.supplement_heading(datetime(2026, 11, 27, 9, tzinfo=SHANGHAI)) == "【11-27 补充】"


# ---------------------------------------------------------------- staff review
def test_cards_offer_the_decisions_the_status_allows() -> None:
    def labels(status: NominationStatus) -> list[list[str]]:
        return [
            [label for label, _ in row] for row in rows(staff_views.card(nomination(status=status), 0, None))
        ]

    assert labels(NominationStatus.SUBMITTED) == [["入围", "驳回", "退回补充"], ["材料"]]
    assert labels(NominationStatus.NEEDS_MORE_INFO) == [["入围", "驳回", "退回补充"], ["材料"]]
    assert labels(NominationStatus.SHORTLISTED) == [["审定", "驳回"], ["材料"]]
    for final in (NominationStatus.REJECTED, NominationStatus.APPROVED, NominationStatus.PUBLISHED):
        assert labels(final) == [["材料"]]
    assert rows(staff_views.card(nomination(9), 0, None))[0][1] == ("驳回", "nomrev:reject:9")


def test_a_card_masks_the_phone_and_shortens_the_story() -> None:
    card = staff_views.card(nomination(story="好" * 400, reason="<再看看>"), 2, 5)
    assert "138****8000" in card.text and "13800138000" not in card.text
    assert "好" * 300 + "…" in card.text and "好" * 301 not in card.text
    assert "补充推荐：2 条" in card.text and "本轮得票：5" in card.text and "&lt;再看看&gt;" in card.text
    assert "推荐人电话：未填写" in staff_views.card(nomination(contact=None), 0, None).text
    assert "本轮得票" not in staff_views.card(nomination(), 0, None).text


def test_the_queue_header_filters_and_cards() -> None:
    shortlisted = nomination(1, status=NominationStatus.SHORTLISTED)
    page = QueuePage(12, [nomination(2), shortlisted], {2: 1}, {1: 4})
    header = staff_views.queue_view(page, NominationStatus.SUBMITTED, NominationKind.BRAVERY)
    assert header.text == texts.QUEUE_HEADER.format(status="待审核", kind=" · 见义勇为", total=12, shown=2)
    filters = rows(header)
    assert [len(row) for row in filters] == [3, 3]
    assert filters[0][1] == ("待补充材料", "nomq:needs_more_info")
    cards = staff_views.queue_cards(page)
    assert "补充推荐：1 条" in cards[0].text and "本轮得票" not in cards[0].text
    assert "本轮得票：4" in cards[1].text
    empty = staff_views.queue_view(QueuePage(0, [], {}, {}), None, None)
    assert empty.text == texts.QUEUE_EMPTY.format(status="全部", kind="") and rows(empty) == filters


def test_review_wording() -> None:
    target = nomination()
    assert "驳回" in staff_views.reason_prompt(target, NominationStatus.REJECTED)
    assert "补充什么" in staff_views.reason_prompt(target, NominationStatus.NEEDS_MORE_INFO)
    refused = staff_views.transition_refused(NominationStatus.REJECTED, NominationStatus.SHORTLISTED)
    assert "「未通过」" in refused and "「已入围」" in refused
    assert staff_views.material_photo_caption("HR-1", 2) == "HR-1 照片 2"
    assert "138****8000" in staff_views.material_supporter(nomination())


# ---------------------------------------------------------------- voting
def test_rounds_in_local_time() -> None:
    opened = staff_views.round_opened(voting_round(), 4, SHANGHAI)
    assert (
        "十一月&lt;评选&gt;" in opened
        and "2026-11-28 08:00 至 2026-12-05 20:00" in opened
        and "4 位" in opened
    )
    assert views.not_started(voting_round(), SHANGHAI) == "投票尚未开始（2026-11-28 08:00 开始）。"
    closed = staff_views.round_closed(voting_round(), [(nomination(), 3)])
    assert "王&lt;建国&gt;：3 票" in closed
    assert staff_views.round_closed(voting_round(), []).endswith("—")


def test_vote_cards_carry_the_round_and_the_live_count() -> None:
    card = views.vote_card(voting_round(3), nomination(41, story="好" * 250), 7)
    assert rows(card) == [[("👍 投票（7）", "vote:3:41")]]
    assert "好" * 200 + "…" in card.text and "诚实守信 · 幸福里&amp;社区" in card.text


def test_stats_show_the_last_hours_and_why_an_account_is_suspect() -> None:
    hours = [(datetime(2026, 11, 28, h, tzinfo=SHANGHAI), h) for h in range(14)]
    stats = VoteStats(
        voting_round(),
        valid=91,
        voided=2,
        nominees=[NomineeTimeline(nomination(), 91, hours, late_votes=70, skewed_against=0.1)],
        suspects=[Suspect(555, 6, True, 6), Suspect(556, 1, True, 0)],
    )
    text = staff_views.stats_text(stats)
    assert "有效 91 票，已作废 2 票" in text
    assert "11-28 13时 13" in text and "11-28 02时 2，11-28 03时 3" in text and "01时" not in text
    assert f"555：6 票 — {texts.STATS_SKEWED}；60 秒内连投 6 票" in text
    assert f"556：1 票 — {texts.STATS_SKEWED}" in text and "/voidvotes 3" in text
    assert "轮次开始后注册的账号投了 77%（本轮其他候选人为 10%）" in text
    quiet = staff_views.stats_text(VoteStats(voting_round(), 0, 0, [], []))
    assert texts.STATS_NO_SUSPECTS in quiet
    crowded = VoteStats(voting_round(), 1, 0, [], [Suspect(10**9 + i, 9, True, 9) for i in range(200)])
    assert len(staff_views.stats_text(crowded)) <= staff_views.STATS_CHARS
    assert staff_views.voided_text(3, [11, 12]) == "已作废 3 票（账号：11、12）。"


# ---------------------------------------------------------------- the honour roll
def test_a_long_roll_is_split_and_the_last_part_offers_other_months() -> None:
    people = [nomination(i, name=f"好人{i}", story="事" * 1400) for i in range(1, 8)]
    roll = HonorRoll("2026-11", ["2026-11", "2026-10", "2026-09"], [(NominationKind.HONESTY, people)])
    parts = views.honors_views(roll)
    assert len(parts) > 1 and all(len(p.text) <= 4096 for p in parts)
    assert parts[0].text.startswith("🏅 <b>2026-11 好人榜</b>") and "【诚实守信】" in parts[0].text
    assert all(p.keyboard is None for p in parts[:-1])
    assert rows(parts[-1]) == [[("2026-10", "honors:2026-10"), ("2026-09", "honors:2026-09")]]
    assert parts[-1].text.endswith(texts.HONORS_OTHER_MONTHS)
    alone = views.honors_views(HonorRoll("2026-11", ["2026-11"], [(NominationKind.HONESTY, people[:1])]))
    assert len(alone) == 1 and alone[0].keyboard is None


def test_the_announcement_names_everyone_escaped() -> None:
    publication = Publication("2026-11", [nomination(1, name="甲<1>"), nomination(2, name="乙")], [])
    text = views.announcement_text(publication)
    assert "2026-11 好人榜" in text and "甲&lt;1&gt;、乙" in text
    assert staff_views.published_text(publication, 9) == "已发布 2026-11 好人榜，共 2 人；已通知 9 位订阅者。"


# ---------------------------------------------------------------- buttons and error wording
EXISTING: list[tuple[Button, str]] = [
    (KindButton(kind=NominationKind.BRAVERY), "nom:kind:bravery"),
    (ConsentButton(answer="yes"), "nom:consent:yes"),
    (FieldButton(field="photos"), "nom:field:photos"),
    (SupplementButton(nomination=5), "nomsup:5"),
    (QueueButton(status=NominationStatus.NEEDS_MORE_INFO), "nomq:needs_more_info"),
    (RejectButton(nomination=12), "nomrev:reject:12"),
    (VoteButton(round=3, nomination=41), "vote:3:41"),
    (HonorsButton(month="2026-11"), "honors:2026-11"),
]


@pytest.mark.parametrize(("button", "data"), EXISTING, ids=[data for _, data in EXISTING])
def test_buttons_carry_the_data_they_always_did(button: Button, data: str) -> None:
    assert button.data == data and type(button).parse(data) == button


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (KindButton, "nom:kind:no-such-kind"),
        (FieldButton, "nom:field:editing"),
        (VoteButton, "vote:0:1"),
        (VoteButton, "vote:3:99999999999"),
        (RejectButton, "nomrev:reject:²"),
        (HonorsButton, "honors:2026-11-01"),
        (HonorsButton, "honors:"),
        (QueueButton, "nomq:待审核"),
    ],
)
def test_forged_buttons_are_refused(kind: type[Button], data: str) -> None:
    with pytest.raises(BadButton):
        kind.parse(data)


def test_review_buttons_are_staff_buttons_and_the_resident_ones_are_not() -> None:
    staff = {kind.__name__ for kind in BUTTONS if kind.staff}
    assert staff == {
        "QueueButton",
        "ShortlistButton",
        "ApproveButton",
        "RejectButton",
        "MoreInfoButton",
        "PublishHonorsButton",
        "CompareButton",
        "MergeButton",
        "MaterialButton",
    }


ERROR_PARAMS: dict[str, dict[str, Any]] = {
    NominationProblem.TEXT_TOO_LONG: {"length": 40, "limit": 32},
    NominationProblem.STORY_TOO_SHORT: {"length": 3, "min": 30},
    NominationProblem.STORY_TOO_LONG: {"length": 5000, "max": 1500},
    NominationProblem.PHOTO_TOO_LARGE: {"size": 12.04, "limit": 10},
    NominationProblem.TOO_MANY_PHOTOS: {"max": 3},
    NominationProblem.BAD_TRANSITION: {
        "current": NominationStatus.REJECTED,
        "target": NominationStatus.SHORTLISTED,
    },
    NominationProblem.ROUND_OVERLAP: {"title": "十一月"},
    NominationProblem.VOTE_NOT_STARTED: {"start": datetime(2026, 11, 28, 8, tzinfo=SHANGHAI)},
}


@pytest.mark.parametrize("problem", list(NominationProblem))
def test_every_problem_has_wording(problem: NominationProblem) -> None:
    text = error_text(DomainError(code=problem, **ERROR_PARAMS.get(problem, {})), texts.ERRORS)
    assert text and "{" not in text
    assert "submitted" not in text and "rejected" not in text  # statuses are named, never coded


def test_error_wording_with_parameters() -> None:
    def rendered(problem: NominationProblem) -> str:
        return error_text(DomainError(code=problem, **ERROR_PARAMS[problem]), texts.ERRORS)

    assert (
        rendered(NominationProblem.PHOTO_TOO_LARGE) == "这张照片太大了（12.0 MB），请发送 10 MB 以内的照片。"
    )
    assert rendered(NominationProblem.VOTE_NOT_STARTED) == "投票尚未开始（2026-11-28 08:00 开始）。"
    assert "（5000 字）" in rendered(NominationProblem.STORY_TOO_LONG)
    assert error_text(DomainError(code=NominationProblem.NAME_MISSING), texts.ERRORS) == texts.ASK_NAME
