"""The typed callback codec: every declared button round-trips, and forged data never gets through."""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import pytest

import handlers
from bot import texts
from bot.harness import ChatHarness
from handlers.kit.callbacks import (
    CALLBACK_DATA_LIMIT,
    MAX_ID,
    Absent,
    BadButton,
    Between,
    Button,
    Id,
    Token,
    check_distinct,
    declared_kinds,
    overlapping,
)
from tests.conftest import ADMIN_ID, RESIDENT_ID


class Colour(enum.StrEnum):
    RED = "red"
    GREEN = "green"


class TicketPress(Button, prefix="t:acc", staff=True):
    ticket: Id


class RatePress(Button, prefix="t:rate"):
    ticket: Id
    stars: Annotated[int, Between(1, 5)]


class FilterPress(Button, prefix="t:q"):
    colour: Colour | None
    page: Annotated[int, Between(0, 99)]


class ListPress(Button, prefix="t:list"):
    district: Annotated[int | None, Between(0, 99), Absent("-")]
    when: Literal["all", "today", "week"]
    anonymous: bool


class QuizPress(Button, prefix="t:quiz"):
    token: Annotated[str, Token(8, "0-9a-f")]
    option: Annotated[int, Between(0, 3)]


class MenuPress(Button, prefix="t:menu"):
    pass


TEST_KINDS: list[type[Button]] = [TicketPress, RatePress, FilterPress, ListPress, QuizPress, MenuPress]

MALFORMED_SEGMENTS = ["", "²", "３", "-1", "+1", " 1", "1 ", "01", "1_0", "1.0", "x" * 65, "9" * 4000, "é"]


def test_building_and_parsing_are_inverse() -> None:
    for button in [
        TicketPress(ticket=MAX_ID),
        RatePress(ticket=1, stars=5),
        FilterPress(colour=None, page=0),
        FilterPress(colour=Colour.GREEN, page=99),
        ListPress(district=None, when="week", anonymous=True),
        ListPress(district=0, when="all", anonymous=False),
        QuizPress(token="0a1b2c3d", option=3),
        MenuPress(),
    ]:
        data = button.data
        assert type(button).parse(data) == button, data
        assert type(button).pattern.match(data)
    assert TicketPress(ticket=42).data == "t:acc:42"
    assert FilterPress(colour=None, page=2).data == "t:q::2"
    assert ListPress(district=None, when="today", anonymous=True).data == "t:list:-:today:1"
    assert MenuPress().data == "t:menu"
    parsed = FilterPress.parse("t:q:red:7")
    assert parsed.colour is Colour.RED and parsed.page == 7


def test_every_declared_button_of_every_feature_round_trips_within_64_bytes() -> None:
    kinds = handlers.button_kinds()
    assert kinds, "the pilot feature declares its buttons"
    for kind in kinds:
        example = kind.example()
        assert kind.parse(example.data) == example
        assert len(example.data.encode()) <= CALLBACK_DATA_LIMIT
        assert kind.pattern.match(example.data)


def test_every_button_kind_in_the_code_is_listed_in_a_manifest() -> None:
    in_code = {kind for kind in declared_kinds() if kind.__module__.startswith("handlers.")}
    assert in_code == set(handlers.button_kinds())


@pytest.mark.parametrize("kind", TEST_KINDS)
def test_malformed_and_out_of_range_data_is_refused(kind: type[Button]) -> None:
    example = kind.example().data
    forged = [None, "", kind.prefix + ":", example + ":1", "x" + example, example.upper(), example + "\n"]
    forged += [example.rsplit(":", 1)[0] + ":" + segment for segment in MALFORMED_SEGMENTS if kind.fields]
    for data in forged:
        if data is not None and data != example and _is_valid(kind, data):
            continue  # e.g. "" is the None mark of an optional last field
        with pytest.raises(BadButton):
            kind.parse(data)


def _is_valid(kind: type[Button], data: str) -> bool:
    try:
        kind.parse(data)
    except BadButton:
        return False
    return True


