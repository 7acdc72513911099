"""The benchmark harness: timing, query counting and the report."""

from __future__ import annotations

import gc
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

# Every state of an application, in the order the benchmarks spread their rows over them.
APPLICATION_STATES = (
    "draft",
    "preparing",
    "internal_review",
    "ready",
    "submitted",
    "under_review",
    "supplement_requested",
    "approved",
    "funded",
    "closed",
    "rejected",
    "withdrawn",
)


@dataclass
class Result:
    issue: str
    name: str
    value: float
    unit: str
    target: str
    passed: bool
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def figure(self) -> str:
        """The value with its unit; small values (ratios, factors) keep two decimals."""
        places = 2 if abs(self.value) < 10 else 1
        return f"{self.value:,.{places}f} {self.unit}"


@dataclass
class Context:
    quick: bool = False
    results: list[Result] = field(default_factory=list)


def median_ms(fn: Callable[[], object], *, repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def seconds(fn: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def count_queries(fn: Callable[[], object]) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import os

    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
