"""An analysis that fails on purpose, for worker processes started by tests/test_parallel.py.

A worker given a batch with an article whose text says ``DIE`` dies (exit code 7) before it answers; an
article whose text says ``BOOM`` fails in extraction. Everything else is the real analysis. Importing this
module changes nothing (pytest imports it for its doctests); only calling it, in a worker, does.
"""
from __future__ import annotations

import os

import kg.analysis
from kg.analysis import Outcome, Task, analysed_batch

_real_record = kg.analysis.article_record


def _record_or_boom(article, *args, **kwargs):
    if "BOOM" in article.text:
        raise RuntimeError("boom")
    return _real_record(article, *args, **kwargs)


def analysed_or_died(tasks: list[Task], *, max_chars: int) -> list[Outcome]:
    if any("DIE" in task.article.text for task in tasks):
        os._exit(7)
    kg.analysis.article_record = _record_or_boom  # in the worker process that runs this, and only there
    return analysed_batch(tasks, max_chars=max_chars)
