"""Benchmarks: `make bench` runs every `bench/bench_*.py` and rewrites docs/benchmarks.md.

Each module defines `run(ctx: Context) -> list[Result]`. Benchmarks run in-process on a fresh
database (SQLite file under var/ by default; set BENCH_DATABASE_URL for PostgreSQL).
"""
