"""Only building needs spaCy: the modules and commands that read, query, export, serve or curate a graph never import it.

spaCy takes most of a second to import; `kg --help` and `kg query` should not pay for it. Each check runs in
a fresh interpreter, since this one has long imported spaCy for other tests.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LIGHT_MODULES = ("kg", "kg.cli", "kg.build", "kg.workers", "kg.dask_build", "kg.store", "kg.queries", "kg.export", "kg.serve", "kg.graph", "kg.canonical",
                 "kg.curation", "kg.validation", "kg.extraction", "kg.resolution")

_NO_SPACY = "import sys; assert 'spacy' not in sys.modules, 'spacy imported'"


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_importing_the_modules_that_use_a_graph_imports_no_spacy() -> None:
    run = run_python(f"import {', '.join(LIGHT_MODULES)}; {_NO_SPACY}")
    assert run.returncode == 0, run.stderr


def test_the_record_modules_resolution_uses_import_no_spacy() -> None:
    run = run_python("import kg.extraction.mentions, kg.extraction.placebook, kg.extraction.figures, kg.claims, "
                     f"kg.rdf; from kg.extraction import EntityMention, PlaceBook, slug; {_NO_SPACY}")
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("args", [["--help"], ["queries"], ["stats"], ["query", "events"], ["query", "timeline"],
                                  ["export", "--format", "gexf"], ["export", "--format", "nquads"], ["validate"],
                                  ["curate", "list"]], ids=" ".join)
def test_commands_other_than_build_import_no_spacy(args: list[str], seeds_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seeds_store, store)  # curate opens it for writing
    code = ("import sys; from click.testing import CliRunner; from kg.cli import cli; "
            "result = CliRunner().invoke(cli, sys.argv[1:]); "
            "assert result.exit_code == 0, result.output; " + _NO_SPACY)
    run = run_python(code, *args, *([] if args in (["--help"], ["queries"]) else ["--store", str(store)]))
    assert run.returncode == 0, run.stderr


def test_parsing_does_import_spacy() -> None:  # the check above would pass for nothing if it never did
    run = run_python("import sys, kg.nlp; assert 'spacy' in sys.modules")
    assert run.returncode == 0, run.stderr
