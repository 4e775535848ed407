"""Tests for tools/check_setup.py, the pre-workshop check, and the requirements it reads,
including the optional extra for episode 7 (PyTorch and skorch, CPU only)."""

from __future__ import annotations

import importlib.metadata

import check_setup
import lesson
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from project import REQUIREMENTS, REQUIREMENTS_DEEP, REQUIREMENTS_DEV, ROOT


def installed(monkeypatch, **versions: str) -> None:
    """Make importlib.metadata know the given distributions, and no others."""

    def version(name: str) -> str:
        if name not in versions:
            raise importlib.metadata.PackageNotFoundError(name)
        return versions[name]

    monkeypatch.setattr(importlib.metadata, "version", version)


@pytest.mark.parametrize(("version", "ok"), [((3, 10, 12), False), ((3, 11, 0), True)])
def test_python_check_needs_3_11_or_newer(version, ok):
    passed, text = check_setup.check_python(version)
    assert passed == ok and "3.11" in text


def test_requirements_are_read_without_comments_options_and_other_systems_pins(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("# note\n-r other.txt\nnumpy==2.4.6  # arrays\nwin==1 ; sys_platform == 'nt'\n")
    assert [str(r) for r in check_setup.read_requirements(path)] == ["numpy==2.4.6"]
    path.write_text("numpy==2.4.6\nnum py\n")
    with pytest.raises(ValueError, match="requirements.txt, line 2"):
        check_setup.read_requirements(path)


@pytest.mark.parametrize(
    ("versions", "broken", "message"),
    [
        ({}, None, "numpy is not installed; run: pip install -r requirements.txt"),
        (
            {"numpy": "1.26.0"},
            None,
            "1.26.0 is installed but requirements.txt asks for numpy==2.4.6",
        ),
        (
            {"numpy": "2.4.6"},
            ImportError("DLL load failed"),
            "`import numpy` fails: DLL load failed",
        ),
    ],
)
def test_a_missing_old_or_broken_package_fails_naming_the_problem(
    monkeypatch, versions, broken, message
):
    def load(module: str):
        if broken:
            raise broken

    installed(monkeypatch, **versions)
    monkeypatch.setattr(check_setup.importlib, "import_module", load)
    ok, text = check_setup.check_package(Requirement("numpy==2.4.6"))
    assert not ok and message in text


def test_a_check_that_crashes_is_a_failure_that_shows_the_error(capsys):
    # A missed optional check is a NOTE: the learner-only run below shows two.
    def crash():
        raise RuntimeError("boom")

    assert check_setup.run([check_setup.Check(crash)]) == 1
    assert capsys.readouterr().out.startswith("FAIL  the check failed: RuntimeError('boom')\n")


def test_every_requirement_is_pinned_to_one_version():
    for path in [REQUIREMENTS, REQUIREMENTS_DEV, REQUIREMENTS_DEEP]:
        for requirement in check_setup.read_requirements(path):
            assert str(requirement.specifier).startswith("=="), f"{path.name}: {requirement}"


@pytest.mark.parametrize(
    ("system", "machine"),
    [("linux", "x86_64"), ("linux", "aarch64"), ("darwin", "arm64"), ("win32", "AMD64")],
)
def test_each_system_gets_one_torch_pin_and_linux_on_x86_64_the_cpu_build(system, machine):
    here = {"sys_platform": system, "platform_machine": machine}
    lines = [line for line in REQUIREMENTS_DEEP.read_text().splitlines() if line[:5] == "torch"]
    [pin] = [r for r in map(Requirement, lines) if r.marker is None or r.marker.evaluate(here)]
    assert str(pin.specifier).endswith("+cpu") == (system == "linux" and machine == "x86_64")


def test_readme_set_up_check_and_lesson_tool_install_the_extra_with_one_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(check_setup.DEEP_INSTALL) >= 2, "README gives another command"
    options = " ".join(lesson.PIP_OPTIONS[REQUIREMENTS_DEEP])
    assert options.startswith(check_setup.DEEP_INSTALL.split(" -r requirements-deep.txt ")[1])


def learner_distributions() -> set[str]:
    """requirements.txt, everything it depends on (as installed here) and the helper package."""
    todo, found = check_setup.read_requirements(REQUIREMENTS), {"nn-lesson"}
    while todo:
        requirement = todo.pop()
        if canonicalize_name(requirement.name) not in found:
            found.add(canonicalize_name(requirement.name))
            dependencies = map(Requirement, importlib.metadata.requires(requirement.name) or [])
            todo += [d for d in dependencies if not d.marker or d.marker.evaluate({"extra": ""})]
    return found


def test_the_check_passes_with_only_what_learners_install(capsys, monkeypatch, tmp_path):
    import nn_helpers.data

    learner, real_version = learner_distributions(), importlib.metadata.version
    assert not {"ruff", "playwright", "torch"} & learner, "maintainers' tools in requirements.txt"

    def version(name: str) -> str:
        if canonicalize_name(name) not in learner:
            raise importlib.metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    monkeypatch.setattr(nn_helpers.data, "PROBE_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path))
    assert check_setup.main([]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    # No full MNIST and no openml.org: a NOTE that the lesson will use the sample.
    assert "NOTE  MNIST (OpenML) is not downloaded" in out and "5,000-digit sample" in out
    # The optional extra for episode 7 is missing: a NOTE that says how to install it.
    assert out.count("NOTE  torch is not installed; only the optional") == 1
