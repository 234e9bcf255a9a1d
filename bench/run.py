"""Benchmark runner: each benchmark prints JSON lines {name, value, unit, baseline, ratio}.

Speed targets are checked here, never by timed assertions in tests (these machines are shared and
noisy); a baseline is measured in the same run wherever one makes sense, so ratios stay comparable.
Benchmarks that need ../shared/datasets skip themselves (printing why) when it is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

# name → "module:function"; the function returns (or yields) result dicts, sync or async.
BENCHMARKS: dict[str, str] = {
    "bot_throughput": "bench.bot_throughput:bench_bot_throughput",
    "convention": "bench.convention:run",
    "convention.daily": "bench.convention:daily",
    "nominations": "bench.nominations:bench_nominations",
    "volunteers.signups": "bench.volunteers:bench_signups",
    "volunteers.shifts_render": "bench.volunteers:bench_shifts_render",
    "tickets": "bench.tickets:bench_tickets",
    "broadcasts": "bench.broadcasts:run",
    "report": "bench.report:bench",
    "broadcasts.materialise": "bench.broadcasts:run_materialise",
    "outbox": "bench.outbox:run",
    "classifier_speed": "bench.classifier:speed",
    "classifier_cv": "bench.classifier:learned_cv",
}


def result(
    name: str,
    value: float,
    unit: str,
    baseline: float | None = None,
    higher_is_better: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """One measurement; ratio = value / baseline (so ≥ 1 is better when higher_is_better)."""
    ratio = None
    if baseline:
        ratio = value / baseline if higher_is_better else baseline / value if value else None
    row: dict[str, Any] = {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "baseline": baseline,
        "ratio": ratio,
    }
    if baseline is not None:
        row["baseline"] = round(baseline, 4)
    if ratio is not None:
        row["ratio"] = round(ratio, 3)
    row.update(extra)
    return row


def _load(spec: str) -> Callable[..., Any]:
    module_name, function_name = spec.split(":")
    return getattr(importlib.import_module(module_name), function_name)  # type: ignore[no-any-return]


def run(names: Iterable[str], options: dict[str, Any]) -> int:
    failures = 0
    for name in names:
        function = _load(BENCHMARKS[name])
        try:
            produced = function(
                **{k: v for k, v in options.items() if k in inspect.signature(function).parameters}
            )
            if inspect.isawaitable(produced):
                produced = asyncio.run(produced)  # type: ignore[arg-type]
            for row in produced or []:
                print(json.dumps(row, ensure_ascii=False), flush=True)
        except Exception as error:  # one broken benchmark must not hide the others
            failures += 1
            print(json.dumps({"name": name, "error": f"{type(error).__name__}: {error}"}, ensure_ascii=False))
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL for database benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    return run(args.names or list(BENCHMARKS), {"database_url": args.database_url, "quick": args.quick})


if __name__ == "__main__":
    sys.exit(main())
