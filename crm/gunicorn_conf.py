"""gunicorn's settings for serving the CRM: `gunicorn -c python:crm.gunicorn_conf ...`
(README, "Several users on PostgreSQL behind gunicorn"). Process tuning lives here, not in
create_app, so building an app (tests, the flask commands) changes nothing process-wide.
"""

from __future__ import annotations

import gc
from typing import Any

# Threaded workers: the worker's main thread tells the arbiter it is alive while its threads
# serve, so a long streamed download (a backup of 300,000 contacts takes minutes) or a
# restore never meets the worker timeout. A sync worker reports only between requests, and
# is killed in the middle of any response that lasts longer than the timeout.
worker_class = "gthread"
# Requests each worker serves at once: a download streaming in one does not hold up pages.
threads = 4
# A worker that stops answering the arbiter (not a long request) is restarted after this.
timeout = 30


def tune_process() -> None:
    """Leave what the process built at start (modules, models, routes) out of the garbage
    collector's scans: a full collection in a warmed worker took 40-100 ms (155,000
    objects), and a few ms after the freeze. The benchmarks that serve pages call it too."""
    gc.freeze()


def post_worker_init(worker: Any) -> None:
    """Tune each worker once it has loaded the app."""
    tune_process()
    frozen = gc.get_freeze_count()
    worker.log.info("Left %d objects built at start out of garbage collection", frozen)
