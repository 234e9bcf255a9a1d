"""The one check of typed text every feature uses: stripped, refused empty or too long by the
feature's own error and codes."""

from __future__ import annotations

import pytest

from bot.services import DomainError, checked_text


class Refused(DomainError):
    def __init__(self, problem: str, **params: object) -> None:
        super().__init__(code=problem, **params)


def check(raw: str) -> str:
    return checked_text(raw, 5, refuse=Refused, empty="demo.empty", too_long="demo.too_long")


def test_text_is_stripped_and_kept_up_to_the_limit() -> None:
    assert check("  你好世界啊 \n") == "你好世界啊"


def test_empty_and_too_long_are_refused_with_the_features_codes() -> None:
    with pytest.raises(Refused) as empty:
        check(" \n\t")
    assert (empty.value.code, empty.value.params) == ("demo.empty", {})
    with pytest.raises(Refused) as long:
        check("一二三四五六")
    assert (long.value.code, long.value.params) == ("demo.too_long", {"length": 6, "limit": 5})
