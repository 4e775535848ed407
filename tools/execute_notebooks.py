"""Re-execute lesson notebooks top to bottom in a fresh kernel and save the outputs.

Usage::

    python tools/execute_notebooks.py                      # every notebook
    python tools/execute_notebooks.py notebooks/01-perceptron.ipynb

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


def execute(path: Path, save: bool = True, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute one notebook in a fresh ``python3`` kernel; save it unless told not to; return it.

    An unsaved run keeps nbclient's timestamps in each code cell's metadata (``execution``),
    for measuring; saved notebooks never hold them.
    """
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.pop("widgets", None)

    def shorten_environment_folder(cell, cell_index, execute_reply):
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = ENVIRONMENT_FOLDER.sub(".../site-packages/", output.text)

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNELSPEC["name"],
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=not save,
        store_widget_state=False,
        on_cell_executed=shorten_environment_folder,
    )
    client.execute()
    if save:
        nbformat.write(notebook, path)
    return notebook


def main(argv: list[str] | None = None) -> None:
    """Execute the notebooks named on the command line (default: all of them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("MNIST_SOURCE", "sample")
    for path in args.notebooks or episode_notebooks():
        if not path.is_file():
            sys.exit(f"{path}: no such notebook")
        start = time.perf_counter()
        execute(path.resolve())
        print(f"{path.name}: {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
