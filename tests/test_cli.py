"""The `kg` command end to end: build, stats, export, validate, through click's CliRunner on real input.

Exit codes: 0 done, 1 error, 3 some input skipped. Every problem is one line on
stderr naming the file (and line), never a traceback.
"""
from __future__ import annotations

import contextlib
import csv
import json
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kg.cli import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_SKIPPED, KgGroup, cli
from kg.reading import Article, read_articles
from kg.iris import mint_iri
from kg.vocab import CKG, ONTOLOGY_GRAPH, PREFIXES, RDF

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
GOLD = SHARED / "eval" / "seeds.gold.toml"
FAKES = SHARED / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
HANG_GUARD_SECONDS = 60
SUMMARY = re.compile(r"^(\d+) articles \((\d+) added, (\d+) replaced, (\d+) unchanged\), (\d+) inputs skipped$",
                     re.MULTILINE)

GOOD_TEXT = ("Rebels shell Damascus suburb\nMortar shells hit a suburb of Damascus on Tuesday, killing six people, "
             "state media said.\n")


# --------------------------------------------------------------------------- helpers


def kg(*args: object, env: dict[str, str | None] | None = None) -> Result:
    """Run `kg ARGS...` in-process."""
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def summary(result: Result) -> tuple[int, int, int, int, int]:
    """(articles, added, replaced, unchanged, skipped) from a build's first output line."""
    match = SUMMARY.search(result.stdout)
    assert match, result.stdout
    return tuple(int(g) for g in match.groups())  # type: ignore[return-value]


def one_line_error(result: Result) -> str:
    """The single `kg: ...` line a failed command printed on stderr."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exc_info
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: ")
    return lines[0]


def open_ro(path: Path) -> ox.Store:
    return ox.Store.read_only(str(path))


def articles_in(path: Path) -> dict[str, str]:
    """Article id -> stored body text."""
    rows = open_ro(path).query(
        "SELECT ?id ?body WHERE { GRAPH ?g { ?a a ckg:Article ; dcterms:identifier ?id ; schema:articleBody ?body } }",
        prefixes=PREFIXES)
    return {row["id"].value: row["body"].value for row in rows}


def nquads(path: Path) -> list[str]:
    """The store's quads as sorted N-Quads lines."""
    return sorted(str(q) for q in open_ro(path))


def copy_store(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_GUARD_SECONDS) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block has not returned after ``seconds``."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: it hangs")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- which store


def test_default_store_is_kg_store_in_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write(tmp_path / "in" / "good.txt", GOOD_TEXT)
    monkeypatch.chdir(tmp_path)
    result = kg("build", good, env={"KG_STORE": None})
    assert result.exit_code == 0, result.output
    assert summary(result) == (1, 1, 0, 0, 0)
    assert result.stderr == ""
    assert sorted(articles_in(tmp_path / "kg-store")) == ["good"]


def test_kg_store_variable_picks_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    monkeypatch.chdir(tmp_path)
    env = {"KG_STORE": str(tmp_path / "from-env")}
    result = kg("build", good, env=env)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "kg-store").exists()
    assert sorted(articles_in(tmp_path / "from-env")) == ["good"]
    stats = kg("stats", env=env)
    assert stats.exit_code == 0, stats.output
    assert stats.stdout.startswith("store: 1 articles,")


def test_store_option_wins_over_the_variable(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    result = kg("build", good, "--store", tmp_path / "opt", env={"KG_STORE": str(tmp_path / "env")})
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "env").exists()
    assert sorted(articles_in(tmp_path / "opt")) == ["good"]


