"""Where a build analyses articles, and how many processes it uses unless told.

>>> ENGINES
('embedded', 'dask')
>>> available_cores() >= 1
True
"""
from __future__ import annotations

import os

ENGINES = ("embedded", "dask")
"""``embedded``: this process, or worker processes on this machine (:mod:`kg.workers`); ``dask``: a Dask
cluster (:mod:`kg.dask_build`)."""


def available_cores() -> int:
    """The CPU cores this process may run on: the default number of build processes."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
