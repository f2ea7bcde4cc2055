"""One evaluation in a process of its own, so its peak memory can be read.

Run by bench/run.py (which sets DATABASE_URL and friends in the environment):

    python bench/evalproc.py [--since YYYY-MM-DD]

Prints one JSON line: the wall time of ``evaluate()`` alone (Django set-up
excluded), the process's resident memory after set-up and its peak (VmHWM
from /proc/self/status, i.e. the high-water mark of the resident set over the
whole life of the process) and the engine's summary. The PostgreSQL backend's
memory is not part of it: this is the memory of the Python evaluation process.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _jsonable(summary):
    if dataclasses.is_dataclass(summary):
        return json.loads(json.dumps(dataclasses.asdict(summary), default=str))
    if isinstance(summary, dict):
        return json.loads(json.dumps(summary, default=str))
    return str(summary)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--since", type=date.fromisoformat, default=None)
    parser.add_argument(
        "--task-context", action="store_true", help="inside pghistory.context, as slas.tasks"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from slas.evaluation import evaluate

    rss_after_setup = _status_kb("VmRSS")
    import contextlib

    import pghistory

    context = (
        pghistory.context(source="evaluation") if args.task_context else contextlib.nullcontext()
    )
    with context:
        t0 = time.perf_counter()
        summary = evaluate(since=args.since)
        seconds = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_after_setup_mb": rss_after_setup / 1024,
                "peak_rss_mb": _status_kb("VmHWM") / 1024,
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "summary": _jsonable(summary),
            }
        )
    )


if __name__ == "__main__":
    main()