# --------------------------------------------------------------------------- every kind of input


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Government forces retake Palmyra | Example Times</title>
<meta property="og:title" content="Government forces retake Palmyra">
<meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2016-03-27T09:00:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>
<article><h1>Government forces retake Palmyra</h1>
<p>Syrian government forces backed by Russian air strikes recaptured the ancient city of Palmyra from Islamic State
militants on Sunday, state television said, after three weeks of heavy fighting in the desert around the city.</p>
<p>The Syrian Observatory for Human Rights said more than 400 Islamic State fighters had been killed in the
offensive, and that the militants had withdrawn east towards Deir ez-Zor and Raqqa.</p>
</article>
<footer>Copyright Example Times. All rights reserved.</footer>
</body></html>
"""


def test_every_input_kind_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    write(folder / "t1.txt", "Air strikes pound Raqqa\nSyrian government air strikes on Raqqa killed 12 people on "
                             "Tuesday, the Syrian Observatory for Human Rights said.\n")
    write(folder / "sub" / "m1.md", "# Shelling in Homs\n\nRebels **shelled** a district of Homs on Monday, "
                                    "killing four civilians, state media said.\n")
    write(folder / "sub" / "deeper" / "p1.html", HTML_PAGE)
    write(folder / "metadata.csv", "id,published,source,title,url\n"
                                   "t1,2015-03-10,Example Wire,,https://example.com/t1\n"
                                   "m1,2015-03-09,,,\n")
    write(folder / "ignored.docx", b"PK\x03\x04 not an article")
    jsonl = write(tmp_path / "recs.jsonl", "".join(json.dumps(r) + "\n" for r in [
        {"id": "j1", "text": "Islamic State militants executed 20 men in Palmyra, a monitor said.",
         "published": "2015-05-27"},
        {"id": "j2", "text": "Clashes between rebels and government forces in Aleppo killed 9 fighters.",
         "title": "Clashes in Aleppo"}]))
    json_list = write(tmp_path / "list.json", json.dumps([
        {"id": "js1", "text": "A car bomb exploded in Homs on Friday, killing 7 people.", "published": "2016-02-20"}]))
    fakes = write(tmp_path / "fakes.csv",
                  "unit_id,article_title,article_content,source,date,location,labels\n"
                  "fk1,Air raids hit Idlib,\"Russian air strikes hit Idlib on Thursday, killing 11 civilians, "
                  "activists said.\",reuters,3/24/2016,idlib,1\n")
    custom = write(tmp_path / "custom.csv", "uid,body,when\n"
                                            "cu1,\"Turkish artillery shelled Kurdish positions near Afrin on "
                                            "Saturday.\",2018-01-20\n")
    result = kg("build", folder, jsonl, json_list, fakes, custom, "--columns", "id=uid,text=body,published=when",
                "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert summary(result) == (8, 8, 0, 0, 0)
    stored = articles_in(tmp_path / "store")
    assert sorted(stored) == ["cu1", "fk1", "j1", "j2", "js1", "m1", "p1", "t1"]
    assert "**" not in stored["m1"] and "#" not in stored["m1"]
    assert "Log in" not in stored["p1"] and "Copyright" not in stored["p1"]
    rows = open_ro(tmp_path / "store").query(
        "SELECT ?id ?date WHERE { GRAPH ?g { ?a dcterms:identifier ?id ; schema:datePublished ?date } }",
        prefixes=PREFIXES)
    dates = {row["id"].value: row["date"].value for row in rows}
    assert dates == {"t1": "2015-03-10", "m1": "2015-03-09", "p1": "2016-03-27", "j1": "2015-05-27",
                     "js1": "2016-02-20", "fk1": "2016-03-24", "cu1": "2018-01-20"}


# --------------------------------------------------------------------------- bad input


def _missing(tmp: Path) -> tuple[Path, str]:
    return tmp / "nope.txt", str(tmp / "nope.txt")


def _empty(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "empty.txt", "")
    return path, str(path)


def _blank(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "blank.md", " \n\n\t\n")
    return path, str(path)


def _binary(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8)
    return path, str(path)


def _unknown_extension(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "report.docx", "Air strikes on Raqqa killed 12 people.")
    return path, str(path)


def _bad_jsonl_line(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.jsonl", '{"id": "ok1", "text": "Clashes in Aleppo killed 9 fighters."}\n'
                                     '{"id": "bad", "text": "unterminated\n')
    return path, f"{path}:2"


def _bad_json(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.json", '[{"id": "x", "text": "Clashes in Aleppo."},\n')
    return path, f"{path}:2"


def _bad_csv_row(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.csv", 'id,text\nok1,"Clashes in Aleppo killed 9 fighters."\nbad,"a "quoted" word"\n')
    return path, f"{path}:3"


def _short_csv_row(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.csv", 'id,text\nok1,"Clashes in Aleppo killed 9 fighters."\nlonely\n')
    return path, f"{path}:3"


def _jsonl_record_without_text(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.jsonl", '{"id": "ok1", "text": "Clashes in Aleppo killed 9 fighters."}\n'
                                     '{"id": "hollow", "text": "   ", "title": "A title only"}\n')
    return path, f"{path}:2"


def _csv_record_without_text(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.csv", 'id,text,title\nok1,"Clashes in Aleppo killed 9 fighters.",t\nhollow,,Title\n')
    return path, f"{path}:3"


def _record_without_id(tmp: Path) -> tuple[Path, str]:
    path = write(tmp / "recs.jsonl", '{"text": "Clashes in Aleppo killed 9 fighters."}\n')
    return path, f"{path}:1"


def _folder_without_articles(tmp: Path) -> tuple[Path, str]:
    write(tmp / "pictures" / "a.png", b"\x89PNG")
    return tmp / "pictures", str(tmp / "pictures")


@pytest.mark.parametrize(("make", "words"), [
    (_missing, "no such file or folder"),
    (_empty, "empty file"),
    (_blank, "empty file"),
    (_binary, "binary file"),
    (_unknown_extension, "unsupported file type '.docx'"),
    (_bad_jsonl_line, "not valid JSON"),
    (_bad_json, "not valid JSON"),
    (_bad_csv_row, "malformed CSV row"),
    (_short_csv_row, "expected 2 fields"),
    (_jsonl_record_without_text, "record 'hollow' has no text"),
    (_csv_record_without_text, "record 'hollow' has no text"),
    (_record_without_id, "no id"),
    (_folder_without_articles, "no article files"),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_bad_input_is_one_line_and_the_rest_is_built(tmp_path: Path, make, words: str) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    bad, origin = make(tmp_path)
    result = kg("build", bad, good, "--store", tmp_path / "store")
    assert result.exit_code == EXIT_SKIPPED, result.output
    line = one_line_error(result)
    assert line.startswith(f"kg: {origin}: "), line
    assert words in line
    articles, added, _, _, skipped = summary(result)
    assert skipped == 1
    stored = articles_in(tmp_path / "store")
    assert "good" in stored
    assert len(stored) == articles == added
    if make in (_bad_jsonl_line, _bad_csv_row, _short_csv_row, _jsonl_record_without_text, _csv_record_without_text):
        assert "ok1" in stored  # the good records of the same file are built


def test_invalid_utf8_is_read_with_a_warning_and_built(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", "Air strikes hit Raqqa\nSyrian government air strikes on Raqqa killed "
                                          "12 people, the caf\xe9 owner said.\n".encode("latin-1"))
    result = kg("build", path, "--store", tmp_path / "store")
    assert result.exit_code == 0, result.output
    line = one_line_error(result)
    assert line.startswith(f"kg: {path}: not valid UTF-8 (first bad byte on line 2)")
    assert summary(result) == (1, 1, 0, 0, 0)
    assert "caf\ufffd owner" in articles_in(tmp_path / "store")["latin1"]


def test_duplicate_id_later_wins_with_a_warning_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    first = "Government forces captured Palmyra on Sunday, state television said."
    later = "Government forces recaptured Palmyra on Monday after heavy fighting, state television said."
    path = write(tmp_path / "recs.jsonl", "".join(json.dumps(r) + "\n" for r in [
        {"id": "j1", "text": first}, {"id": "j2", "text": "Clashes in Aleppo killed 9 fighters."},
        {"id": "j1", "text": later}]))
    store = tmp_path / "store"
    result = kg("build", path, "--store", store)
    assert result.exit_code == 0, result.output
    line = one_line_error(result)
    assert line == f"kg: {path}:3: duplicate id 'j1': this article replaces the one read from {path}:1"
    assert summary(result) == (2, 2, 0, 0, 0)
    assert articles_in(store) == {"j1": later, "j2": "Clashes in Aleppo killed 9 fighters."}
    before = nquads(store)

    again = kg("build", path, "--store", store)
    assert again.exit_code == 0, again.output
    assert again.stderr == result.stderr
    assert summary(again) == (2, 0, 0, 2, 0)
    assert articles_in(store)["j1"] == later
    assert nquads(store) == before


def test_all_problems_of_one_build_are_reported_in_order(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    empty = write(tmp_path / "empty.txt", "")
    docx = write(tmp_path / "x.docx", "text")
    result = kg("build", empty, tmp_path / "nope", good, docx, "--store", tmp_path / "store")
    assert result.exit_code == EXIT_SKIPPED
    assert "Traceback" not in result.stderr
    assert [line.split(": ", 2)[1] for line in result.stderr.splitlines()] == [
        str(empty), str(tmp_path / "nope"), str(docx)]
    assert summary(result) == (1, 1, 0, 0, 3)


# --------------------------------------------------------------------------- bad stores


LOCK_HOLDER = "import pyoxigraph, sys, time; s = pyoxigraph.Store(sys.argv[1]); print('ok', flush=True); time.sleep(30)"


def test_store_held_by_another_process_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    store = tmp_path / "store"
    assert kg("build", good, "--store", store).exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(store)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok", holder.stderr
        with hang_guard():
            result = kg("build", good, "--store", store)
        assert result.exit_code == EXIT_ERROR, result.output
        line = one_line_error(result)
        assert line.startswith(f"kg: {store}: ") and "in use by another process" in line
        with hang_guard():
            stats = kg("stats", "--store", store)  # read-only commands still work
        assert stats.exit_code == 0, stats.output
        assert stats.stdout.startswith("store: 1 articles,")
    finally:
        holder.kill()
        holder.wait()


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    not_a_dir = write(tmp_path / "store.txt", "I am a file")
    for args in (["build", good], ["stats"], ["export"], ["validate"]):
        result = kg(*args, "--store", not_a_dir)
        assert result.exit_code == EXIT_ERROR, (args, result.output)
        assert one_line_error(result) == (f"kg: {not_a_dir}: is a file, not a store directory; "
                                          f"name a directory with --store")
    assert not_a_dir.read_text() == "I am a file"


def test_folder_that_is_not_a_store(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", GOOD_TEXT)
    junk = tmp_path / "junk"
    write(junk / "CURRENT", "this is not a RocksDB manifest name\n")
    for args in (["build", good], ["stats"]):
        result = kg(*args, "--store", junk)
        assert result.exit_code == EXIT_ERROR, (args, result.output)
        assert one_line_error(result).startswith(f"kg: {junk}: cannot open the store: ")


def test_read_commands_on_a_missing_store(tmp_path: Path) -> None:
    for command in ("stats", "export", "validate"):
        result = kg(command, "--store", tmp_path / "none")
        assert result.exit_code == EXIT_ERROR
        assert "no store there" in one_line_error(result)
        assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("args", [["query", "events"], ["stats"], ["curate", "list"]], ids=" ".join)
def test_ctrl_c_in_any_command_is_one_line_and_exit_130(args: list[str], seeds_store: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kg.store.GraphStore.counts", interrupted)
    monkeypatch.setattr("kg.graph.KnowledgeGraph.result", interrupted)
    monkeypatch.setattr("kg.curation.Curation.entries", interrupted)
    result = kg(*args, "--store", copy_store(seeds_store, tmp_path / "store"))
    assert result.exit_code == EXIT_INTERRUPTED
    assert result.stderr == "kg: interrupted\n" and not result.stdout


def test_errors_are_reported_in_one_place() -> None:
    """Every command and group runs inside the KgGroup's invoke; no command catches KgError itself."""
    assert isinstance(cli, KgGroup)
    source = Path(sys.modules[KgGroup.__module__].__file__).read_text(encoding="utf-8")
    assert source.count("except KgError") == 1 and "_fail(" not in source


