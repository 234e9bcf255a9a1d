"""The one mainland-mobile normaliser and masker that nominations and volunteers share."""

from __future__ import annotations

import pytest

from bot.services.privacy import mask_phone, normalize_mobile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("8613912345678", "13912345678"),
        ("(138) 0013 8000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),  # full-width digits, as a Chinese IME types them
        ("＋８６ １３８－００１３－８０００", "13800138000"),
    ],
)
def test_mobile_normalised(raw: str, expected: str) -> None:
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "12345", "12800138000", "1380013800a", "138001380001", "+13800138000", "+8613800138000x"]
)
def test_bad_mobile_is_none(raw: str) -> None:
    assert normalize_mobile(raw) is None


def test_mask_hides_the_middle_and_short_values_entirely() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("1380013") == "****"
    assert mask_phone("") == "****"
