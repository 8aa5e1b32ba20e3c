"""Hostile input costs only itself: a corpus of bad inputs mixed with the seeds builds every seed as a clean build
does, with one line (or a few) naming each bad input, no traceback, exit code 3.

The corpus is made here: an over-long text, JSON nested 5,000 deep, lone surrogates in text, id and title, a file
name that is not UTF-8, a FIFO and a device behind article names, runs of ``*``, ``_``, ``[`` and ``](``, empty and
binary files, broken CSV and JSON lines, a page whose first line is both headline-shaped and prose. Then each stage
is made to fail for one article (reading, cleaning, nlp, extraction, writing), and Hypothesis feeds random text,
random JSON and mutated real articles through the build.
"""
from __future__ import annotations

import csv
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.furniture import normalise
from kg.iris import mint_iri
from kg.limits import MAX_JSON_DEPTH
from kg.nlp import ConflictSpans, load_pipeline
from kg.reading import ReadProblem
from kg.store import GraphStore
from kg.vocab import CANONICAL_GRAPH, RDF, SCHEMA

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
build_module = importlib.import_module("kg.build")  # the module: `kg.build` is the function
analysis_module = importlib.import_module("kg.analysis")
reading_module = importlib.import_module("kg.reading")
records_module = importlib.import_module("kg.reading.records")  # where an article is made from a text
DEADLINE = 300  # seconds: a guard against a hang, not a timing assertion
MAX_CHARS = 20_000  # the mixed build's --max-chars: the seeds are shorter, the long text is cut quickly
SENTENCE = "Government forces shelled the town of Nawa in Daraa province on Monday, killing 4 people, activists said."
BAD_NAME = os.fsdecode(b"bad\xffname.txt")


# --------------------------------------------------------------------------- the corpus


def write_hostile(folder: Path) -> tuple[dict[str, str], set[str]]:
    """Bad inputs in ``folder``: (origin -> what its line says, ids of the articles that must still be built)."""
    folder.mkdir(parents=True)
    lines: dict[str, str] = {}
    built: set[str] = set()

    def put(name: str, data: str | bytes, line: str | None = None, article: str | None = None) -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        if line:
            lines[str(path)] = line
        if article:
            built.add(article)

    long_text = "Long read\n" + (SENTENCE + " ") * (1_100_000 // len(SENTENCE))  # over spaCy's 1,000,000
    put("long.txt", long_text, f"text longer than {MAX_CHARS} characters", "long")
    put("long.jsonl", json.dumps({"id": "long-record", "text": long_text}) + "\n", None, "long-record")
    lines[str(folder / "long.jsonl") + ":1"] = f"text longer than {MAX_CHARS} characters"
    put("deep.json", "[" * 5000 + "]" * 5000, "JSON nested 5000 deep")
    put("records.jsonl", "[" * 5000 + "]" * 5000 + "\n{oops\n" + json.dumps({"id": "jsonl-good", "text": SENTENCE})
        + "\n", None, "jsonl-good")
    lines[str(folder / "records.jsonl") + ":1"] = "JSON nested 5000 deep"
    lines[str(folder / "records.jsonl") + ":2"] = "not valid JSON"
    records = [{"id": "sur-text", "text": SENTENCE + " \ud800"}, {"id": "sur-\udc00", "text": SENTENCE},
               {"id": "sur-title", "title": "Shelling \udfff", "text": SENTENCE}]
    put("surrogates.json", json.dumps(records))
    for i, field in enumerate(("text", "id", "title")):
        lines[f"{folder / 'surrogates.json'}[{i}]"] = f"lone surrogates (not Unicode text) in {field}"
    built |= {"sur-text", "sur-\ufffd", "sur-title"}
    put(BAD_NAME, SENTENCE + "\n", "file name is not UTF-8", "bad\ufffdname")
    lines[str(folder / "bad\\xffname.txt")] = lines.pop(str(folder / BAD_NAME))
    for name in ("pipe.txt", "pipe.csv"):
        os.mkfifo(folder / name)
        lines[str(folder / name)] = "a FIFO, not a regular file"
    if Path("/dev/zero").exists():
        (folder / "zero.txt").symlink_to("/dev/zero")
        lines[str(folder / "zero.txt")] = "a character device, not a regular file"
    for name, run in (("stars", "*" * 8000), ("unders", "_" * 8000), ("brackets", "[" * 8000), ("links", "](" * 4000)):
        put(f"{name}.txt", f"{SENTENCE} {run} {SENTENCE}\n", None, name)
    put("emphasis.md", SENTENCE + "\n\n" + "*a [b " * 20000 + "\n", f"text longer than {MAX_CHARS}", "emphasis")
    put("empty.txt", "", "empty file")
    put("empty.jsonl", b"", "empty file")
    put("junk.txt", bytes(range(256)) * 40, "binary file")
    put("broken.csv", 'id,text\nc1,"never closed\n')
    lines[str(folder / "broken.csv") + ":2"] = "malformed CSV row"
    put("fields.csv", f'id,text\nc2,a,b\nc3,"{SENTENCE}"\n', None, "c3")
    lines[str(folder / "fields.csv") + ":2"] = "expected 2 fields as in the header, found 3"
    put("junk.html", b"<html><body><div><p>\xff\xfe<<<<</div>", "no article text")
    # the first line is headline-shaped and prose at once (21 words, no full stop): max() of no headlines raised
    put("furniture.txt", "the army and the rebels fought for many days and nights in the old city near the river "
                         "bank again today\n" + SENTENCE + "\n", None, "furniture")
    return lines, built


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=DEADLINE)


