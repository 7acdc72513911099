"""Run every benchmark and rewrite docs/benchmarks.md.  Usage: python -m bench [--quick] [names]"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def setup_django() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}")
    os.environ["DATABASE_URL"] = url
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    return "SQLite (file, WAL)" if url.startswith("sqlite") else "PostgreSQL"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*", help="only these modules (e.g. companies matching)")
    parser.add_argument("--quick", action="store_true", help="smaller data, for a smoke run")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite the report")
    args = parser.parse_args()

    database = setup_django()
    from bench.core import Context, machine
    from bench.report import write_report

    ctx = Context(quick=args.quick)
    modules = sorted(
        m.name
        for m in pkgutil.iter_modules([str(BASE_DIR / "bench")])
        if m.name.startswith("bench_")
    )
    for name in modules:
        if args.names and name.removeprefix("bench_") not in args.names:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        for result in module.run(ctx):
            ctx.results.append(result)
            mark = "ok " if result.passed else "MISS"
            figure = result.figure
            notes = f" — {result.notes}" if result.notes else ""
            print(f"  [{mark}] {result.name}: {figure} (target {result.target}){notes}", flush=True)
    command = "make bench" + (" ARGS=" + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    if not args.no_write and not args.quick and not args.names:
        write_report(
            BASE_DIR / "docs" / "benchmarks.md",
            ctx.results,
            machine=machine(),
            database=database,
            command=command,
            when=datetime.now().astimezone(),
        )
        print("wrote docs/benchmarks.md")
    return 0 if all(r.passed for r in ctx.results) else 1


if __name__ == "__main__":
    sys.exit(main())
