"""The README documents every command and option a user can type."""
from __future__ import annotations

from pathlib import Path

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
