"""The newcomer path: the README's commands, the licence, and pinned tools that CI installs the same way."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from mentor_tui.__main__ import build_parser

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _constraints() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_canonical(name)] = version.strip()
    return pins


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_licence_is_mit_as_an_spdx_string_with_its_text() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_dev_tools_are_pinned_exactly_and_the_constraints_agree() -> None:
    pins = _constraints()
    for spec in PYPROJECT["project"]["optional-dependencies"]["dev"]:
        requirement = Requirement(spec)
        assert [s.operator for s in requirement.specifier] == ["=="], f"pin {spec} exactly"
        (version,) = [s.version for s in requirement.specifier]
        assert pins.get(_canonical(requirement.name)) == version, f"{spec}: run bash .ci/lock"


def test_runtime_dependencies_have_ranges_the_constraints_satisfy() -> None:
    pins = _constraints()
    for spec in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(spec)
        pinned = pins.get(_canonical(requirement.name))
        assert pinned is not None, f"{spec} is not in .ci/constraints.txt: run bash .ci/lock"
        assert requirement.specifier.contains(pinned), f"{spec} does not allow {pinned}: run bash .ci/lock"


def test_ci_runs_the_readme_test_command() -> None:
    """The README's second command is the install and test command of .ci/run."""
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    test_command = next(b.strip() for b in blocks if "pytest" in b)
    install, _, test = test_command.partition(" && .venv/bin/python -m pytest")
    assert ".venv/bin/pip install -e '.[dev,encrypted]' -c .ci/constraints.txt" in install
    assert ".venv/bin/pip install -q -e '.[dev,encrypted]' -c .ci/constraints.txt" in CI_RUN
    assert test.strip() == "-n auto"
    assert ".venv/bin/python -m pytest -n auto" in CI_RUN


def _code_lines(text: str) -> list[str]:
    """The lines inside the fenced code blocks of a Markdown text."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line)
    return lines


def _readme_examples() -> list[str]:
    """Every ``mentor-tui ...`` line in the code blocks of the README and docs/, comments cut."""
    examples = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for line in _code_lines(doc.read_text(encoding="utf-8")):
            command = line.split("#")[0].strip().removeprefix("$ ")
            if command.startswith("mentor-tui ") and "[" not in command:
                examples.append(command)
    return examples


@pytest.mark.parametrize("example", _readme_examples())
def test_readme_examples_are_commands_mentor_tui_knows(example: str) -> None:
    args = build_parser().parse_args(shlex.split(example)[1:])
    assert args is not None


def test_the_readme_shows_how_to_reach_mentor_tui_after_its_two_commands() -> None:
    assert len(_readme_examples()) >= 5
    start = README.index("## Start here")
    assert "source .venv/bin/activate" in README[start : README.index("## Using it")]
