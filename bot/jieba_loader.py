"""Import jieba without importing setuptools' pkg_resources.

jieba 0.42 imports pkg_resources only to open its own dictionary file, and importing
pkg_resources scans every installed distribution: 0.3–0.6 s, most of ``import jieba`` and a large
part of the bot's start-up. When that import fails, jieba opens the file beside its module instead
(its own fallback), with the same bytes.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_jieba() -> ModuleType:
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import raise
    try:
        return importlib.import_module("jieba")
    finally:
        if block:
            del sys.modules["pkg_resources"]
