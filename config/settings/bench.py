"""The load benchmark's settings (``bench/load.py``): production plus one trivial view.

The trivial view answers through the same middleware as every page, so the
benchmark can report each page's throughput as a ratio of it. Never used by a
deployment: only ``bench/load.py`` names this module.
"""

from .production import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