def article_graph(store: ox.Store, key: str) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, mint_iri("article", key))}


def canonical_events(store: ox.Store) -> set[str]:
    return {q.subject.value for q in store.quads_for_pattern(None, RDF.type, None, CANONICAL_GRAPH)
            if "/event/" in q.subject.value}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, dict[str, str],
                                                              set[str]]:
    """`kg build` of the seeds (a folder with its metadata.csv) and the hostile corpus, in a subprocess."""
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    lines, built = write_hostile(corpus / "bad")
    store = corpus.parent / "store"
    result = run_kg("build", str(corpus), "--store", str(store), "--no-progress", "--max-chars", str(MAX_CHARS))
    return result, store, lines, built


def test_a_mixed_build_exits_3_with_no_traceback(mixed) -> None:
    result, _, _, _ = mixed
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 3, result.stderr


def test_every_bad_input_gets_a_line_naming_it_and_no_other_line_is_printed(mixed) -> None:
    result, _, lines, _ = mixed
    printed = result.stderr.splitlines()
    assert all(line.startswith("kg: ") for line in printed), printed
    for origin, says in lines.items():
        about = [line for line in printed if line.startswith(f"kg: {origin}: ")]
        assert about and all(says in line for line in about[:1]), (origin, says, printed)
    files = {re.sub(r"(:\d+|\[\d+\])$", "", origin) for origin in lines}
    named = [line for line in printed if any(re.match(rf"kg: {re.escape(name)}(:\d+|\[\d+\])?: ", line)
                                             for name in files)]
    assert named == printed  # nothing is said about the seeds or the inputs read as they are


def test_every_good_article_is_written_as_a_clean_build_writes_it(mixed, seeds_store: Path) -> None:
    _, store_path, _, built = mixed
    store, clean = ox.Store.read_only(str(store_path)), ox.Store.read_only(str(seeds_store))
    for key in SEED_IDS:
        assert article_graph(store, key) == article_graph(clean, key) != set(), key
    assert canonical_events(clean) <= canonical_events(store)
    for key in built:
        assert article_graph(store, key), key
    for quad in store:  # nothing the store cannot hold as UTF-8 (a lone surrogate) got in
        str(quad).encode("utf-8")


def test_a_long_text_is_cut_at_the_end_of_a_sentence(mixed) -> None:
    _, store_path, _, _ = mixed
    store = ox.Store.read_only(str(store_path))
    [body] = [q.object.value for q in store.quads_for_pattern(None, SCHEMA.articleBody,
                                                               None, mint_iri("article", "long"))]
    assert len(body) <= MAX_CHARS and body.endswith("activists said.")


def test_punctuation_runs_cost_the_tokenizer_little() -> None:
    """8,000 '*' took spaCy's tokenizer 6.5 s (quadratic); cleaning cuts such runs first."""
    tokenizer = load_pipeline().tokenizer
    for run in ("*" * 8000, "_" * 8000, "[" * 8000, "](" * 4000, "=" * 8000):
        started = time.perf_counter()
        tokenizer(normalise(f"Rebels {run} fled."))
        assert time.perf_counter() - started < 1.0, run[:2]


# --------------------------------------------------------------------------- each stage failing for one article


def small_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.txt"
    good.write_text(f"Shelling in Nawa\n{SENTENCE}\n", encoding="utf-8")
    bad = folder / "bad.jsonl"
    bad.write_text(json.dumps({"id": "boom", "text": "BOOM. " + SENTENCE.replace("Nawa", "Inkhil")}) + "\n"
                   + json.dumps({"id": "after", "text": SENTENCE.replace("Nawa", "Jasim")}) + "\n", encoding="utf-8")
    return [good, bad]


