"""The files the package ships are found through kg.resources; a missing one is a one-line KgError, never "nothing"."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg import resources
from kg.cli import cli
from kg.errors import KgError, QueryError, ResourceError
from kg.queries import list_queries, load_query
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
