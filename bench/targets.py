"""Issue 18's targets against the figures of this `make bench` run: one line a target, with
what was measured and whether it is met.

    BENCH_RESULTS=var/bench uv run python bench/targets.py

Reads what the scripts before it kept (bench/results.py): public.json (public_bench.py, the
rows through gunicorn with the page cache on and off), public_inprocess.json, api_depth.json,
editor.json, budget.json, and bench_data.json when the dataset was built in this run. A
target whose figure is missing is "not measured", never met. It only reads: the figures and
their machine's load are the scripts' own, printed above it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured in this run


def load(folder: Path, name: str) -> Any:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def public_row(rows: list[dict[str, Any]] | None, name: str, cache: str) -> dict[str, Any] | None:
    return next((r for r in rows or [] if r["name"] == name and r["cache"] == cache), None)


def named(rows: list[dict[str, Any]] | None, pattern: str) -> dict[str, Any] | None:
    return next((r for r in rows or [] if re.fullmatch(pattern, r["name"])), None)


def check(target: str, figures: list[float | None], show: Callable[[list[float]], str],
          ok: Callable[[list[float]], bool]) -> Verdict:
    if any(f is None for f in figures):
        return Verdict(target, "not measured", None)
    values = [float(f) for f in figures if f is not None]
    return Verdict(target, show(values), ok(values))


def under_100_and_twice(target: str, large: float | None, small: float | None) -> Verdict:
    """A page's large version: under 100 ms, and within 2x of its small one (the editor, the budget)."""
    return check(target, [large, small], lambda v: f"{v[0]:.0f} ms, {v[0] / v[1]:.2f}x",
                 lambda v: v[0] < 100 and v[0] <= 2 * v[1])


def verdicts(folder: Path) -> list[Verdict]:
    public = load(folder, "public")
    inprocess = load(folder, "public_inprocess")
    depth = load(folder, "api_depth") or {}
    editor = load(folder, "editor")
    budget = load(folder, "budget") or []
    built = load(folder, "bench_data")
    out: list[Verdict] = []

    def share(name: str, cache: str) -> float | None:
        row = public_row(public, name, cache)
        return row["share_of_bare"] if row else None

    def p95(name: str, cache: str) -> float | None:
        row = public_row(public, name, cache)
        return row["p95_ms"] if row else None

    def pct(v: list[float]) -> str:
        return " / ".join(f"{x * 100:.1f} %" for x in v)

    def ms(v: list[float]) -> str:
        return " / ".join(f"{x:.0f} ms" for x in v)

    for row, label in (("board", "/anslagstavla/"), ("minutes mix", "a distinct minutes page")):
        out.append(check(f"{label}: cache on >= 50 % of bare req/s", [share(row, "on")], pct, lambda v: v[0] >= 0.50))
        out.append(check(f"{label}: cache off >= 25 % of bare req/s", [share(row, "off")], pct, lambda v: v[0] >= 0.25))
        out.append(check(f"{label}: p95 < 100 ms (on / off)", [p95(row, "on"), p95(row, "off")], ms,
                         lambda v: max(v) < 100))
    out.append(check("distinct searches: p95 < 100 ms at 20 clients (on / off)",
                     [p95("search mix", "on"), p95("search mix", "off")], ms, lambda v: max(v) < 100))
    out.append(check("distinct searches: >= 20 % of bare req/s (on / off)",
                     [share("search mix", "on"), share("search mix", "off")], pct, lambda v: min(v) >= 0.20))
    search = named(inprocess, r"search mix.*")
    out.append(check("a search's server time, median < 10 ms (in process, cache off)",
                     [search["median_ms"] if search else None], lambda v: f"{v[0]:.1f} ms", lambda v: v[0] < 10))

    big, small = named(editor, r"editor \(40 §§\)"), named(editor, r"editor \(3 §§\)")
    out.append(under_100_and_twice("editor, 40 §§: < 100 ms, and within 2x of 3 §§",
                                   big["median_ms"] if big else None, small["median_ms"] if small else None))
    lines = {row["lines"]: row for row in budget}
    large, seed = lines.get(max(lines, default=0)), lines.get(min(lines, default=0))
    out.append(under_100_and_twice(f"budget page, {large['lines'] if large else 300} lines: < 100 ms, and within "
                                   f"2x of {seed['lines'] if seed else 18}",
                                   large["page_ms"] if large else None, seed["page_ms"] if seed else None))

    for endpoint in ("agendaItems", "meetings", "notices"):
        first = depth.get(f"{endpoint} page 1")
        deepest, deep = next(((k, v) for k, v in depth.items()
                              if k.startswith(f"{endpoint} page ") and k != f"{endpoint} page 1"), ("", None))
        out.append(check(f"API {endpoint}: {deepest.split(' ', 1)[-1] or 'deep page'} within 2x of page 1",
                         [deep["p50_ms"] if deep else None, first["p50_ms"] if first else None],
                         lambda v: f"{v[0] / v[1]:.2f}x", lambda v: v[0] <= 2 * v[1]))
    out.append(check("bench_data: < 60 s (only when built in this run)", [built["seconds"] if built else None],
                     lambda v: f"{v[0]:.1f} s", lambda v: v[0] < 60))
    return out


def main() -> int:
    folder = Path(os.environ.get("BENCH_RESULTS", "var/bench"))
    results = verdicts(folder)
    width = max(len(v.target) for v in results)
    print(f"Issue 18's targets, from this run's figures ({folder}/*.json)")
    for v in results:
        mark = {True: "met", False: "NOT met", None: "not measured"}[v.met]
        print(f"  {v.target:<{width}}  {v.measured:<22} {mark}")
    met = sum(v.met is True for v in results)
    print(f"{met} of {len(results)} met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