def fail_on_boom(real: Callable, arg: Callable[..., str]) -> Callable:
    def patched(*args, **kwargs):
        if "BOOM" in arg(*args, **kwargs):
            raise RuntimeError("boom\nwith a second line")
        return real(*args, **kwargs)
    return patched


@pytest.mark.parametrize("stage", ["reading", "cleaning", "nlp", "extraction", "writing"])
def test_a_stage_that_fails_for_one_article_costs_only_that_article(stage: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if stage == "reading":
        monkeypatch.setattr(records_module, "make_article", fail_on_boom(records_module.make_article,
                                                                         lambda key, text, *a, **k: text))
    elif stage == "cleaning":
        monkeypatch.setattr(records_module, "clean_text", fail_on_boom(records_module.clean_text,
                                                                       lambda text, **k: text))
    elif stage == "nlp":  # the whole batch fails at first; parsed again one text at a time, only one fails
        monkeypatch.setattr(ConflictSpans, "__call__", fail_on_boom(ConflictSpans.__call__,
                                                                    lambda self, doc: doc.text))
    elif stage == "extraction":
        monkeypatch.setattr(analysis_module, "article_record", fail_on_boom(analysis_module.article_record,
                                                                            lambda article, *a: article.text))
    else:
        monkeypatch.setattr(build_module, "article_quads", fail_on_boom(build_module.article_quads,
                                                                        lambda record: record.article.text))
    store = GraphStore.open(None)
    report = build(small_corpus(tmp_path), store=store, progress=False)
    [problem] = report.problems
    assert problem.origin == f"{tmp_path / 'bad.jsonl'}:1" and problem.skipped
    assert str(problem).endswith(f": not built, {stage} failed: RuntimeError: boom with a second line")
    assert (report.added, report.skipped) == (2, 1)
    assert article_graph(store.store, "good") and article_graph(store.store, "after")
    assert not article_graph(store.store, "boom")  # written completely or not at all


def test_an_article_skipped_in_the_cli_is_one_line_and_exit_code_3(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    monkeypatch.setattr(analysis_module, "article_record", fail_on_boom(analysis_module.article_record,
                                                                        lambda article, *a: article.text))
    result = CliRunner().invoke(cli, ["build", *map(str, small_corpus(tmp_path / "in")), "--store",
                                      str(tmp_path / "store"), "--no-progress", "--processes", "1"])
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines() == [f"kg: {tmp_path / 'in' / 'bad.jsonl'}:1: not built, extraction failed: "
                                          f"RuntimeError: boom with a second line"]
    assert result.stdout.startswith("2 articles (2 added, 0 replaced, 0 unchanged), 1 inputs skipped")


def canonical_quads_of(path: Path) -> set[ox.Quad]:
    store = GraphStore.open(path, read_only=True)
    quads = set(store.store.quads_for_pattern(None, None, None, CANONICAL_GRAPH))
    store.close()
    return quads


def test_a_failure_in_resolution_is_one_line_naming_the_stage_and_claim_and_keeps_the_old_canonical_layer(
        seeds_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.resolution.events import Clusters

    store_path = tmp_path / "store"
    shutil.copytree(seeds_store, store_path)
    before = canonical_quads_of(store_path)
    assert before  # the seeds' events and entities
    extra = tmp_path / "nawa.txt"
    extra.write_text(f"Shelling in Nawa\n{SENTENCE}\n", encoding="utf-8")
    real_months = Clusters._months

    def failing_months(self: Clusters, claim, *, lookup: bool):  # type: ignore[no-untyped-def]
        if claim.ref.startswith("claim/nawa/"):
            raise RuntimeError("boom\nwith a second line")
        return real_months(self, claim, lookup=lookup)

    monkeypatch.setattr(Clusters, "_months", failing_months)
    args = ["build", str(extra), "--store", str(store_path), "--no-progress"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert re.fullmatch(r"kg: resolution failed \(resolving entities and events; block Shelling in \S+, claim "
                        r"claim/nawa/\d+\): RuntimeError: boom with a second line; the articles are stored and the "
                        r"canonical layer is as it was: the next build resolves them again", line), line
    assert canonical_quads_of(store_path) == before  # not half-written: the old layer, state and all
    store = GraphStore.open(store_path)
    assert store.article_hash("nawa") is not None  # the article itself was written
    store.close()

    monkeypatch.setattr(Clusters, "_months", real_months)
    again = CliRunner().invoke(cli, args)  # the article is unchanged, but the layer is resolved anew
    assert again.exit_code == 0, again.output
    after = canonical_quads_of(store_path)
    assert len(after - before) > 1  # the new state, and the new article's event


def test_json_depth_is_bounded_without_recursion_and_records_cost_linear_time(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"id": f"r{i}", "text": "x", "extra": [[["deep enough"]]]} for i in range(20_000)]),
                    encoding="utf-8")
    started = time.perf_counter()
    items = list(reading_module.read_articles([path]))
    assert len(items) == 20_000 and time.perf_counter() - started < 20
    nested = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    (tmp_path / "deep.json").write_text('{"id": "a", "text": "[[[[", "extra": ' + nested + "}", encoding="utf-8")
    [problem] = reading_module.read_articles([tmp_path / "deep.json"])
    assert problem.message == f"JSON nested {MAX_JSON_DEPTH + 2} deep; at most {MAX_JSON_DEPTH} levels are read"


# --------------------------------------------------------------------------- random input (Hypothesis)

GOOD = SEEDS / "004_ffffda31a88e0189.txt"
FRAGMENTS = ("*" * 5000, "_" * 3000, "[" * 3000, "](" * 2000, "\ud800", "\udfff", "\x00", "\ufeff", "\r\n", "\n\n",
             "AFP", "- REUTERS", "Nov 26, 2014", "14/10/2017 04:35", "Related:", "Advertisement", "Follow us:",
             "{" * 80, "[" * 80, '"', "\\", "|", "\u2028", SENTENCE, "Home | World | Middle East", "**Bold**",
             "[link](http://x)", "<p>", "</div>", "\t", ",", "\ufffd_s")
texts = st.lists(st.one_of(st.text(max_size=120), st.sampled_from(FRAGMENTS)), max_size=10).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "title", "published", "source", "url", "x"]) | st.text(max_size=4), inner,
        max_size=6),
    max_leaves=12)