def test_ranges_are_checked_at_both_ends() -> None:
    assert TicketPress.parse(f"t:acc:{MAX_ID}").ticket == MAX_ID
    for data in ["t:acc:0", f"t:acc:{MAX_ID + 1}", "t:acc:99999999999999999999"]:
        with pytest.raises(BadButton):
            TicketPress.parse(data)
    for data in ["t:rate:1:0", "t:rate:1:6", "t:quiz:0a1b2c3d:4", "t:quiz:0A1B2C3D:1", "t:quiz:0a1b2c3d9:1"]:
        with pytest.raises(BadButton):
            (RatePress if data.startswith("t:rate") else QuizPress).parse(data)
    with pytest.raises(BadButton):
        FilterPress.parse("t:q:blue:1")
    with pytest.raises(BadButton):
        ListPress.parse("t:list::all:1")  # this kind writes None as "-"
    with pytest.raises(BadButton):
        ListPress.parse("t:list:1:all:2")  # a bool is 0 or 1


def test_a_bad_button_renders_as_the_expired_toast() -> None:
    from handlers.kit.errors import KIT_ERRORS, error_text

    with pytest.raises(BadButton) as raised:
        RatePress.parse("t:rate:1:²")
    assert error_text(raised.value, KIT_ERRORS) == texts.BUTTON_EXPIRED


def test_declarations_that_could_not_work_are_refused_at_import() -> None:
    with pytest.raises(TypeError, match="Between"):

        class NoRange(Button, prefix="x:a"):
            number: int

    with pytest.raises(TypeError, match="Token"):

        class NoToken(Button, prefix="x:b"):
            name: str

    with pytest.raises(TypeError, match="64"):

        class TooLong(Button, prefix="x:c"):
            first: Annotated[str, Token(30)]
            second: Annotated[str, Token(30)]

    with pytest.raises(TypeError, match="reserved"):

        class Reserved(Button, prefix="x:d"):
            data: Id

    with pytest.raises(TypeError, match="prefix"):

        class BadPrefix(Button, prefix="X d"):
            pass

    with pytest.raises(TypeError, match="None mark"):

        class AmbiguousNone(Button, prefix="x:e"):
            word: Annotated[str | None, Token(4), Absent("none")]


def test_building_with_a_value_the_field_cannot_hold_fails_loudly() -> None:
    with pytest.raises(ValueError):
        _ = QuizPress(token="not hex!", option=1).data


def test_kinds_that_could_match_the_same_data_overlap() -> None:
    class QueueMenu(Button, prefix="t:q:menu"):
        page: Annotated[int, Between(0, 9)]

    class QueueColour(Button, prefix="t:q"):
        colour: Colour
        page: Annotated[int, Between(0, 9)]

    class QueueAny(Button, prefix="t:q"):
        word: Annotated[str, Token(8)]
        page: Annotated[int, Between(0, 9)]

    assert not overlapping(QueueMenu, QueueColour)  # "menu" is not a colour
    assert overlapping(QueueMenu, QueueAny)  # "menu" is a word
    assert overlapping(QueueColour, FilterPress)  # "t:q:red:1" is both
    assert not overlapping(MenuPress, TicketPress)  # different numbers of segments
    assert not overlapping(TicketPress, RatePress)
    with pytest.raises(TypeError, match="overlap"):
        check_distinct([QueueMenu, QueueAny])
    check_distinct([*TEST_KINDS, QueueMenu])
    check_distinct(handlers.button_kinds())


async def test_forged_presses_get_a_clear_toast_and_no_error_report(harness: ChatHarness) -> None:
    """Through the real Application: no error code for the resident, no alert for the admins."""
    await harness.send(RESIDENT_ID, "/convention")
    carrier = harness.latest_with_buttons(RESIDENT_ID)
    harness.new_messages()
    harness.new_toasts()
    for data in ["conv:art:²", "conv:art:99999999999999999999", "conv:page:-1", "conv:art:0", "cq:zz:0:0"]:
        sent = await harness.press_data(RESIDENT_ID, data, carrier)
        assert sent == [], data
        assert harness.new_toasts() == [texts.BUTTON_EXPIRED], data
    assert harness.emulator.sent_to(ADMIN_ID) == []


# ---------------------------------------------------------------- the older features' buttons
# Kinds the features not yet converted will declare, with data exactly as their f-strings build it
# today: the codec can express every existing button, so converting one changes no callback data.
class Topic(enum.StrEnum):
    NOTICES = "notices"
    DAILY_ARTICLE = "daily_article"
    HONORS = "honors"


class NominationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    NEEDS_MORE_INFO = "needs_more_info"


