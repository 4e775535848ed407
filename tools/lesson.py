"""Set up the lesson's Python environment, then open the lesson, test it or build its website.

Usage (from the top folder of the lesson, with Python 3.11 or newer)::

    python3 tools/lesson.py lab     # set up, then open the notebooks in JupyterLab
    python3 tools/lesson.py test    # set up, then lint and run every test and notebook
    python3 tools/lesson.py site    # set up, then build the website into _build/html
    python3 tools/lesson.py setup   # only set up

Setting up creates a virtual environment in ``.venv`` (once), installs what learners
need, the exact versions in ``requirements.txt``, and the lesson's helper package
``nn_helpers`` (so that notebooks, handouts and tools all import it), and again only
when a requirements file changes. ``test`` also installs what maintainers need:
``requirements-dev.txt`` (lint and browser tests), ``requirements-deep.txt`` (PyTorch
for the optional episode 7, CPU only) and ``requirements-site.txt``. Extra arguments
after ``test`` go to pytest, e.g. ``test -k perceptron``.

JupyterLab starts with the settings in ``binder/overrides.json`` (Binder uses the same
file): it does not ask whether to fetch Jupyter news, nor look for newer versions.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

from project import (
    MINIMUM_PYTHON,
    REQUIREMENTS,
    REQUIREMENTS_DEEP,
    REQUIREMENTS_DEV,
    REQUIREMENTS_SITE,
    ROOT,
    TORCH_CPU_INDEX,
)

VENV = ROOT / ".venv"
PYTHON = VENV / "Scripts" / "python.exe" if os.name == "nt" else VENV / "bin" / "python"
STAMP = VENV / "lesson-requirements.sha256"

#: Default values for JupyterLab's settings, copied where JupyterLab reads them:
#: ``<environment>/share/jupyter/lab/settings/overrides.json``.
LAB_OVERRIDES = ROOT / "binder" / "overrides.json"

#: Extra pip options per requirements file: PyTorch's index of CPU-only builds for the deep
#: extra (requirements-deep.txt pins Linux x86-64 to its ``+cpu`` build, so pip stops rather
#: than fetch the CUDA build), with two retries instead of five (offline, two minutes less).
PIP_OPTIONS = {REQUIREMENTS_DEEP: ["--extra-index-url", TORCH_CPU_INDEX, "--retries", "2"]}


def run(*command) -> None:
    """Run a command in the lesson folder; stop with its exit code if it fails."""
    result = subprocess.run([str(part) for part in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup(*extras) -> object:
    """Create ``.venv`` and install requirements.txt, ``extras`` and nn_helpers if needed.

    Returns the virtual environment's Python.
    """
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit(
            f"This lesson needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; "
            f"this is {sys.version.split()[0]}."
        )
    python = PYTHON
    if not python.exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        run(sys.executable, "-m", "venv", VENV)
    files = [REQUIREMENTS, *extras]
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for path in files:
        digest.update(path.read_bytes())
    wanted = digest.hexdigest()
    done = STAMP.read_text().split() if STAMP.exists() else []
    if wanted not in done:
        print(
            f"Installing {', '.join(path.name for path in files)} (a few minutes) ...", flush=True
        )
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        for path in files:
            run(python, "-m", "pip", "install", "--quiet", "-r", path, *PIP_OPTIONS.get(path, []))
        run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--editable", ROOT)
        STAMP.write_text("\n".join([*done, wanted]) + "\n")
    settings = VENV / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LAB_OVERRIDES, settings / "overrides.json")
    return python


def lab_command(python, *options) -> list:
    """The command that opens the notebooks in JupyterLab, with extra ``options``."""
    return [python, "-m", "jupyter", "lab", "notebooks", *options]


def main(argv: list[str] | None = None) -> None:
    """Run ``setup``, ``lab``, ``test`` or ``site`` as the first argument says."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in {"setup", "lab", "test", "site"}:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command in {"setup", "lab"}:
        python = setup()
        if command == "lab":
            run(*lab_command(python, *rest))
    elif command == "site":
        python = setup(REQUIREMENTS_SITE)
        run(python, ROOT / "tools" / "build_site.py")
    else:
        python = setup(REQUIREMENTS_DEV, REQUIREMENTS_DEEP, REQUIREMENTS_SITE)
        run(python, "-m", "ruff", "check")  # what pyproject.toml leaves in
        run(python, "-m", "ruff", "format", "--check")
        run(python, "-m", "pytest", *rest)  # tests/test_site.py builds the website


if __name__ == "__main__":
    main()