@st.composite
def hostile_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file: random text under any suffix, random JSON or JSONL, a random CSV, or a mutated seed article."""
    kind = draw(st.sampled_from(["text", "json", "jsonl", "csv", "mutated"]))
    if kind == "text":
        return draw(st.sampled_from([".txt", ".md", ".html", ".csv", ".json", ".jsonl"])), \
            draw(texts).encode("utf-8", "surrogatepass")
    if kind in ("json", "jsonl"):
        values = draw(st.lists(json_values, min_size=1, max_size=4))
        ascii_only = draw(st.booleans())
        dump = lambda v: json.dumps(v, ensure_ascii=ascii_only)  # noqa: E731
        data = dump(values) if kind == "json" else "\n".join(map(dump, values))
        return f".{kind}", data.encode("utf-8", "surrogatepass")
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(draw(st.sampled_from([["id", "text"], ["id", "text", "published"], ["unit_id", "x"]])))
        for row in draw(st.lists(st.lists(texts, max_size=4), max_size=4)):
            writer.writerow(row)
        return ".csv", (out.getvalue() + draw(st.sampled_from(["", '"unclosed', "\x00"]))).encode("utf-8",
                                                                                                   "surrogatepass")
    text = GOOD.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if edit == "insert":
            text = text[:at] + draw(texts) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(0, 400)):]
        else:
            text = text[:at] + text[at:at + 300] * draw(st.integers(2, 40)) + text[at:]
    return draw(st.sampled_from([".txt", ".md", ".html"])), text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def good_graph() -> set[str]:
    store = GraphStore.open(None)
    build([GOOD], store=store, progress=False)
    return article_graph(store.store, GOOD.stem)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(files=st.lists(hostile_files(), min_size=1, max_size=4), position=st.integers(0, 4))
def test_random_input_never_raises_and_the_good_article_is_always_written(good_graph: set[str],
                                                                          files: list[tuple[str, bytes]],
                                                                          position: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths: list[Path] = []
        for i, (suffix, data) in enumerate(files):
            path = Path(tmp, f"h{i}{suffix}")
            path.write_bytes(data)
            paths.append(path)
        paths.insert(min(position, len(paths)), GOOD)
        store = GraphStore.open(None)
        report = build(paths, store=store, progress=False)
        assert article_graph(store.store, GOOD.stem) == good_graph
        assert all(isinstance(p, ReadProblem) and "\n" not in str(p) for p in report.problems)
        for quad in store.store:
            str(quad).encode("utf-8")
