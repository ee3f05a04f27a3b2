"""A pytest plugin (`make test` loads it with ``-p tests.parallel``, before Django reads its
settings; the test processes inherit it): in a
parallel run (pytest-xdist), each test process gets a Redis database of its own, after the
one REDIS_URL names, as it gets a test database of its own from pytest-django. Cache clears,
queue purges and worker tests of one process then never touch another's."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def _own_database(url: str, worker: str) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base + 1 + int(worker.removeprefix("gw"))
    if number > 15:
        raise RuntimeError(f"REDIS_URL={url}: no Redis database {number} for test process {worker}")
    return urlunsplit(parts._replace(path=f"/{number}"))


LOADED = "ZI_TESTS_REDIS_PER_PROCESS"

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL") and not os.environ.get(LOADED):
    os.environ["REDIS_URL"] = _own_database(os.environ["REDIS_URL"], _worker)
    os.environ[LOADED] = "1"
