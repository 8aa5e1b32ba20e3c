"""The files the package ships are found through kg.resources; a missing one is a one-line KgError, never "nothing"."""
from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg import resources
from kg.cli import cli
from kg.errors import KgError, QueryError, ResourceError
from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon
from kg.queries import list_queries, load_query
from kg.resolution.names import ResolutionRules
from kg.resources import read_toml, resource, resource_dir
from kg.store import GraphStore
from kg.validation import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_ontology(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(resources.LOCATIONS, "ontology", ("kg._no_such_package", ""))


@pytest.fixture
def no_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(resources.LOCATIONS, "queries", ("kg", "no-such-folder"))


@pytest.mark.parametrize(("kind", "folder", "pattern"), [("ontology", "ontology", "*.ttl"), ("queries", "queries", "*.rq"),
                                                         ("data", "kg/data", "*"), ("static", "kg/static", "*")])
def test_each_kind_holds_the_files_of_its_folder_in_the_repository(kind: str, folder: str, pattern: str) -> None:
    installed = {p.name for p in resource_dir(kind).glob(pattern) if p.is_file()}
    assert installed == {p.name for p in (ROOT / folder).glob(pattern) if p.is_file()}
    assert installed - {"__init__.py"}


def test_a_missing_file_is_a_resource_error_naming_it() -> None:
    with pytest.raises(ResourceError, match=r"nothing\.rq: not installed with conflict-kg") as caught:
        resource("queries", "nothing.rq")
    assert isinstance(caught.value, KgError) and "\n" not in str(caught.value)


def test_a_missing_package_is_a_resource_error(no_ontology: None) -> None:
    with pytest.raises(ResourceError, match="ontology files are not installed.*reinstall"):
        resource("ontology", "ckg.ttl")


def test_a_store_cannot_open_without_its_ontology(no_ontology: None) -> None:
    with pytest.raises(ResourceError, match="ontology"):
        GraphStore.open(None)
    with pytest.raises(ResourceError, match="ontology"):
        validate(pyoxigraph.Store())


def test_missing_queries_are_an_error_not_an_empty_list(no_queries: None) -> None:
    with pytest.raises(ResourceError, match="queries files"):
        list_queries()
    with pytest.raises(ResourceError, match="queries files"):
        load_query("events")


def test_a_folder_of_queries_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no such folder of queries"):
        list_queries(tmp_path / "nothing")


@pytest.mark.parametrize("args", [["queries"], ["query", "events"]])
def test_the_cli_says_so_in_one_line(no_queries: None, args: list[str], seeds_store: Path) -> None:
    result = CliRunner().invoke(cli, [*args, *(["--store", str(seeds_store)] if args[0] == "query" else [])])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kg: ") and "queries files" in result.stderr
    assert "expected one of: none" not in result.stderr


def test_a_broken_toml_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "actors.toml"
    path.write_text('[actors.x]\nlabel = "X"\nlabel = \n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"actors\.toml: not valid TOML: .*line 3"):
        read_toml(path)
    with pytest.raises(ResourceError, match=r"gone\.toml: cannot read"):
        read_toml(tmp_path / "gone.toml")


# --------------------------------------------------------------------------- broken files: one line naming them


def broken_copy_of_the_data(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(resource_dir("data"), folder)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_lexicon_file_with_a_syntax_error_is_named_with_its_line(tmp_path: Path) -> None:
    folder = broken_copy_of_the_data(tmp_path, "triggers.toml", "[types.AirStrike]\nphrases = [\"air strike\" \"shelling\"]\n")
    with pytest.raises(ResourceError, match=r"triggers\.toml: not valid TOML: .*line 2"):
        Lexicon.load(folder)


def test_a_lexicon_file_without_a_table_it_needs_says_which(tmp_path: Path) -> None:
    folder = broken_copy_of_the_data(tmp_path, "words.toml", "[places]\n")
    with pytest.raises(ResourceError, match=r"words\.toml\): not laid out as expected: missing key"):
        Lexicon.load(folder)


def test_an_unknown_actor_in_the_lexicon_names_its_file(tmp_path: Path) -> None:
    people = (resource_dir("data") / "people.toml").read_text(encoding="utf-8")
    folder = broken_copy_of_the_data(tmp_path, "people.toml",
                                     people + '\n[people.nobody]\nlabel = "No Body"\naffiliation = "no-such-actor"\n')
    with pytest.raises(ResourceError, match=r"people\.toml: nobody is affiliated to unknown actor 'no-such-actor'"):
        Lexicon.load(folder)


def test_broken_resolution_rules_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "resolution.toml"
    path.write_text("[names]\nparticles = 3\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"resolution\.toml: not laid out as expected"):
        ResolutionRules.load(path)
    path.write_text("[names\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"resolution\.toml: not valid TOML"):
        ResolutionRules.load(path)


def test_a_broken_gazetteer_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "places.json.gz"
    path.write_bytes(gzip.compress(b"{not json"))
    with pytest.raises(KgError, match=r"places\.json\.gz: cannot read the gazetteer data"):
        Gazetteer.load(path)
    path.write_bytes(b"not gzip at all")
    with pytest.raises(KgError, match=r"places\.json\.gz: cannot read the gazetteer data"):
        Gazetteer.load(path)


def test_kg_build_with_a_broken_data_file_is_one_line_naming_it(tmp_path: Path) -> None:
    """In a fresh interpreter (the lexicon is loaded once per process) whose data folder is a broken copy."""
    folder = broken_copy_of_the_data(tmp_path, "actors.toml", '[actors.x]\nlabel = "X"\nlabel = "Y"\n')
    article = tmp_path / "a.txt"
    article.write_text("Rebels shell Damascus\nMortar shells hit Damascus on Tuesday.\n", encoding="utf-8")
    code = ("import pathlib, sys; import kg.lexicon; data = pathlib.Path(sys.argv[1]); "
            "kg.lexicon.resource_dir = lambda kind: data; "
            "from kg.cli import main; sys.argv = ['kg', *sys.argv[2:]]; main()")
    run = subprocess.run([sys.executable, "-c", code, str(folder), "build", str(article), "--store",
                          str(tmp_path / "store"), "--no-progress"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert re.fullmatch(r"kg: \S+/actors\.toml: not valid TOML: .*line 3.*\n", run.stderr), run.stderr


@pytest.fixture
def query_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The named queries are read from a folder of this test's (kg.queries finds them through resource_dir)."""
    folder = tmp_path / "queries"
    folder.mkdir()
    monkeypatch.setattr("kg.queries.resource_dir", lambda kind: folder)
    return folder


def test_a_query_file_that_is_not_sparql_names_the_file(query_folder: Path, seeds_store: Path) -> None:
    (query_folder / "broken.rq").write_text("# A broken query.\nSELECT ?x WHERE { ?x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "broken", "--store", str(seeds_store)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"kg: {query_folder / 'broken.rq'}: not valid SPARQL: ")


@pytest.mark.parametrize(("content", "message"), [
    ("# A query.\n# param: who (person, required) — someone\nSELECT ?who WHERE {}\n",
     r"bad\.rq:2: unknown parameter type 'person'"),
    (b"# A query \xff\nSELECT * WHERE {}\n", r"bad\.rq: cannot read the query"),
])
def test_a_query_file_that_cannot_be_read_names_the_file(query_folder: Path, content: str | bytes,
                                                         message: str) -> None:
    path = query_folder / "bad.rq"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = CliRunner().invoke(cli, ["queries"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert re.match("kg: .*" + message, result.stderr), result.stderr
