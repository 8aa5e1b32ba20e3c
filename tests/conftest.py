"""Fixtures shared by the test modules: a store built from seeds/ once per session."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

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
