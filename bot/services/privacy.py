"""Mainland mobile numbers: one normaliser and one masker for every feature that takes a phone.

Features keep their own error messages: ``normalize_mobile`` returns ``None`` for a number it
cannot accept and the caller raises its own ``DomainError`` with its own text.
"""

from __future__ import annotations

import re
import unicodedata

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()\uff08\uff09]")  # brackets, full-width ones too


def normalize_mobile(raw: str) -> str | None:
    """A mainland mobile number as 11 digits, or None.

    Accepts full-width characters (NFKC), spaces, dashes and brackets, and a ``+86`` or ``86``
    country prefix.
    """
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if MOBILE_RE.match(digits) else None


def mask_phone(phone: str) -> str:
    """138****8000: what anyone but the owner sees; a short value shows nothing."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"
