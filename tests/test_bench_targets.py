"""bench/targets.py, which ends `make bench`: each of issue 18's targets held against the
figures the scripts kept, on each side of its bound, and "not measured" when a figure is missing."""

from __future__ import annotations

import json
from pathlib import Path

from bench.targets import verdicts


def public_rows(board_on: float, board_off: float, p95: float, search_share: float) -> list[dict[str, object]]:
    rows = []
    for cache, board_share in (("on", board_on), ("off", board_off)):
        rows += [
            {"name": "bare", "cache": cache, "share_of_bare": 1.0, "p95_ms": 10.0},
            {"name": "board", "cache": cache, "share_of_bare": board_share, "p95_ms": p95},
            {"name": "minutes mix", "cache": cache, "share_of_bare": 0.55, "p95_ms": 90.0},
            {"name": "search mix", "cache": cache, "share_of_bare": search_share, "p95_ms": 80.0},
        ]
    return rows


def write(folder: Path, **files: object) -> None:
    for name, data in files.items():
        (folder / f"{name}.json").write_text(json.dumps(data))


def by_target(folder: Path) -> dict[str, bool | None]:
    return {v.target: v.met for v in verdicts(folder)}


def complete(folder: Path, *, board_on: float = 0.6, board_off: float = 0.3, p95: float = 50.0,
             search_share: float = 0.25, editor40: float = 90.0, budget300: float = 40.0,
             deep: float = 19.0, search_ms: float = 9.0, seconds: float = 59.0) -> None:
    write(
        folder,
        public=public_rows(board_on, board_off, p95, search_share),
        public_inprocess=[{"name": "/bench/bare", "median_ms": 0.3}, {"name": "search mix (45 searches)", "median_ms": search_ms}],
        api_depth={f"{e} page {n}": {"p50_ms": v, "p95_ms": v}
                   for e in ("agendaItems", "meetings", "notices") for n, v in ((1, 10.0), (786, deep))},
        editor=[{"name": "editor (3 §§)", "median_ms": 45.0}, {"name": "editor (40 §§)", "median_ms": editor40}],
        budget=[{"lines": 18, "page_ms": 20.0}, {"lines": 300, "page_ms": budget300}],
        bench_data={"seconds": seconds},
    )


def test_every_target_met_when_every_figure_is_inside_its_bound(tmp_path):
    complete(tmp_path)
    found = by_target(tmp_path)
    assert len(found) == 15
    assert all(met is True for met in found.values()), found


def test_each_figure_past_its_bound_fails_its_own_target(tmp_path):
    cases = {
        "board_on": (0.49, "/anslagstavla/: cache on >= 50 % of bare req/s"),
        "board_off": (0.24, "/anslagstavla/: cache off >= 25 % of bare req/s"),
        "p95": (100.0, "/anslagstavla/: p95 < 100 ms (on / off)"),
        "search_share": (0.19, "distinct searches: >= 20 % of bare req/s (on / off)"),
        "search_ms": (10.0, "a search's server time, median < 10 ms (in process, cache off)"),
        "editor40": (91.0, "editor, 40 §§: < 100 ms, and within 2x of 3 §§"),  # 2.02x the 3-§ editor
        "budget300": (41.0, "budget page, 300 lines: < 100 ms, and within 2x of 18"),
        "deep": (21.0, "API agendaItems: page 786 within 2x of page 1"),
        "seconds": (60.0, "bench_data: < 60 s (only when built in this run)"),
    }
    for field, (value, target) in cases.items():
        complete(tmp_path, **{field: value})
        found = by_target(tmp_path)
        assert found[target] is False, (field, found)
        assert sum(met is False for met in found.values()) >= 1
        assert all(met for t, met in found.items() if t != target and not (
            field == "deep" and t.startswith("API "))), (field, found)


def test_a_missing_figure_is_not_measured_never_met(tmp_path):
    complete(tmp_path)
    (tmp_path / "bench_data.json").unlink()  # the dataset was reused, not built
    (tmp_path / "editor.json").unlink()
    found = by_target(tmp_path)
    assert found["bench_data: < 60 s (only when built in this run)"] is None
    assert found["editor, 40 §§: < 100 ms, and within 2x of 3 §§"] is None
    assert found["/anslagstavla/: cache on >= 50 % of bare req/s"] is True
    assert verdicts(tmp_path / "nothing-here") and all(v.met is None for v in verdicts(tmp_path / "nothing-here"))
