"""jieba's dictionary cache lives in a directory only the bot's user can write, not in /tmp."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from bot.segmentation import cache_directory, new_tokenizer


def test_tokenizers_cache_in_a_private_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tokenizer = new_tokenizer()
    tokenizer.initialize()
    directory = tmp_path / "chuangwen"
    assert Path(tokenizer.tmp_dir) == directory
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert any(p.name.endswith(".cache") for p in directory.iterdir())  # jieba wrote its cache here
    assert tokenizer.lcut("文明城市") != []


def test_a_loosened_directory_is_made_private_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "chuangwen").mkdir(mode=0o777)
    os.chmod(tmp_path / "chuangwen", 0o777)
    assert stat.S_IMODE(cache_directory().stat().st_mode) == 0o700


def test_an_unusable_directory_falls_back_to_a_fresh_private_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "chuangwen").write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fallback = cache_directory()
    assert fallback.parent == Path(tempfile.gettempdir()) and fallback.name.startswith("chuangwen-jieba-")
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o700
