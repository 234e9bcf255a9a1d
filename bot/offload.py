"""CPU-heavy work (certificates, spreadsheets) off the event loop, in a worker process.

A thread is not enough: Pillow and openpyxl hold the GIL for most of a render, so a render thread
takes the interpreter away from the event loop that answers everyone else (twenty certificates in
threads put /start's p99 at hundreds of milliseconds). A separate process renders on the other core.
The worker starts on first use (forkserver: a clean child, not a copy of the running bot) and its
arguments and results travel pickled.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"))
    return _pool


async def cpu_bound(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``function`` (a module-level function; picklable arguments) in the worker process."""
    call: Callable[[], T] = functools.partial(function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_executor(), call)
