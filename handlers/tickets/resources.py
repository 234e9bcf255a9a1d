"""The complaint classifier on the running bot: built on first use, shared by every handler and task."""

from __future__ import annotations

import asyncio

from bot.app import BotData
from bot.services.classifier import ComplaintClassifier

CLASSIFIER_KEY = "classifier"
LOCK_KEY = "classifier_lock"


async def classifier_of(data: BotData) -> ComplaintClassifier:
    """The classifier, built once per process (in a thread: jieba takes about a second)."""
    existing: ComplaintClassifier | None = data.resources.get(CLASSIFIER_KEY)
    if existing is not None:
        return existing
    lock: asyncio.Lock = data.resources.setdefault(LOCK_KEY, asyncio.Lock())
    async with lock:
        if CLASSIFIER_KEY not in data.resources:
            data.resources[CLASSIFIER_KEY] = await asyncio.to_thread(
                ComplaintClassifier.load, data.settings.data_dir
            )
    classifier: ComplaintClassifier = data.resources[CLASSIFIER_KEY]
    return classifier
