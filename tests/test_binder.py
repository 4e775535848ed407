"""The Binder configuration (binder/) installs the lesson's own pins on a supported Python."""

from __future__ import annotations

import check_setup
from project import ROOT

BINDER = ROOT / "binder"


def test_binder_runtime_is_the_oldest_python_the_lesson_supports():
    wanted = "python-" + ".".join(str(part) for part in check_setup.MINIMUM_PYTHON)
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == wanted


def test_binder_requirements_only_include_the_top_level_requirements():
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert entries == ["-r ../requirements.txt"]
    assert (BINDER / ".." / "requirements.txt").resolve().is_file()


def test_binder_folder_has_no_file_that_would_override_requirements_and_runtime():
    # repo2docker prefers a Dockerfile to everything, and environment.yml to
    # requirements.txt (it also ignores runtime.txt then).
    overriding = {"Dockerfile", "environment.yml", "Pipfile", "pyproject.toml", "setup.py"}
    assert overriding.isdisjoint(path.name for path in BINDER.iterdir())


def test_binder_installs_the_helper_package_after_the_requirements():
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    commands = [
        line.strip()
        for line in post_build.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith("set ")
    ]
    assert commands == ["python -m pip install --no-deps --editable ."]
