"""Benchmark: the cache operation a cached public page costs (one MGET of three keys), with
Django's own Redis backend and with django-redis, the one configured (config/settings.py, CACHES).

    REDIS_URL=redis://127.0.0.1:6379/9 uv run python bench/cache_client.py [--ops 5000] [--rounds 3]

Django's RedisCacheClient builds a new redis.Redis for every operation, copying redis-py's table
of response callbacks each time; django-redis keeps one client per server for the process. Both
run against the same Redis in turns (`--rounds`), and the figure is each backend's median time
per operation and Django's as a multiple of django-redis's in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache  # noqa: E402
from django_redis.cache import RedisCache as DjangoRedisPackage  # noqa: E402

KEYS = ["samordna-bench:version", "samordna-bench:written", "samordna-bench:page"]


def per_op(cache: object, ops: int) -> float:
    get_many = cache.get_many  # type: ignore[attr-defined]
    for _ in range(200):
        get_many(KEYS)
    start = time.perf_counter()
    for _ in range(ops):
        get_many(KEYS)
    return (time.perf_counter() - start) / ops * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL", settings.REDIS_URL)
    backends = {
        "django (one client per operation)": DjangoRedisCache(url, {"OPTIONS": {"socket_timeout": 1}}),
        "django-redis (configured)": DjangoRedisPackage(url, {"OPTIONS": {"SOCKET_TIMEOUT": 1}}),
    }
    for cache in backends.values():
        cache.set_many({KEYS[0]: 1, KEYS[1]: 2, KEYS[2]: "<main>…</main>" * 200})
    times: dict[str, list[float]] = {name: [] for name in backends}
    for _ in range(args.rounds):
        for name, cache in backends.items():
            times[name].append(per_op(cache, args.ops))
    configured = statistics.median(times["django-redis (configured)"])
    print(f"one MGET of {len(KEYS)} keys, {args.ops} operations x {args.rounds} rounds, median per operation:")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:36s} {median * 1000:7.1f} µs  {median / configured:4.2f}x django-redis")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
