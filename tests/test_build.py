"""The build: one transaction per article, so re-runs, changes and interruptions leave a whole store.

A reference build of a small corpus (30 articles whose events merge across
articles, so each article's graph depends on the ones built before it) is
compared with builds that were repeated, interrupted in-process at every kind
of write, or killed for real (SIGKILL, SIGINT) in a subprocess.
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import BuildInterrupted, build
from kg.cli import EXIT_INTERRUPTED, cli
from kg.errors import KgError
from kg.reading import Article, read_articles
from kg.reading import records as records_module
from kg.iris import mint_iri
from kg.store import GraphStore
from kg.vocab import CANONICAL_GRAPH, CKG, CURATION_GRAPH, ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
PLACES = ("Raqqa", "Aleppo", "Homs", "Idlib", "Palmyra", "Deir ez-Zor", "Hama", "Douma", "Daraa", "Kobani",
          "Manbij", "Jarablus", "Azaz", "Latakia", "Qusayr")
N_ARTICLES = 2 * len(PLACES)
build_module = importlib.import_module("kg.build")  # the module: `kg.build` is the function
analysis_module = importlib.import_module("kg.analysis")  # where each article is parsed and read
SUBPROCESS_DEADLINE = 120  # seconds: a guard against a hang, not a timing assertion

Graphs = dict[str, frozenset[str]]


# --------------------------------------------------------------------------- the corpus and helpers


def write_corpus(folder: Path, *, killed_offset: int = 4) -> Path:
    """30 short articles: two per place, which report the same air strike on the same day."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = ["id,published,source"]
    for i in range(N_ARTICLES):
        place, n = PLACES[i % len(PLACES)], i + killed_offset
        if i < len(PLACES):
            body = (f"Air strikes hit {place}\nSyrian government air strikes on {place} killed {n} people on "
                    f"Tuesday, the Syrian Observatory for Human Rights said.\n")
        else:
            body = (f"Deadly raids on {place}\nAir strikes by the Syrian regime on {place} killed {n} civilians on "
                    f"Tuesday, activists said. Rebels shelled an army post near {place} on Monday.\n")
        (folder / f"a{i:02d}.txt").write_text(body, encoding="utf-8")
        meta.append(f"a{i:02d},2015-03-{i % len(PLACES) + 10:02d},Example News")
    (folder / "metadata.csv").write_text("\n".join(meta) + "\n", encoding="utf-8")
    return folder


def graphs_of(store: ox.Store) -> Graphs:
    """Every graph's quads, as N-Quads lines, by graph name."""
    out: dict[str, set[str]] = defaultdict(set)
    for q in store:
        out[str(q.graph_name)].add(str(q))
    return {g: frozenset(qs) for g, qs in out.items()}


def article_graphs(graphs: Graphs) -> Graphs:
    return {g: qs for g, qs in graphs.items() if g not in {str(n) for n in (ENTITIES_GRAPH, ONTOLOGY_GRAPH,
                                                                           CANONICAL_GRAPH, CURATION_GRAPH)}}


def dump(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store)


def count_articles(path: Path) -> int | None:
    """Articles in the store at ``path``, read-only (works while a build holds it); None while it is being made."""
    try:
        store = ox.Store.read_only(str(path))
        rows = store.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a ckg:Article } }",
                           prefixes=PREFIXES)
        return int(next(iter(rows))["n"].value)
    except (OSError, RuntimeError):  # the directory exists but the store is not made yet
        return None


def assert_whole(graphs: Graphs, reference: Graphs, *, also: Graphs | None = None) -> set[str]:
    """Every article graph in ``graphs`` equals its graph in ``reference`` (or in ``also``); returns their names.

    The ontology graph is the reference's and the entities graph holds nothing the reference lacks.
    """
    present = article_graphs(graphs)
    for name, quads in present.items():
        assert quads == reference.get(name) or (also is not None and quads == also.get(name)), \
            f"{name} is not a whole article graph"
        assert f"{name} {CKG.contentHash} " in "\n".join(quads)
    assert graphs.get(str(ONTOLOGY_GRAPH)) == reference[str(ONTOLOGY_GRAPH)]
    known = reference[str(ENTITIES_GRAPH)] | (also or {}).get(str(ENTITIES_GRAPH), frozenset())
    assert graphs.get(str(ENTITIES_GRAPH), frozenset()) <= known
    return set(present)


