"""Where `make bench`'s scripts leave their figures for bench/targets.py.

With BENCH_RESULTS set to a directory (the Makefile empties and sets var/bench/),
`keep("public", rows)` writes the rows as var/bench/public.json next to the table the script
prints; without it, nothing is written (manage.py bench_data keeps its bench_data.json here too). targets.py reads them back and holds each figure against issue 18's target.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def keep(name: str, data: Any) -> None:
    folder = os.environ.get("BENCH_RESULTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))

