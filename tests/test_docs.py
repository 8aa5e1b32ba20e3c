"""The README documents every command and option a user can type, and its Python examples run as shown."""
from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest

from kg.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    missing = [name for name in cli.commands if f"kg {name}" not in README]
    assert not missing, f"README.md does not document: {', '.join(missing)}"


def test_every_option_of_every_command_is_in_the_readme():
    missing = []
    for name, command in cli.commands.items():
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in README and opt not in {"--help"}:
                    missing.append(f"kg {name} {opt}")
    assert not missing, f"README.md does not mention: {', '.join(missing)}"


def test_the_readme_shows_the_two_commands_first():
    first_block = README.split("```console", 1)[1].split("```", 1)[0]
    assert "$ make run" in first_block and "$ make test" in first_block


@pytest.mark.model
def test_the_python_examples_in_the_readme_give_what_they_show(seeds_store: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(seeds_store, tmp_path / "kg-store")
    monkeypatch.chdir(tmp_path)  # the examples open ./kg-store, as `make run` leaves it
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    for n, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README.md python block {n + 1}", "README.md", 0))
    assert runner.summarize(verbose=False).failed == 0
