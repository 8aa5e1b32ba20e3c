"""Builds with worker processes and on Dask give the graph of a build in one process, and keep its guarantees.

Seeds built with one process, with two, and on a local Dask cluster give identical N-Quads exports; a worker
that dies costs only the article it was analysing; Ctrl-C stops the workers and leaves whole articles; a
re-run of unchanged input never imports spaCy.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from kg.analysis import Task
from kg.build import BuildInterrupted, build
from kg.claims import ArticleRecord
from kg.cli import cli
from kg.errors import KgError
from kg.reading import Article, ReadProblem
from kg.store import GraphStore
from test_build import (N_ARTICLES, InterruptAtWrite, article_graphs, assert_whole, dump, graphs_of,
                        write_corpus)

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TESTS = Path(__file__).resolve().parent


def built_nquads(tmp_path: Path, name: str, *options: str) -> bytes:
    """The sorted N-Quads export of `kg build seeds` run with ``options``."""
    store = tmp_path / name
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", str(store), "--no-progress", *options])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 articles (5 added, 0 replaced, 0 unchanged)"), result.stdout
    out = tmp_path / f"{name}.nq"
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--format", "nquads", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return built_nquads(tmp_path_factory.mktemp("one"), "store", "--processes", "1")


def test_two_worker_processes_build_the_graph_one_process_builds(one_process: bytes, tmp_path: Path) -> None:
    two = built_nquads(tmp_path, "store", "--processes", "2")
    assert two == one_process
    assert b"/event/" in two and len(two.splitlines()) > 1000  # a real graph, not two empty ones


def test_a_local_dask_cluster_builds_the_graph_one_process_builds(one_process: bytes, tmp_path: Path) -> None:
    assert built_nquads(tmp_path, "store", "--engine", "dask", "--processes", "2") == one_process


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.dask_build.CONNECT_SECONDS", 1)
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", str(tmp_path / "store"), "--engine", "dask",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "kg: cannot use the Dask scheduler at tcp://127.0.0.1:9: Timed out trying to connect to "
        "tcp://127.0.0.1:9 after 1 s"]


def test_a_scheduler_without_the_dask_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="needs the dask engine"):
        build([SEEDS], store=GraphStore.open(None), scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(KgError, match="expected one of embedded, dask"):
        build([SEEDS], store=GraphStore.open(None), engine="spark")


def tasks_of(texts: dict[str, str]) -> list[Task]:
    return [Task(Article(id=key, text=text, origin=f"in.jsonl:{n}"), digest=key, existed=False)
            for n, (key, text) in enumerate(texts.items(), 1)]


def test_a_worker_that_dies_costs_only_the_article_it_held(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.workers import outcomes_in_workers

    monkeypatch.setenv("PYTHONPATH", str(TESTS))  # the workers import worker_faults from here
    texts = {f"a{n}": f"Air strikes hit Raqqa on Monday, killing {n + 3} people." for n in range(7)}
    texts["a1"] = "DIE: a text that kills the worker analysing it."
    texts["a5"] = "BOOM: Air strikes hit Homs on Monday."
    tasks = tasks_of(texts)
    batches = [tasks[0:3], tasks[3:6], tasks[6:]]
    outcomes = list(outcomes_in_workers(batches, processes=2, max_chars=10_000,
                                        analyse="worker_faults:analysed_or_died"))
    assert [len(o) for o in outcomes] == [3, 3, 1]  # every batch answered whole, in order
    flat = [o for batch in outcomes for o in batch]
    assert [o.article.id for o in flat if isinstance(o, ArticleRecord)] == ["a0", "a2", "a3", "a4", "a6"]
    assert all(o.events for o in flat if isinstance(o, ArticleRecord))
    assert [str(o) for o in flat if isinstance(o, ReadProblem)] == [
        "in.jsonl:2: not built, nlp or extraction failed: WorkerDied: the worker process died (exit code 7) while "
        "analysing it",
        "in.jsonl:6: not built, extraction failed: RuntimeError: boom"]


def test_a_worker_that_cannot_start_is_one_line() -> None:
    from kg.workers import outcomes_in_workers

    tasks = tasks_of({"a": "Air strikes hit Raqqa.", "b": "Shelling of Homs."})
    with pytest.raises(KgError) as caught:
        list(outcomes_in_workers([tasks[:1], tasks[1:]], processes=2, max_chars=100, analyse="no_such_module:f"))
    assert str(caught.value) == ("a build worker process could not start (exit code 1: ModuleNotFoundError: No "
                                 "module named 'no_such_module'); try `kg build --processes 1`")


def workers_alive() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "kg.workers" in " ".join(p.cmdline())]


@pytest.mark.parametrize("n", [1, 9])
def test_an_interrupted_build_with_workers_leaves_whole_articles_and_no_workers(tmp_path: Path, n: int) -> None:
    folder = write_corpus(tmp_path / "in")
    reference = GraphStore.open(None)
    build([folder], store=reference, progress=False)
    store = GraphStore.open(None)
    inner = store.store
    store.store = InterruptAtWrite(inner, n)
    try:
        with pytest.raises(BuildInterrupted):
            build([folder], store=store, progress=False, processes=2)
    finally:
        store.store = inner
    assert workers_alive() == []
    present = assert_whole(graphs_of(store.store), graphs_of(reference.store))
    assert len(present) == n - 1
    report = build([folder], store=store, progress=False, processes=2)
    assert (report.added, report.unchanged) == (N_ARTICLES - n + 1, n - 1)
    assert dump(store.store) == dump(reference.store)
    assert len(article_graphs(graphs_of(store.store))) == N_ARTICLES


def test_a_rerun_of_unchanged_input_never_imports_spacy(tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    code = ("import sys; from kg.build import build; from kg.store import GraphStore; "
            "store = GraphStore.open(sys.argv[2]); r = build([sys.argv[1]], store=store, progress=False); "
            "print(r.added, r.unchanged, 'spacy' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code, str(SEEDS), str(store)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300) for _ in range(2)]
    assert [r.stdout.split() for r in runs] == [["5", "0", "True"], ["0", "5", "False"]], [r.stderr for r in runs]


def test_the_progress_bar_counts_against_the_total(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", str(tmp_path / "store"), "--progress",
                                      "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "100%" in result.stderr and "5/5" in result.stderr, result.stderr
