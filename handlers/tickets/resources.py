"""The complaint classifier on the running bot: built on first use, shared by every handler and task."""

from __future__ import annotations

import asyncio

from bot.app import BotApplication, BotContext, BotData
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


CLASSIFIER_WARM_UP_DELAY = 2.0


async def load_classifier_in_background(application: BotApplication) -> None:
    """Start-up hook of `chuangwen run`: the classifier is loaded (in a thread) before the first
    complaint, so nobody waits for it. It starts a moment after the bot does: loading jieba's
    dictionary holds the GIL for a few hundred milliseconds, and the first updates come first."""

    async def load(context: BotContext) -> None:
        # A task PTB awaits when the bot stops (the thread cannot be interrupted anyway).
        data = context.bot_data
        data.resources["classifier_warm_up"] = context.application.create_task(classifier_of(data))

    if application.job_queue is not None:
        application.job_queue.run_once(load, when=CLASSIFIER_WARM_UP_DELAY, name="classifier-warm-up")
