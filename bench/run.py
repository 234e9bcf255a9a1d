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


def benchmarks() -> dict[str, str]:
    """name → "module:function", from the features' manifests (``handlers.benchmarks()``); the
    function returns (or yields) result dicts, sync or async."""
    import handlers

    return handlers.benchmarks()


def expand(names: Iterable[str], known: dict[str, str]) -> list[str]:
    """Benchmark names; a group name ("availability") stands for every "availability.*" benchmark."""
    chosen: list[str] = []
    for name in names:
        members = [name] if name in known else [n for n in known if n.startswith(name + ".")]
        chosen += [n for n in members or [name] if n not in chosen]
    return chosen


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
    known = benchmarks()
    failures = 0
    for name in names:
        function = _load(known[name])
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
    known = benchmarks()
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all): {', '.join(known)}")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL for database benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    known = benchmarks()
    names = expand(args.names, known)
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    return run(names or list(known), {"database_url": args.database_url, "quick": args.quick})


if __name__ == "__main__":
    sys.exit(main())
