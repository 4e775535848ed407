"""Re-execute lesson notebooks top to bottom in a fresh kernel and save the outputs.

Usage::

    python tools/execute_notebooks.py                      # every notebook
    python tools/execute_notebooks.py notebooks/01-perceptron.ipynb

Run this after editing a notebook, then commit it with its outputs: the test
suite (nbval) re-runs each notebook and compares its outputs with the saved
ones. Notebooks run with ``MNIST_SOURCE=sample`` (the 5,000-digit sample), as
the tests do, unless ``MNIST_SOURCE`` is already set; ``--no-save`` runs them
without writing anything (for measuring time at full scale).

Saved outputs must not depend on the machine, so two things are done here and
not in the lesson's cells: widget state is not stored (renderers would load
scripts from the internet to show it), and the folder of the Python
environment in a warning's file name (``/home/me/.venv/lib/python3.11/``) is
shortened to ``.../site-packages/``. ``tests/nbval_sanitize.cfg`` treats that
folder the same way when nbval compares outputs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from project import KERNELSPEC, episode_notebooks

#: The Python environment's folder in a file name, up to ``site-packages/``.
ENVIRONMENT_FOLDER = re.compile(r"(?:[A-Za-z]:)?[^\s\"':]*[\\/](?:site|dist)-packages[\\/]")


def shorten_environment_paths(notebook: nbformat.NotebookNode) -> None:
    """Replace the environment's folder in stream outputs by ``.../site-packages/``."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = ENVIRONMENT_FOLDER.sub(".../site-packages/", output["text"])


def execute(path: Path, save: bool = True, timeout: int = 600) -> tuple[float, float, int]:
    """Execute one notebook in a fresh ``python3`` kernel.

    Returns the seconds taken in all, and the seconds and number of the
    slowest code cell (counting code cells from 1).
    """
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.pop("widgets", None)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNELSPEC["name"],
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=True,
        store_widget_state=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    slowest, slowest_cell = 0.0, 0
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        timing = cell.metadata.pop("execution", {})
        if "shell.execute_reply" in timing and "iopub.execute_input" in timing:
            began = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            ended = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            if (ended - began).total_seconds() > slowest:
                slowest, slowest_cell = (ended - began).total_seconds(), number
    shorten_environment_paths(notebook)
    if save:
        nbformat.write(notebook, path)
    return seconds, slowest, slowest_cell


def kernel_peak_megabytes() -> float | None:
    """Peak memory of the largest finished child process (the kernel), if known.

    Each kernel is a child of this process; once it has shut down, the
    operating system reports its peak resident memory. Not available on Windows.
    """
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    """Execute the notebooks named on the command line (default: all of them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--no-save", action="store_true", help="run without saving outputs")
    args = parser.parse_args(argv)
    os.environ.setdefault("MNIST_SOURCE", "sample")
    paths = args.notebooks or episode_notebooks()
    for path in paths:
        if not path.is_file():
            sys.exit(f"{path}: no such notebook")
        seconds, slowest, cell = execute(path.resolve(), save=not args.no_save)
        memory = kernel_peak_megabytes()
        print(
            f"{path.name}: {seconds:.1f} s (slowest: code cell {cell}, {slowest:.1f} s)"
            + ("" if memory is None else f", kernel peak memory {memory:.0f} MB"),
            flush=True,
        )


if __name__ == "__main__":
    main()
