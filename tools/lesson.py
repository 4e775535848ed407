"""Set up the lesson's Python environment, then open the lesson or run its tests.

Usage (from the top folder of the lesson, with Python 3.11 or newer)::

    python3 tools/lesson.py lab     # set up, then open the notebooks in JupyterLab
    python3 tools/lesson.py test    # set up, then lint and run every test and notebook
    python3 tools/lesson.py setup   # only set up

Setting up creates a virtual environment in ``.venv`` (once) and installs the
exact versions in ``requirements.txt`` (again only when that file changes).
Extra arguments after ``test`` go to pytest, e.g. ``test -k perceptron``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / "requirements.sha256"
MINIMUM_PYTHON = (3, 11)

#: Folders and files that ruff lints and checks the formatting of.
LINTED = ["notebooks", "tools", "tests"]


def venv_python() -> Path:
    """Return the path of the virtual environment's Python."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def run(*command: str | Path) -> None:
    """Run a command in the lesson folder; stop with its exit code if it fails."""
    result = subprocess.run([str(part) for part in command], cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup() -> Path:
    """Create ``.venv`` and install requirements.txt if needed; return its Python."""
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit(
            f"This lesson needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; "
            f"this is {sys.version.split()[0]}."
        )
    python = venv_python()
    if not python.exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        run(sys.executable, "-m", "venv", VENV)
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Installing the packages in requirements.txt (a few minutes) ...", flush=True)
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS)
        STAMP.write_text(wanted + "\n")
    return python


def main(argv: list[str] | None = None) -> None:
    """Run ``setup``, ``lab`` or ``test`` as the first argument says."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in {"setup", "lab", "test"}:
        sys.exit(__doc__)
    python = setup()
    if argv[0] == "lab":
        run(python, "-m", "jupyter", "lab", "notebooks", *argv[1:])
    elif argv[0] == "test":
        run(python, "-m", "ruff", "check", *LINTED)
        run(python, "-m", "ruff", "format", "--check", *LINTED)
        run(python, "-m", "pytest", *argv[1:])


if __name__ == "__main__":
    main()
