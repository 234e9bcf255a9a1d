"""jieba tokenizers for the bot's features, with their dictionary cache in a private directory.

jieba caches its parsed dictionary as a file in the system temp directory by default, which every
local user can write: another user could plant a cache file there and change how complaints are
sorted. Every tokenizer the bot makes keeps its cache in a directory only this user can use.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

import jieba

log = logging.getLogger(__name__)


def cache_directory() -> Path:
    """``$XDG_CACHE_HOME/chuangwen`` (or ``~/.cache/chuangwen``), owned by us and mode 0700.

    Falls back to a fresh private temporary directory when that one cannot be made safe.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    directory = base / "chuangwen"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.lstat()
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            if info.st_mode & 0o077:
                directory.chmod(0o700)
            return directory
    except OSError:
        pass
    log.warning("the jieba cache directory is not private; using a temporary one for this run")
    return Path(tempfile.mkdtemp(prefix="chuangwen-jieba-"))


def new_tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer (never the global one) whose cache lives in ``cache_directory``."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_directory())
    return tokenizer