@dataclass(frozen=True)
class Reference:
    folder: Path
    graphs: Graphs
    dump: list[str]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The corpus and its reference build, done in one go into a fresh store."""
    folder = write_corpus(tmp_path_factory.mktemp("corpus") / "in")
    store = GraphStore.open(None)
    report = build([folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged, report.problems) == (N_ARTICLES, 0, 0, [])
    graphs = graphs_of(store.store)
    assert len(article_graphs(graphs)) == N_ARTICLES
    merged = store.query("ASK { ?e ckg:reportedIn ?a1, ?a2 . FILTER(?a1 != ?a2) }")
    assert merged, "the corpus should have events reported by two articles"
    return Reference(folder, graphs, dump(store.store))


# --------------------------------------------------------------------------- re-runs and changes


def test_building_twice_gives_the_same_quads(corpus: Reference) -> None:
    store = GraphStore.open(None)
    build([corpus.folder], store=store, progress=False)
    assert dump(store.store) == corpus.dump  # the same in a fresh store, ontology and all
    report = build([corpus.folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged) == (0, 0, N_ARTICLES)
    assert dump(store.store) == corpus.dump


def test_reopening_a_store_rewrites_nothing(corpus: Reference, tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = GraphStore.open(path)
    build([corpus.folder], store=store, progress=False)
    store.close()
    for _ in range(2):
        again = GraphStore.open(path)
        report = build([corpus.folder], store=again, progress=False)
        again.close()
        assert report.articles == report.unchanged == N_ARTICLES
        assert dump(ox.Store.read_only(str(path))) == corpus.dump


def test_a_changed_article_replaces_only_its_own_graph(corpus: Reference, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_corpus(folder)
    store = GraphStore.open(None)
    build([folder], store=store, progress=False)
    changed = folder / "a03.txt"
    old_text = changed.read_text(encoding="utf-8")
    new_text = ("Shelling in Homs\nRebels shelled a district of Homs on Monday, killing 13 civilians, "
                "state media said.\n")
    changed.write_text(new_text, encoding="utf-8")

    report = build([folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged) == (0, 1, N_ARTICLES - 1)
    after = graphs_of(store.store)
    name = str(mint_iri("article", "a03"))
    for graph, quads in article_graphs(after).items():
        if graph != name:
            assert quads == corpus.graphs[graph], f"{graph} changed"
    new = "\n".join(after[name])
    assert "Homs" in new and "Idlib" not in new
    assert not any(old_text.splitlines()[1][:40] in q for q in dump(store.store))
    bodies = [row["b"].value for row in store.query(
        "SELECT ?b WHERE { GRAPH ?g { ?a dcterms:identifier 'a03' ; schema:articleBody ?b } }")]
    assert bodies == [new_text.strip()]
    types = {row["t"].value for row in store.query(
        "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?e ckg:reportedIn ?a ; a ?t } ?a dcterms:identifier 'a03' }")}
    assert types == {CKG.Shelling.value}


def test_a_rerun_reports_nothing_to_do_and_skips_the_nlp(corpus: Reference, monkeypatch: pytest.MonkeyPatch) -> None:
    store = GraphStore.open(None)
    build([corpus.folder], store=store, progress=False)
    read: list[str] = []
    real = analysis_module.article_record
    monkeypatch.setattr(analysis_module, "article_record",
                        lambda article, *a, **k: read.append(article.id) or real(article, *a, **k))
    report = build([corpus.folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged, report.skipped, report.resolved) == (0, 0, N_ARTICLES, 0, 0)
    assert read == []


def test_a_rerun_cleans_no_text_and_a_changed_record_is_built_again(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    recs = tmp_path / "recs.jsonl"
    records = [{"id": f"r{n}", "text": f"Shelling of {place} killed {n + 3} people on Monday.",
                "published": "2016-02-03"} for n, place in enumerate(PLACES[:3])]
    recs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = GraphStore.open(None)
    build([recs], store=store, progress=False)
    before = set(map(str, store.quads()))
    cleaned: list[str] = []
    real_clean = records_module.clean_text
    monkeypatch.setattr(records_module, "clean_text", lambda text, **k: cleaned.append(text) or real_clean(text, **k))
    report = build([recs], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged, cleaned) == (0, 0, 3, [])
    assert set(map(str, store.quads())) == before
    records[1]["source"] = "AFP"  # metadata only: the text cleans to the same article, but the graph differs
    recs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = build([recs], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged, cleaned) == (0, 1, 2, [records[1]["text"]])
    sources = {row["s"].value for row in store.query(
        "SELECT ?s WHERE { GRAPH ?g { ?a dcterms:identifier 'r1' ; ckg:sourceOutlet ?s } }")}
    assert sources == {"AFP"}


def test_problems_are_reported_as_met_and_in_the_report(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Clashes in Aleppo\nClashes in Aleppo killed 9 fighters on Monday.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    recs = tmp_path / "recs.jsonl"
    recs.write_text(json.dumps({"id": "good", "text": "Shelling of Homs killed 3 people."}) + "\n{oops\n",
                    encoding="utf-8")
    seen = []
    report = build([good, tmp_path / "empty.txt", tmp_path / "missing.txt", recs], store=GraphStore.open(None),
                   progress=False, on_problem=seen.append)
    assert seen == report.problems
    assert [(p.origin, p.skipped) for p in report.problems] == [
        (str(tmp_path / "empty.txt"), True), (str(tmp_path / "missing.txt"), True),
        (f"{recs}:1", False),  # the duplicate id "good": the record replaces good.txt
        (f"{recs}:2", True)]
    assert (report.skipped, report.added, report.articles) == (3, 1, 1)


def test_text_and_ids_are_stored_exactly(tmp_path: Path) -> None:
    """Quotes, backslashes, escapes and SPARQL-like text survive the SPARQL update unchanged."""
    tricky = ('Air strikes hit Raqqa\nHe said "stop" \\u0022 \\\\ C:\\new } GRAPH <x> { } ; DROP ALL ;\t'
              'caf\u00e9 \U0001F600 \x01 then air strikes killed 5 people.')
    key = 'id with space/slash "quote" \u00fc'
    path = tmp_path / "tricky.jsonl"
    path.write_text(json.dumps({"id": key, "text": tricky}) + "\n", encoding="utf-8")
    [article] = [a for a in read_articles([path]) if isinstance(a, Article)]
    store = GraphStore.open(None)
    report = build([path], store=store, progress=False)
    assert report.added == 1
    rows = list(store.query("SELECT ?g ?id ?b WHERE { GRAPH ?g { ?a dcterms:identifier ?id ; "
                            "schema:articleBody ?b } }"))
    assert [(r["g"], r["id"].value, r["b"].value) for r in rows] == [(mint_iri("article", key), key, article.text)]
    assert build([path], store=store, progress=False).unchanged == 1


# --------------------------------------------------------------------------- interrupted builds, in-process


class InterruptAtWrite:
    """Stands in for the pyoxigraph Store and raises KeyboardInterrupt instead of its n-th write."""

    WRITES: ClassVar[set[str]] = {"add", "add_graph", "bulk_extend", "bulk_load", "clear", "clear_graph", "extend",
                                  "load", "remove", "remove_graph", "update"}

    def __init__(self, inner: ox.Store, n: int) -> None:
        self.inner, self.n, self.writes = inner, n, 0

    def __getattr__(self, name: str):
        attr = getattr(self.inner, name)
        if name not in self.WRITES:
            return attr

        def write(*args, **kwargs):
            self.writes += 1
            if self.writes == self.n:
                raise KeyboardInterrupt
            return attr(*args, **kwargs)
        return write

    def __iter__(self):
        return iter(self.inner)

    def __len__(self) -> int:
        return len(self.inner)


def interrupted_build(folder: Path, store: GraphStore, n: int) -> BuildInterrupted:
    inner = store.store
    store.store = InterruptAtWrite(inner, n)
    try:
        with pytest.raises(KeyboardInterrupt) as caught:
            build([folder], store=store, progress=False)
    finally:
        store.store = inner
    assert isinstance(caught.value, BuildInterrupted) and isinstance(caught.value, KgError)
    assert "\n" not in str(caught.value)
    return caught.value


@pytest.mark.parametrize("n", [1, 2, 8, N_ARTICLES])
def test_interrupt_leaves_whole_articles_and_a_rerun_completes(corpus: Reference, n: int) -> None:
    store = GraphStore.open(None)
    error = interrupted_build(corpus.folder, store, n)
    present = assert_whole(graphs_of(store.store), corpus.graphs)
    assert len(present) == n - 1
    assert str(error).startswith(f"interrupted after writing {n - 1} article(s)")
    report = build([corpus.folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged) == (N_ARTICLES - n + 1, 0, n - 1)
    assert dump(store.store) == corpus.dump


@pytest.fixture(scope="module")
def changed(corpus: Reference, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The corpus with every article changed, and the store after an uninterrupted re-build of it over the corpus."""
    folder = write_corpus(tmp_path_factory.mktemp("changed") / "in", killed_offset=40)
    store = GraphStore.open(None)
    build([corpus.folder], store=store, progress=False)
    report = build([folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged) == (0, N_ARTICLES, 0)
    return Reference(folder, graphs_of(store.store), dump(store.store))


@pytest.mark.parametrize("n", [9, N_ARTICLES])
def test_interrupted_update_leaves_old_or_new_articles_and_a_rerun_completes(corpus: Reference, changed: Reference,
                                                                             n: int) -> None:
    """Every article changes; an interrupted re-build leaves each one whole: old or new, never half of each."""
    store = GraphStore.open(None)
    build([corpus.folder], store=store, progress=False)
    interrupted_build(changed.folder, store, n)
    graphs = graphs_of(store.store)
    assert len(assert_whole(graphs, changed.graphs, also=corpus.graphs)) == N_ARTICLES
    assert sum(graphs[g] == changed.graphs[g] for g in article_graphs(graphs)) == n - 1
    report = build([changed.folder], store=store, progress=False)
    assert (report.replaced, report.unchanged) == (N_ARTICLES - n + 1, n - 1)
    assert dump(store.store) == changed.dump


def test_ctrl_c_in_kg_build_is_one_line_and_a_rerun_completes(corpus: Reference, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real = analysis_module.article_record
    calls = []

    def read_then_interrupt(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis_module, "article_record", read_then_interrupt)
    monkeypatch.setattr(build_module, "BATCH_SIZE", 2)  # batches of two: the first is written, the second stopped
    path = tmp_path / "store"
    result = CliRunner().invoke(cli, ["build", str(corpus.folder), "--store", str(path), "--processes", "1"])
    assert result.exit_code == EXIT_INTERRUPTED, result.output
    assert result.stderr.splitlines() == [
        "kg: interrupted after writing 2 article(s), each complete; run the same build again to finish it"]
    del result  # it holds the store, which `kg build` leaves open on an error
    gc.collect()
    monkeypatch.undo()
    result = CliRunner().invoke(cli, ["build", str(corpus.folder), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{N_ARTICLES} articles ({N_ARTICLES - 2} added, 0 replaced, 2 unchanged)")
    assert dump(ox.Store.read_only(str(path))) == corpus.dump


# --------------------------------------------------------------------------- interrupted builds, for real


def build_and_stop(folder: Path, store: Path, sig: signal.Signals) -> tuple[int, str, int]:
    """Run `kg build` in a subprocess, send ``sig`` once its first article is in, and wait for it.

    Returns (exit code, stderr, articles seen before the signal).
    """
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(folder), "--store", str(store),
                             "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    try:
        deadline = time.monotonic() + SUBPROCESS_DEADLINE
        while proc.poll() is None and time.monotonic() < deadline:
            seen = count_articles(store) or 0
            if seen > 0:
                break
            time.sleep(0.005)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=SUBPROCESS_DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err.decode("utf-8", "replace"), seen


def rerun_completes(folder: Path, store: Path, present: int, reference: Reference) -> None:
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{N_ARTICLES} articles ({N_ARTICLES - present} added, 0 replaced, "
                                    f"{present} unchanged)")
    assert dump(ox.Store.read_only(str(store))) == reference.dump


def test_killed_build_leaves_whole_articles_and_a_rerun_completes(corpus: Reference, tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, _, seen = build_and_stop(corpus.folder, store, signal.SIGKILL)
    assert code in (-signal.SIGKILL, 0)  # 0: it had finished before the signal
    present = assert_whole(graphs_of(ox.Store.read_only(str(store))), corpus.graphs)
    assert len(present) >= seen
    rerun_completes(corpus.folder, store, len(present), corpus)


def test_sigint_stops_kg_build_with_one_line_and_a_rerun_completes(corpus: Reference, tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, err, _ = build_and_stop(corpus.folder, store, signal.SIGINT)
    assert "Traceback" not in err
    present = assert_whole(graphs_of(ox.Store.read_only(str(store))), corpus.graphs)
    if 0 < len(present) < N_ARTICLES:  # stopped mid-build (else it ended before the signal came)
        assert code == EXIT_INTERRUPTED  # 130, as for any command stopped by Ctrl-C
        assert len(err.splitlines()) == 1 and err.startswith("kg: interrupted after writing "), err
    rerun_completes(corpus.folder, store, len(present), corpus)


def test_a_build_after_the_reader_changed_reads_every_article_again(corpus: Reference,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = GraphStore.open(None)
    build([corpus.folder], store=store, progress=False)
    monkeypatch.setattr(build_module, "reader_version", lambda: "a newer reader")
    report = build([corpus.folder], store=store, progress=False)
    assert (report.added, report.replaced, report.unchanged) == (0, N_ARTICLES, 0)
    again = build([corpus.folder], store=store, progress=False)
    assert (again.replaced, again.unchanged) == (0, N_ARTICLES)


def test_the_readers_version_changes_with_its_code_and_its_data(tmp_path: Path) -> None:
    package = tmp_path / "kg"
    (package / "data").mkdir(parents=True)
    (package / "reader.py").write_text("RULE = 1\n", encoding="utf-8")
    (package / "data" / "words.toml").write_text("words = ['strike']\n", encoding="utf-8")
    first = build_module.reader_version(package)
    (package / "data" / "words.toml").write_text("words = ['strike', 'raid']\n", encoding="utf-8")
    second = build_module.reader_version.__wrapped__(package)
    (package / "reader.py").write_text("RULE = 2\n", encoding="utf-8")
    third = build_module.reader_version.__wrapped__(package)
    assert len({first, second, third}) == 3


def test_a_graph_is_written_whole_when_new_and_replaced_whole_when_old(tmp_path: Path) -> None:
    """replace_graph writes a new graph by one extend and an old one by one update: either way the graph holds
    exactly the quads given, and the shared quads are added to their own graphs; sync_graph likewise."""
    store = GraphStore.open(tmp_path / "store")
    graph, shared = ox.NamedNode("https://example.org/g"), ox.NamedNode("https://example.org/shared")
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")

    def quad(value: str, in_graph: ox.NamedNode = graph) -> ox.Quad:
        return ox.Quad(s, p, ox.Literal(value), in_graph)

    store.replace_graph(graph, [quad("a"), quad("b")], [quad("x", shared)])
    assert set(store.store.quads_for_pattern(None, None, None, graph)) == {quad("a"), quad("b")}
    store.replace_graph(graph, [quad("c")], [quad("y", shared)])
    assert set(store.store.quads_for_pattern(None, None, None, graph)) == {quad("c")}
    assert set(store.store.quads_for_pattern(None, None, None, shared)) == {quad("x", shared), quad("y", shared)}
    assert store.sync_graph(graph, {quad("c"), quad("d")}) == 1  # additions only
    assert store.sync_graph(graph, {quad("e")}) == 3  # two gone, one new
    assert set(store.store.quads_for_pattern(None, None, None, graph)) == {quad("e")}
    assert store.sync_graph(graph, {quad("e")}) == 0
    store.close()