Department = Annotated[str, Token(32, "a-z0-9_")]
DateFilter = Literal["all", "today", "tomorrow", "week"]


class Rate(Button, prefix="tk:rate"):
    ticket: Id
    stars: Annotated[int, Between(1, 5)]


class Reassign(Button, prefix="tk:to", staff=True):
    ticket: Id
    department: Department


class QueueMenu(Button, prefix="tk:q:menu", staff=True):
    of: Literal["status", "cat", "dept"]


class QueueNamed(Button, prefix="tk:q", staff=True):
    filter: Literal["open", "triage", "overdue"]


class Anonymous(Button, prefix="tkc:anon"):
    anonymous: bool


class ShiftList(Button, prefix="vol:list"):
    district: Annotated[int | None, Between(0, 99), Absent("-")]
    when: DateFilter
    page: Annotated[int, Between(0, 999)]


class Book(Button, prefix="vol:book"):
    shift: Id
    district: Annotated[int | None, Between(0, 99), Absent("-")]
    when: DateFilter
    page: Annotated[int, Between(0, 999)]


class Export(Button, prefix="vol:export", staff=True):
    shift: Id
    format: Literal["xlsx", "csv"]


class AuditPage(Button, prefix="audit:p", staff=True):
    query: Annotated[int, Between(1, 999_999)]
    offset: Annotated[int, Between(0, MAX_ID)]


class ReportPeriod(Button, prefix="report", staff=True):
    kind: Literal["month", "quarter"]
    period: Annotated[str, Token(7, "0-9Q-")]


class HonorsMonth(Button, prefix="honors"):
    month: Annotated[str | None, Token(7, "0-9-")]


class QueueStatus(Button, prefix="nomq", staff=True):
    status: NominationStatus | None


class Vote(Button, prefix="vote"):
    round: Id
    nomination: Id


class TopicAudience(Button, prefix="bcw:aud:topic", staff=True):
    topic: Topic


class Audience(Button, prefix="bcw:aud", staff=True):
    kind: Literal["volunteers", "district", "staff", "department"]


class Subscription(Button, prefix="sub"):
    action: Literal["toggle", "off"]
    topic: Topic


class Forget(Button, prefix="forget"):
    answer: Literal["yes", "no"]


EXISTING: list[tuple[Button, str]] = [
    (Rate(ticket=17, stars=5), f"tk:rate:{17}:{5}"),
    (Reassign(ticket=17, department="chengguan"), f"tk:to:{17}:{'chengguan'}"),
    (QueueMenu(of="status"), "tk:q:menu:status"),
    (QueueNamed(filter="overdue"), "tk:q:overdue"),
    (Anonymous(anonymous=True), "tkc:anon:1"),
    (ShiftList(district=None, when="all", page=0), "vol:list:-:all:0"),
    (Book(shift=9, district=3, when="week", page=2), f"vol:book:{9}:{3}:{'week'}:{2}"),
    (Export(shift=9, format="csv"), f"vol:export:{9}:csv"),
    (AuditPage(query=3, offset=40), f"audit:p:{'3'}:{40}"),
    (ReportPeriod(kind="quarter", period="2026-Q4"), "report:quarter:2026-Q4"),
    (HonorsMonth(month=None), "honors:"),
    (HonorsMonth(month="2026-11"), "honors:2026-11"),
    (QueueStatus(status=None), "nomq:"),
    (QueueStatus(status=NominationStatus.NEEDS_MORE_INFO), "nomq:needs_more_info"),
    (Vote(round=2, nomination=31), f"vote:{2}:{31}"),
    (TopicAudience(topic=Topic.HONORS), "bcw:aud:topic:honors"),
    (Audience(kind="district"), "bcw:aud:district"),
    (Subscription(action="off", topic=Topic.DAILY_ARTICLE), "sub:off:daily_article"),
    (Forget(answer="yes"), "forget:yes"),
]


@pytest.mark.parametrize(("button", "data"), EXISTING, ids=[data for _, data in EXISTING])
def test_the_codec_expresses_the_existing_buttons_unchanged(button: Button, data: str) -> None:
    assert button.data == data
    assert type(button).parse(data) == button


def test_the_existing_buttons_do_not_overlap() -> None:
    check_distinct({type(button) for button, _ in EXISTING})
