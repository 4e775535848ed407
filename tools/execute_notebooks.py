"""Re-execute lesson notebooks top to bottom in a fresh kernel and save the outputs.

Usage::

    python tools/execute_notebooks.py                      # every notebook
    python tools/execute_notebooks.py notebooks/01-perceptron.ipynb
    python tools/execute_notebooks.py --no-save ...        # run and time, write nothing

Run this after editing a notebook, then commit it with its outputs: the test suite (nbval)
re-runs each notebook and compares its outputs with the saved ones. Notebooks run with
``MNIST_SOURCE=sample`` (the 5,000-digit sample), as the tests do, unless ``MNIST_SOURCE``
is already set.

Saved outputs must not depend on the computer. nbclient stores no widget state (renderers
would load scripts from the internet to show it), and as each cell finishes, the folder of
the Python environment in a warning's file name (``/home/me/.venv/lib/python3.11/``) is
shortened to ``.../site-packages/``; ``tests/nbval_sanitize.cfg`` masks that folder the
same way when nbval compares outputs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from project import KERNELSPEC, episode_notebooks

#: The Python environment's folder in a file name, up to ``site-packages/``.
ENVIRONMENT_FOLDER = re.compile(r"(?:[A-Za-z]:)?[^\s\"':]*[\\/](?:site|dist)-packages[\\/]")


def execute(path: Path, save: bool = True, timeout: int = 600) -> tuple[float, float, int]:
    """Execute one notebook in a fresh ``python3`` kernel, and save it unless told not to.

    Returns the seconds taken in all, and the seconds and number (counting code cells
    from 1) of the slowest code cell.
    """
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.pop("widgets", None)
    code = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    began, took = {}, {}

    def start_clock(cell, cell_index):
        began[cell_index] = time.perf_counter()

    def finish(cell, cell_index, execute_reply):
        took[code.index(cell_index) + 1] = time.perf_counter() - began[cell_index]
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = ENVIRONMENT_FOLDER.sub(".../site-packages/", output.text)

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNELSPEC["name"],
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
        on_cell_execute=start_clock,
        on_cell_executed=finish,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if save:
        nbformat.write(notebook, path)
    slowest = max(took, key=took.get, default=0)
    return seconds, took.get(slowest, 0.0), slowest


def kernel_peak_megabytes() -> float | None:
    """Peak memory of the largest finished child process (the kernel), where the system says.

    Each kernel is a child of this process; once it has shut down, the operating system
    reports its peak resident memory. Not available on Windows.
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
    for path in args.notebooks or episode_notebooks():
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