# --------------------------------------------------------------------------- re-runs and changes


def test_rebuilding_the_seeds_changes_nothing(seeds_store: Path, tmp_path: Path) -> None:
    store = copy_store(seeds_store, tmp_path / "store")
    before = nquads(store)
    result = kg("build", ROOT / "seeds", "--store", store)
    assert result.exit_code == 0, result.output
    assert summary(result) == (5, 0, 0, 5, 0)
    assert nquads(store) == before


def test_a_changed_article_replaces_its_old_version(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    old = "Air strikes pound Raqqa\nSyrian government air strikes on Raqqa killed 12 people on Tuesday.\n"
    new = "Shelling in Homs\nRebels shelled a district of Homs on Monday, killing four civilians.\n"
    write(folder / "a.txt", old)
    write(folder / "b.txt", GOOD_TEXT)
    store = tmp_path / "store"
    assert kg("build", folder, "--store", store).exit_code == 0
    first = open_ro(store)
    b_graph = sorted(str(q) for q in first.quads_for_pattern(None, None, None, ox.NamedNode(_graph_of(first, "b"))))
    del first
    write(folder / "a.txt", new)
    result = kg("build", folder, "--store", store)
    assert result.exit_code == 0, result.output
    assert summary(result) == (2, 0, 1, 1, 0)
    stored = articles_in(store)
    assert "Homs" in stored["a"] and "Raqqa" not in stored["a"]
    after = open_ro(store)
    assert not any("Raqqa killed 12" in str(q) for q in after)
    assert sorted(str(q) for q in after.quads_for_pattern(None, None, None, ox.NamedNode(_graph_of(after, "b")))) \
        == b_graph


def _graph_of(store: ox.Store, article_id: str) -> str:
    rows = store.query("SELECT ?g ?id WHERE { GRAPH ?g { ?a a ckg:Article ; dcterms:identifier ?id } }",
                       prefixes=PREFIXES, substitutions={ox.Variable("id"): ox.Literal(article_id)})
    [row] = list(rows)
    return row["g"].value


# --------------------------------------------------------------------------- stats, validate, export


def test_stats_counts_by_class(seeds_store: Path) -> None:
    result = kg("stats", "--store", seeds_store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    match = re.fullmatch(r"store: (\d+) articles, (\d+) actors \((\d+) people\), (\d+) places, (\d+) events, "
                         r"(\d+) quads", lines[0])
    assert match, lines
    articles, actors, people, places, events, quads = map(int, match.groups())
    store = open_ro(seeds_store)

    def count(pattern: str) -> int:
        rows = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}", prefixes=PREFIXES,
                           use_default_graph_as_union=True)
        return int(next(iter(rows))["n"].value)

    assert articles == count("?x a ckg:Article") == 5
    assert people == count("?x a ckg:Person") > 0
    assert actors >= people and actors == count("?x a/rdfs:subClassOf* ckg:Actor")
    assert places == count("?x a/rdfs:subClassOf* ckg:Place") > 0
    assert events == count("?x a/rdfs:subClassOf+ ckg:Event") > 0
    assert quads == len(store)
    by_type = dict(item.rsplit(" ", 1) for item in lines[1].removeprefix("events by type: ").split(", "))
    assert lines[1].startswith("events by type: ")
    for name, n in by_type.items():
        assert int(n) == count(f"?x a ckg:{name}"), name
    assert sum(int(n) for n in by_type.values()) >= events


