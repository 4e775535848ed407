"""Binder (binder/) installs the lesson's own pins on a supported Python, and JupyterLab,
opened by tools/lesson.py or on Binder, starts with the lesson's settings: no news prompt
(checked on the ``lab`` fixture of conftest.py, started as tools/lesson.py starts it)."""

from __future__ import annotations

import json
import urllib.request

from project import MINIMUM_PYTHON, ROOT

BINDER = ROOT / "binder"


def commands(path) -> list[str]:
    """The lines of a script or requirements file that are neither blank nor comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_binder_installs_what_learners_need_on_the_oldest_python_the_lesson_supports():
    wanted = "python-" + ".".join(str(part) for part in MINIMUM_PYTHON)
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == wanted
    assert commands(BINDER / "requirements.txt") == ["-r ../requirements.txt"]
    # repo2docker prefers a Dockerfile to everything, and environment.yml to requirements.txt.
    overriding = {"Dockerfile", "environment.yml", "Pipfile", "pyproject.toml", "setup.py"}
    assert overriding.isdisjoint(path.name for path in BINDER.iterdir())


def test_binder_installs_the_helper_package_then_jupyterlabs_settings():
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    steps = commands(post_build)
    assert steps[1] == "python -m pip install --no-deps --editable ."
    assert steps[-1] == 'cp binder/overrides.json "$settings/overrides.json"'
    assert "share/jupyter/lab/settings" in steps[2]


def test_jupyterlab_as_the_lesson_opens_it_does_not_ask_about_news(lab):
    url, token, _ = lab
    address = f"{url}/lab/api/settings/@jupyterlab/apputils-extension:notification"
    request = urllib.request.Request(address, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        reply = json.load(response)
    # The user's own settings (none here) over the defaults, which overrides.json sets.
    fields = reply["schema"]["properties"].items()
    settings = {name: field["default"] for name, field in fields} | reply["settings"]
    assert (settings["fetchNews"], settings["checkForUpdates"]) == ("false", False), (
        "JupyterLab will ask about Jupyter news: run python3 tools/lesson.py setup"
    )
