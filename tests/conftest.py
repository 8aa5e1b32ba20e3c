"""Fixtures shared by the test modules: a store built from seeds/ once per session, and real article texts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.reading import Article, read_articles

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by ``kg build seeds`` (closed again, so it may be opened read-only or copied).

    Tests must not write to it: copy it first (``shutil.copytree``).
    """
    path = tmp_path_factory.mktemp("seeds") / "store"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "seeds"), "--store", str(path), "--no-progress"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def real_texts() -> list[str]:
    """The texts of the seeds and of the three style sets in tests/data/styles (65 articles)."""
    texts = [a.text for a in read_articles([ROOT / "seeds"]) if isinstance(a, Article)]
    for path in sorted((ROOT / "tests" / "data" / "styles").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts
