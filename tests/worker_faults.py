"""An analysis that fails on purpose, for worker processes started by tests/test_parallel.py.

A worker given a batch with an article whose text says ``DIE`` dies (exit code 7) before it answers; an
article whose text says ``BOOM`` fails in extraction. Everything else is the real analysis.
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


kg.analysis.article_record = _record_or_boom  # this module is only ever imported by a worker process


def analysed_or_died(tasks: list[Task], *, max_chars: int) -> list[Outcome]:
    if any("DIE" in task.article.text for task in tasks):
        os._exit(7)
    return analysed_batch(tasks, max_chars=max_chars)
