"""Re-execute lesson notebooks top to bottom in a fresh kernel and save the outputs.

Usage::

    python tools/execute_notebooks.py                      # every notebook
    python tools/execute_notebooks.py notebooks/01-perceptron.ipynb

Run this after editing a notebook, then commit it with its outputs: the test
suite (nbval) re-runs each notebook and compares its outputs with the saved
ones. Notebooks run with ``MNIST_SOURCE=sample`` (the 5,000-digit sample), as
the tests do, unless ``MNIST_SOURCE`` is already set; ``--no-save`` runs them
without writing anything (for measuring time at full scale).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def execute(path: Path, save: bool = True, timeout: int = 600) -> float:
    """Execute one notebook in a fresh ``python3`` kernel; return the seconds taken."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if save:
        nbformat.write(notebook, path)
    return seconds


def main(argv: list[str] | None = None) -> None:
    """Execute the notebooks named on the command line (default: all of them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--no-save", action="store_true", help="run without saving outputs")
    args = parser.parse_args(argv)
    os.environ.setdefault("MNIST_SOURCE", "sample")
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    for path in paths:
        if not path.is_file():
            sys.exit(f"{path}: no such notebook")
        seconds = execute(path.resolve(), save=not args.no_save)
        print(f"{path.name}: {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
