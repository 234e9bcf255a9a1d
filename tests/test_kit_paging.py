"""Pages of a list and long messages split under Telegram's limit."""

from __future__ import annotations

import pytest

from handlers.kit.paging import MESSAGE_LIMIT, page_containing, page_of, split_message


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