def test_stats_and_validate_as_json(seeds_store: Path) -> None:
    text = kg("stats", "--store", seeds_store).stdout.splitlines()
    result = kg("stats", "--store", seeds_store, "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert list(stats) == ["articles", "actors", "people", "places", "events", "events_by_type", "quads"]
    assert text[0] == (f"store: {stats['articles']} articles, {stats['actors']} actors ({stats['people']} people), "
                       f"{stats['places']} places, {stats['events']} events, {stats['quads']} quads")
    assert text[1] == "events by type: " + ", ".join(f"{k} {v}" for k, v in stats["events_by_type"].items())
    result = kg("validate", "--store", seeds_store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"conforms": True, "violations": 0, "results": []}


def test_validate_as_json_fails_on_a_broken_graph(seeds_store: Path, tmp_path: Path) -> None:
    result = kg("validate", "--store", broken_store(seeds_store, tmp_path), "--format", "json")
    assert result.exit_code == EXIT_ERROR, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is False and report["violations"] == len(report["results"]) >= 2
    assert any("reportedIn" in line for line in report["results"])


def test_validate_finds_no_violations_in_the_seeds(seeds_store: Path) -> None:
    result = kg("validate", "--store", seeds_store)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "0 violations"


def broken_store(seeds_store: Path, tmp_path: Path) -> Path:
    """A copy of the seeds' store with an event that has no ckg:reportedIn and no ckg:evidence."""
    path = copy_store(seeds_store, tmp_path / "store")
    store = ox.Store(str(path))
    store.add(ox.Quad(mint_iri("event", "broken"), RDF.type, CKG.AirStrike, mint_iri("article", "broken")))
    store.flush()
    del store
    return path


def test_validate_fails_on_a_broken_graph(seeds_store: Path, tmp_path: Path) -> None:
    result = kg("validate", "--store", broken_store(seeds_store, tmp_path))
    assert result.exit_code == EXIT_ERROR, result.output
    assert "reportedIn" in result.stdout
    n = int(re.search(r"^(\d+) violations$", result.stdout, re.MULTILINE).group(1))
    assert n >= 2  # no ckg:reportedIn, no ckg:evidence


def test_export_nquads_is_the_store_sorted(seeds_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--store", str(seeds_store)])
    assert result.exit_code == 0, result.output
    lines = result.stdout_bytes.decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert lines == [f"{q} ." for q in nquads(seeds_store)]
    out = tmp_path / "out.nq"
    assert kg("export", "--store", seeds_store, "--format", "nquads", "-o", out).exit_code == 0
    assert out.read_bytes() == result.stdout_bytes


@pytest.mark.parametrize("fmt", ["trig", "turtle"])
def test_export_trig_and_turtle(seeds_store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = kg("export", "--store", seeds_store, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    store = open_ro(seeds_store)
    if fmt == "trig":
        got = set(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
        assert got == set(store)
    else:
        got = {ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(path=str(out), format=ox.RdfFormat.TURTLE)}
        assert got == {ox.Triple(q.subject, q.predicate, q.object) for q in store}


def test_export_without_the_ontology(seeds_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nq"
    result = kg("export", "--store", seeds_store, "--no-ontology", "-o", out)
    assert result.exit_code == 0, result.output
    got = set(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    store = open_ro(seeds_store)
    assert any(q.graph_name == ONTOLOGY_GRAPH for q in store)
    assert got == {q for q in store if q.graph_name != ONTOLOGY_GRAPH}


def test_export_to_a_folder_that_does_not_exist(seeds_store: Path, tmp_path: Path) -> None:
    result = kg("export", "--store", seeds_store, "-o", tmp_path / "no" / "such" / "out.nq")
    assert result.exit_code == EXIT_ERROR
    assert "cannot write" in one_line_error(result)


def test_scorer_on_the_exported_seeds(seeds_store: Path, tmp_path: Path) -> None:
    if not (SCORER.is_file() and GOLD.is_file()):
        pytest.skip(f"the shared scorer and gold file are not at {SCORER.parent}")
    out = tmp_path / "out.nq"
    assert kg("export", "--store", seeds_store, "--format", "nquads", "-o", out).exit_code == 0
    run = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--graph", str(out), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)["figures"]
    assert figures["article_dates"] == 1.0
    assert figures["noise_labels"] == 0


# --------------------------------------------------------------------------- a slice of FA-KES


def test_fakes_slice_builds_reports_duplicates_and_rebuilds_to_the_same(tmp_path: Path) -> None:
    if not FAKES.is_file():
        pytest.skip(f"the FA-KES corpus is not at {FAKES}")
    with FAKES.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    counts = Counter(row[0] for row in rows)
    start = next(i for i, row in enumerate(rows) if counts[row[0]] > 1)  # a slice that holds repeated ids
    chunk = rows[start:start + 40]
    path = tmp_path / "fakes40.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *chunk])
    ids = [row[0] for row in chunk]
    repeats = Counter(ids) - Counter(set(ids))
    assert repeats, "the slice should hold repeated ids"
    store = tmp_path / "store"

    result = kg("build", path, "--store", store)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert all(line.startswith(f"kg: {path}:") and "duplicate id" in line for line in lines), lines
    assert Counter(re.search(r"duplicate id '([^']+)'", line).group(1) for line in lines) == repeats
    unique = len(set(ids))
    assert summary(result) == (unique, unique, 0, 0, 0)
    stored = articles_in(store)
    assert len(stored) == unique
    last = {a.id: a for a in read_articles([path]) if isinstance(a, Article)}
    assert {key: stored[key] for key in repeats} == {key: last[key].text for key in repeats}
    before = nquads(store)

    again = kg("build", path, "--store", store)
    assert again.exit_code == 0, again.output
    assert again.stderr == result.stderr
    assert summary(again) == (unique, 0, 0, unique, 0)
    assert nquads(store) == before
