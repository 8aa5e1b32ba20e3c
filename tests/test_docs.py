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


def layout_entries() -> tuple[list[str], list[str]]:
    """The modules and the folders the README's layout section lists, as paths below kg/."""
    block = README[README.index("\nshared "):]
    block = block[:block.index("```")]
    modules: list[str] = []
    folders: list[str] = []
    open_folders: list[tuple[int, str]] = []
    for line in block.splitlines():
        entry = re.match(r"^(\w*\s+)(\S+\.py|\S+/)(?:\s|$)", line)
        if entry is None:
            continue
        indent, name = len(entry.group(1)), entry.group(2)
        while open_folders and open_folders[-1][0] >= indent:
            open_folders.pop()
        path = "".join(folder for _, folder in open_folders) + name
        if name.endswith("/"):
            open_folders.append((indent, name))
            folders.append(path)
        else:
            modules.append(path)
    return modules, folders


def test_the_readme_layout_lists_every_module_once_and_only_modules_that_exist() -> None:
    kg = Path(__file__).resolve().parent.parent / "kg"
    modules = {str(p.relative_to(kg)) for p in kg.rglob("*.py") if "static" not in p.parts}
    listed, folders = layout_entries()
    covered = {*listed, *(folder + "__init__.py" for folder in folders)}  # a package's line stands for its __init__
    assert sorted(modules - covered) == [], "modules missing from the README's layout section"
    assert sorted(covered - modules) == [], "the README's layout section lists modules that do not exist"
    assert len(listed) == len(set(listed)), "a module listed twice"
