"""The volunteer feature's views, buttons and error wording on their own (no Telegram, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.models import BookingStatus, Shift, ShiftBooking, ShiftStatus, VolunteerProfile
from bot.services import DomainError
from bot.services.volunteers import (
    BookingResult,
    DateFilter,
    District,
    HoursRow,
    Reminder,
    RosterEntry,
    ServiceRecord,
    ShiftClash,
    ShiftView,
    VolunteerProblem,
)
from bot.timeutil import DEFAULT_TZ
from handlers.kit.callbacks import BadButton, Button, check_distinct
from handlers.kit.errors import KIT_ERRORS, error_text
from handlers.kit.paging import Page
from handlers.kit.replies import View
from handlers.volunteers import staff_views, texts, views
from handlers.volunteers.callbacks import (
    BUTTONS,
    BookButton,
    BookShiftButton,
    CancelBookingButton,
    CheckInButton,
    CheckOutButton,
    ConsentButton,
    DateFilterButton,
    DistrictFilterButton,
    ExportRosterButton,
    LeaderboardChoiceButton,
    NewShiftWeeksButton,
    ProfileEditButton,
    RegistrationSkipButton,
    ShiftFieldButton,
    ShiftListButton,
)

TZ = DEFAULT_TZ
# Saturday 5 December 2026, 07:30–09:30 in the bot's time zone.
START = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)


def make_shift(shift_id: int = 7, *, hours: float = 2, **values: object) -> Shift:
    fields: dict[str, object] = {
        "title": "文明交通<劝导>",
        "place": "解放路 & 中山大道路口",
        "district": "江岸区",
        "starts_at": START,
        "ends_at": START + timedelta(hours=hours),
        "capacity": 3,
        "notes": "",
        "latitude": None,
        "longitude": None,
        "status": ShiftStatus.ACTIVE,
    }
    fields.update(values)
    return Shift(id=shift_id, **fields)


def make_booking(booking_id: int = 3, **values: object) -> ShiftBooking:
    fields: dict[str, object] = {
        "shift_id": 7,
        "user_id": 1,
        "status": BookingStatus.CONFIRMED,
        "position": 1,
        "booked_at": START - timedelta(days=1),
        "checked_in_at": None,
        "checked_out_at": None,
        "service_minutes": 0,
    }
    fields.update(values)
    return ShiftBooking(id=booking_id, **fields)


def make_profile(name: str = "王小明", *, show: bool = False) -> VolunteerProfile:
    return VolunteerProfile(
        user_id=1,
        real_name=name,
        phone="13912345678",
        district="江岸区",
        community="滨江<社区>",
        skills="",
        availability="周末",
        show_on_leaderboard=show,
        shift_notices=True,
        consent_at=START,
    )


def rows(view: View) -> list[list[tuple[str, str]]]:
    assert view.keyboard is not None
    return [[(b.text, str(b.callback_data)) for b in row] for row in view.keyboard.inline_keyboard]


# ---------------------------------------------------------------- buttons
# The data every kind carried before it was declared: buttons on messages already sent keep working.
EXISTING: list[tuple[Button, str]] = [
    (ConsentButton(answer="yes"), "vol:consent:yes"),
    (LeaderboardChoiceButton(show=False), "vol:reg:lb:0"),
    (RegistrationSkipButton(), "vol:reg:skip"),
    (ProfileEditButton(field="availability"), "vol:edit:availability"),
    (ShiftListButton(district=None, when=DateFilter.ALL, page=0), "vol:list:-:all:0"),
    (ShiftListButton(district=4, when=DateFilter.WEEK, page=12), "vol:list:4:week:12"),
    (DistrictFilterButton(district=None, when=DateFilter.TODAY), "vol:pickd:-:today"),
    (DateFilterButton(district=2, when=DateFilter.ALL), "vol:pickt:2:all"),
    (BookButton(shift=9, district=None, when=DateFilter.TOMORROW, page=1), "vol:book:9:-:tomorrow:1"),
    (BookShiftButton(shift=9), "vol:book:9"),
    (CancelBookingButton(booking=5), "vol:cancel:5"),
    (CheckInButton(booking=5), "vol:in:5"),
    (CheckOutButton(booking=5), "vol:out:5"),
    (NewShiftWeeksButton(weeks=4), "vol:ns:w:4"),
    (ShiftFieldButton(field="time"), "vol:ef:time"),
    (ExportRosterButton(shift=9, format="csv"), "vol:export:9:csv"),
]


@pytest.mark.parametrize(("button", "data"), EXISTING, ids=[data for _, data in EXISTING])
def test_buttons_keep_their_data_and_round_trip(button: Button, data: str) -> None:
    assert button.data == data
    assert type(button).parse(data) == button


def test_every_kind_round_trips_and_no_two_kinds_overlap() -> None:
    check_distinct(BUTTONS)
    for kind in BUTTONS:
        example = kind.example()
        assert kind.parse(example.data) == example
    staff = {kind.prefix for kind in BUTTONS if kind.staff}
    assert staff == {
        "vol:ns:skip",
        "vol:ns:d",
        "vol:ns:w",
        "vol:ns:ok",
        "vol:eshift",
        "vol:ef",
        "vol:cshift",
        "vol:cshiftyes",
        "vol:export",
    }


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (ShiftListButton, "vol:list:-:someday:0"),  # no such date filter
        (ShiftListButton, "vol:list:-:all:-1"),
        (BookButton, "vol:book:0:-:all:0"),  # ids start at 1
        (BookShiftButton, "vol:book:99999999999"),  # beyond any id column
        (NewShiftWeeksButton, "vol:ns:w:13"),  # more weeks than a shift may repeat
        (ProfileEditButton, "vol:edit:role"),
        (ExportRosterButton, "vol:export:9:pdf"),
        (CheckInButton, "vol:in:²"),
    ],
)
def test_forged_or_out_of_range_data_is_refused(kind: type[Button], data: str) -> None:
    with pytest.raises(BadButton):
        kind.parse(data)


# ---------------------------------------------------------------- wording of the services' refusals
SAMPLE_PARAMS = {
    "length": 250,
    "limit": 200,
    "shortest": 2,
    "longest": 20,
    "phone": "1234",
    "hours": 12,
    "lowest": 1,
    "highest": 1000,
    "booked": 3,
    "title": "劝导",
    "when": "12月05日 07:30–09:30（周六）",
    "distance": 900,
    "radius": 500,
    "place": "路口",
    "start": START.astimezone(TZ),
    "minutes": 30,
}


@pytest.mark.parametrize("problem", list(VolunteerProblem))
def test_every_refusal_has_wording(problem: VolunteerProblem) -> None:
    assert error_text(DomainError(code=problem, **SAMPLE_PARAMS), {**KIT_ERRORS, **texts.ERRORS})


def test_refusals_carry_the_service_limits() -> None:
    name = DomainError(code=VolunteerProblem.BAD_NAME, shortest=2, longest=20)
    assert error_text(name, texts.ERRORS) == "姓名应为 2–20 个字，不含数字和符号，请重新输入："
    early = DomainError(code=VolunteerProblem.CHECKIN_TOO_EARLY, start=START.astimezone(TZ), minutes=30)
    assert "活动 12月05日 07:30 开始，开始前 30 分钟" in error_text(early, texts.ERRORS)


# ---------------------------------------------------------------- shared pieces
def test_shift_time_names_the_weekday_and_the_end_day_only_when_it_differs() -> None:
    assert views.shift_time(make_shift(), TZ) == "12月05日 07:30–09:30（周六）"
    evening = START + timedelta(hours=14)
    overnight = make_shift(starts_at=evening, ends_at=evening + timedelta(hours=3))  # 21:30 → 00:30
    assert views.shift_time(overnight, TZ) == "12月05日 21:30–12月06日 00:30（周六）"


def test_clash_is_plain_text_naming_the_booked_shift() -> None:
    text = views.clash_text(ShiftClash(make_shift()), TZ)
    assert "「文明交通<劝导>」（12月05日 07:30–09:30（周六））" in text


# ---------------------------------------------------------------- registration and profile
def test_profile_masks_the_phone_escapes_and_offers_every_field() -> None:
    view = views.profile_view(make_profile(), TZ, ask_which=True)
    assert "139****5678" in view.text and "13912345678" not in view.text
    assert "滨江&lt;社区&gt;" in view.text and texts.NOT_GIVEN in view.text
    assert view.text.endswith(texts.EDIT_PROMPT)
    layout = rows(view)
    assert [len(r) for r in layout] == [3, 3, 1, 1]
    assert (texts.FIELD_LABELS["skills"], "vol:edit:skills") in layout[1]
    assert layout[2] == [(texts.BTN_STOP_NOTICES, "vol:notices:0")]
    assert "接收志愿者通知：是" in view.text
    assert layout[3] == [(texts.BTN_BROWSE, "vol:list:-:all:0")]
    assert not views.profile_view(make_profile(), TZ).text.endswith(texts.EDIT_PROMPT)


def test_registration_questions() -> None:
    assert rows(views.consent_view()) == [
        [(texts.CONSENT_YES, "vol:consent:yes"), (texts.CONSENT_NO, "vol:consent:no")]
    ]
    districts = views.district_question(["甲区", "乙区", "丙区", "丁区"])
    assert rows(districts) == [
        [("甲区", "vol:reg:d:0"), ("乙区", "vol:reg:d:1"), ("丙区", "vol:reg:d:2")],
        [("丁区", "vol:reg:d:3")],
    ]
    communities = views.community_question(District("甲<区>", ("一社区", "二社区", "三社区")))
    assert communities.text.startswith("甲&lt;区&gt;") and [len(r) for r in rows(communities)] == [2, 1]
    assert rows(views.skippable_question(texts.ASK_SKILLS)) == [[(texts.SKIP, "vol:reg:skip")]]
    assert views.chosen(texts.ASK_DISTRICT, "<甲>") == f"{texts.ASK_DISTRICT} &lt;甲&gt;"


# ---------------------------------------------------------------- /shifts
def test_shift_list_books_only_unbooked_shifts_and_pages_with_the_filters() -> None:
    free = ShiftView(make_shift(7), confirmed=1, waitlisted=0)
    full = ShiftView(make_shift(8), confirmed=3, waitlisted=2)
    mine = ShiftView(
        make_shift(9), confirmed=1, waitlisted=1, my_status=BookingStatus.WAITLISTED, my_position=1
    )
    shown = Page([free, full, mine], number=2, count=3)
    view = views.shift_list_view(
        shown, total=13, district=0, district_name="江岸区", when=DateFilter.WEEK, tz=TZ
    )
    assert "江岸区，未来7天，共 13 场，第 2/3 页" in view.text
    assert "剩余 2/3 个名额" in view.text and "已满（3 人），候补 2 人" in view.text
    assert "您在候补第 1 位" in view.text and "文明交通&lt;劝导&gt;" in view.text
    layout = rows(view)
    assert layout[0] == [("报名 #7", "vol:book:7:0:week:1"), ("候补 #8", "vol:book:8:0:week:1")]
    assert layout[1] == [(texts.BTN_PREV, "vol:list:0:week:0"), (texts.BTN_NEXT, "vol:list:0:week:2")]
    assert layout[2] == [
        ("📍 区域：江岸区", "vol:pickd:0:week"),
        ("📅 日期：未来7天", "vol:pickt:0:week"),
    ]


def test_an_empty_list_says_so_and_keeps_the_filters() -> None:
    view = views.shift_list_view(
        Page([], 1, 1), total=0, district=None, district_name=None, when=DateFilter.ALL, tz=TZ
    )
    assert texts.SHIFTS_EMPTY in view.text and "全部区域，全部日期" in view.text
    assert len(rows(view)) == 1


def test_filter_pickers() -> None:
    districts = rows(views.district_filter_view(["甲区", "乙区"], DateFilter.TODAY))
    assert districts == [
        [
            (texts.ALL_DISTRICTS, "vol:list:-:today:0"),
            ("甲区", "vol:list:0:today:0"),
            ("乙区", "vol:list:1:today:0"),
        ]
    ]
    dates = rows(views.date_filter_view(1))
    assert [data for row in dates for _, data in row] == [
        "vol:list:1:all:0",
        "vol:list:1:today:0",
        "vol:list:1:tomorrow:0",
        "vol:list:1:week:0",
    ]


def test_booked_or_waitlisted() -> None:
    shift = make_shift()
    assert "报名成功：文明交通&lt;劝导&gt;" in views.booked_text(BookingResult(make_booking(), shift), TZ)
    assert "候补第 2 位" in views.booked_text(BookingResult(make_booking(), shift, waitlist_rank=2), TZ)


def test_booking_promises_only_the_reminders_that_will_be_sent() -> None:
    shift = make_shift()
    both = views.booked_text(BookingResult(make_booking(), shift, reminders=("24h", "1h")), TZ)
    assert "活动前 24 小时和 1 小时会提醒您" in both
    one = views.booked_text(BookingResult(make_booking(), shift, reminders=("1h",)), TZ)
    assert "活动前 1 小时会提醒您" in one and "24 小时" not in one
    none = views.booked_text(BookingResult(make_booking(), shift, reminders=()), TZ)
    assert "提醒您" not in none and texts.REMINDER_PROMISES[()] in none


# ---------------------------------------------------------------- /myshifts
def test_my_shifts_offer_cancel_before_the_start_then_check_in_then_check_out() -> None:
    shift = make_shift()
    early = START - timedelta(hours=2)
    (before,) = rows(views.my_shifts_view([(make_booking(), shift)], early, TZ))
    assert before == [("取消 #7", "vol:cancel:3")]
    (window,) = rows(views.my_shifts_view([(make_booking(), shift)], START - timedelta(minutes=10), TZ))
    assert window == [("取消 #7", "vol:cancel:3"), ("签到 #7", "vol:in:3")]
    checked_in = make_booking(checked_in_at=START + timedelta(minutes=2))
    view = views.my_shifts_view([(checked_in, shift)], START + timedelta(minutes=5), TZ)
    assert "— 已签到（07:32）" in view.text and "已报名" not in view.text
    assert rows(view) == [[("签退 #7", "vol:out:3")]]
    waiting = views.my_shifts_view([(make_booking(status=BookingStatus.WAITLISTED), shift)], START, TZ)
    assert "候补中" in waiting.text and waiting.keyboard is None
    assert views.my_shifts_view([], START, TZ) == View(texts.MYSHIFTS_EMPTY)


def test_cancel_confirmation_and_check_texts() -> None:
    assert rows(views.confirm_cancel_view(3, make_shift(), TZ)) == [
        [(texts.BTN_CONFIRM_CANCEL, "vol:cancelyes:3"), (texts.BTN_KEEP, "vol:keep")]
    ]
    shift = make_shift()
    checked_in = make_booking(checked_in_at=START - timedelta(minutes=5))
    assert "签到成功" in views.checked_text(checked_in, shift, TZ) and "07:25" in views.checked_text(
        checked_in, shift, TZ
    )
    done = make_booking(status=BookingStatus.COMPLETED, checked_in_at=START, service_minutes=90)
    assert "本次服务时长 1.5 小时" in views.checked_text(done, shift, TZ)
    assert "签退" in views.send_location_text(False, 499.6) and "500 米" in views.send_location_text(
        True, 499.6
    )


# ---------------------------------------------------------------- hours and leaderboard
def test_hours_by_month_newest_first() -> None:
    november = make_shift(1, starts_at=START - timedelta(days=30))
    record = ServiceRecord(
        [
            (november, make_booking(1, service_minutes=60)),
            (make_shift(2), make_booking(2, service_minutes=90)),
        ]
    )
    assert views.hours_record_text(record, TZ).splitlines() == [
        "<b>我的志愿服务时长</b>",
        "累计：<b>2.5</b> 小时，共 2 次服务",
        "2026-12：1.5 小时（1 次）",
        "2026-11：1.0 小时（1 次）",
    ]
    assert views.hours_record_text(ServiceRecord([]), TZ) == texts.HOURS_EMPTY


def test_leaderboard_masks_names_unless_shown() -> None:
    board = views.leaderboard_text(
        "2026-12",
        [HoursRow(1, make_profile("王小明"), 120, 1), HoursRow(2, make_profile("李四", show=True), 60, 1)],
    )
    assert "1. 王*明（江岸区）— 2.0 小时" in board and "2. 李四（江岸区）— 1.0 小时" in board
    assert views.leaderboard_text("2026-12", []) == texts.LEADERBOARD_EMPTY


# ---------------------------------------------------------------- staff
def test_shift_summary_and_the_questions_of_newshift_and_editshift() -> None:
    located = make_shift(latitude=30.58, longitude=114.29, notes="穿<马甲>", district="")
    summary = staff_views.shift_summary(located, TZ)
    assert texts.COORDS_SET in summary and "穿&lt;马甲&gt;" in summary and "（—）" in summary
    assert rows(staff_views.repeat_question()) == [
        [("不重复", "vol:ns:w:1"), ("2 周", "vol:ns:w:2"), ("4 周", "vol:ns:w:4")],
        [("8 周", "vol:ns:w:8"), ("12 周", "vol:ns:w:12")],
    ]
    edit = staff_views.edit_shift_view(located, TZ)
    assert edit.text.endswith("要修改活动 #7 的哪一项？")
    assert [data for row in rows(edit) for _, data in row] == [
        "vol:ef:title",
        "vol:ef:place",
        "vol:ef:time",
        "vol:ef:capacity",
        "vol:ef:notes",
    ]
    assert staff_views.shifts_created_text([4, 5]) == "✅ 已发布 2 场活动：#4、#5"


def test_cancel_shift_confirmation_counts_everyone_to_tell() -> None:
    view = staff_views.confirm_cancel_shift_view(ShiftView(make_shift(), confirmed=2, waitlisted=1))
    assert "3 位志愿者会收到通知" in view.text
    assert rows(view) == [[(texts.BTN_CANCEL_SHIFT, "vol:cshiftyes:7"), (texts.BTN_KEEP, "vol:keep")]]


def test_roster_sections_masked_phones_and_the_staff_buttons() -> None:
    people = [
        RosterEntry(make_booking(1, position=1), make_profile("甲")),
        RosterEntry(
            make_booking(2, position=2, checked_in_at=START + timedelta(minutes=3)), make_profile("乙")
        ),
        RosterEntry(make_booking(3, position=3, status=BookingStatus.WAITLISTED), None),
    ]
    view = staff_views.roster_view(make_shift(), people, TZ)
    assert "名额 2/3，候补 1 人" in view.text
    assert "1. 甲 139****5678" in view.text and "1. 乙 139****5678 07:33" in view.text
    assert "13912345678" not in view.text and "1. — " in view.text
    assert "<b>已完成</b>（0）\n（无）" in view.text
    assert rows(view) == [
        [(texts.BTN_EXPORT_XLSX, "vol:export:7:xlsx"), (texts.BTN_EXPORT_CSV, "vol:export:7:csv")],
        [(texts.BTN_EDIT_SHIFT, "vol:eshift:7"), (texts.BTN_ROSTER_CANCEL, "vol:cshift:7")],
    ]


def test_a_long_roster_section_shows_the_first_fifty_and_counts_the_rest() -> None:
    people = [RosterEntry(make_booking(i, position=i), make_profile("甲")) for i in range(1, 53)]
    text = staff_views.roster_view(make_shift(capacity=60), people, TZ).text
    assert "50. 甲" in text and "51. 甲" not in text and "…（+2）" in text


# ---------------------------------------------------------------- scheduled notices
def test_reminders_and_no_show_notices() -> None:
    shift = make_shift(notes="带<水>")
    tomorrow = views.reminder_text(Reminder(1, shift, "24h"), TZ)
    assert texts.REMINDER_24H in tomorrow and "📝 带&lt;水&gt;\n" in tomorrow
    soon = views.reminder_text(Reminder(1, make_shift(), "1h"), TZ)
    assert texts.REMINDER_1H in soon and "📝" not in soon
    assert "「文明交通&lt;劝导&gt;」已结束" in views.no_show_text(shift)
