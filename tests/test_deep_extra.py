"""Tests for the optional extra of episode 7 (PyTorch and skorch, CPU only).

The extra's pins (requirements-deep.txt), how ``tools/lesson.py`` installs them,
and how ``tools/check_setup.py`` reports them, offline, with fake distributions.
"""

from __future__ import annotations

import importlib.metadata

import check_setup
import lesson
import pytest
from packaging.requirements import Requirement
from project import REQUIREMENTS, REQUIREMENTS_DEEP

DEEP_TEXT = "torch==2.13.0\nskorch==1.4.0\n"
LINUX_X86 = {"sys_platform": "linux", "platform_machine": "x86_64"}
OTHER_SYSTEMS = [
    {"sys_platform": "darwin", "platform_machine": "arm64"},
    {"sys_platform": "win32", "platform_machine": "AMD64"},
    {"sys_platform": "linux", "platform_machine": "aarch64"},
]


class FakeDistribution:
    """Stands in for an installed distribution of a given version."""

    def __init__(self, version: str) -> None:
        self.version = version


def installed(**versions: str):
    """A ``find`` that knows the given distributions and no others."""

    def find(name: str):
        if name not in versions:
            raise importlib.metadata.PackageNotFoundError(name)
        return FakeDistribution(versions[name])

    return find


def deep_requirements() -> list[Requirement]:
    lines = REQUIREMENTS_DEEP.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def torch_pins(environment: dict[str, str]) -> list[str]:
    return [
        str(requirement.specifier)
        for requirement in deep_requirements()
        if requirement.name == "torch"
        and (requirement.marker is None or requirement.marker.evaluate(environment))
    ]


def test_every_package_of_the_deep_extra_is_pinned_to_one_version():
    for requirement in deep_requirements():
        assert str(requirement.specifier).startswith("=="), requirement


def test_linux_on_x86_64_gets_only_the_cpu_build_of_torch():
    assert torch_pins(LINUX_X86) == ["==2.13.0+cpu"]


@pytest.mark.parametrize("environment", OTHER_SYSTEMS, ids=lambda env: env["sys_platform"])
def test_every_other_system_gets_exactly_one_torch_pin_of_the_same_release(environment):
    assert torch_pins(environment) == ["==2.13.0"]


def test_torch_and_skorch_stay_out_of_the_core_requirements():
    names = {name.lower() for name, _ in check_setup.parse_requirements(REQUIREMENTS.read_text())}
    assert not names & {"torch", "skorch"}


def test_lesson_installs_the_deep_extra_from_pytorchs_cpu_index():
    options = lesson.pip_options(REQUIREMENTS_DEEP)
    assert options[options.index("--extra-index-url") + 1] == lesson.TORCH_CPU_INDEX
    assert lesson.TORCH_CPU_INDEX == "https://download.pytorch.org/whl/cpu"


def test_lesson_installs_the_other_requirements_from_pypi_alone():
    assert lesson.pip_options(REQUIREMENTS) == []


def test_the_setup_check_gives_the_same_cpu_index_as_the_lesson_tool():
    assert f"--extra-index-url {lesson.TORCH_CPU_INDEX}" in check_setup.DEEP_INSTALL_HINT
    assert "-r requirements-deep.txt" in check_setup.DEEP_INSTALL_HINT


def test_deep_extra_check_names_both_packages_and_says_it_is_optional():
    ok, text = check_setup.check_deep_extra(
        DEEP_TEXT, find=installed(torch="2.13.0+cpu", skorch="1.4.0"), load=lambda module: None
    )
    assert ok
    assert text == "torch 2.13.0+cpu and skorch 1.4.0 (optional, episode 7)"


def test_deep_extra_check_accepts_the_cpu_build_for_a_plain_pin():
    ok, _ = check_setup.check_deep_extra(
        "torch==2.13.0\n", find=installed(torch="2.13.0+cpu"), load=lambda module: None
    )
    assert ok


def test_deep_extra_check_says_how_to_install_it_when_it_is_missing():
    ok, text = check_setup.check_deep_extra(DEEP_TEXT, find=installed(), load=lambda module: None)
    assert not ok
    assert "torch is not installed" in text and "optional" in text
    assert check_setup.DEEP_INSTALL_HINT in text


def test_deep_extra_check_names_both_versions_when_they_differ():
    ok, text = check_setup.check_deep_extra(
        DEEP_TEXT, find=installed(torch="2.12.1", skorch="1.4.0"), load=lambda module: None
    )
    assert not ok
    assert "torch 2.12.1 is installed" in text and "pins 2.13.0" in text


def test_deep_extra_check_reports_a_package_that_does_not_import():
    def broken(module: str):
        raise ImportError("libtorch_cpu.so: cannot open shared object file")

    ok, text = check_setup.check_deep_extra(
        DEEP_TEXT, find=installed(torch="2.13.0", skorch="1.4.0"), load=broken
    )
    assert not ok and "`import torch` fails" in text and "libtorch_cpu.so" in text


def test_a_missing_deep_extra_is_a_note_not_a_failure():
    checks = [
        check for check in check_setup.all_checks() if check.function.__name__ == "check_deep_extra"
    ]
    assert [check.required for check in checks] == [False]
