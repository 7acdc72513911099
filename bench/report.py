from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bench.core import Result


def write_report(
    path: Path, results: list[Result], *, machine: str, database: str, command: str, when: datetime
) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `{command}` on {when:%Y-%m-%d %H:%M %Z}. The file is rewritten by every run.",
        "",
        f"- Machine: {machine}",
        f"- Database: {database}; measurements in-process unless a row says otherwise.",
        "",
        "| issue | benchmark | result | target | met | notes |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.issue} | {r.name} | {r.figure} | {r.target} | {'yes' if r.passed else '**no**'} "
            f"| {r.notes} |"
        )
    lines.append("")
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
