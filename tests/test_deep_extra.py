"""Tests for the optional extra of episode 7 (PyTorch and skorch, CPU only): its pins in
requirements-deep.txt, and one install command in the README, the set-up check and lesson.py."""

from __future__ import annotations

import importlib.metadata
import io

import check_setup
import lesson
import pytest
from packaging.requirements import Requirement
from project import REQUIREMENTS, REQUIREMENTS_DEEP, ROOT

LINUX_X86 = {"sys_platform": "linux", "platform_machine": "x86_64"}
OTHER_SYSTEMS = [
    {"sys_platform": "darwin", "platform_machine": "arm64"},
    {"sys_platform": "win32", "platform_machine": "AMD64"},
    {"sys_platform": "linux", "platform_machine": "aarch64"},
]


#: The extra's requirements that apply here.
DEEP = check_setup.read_requirements(REQUIREMENTS_DEEP)


def torch_pins(environment: dict[str, str]) -> list[str]:
    """The torch pins of requirements-deep.txt that apply on a system."""
    lines = REQUIREMENTS_DEEP.read_text(encoding="utf-8").splitlines()
    requirements = [Requirement(line) for line in lines if line.strip() and line[0] != "#"]
    return [
        str(requirement.specifier)
        for requirement in requirements
        if requirement.name == "torch"
        and (requirement.marker is None or requirement.marker.evaluate(environment))
    ]


def test_linux_on_x86_64_gets_only_the_cpu_build_of_torch():
    assert torch_pins(LINUX_X86) == ["==2.13.0+cpu"]


@pytest.mark.parametrize("environment", OTHER_SYSTEMS, ids=lambda env: env["sys_platform"])
def test_every_other_system_gets_exactly_one_torch_pin_of_the_same_release(environment):
    assert torch_pins(environment) == ["==2.13.0"]


def test_torch_and_skorch_stay_out_of_the_core_requirements():
    names = {requirement.name for requirement in check_setup.read_requirements(REQUIREMENTS)}
    assert not names & {"torch", "skorch"}


def test_readme_set_up_check_and_lesson_tool_install_the_extra_with_one_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(check_setup.DEEP_INSTALL) >= 2, "README gives another command"
    options = " ".join(lesson.pip_options(REQUIREMENTS_DEEP))
    assert options.startswith(check_setup.DEEP_INSTALL.split(" -r requirements-deep.txt ")[1])


def test_a_missing_deep_extra_is_a_note_that_says_how_to_install_it(monkeypatch):
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    checks = check_setup.all_checks()
    extra = [check for check in checks if getattr(check.function, "args", [None])[0] in DEEP]
    out = io.StringIO()
    assert len(extra) == 2 and check_setup.run(extra, out) == 0
    assert all(line.startswith("NOTE") for line in out.getvalue().splitlines()[:2])
    assert out.getvalue().count(check_setup.DEEP_INSTALL) == 2
