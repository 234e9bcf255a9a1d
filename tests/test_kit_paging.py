"""Pages of a list and long messages split under Telegram's limit."""

from __future__ import annotations

import pytest

from handlers.kit.paging import MESSAGE_LIMIT, fitting, page_containing, page_of, shorten, split_message


def test_pages_clamp_and_know_their_neighbours() -> None:
    items = list(range(23))
    first = page_of(items, 1, 10)
    assert list(first.items) == list(range(10)) and (first.number, first.count) == (1, 3)
    assert not first.has_previous and first.has_next
    last = page_of(items, 3, 10)
    assert list(last.items) == [20, 21, 22] and last.has_previous and not last.has_next
    assert page_of(items, 99, 10).number == 3 and page_of(items, -5, 10).number == 1
    empty = page_of([], 1, 10)
    assert (empty.number, empty.count, list(empty.items)) == (1, 1, [])
    assert [page_containing(i, 10) for i in (0, 9, 10, 22)] == [1, 1, 2, 3]
    with pytest.raises(ValueError):
        page_of(items, 1, 0)


def test_split_keeps_lines_whole_and_every_message_under_the_limit() -> None:
    lines = [f"第 {n} 行 " + "字" * (n % 50) for n in range(500)]
    messages = split_message(lines, header="标题")
    assert len(messages) > 1 and all(len(m) <= MESSAGE_LIMIT for m in messages)
    assert messages[0].startswith("标题\n")
    assert "\n".join(messages) == "\n".join(["标题", *lines])  # nothing lost, nothing reordered


def test_split_cuts_a_single_huge_line_and_handles_small_input() -> None:
    assert split_message(["一行"]) == ["一行"]
    assert split_message([]) == []
    assert split_message([], header="只有标题") == ["只有标题"]
    pieces = split_message(["x" * 25], limit=10)
    assert pieces == ["x" * 10, "x" * 10, "x" * 5]


def test_lengths_are_what_telegram_counts_and_cuts_never_split_an_entity() -> None:
    escaped = "&lt;" * 30  # 120 characters of HTML, 30 that Telegram counts
    assert split_message([escaped], limit=30) == [escaped]
    pieces = split_message(["<b>x</b>" + "&amp;" * 12], limit=5)
    assert pieces == ["<b>x</b>&amp;&amp;&amp;&amp;", "&amp;" * 5, "&amp;" * 3]
    assert split_message(["😀" * 3], limit=4) == ["😀😀", "😀"]  # two UTF-16 units each


def test_fitting_counts_the_lines_one_message_holds() -> None:
    lines = ["字" * 10] * 5
    assert fitting(lines, limit=32) == 3  # 10 + 1 + 10 + 1 + 10 = 32
    assert fitting(lines, limit=31) == 2
    assert fitting(lines, limit=32, header="标题") == 2  # 2 + 1 + 10 + 1 + 10 = 24; a third: 35
    assert fitting(lines, limit=1000) == 5
    assert fitting(["字" * 50], limit=10) == 1  # a page always moves on
    assert shorten("一二三四五", 3) == "一二…" and shorten("一二", 3) == "一二"
