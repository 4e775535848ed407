"""The tolerant comparison of tests/nbval_tolerance.py lets training noise through and
nothing else: changed text fails, a number too far off fails, and a crippled network in a
real episode fails the notebook checks."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from check_cpu_profiles import run_notebook_checks
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbval_tolerance import COUNT_TOLERANCE, SCORE_TOLERANCE, TAG, differences
from project import NOTEBOOKS

# -- the comparison of two texts -------------------------------------------------

#: (saved text, new text, passes): training noise passes, anything else fails.
CASES = {
    "scores and counts within the tolerance": (
        "Test accuracy: 0.936\nMLP wrong: 70, CNN wrong: 24\n",
        "Test accuracy: 0.921\nMLP wrong: 75, CNN wrong: 20\n",
        True,
    ),
    "a score exactly at the tolerance": ("0.900", f"{0.900 + SCORE_TOLERANCE:.3f}", True),
    "a score beyond the tolerance": ("Test accuracy: 0.936", "Test accuracy: 0.910", False),
    "a count beyond the tolerance": ("50 of 500", f"{50 + COUNT_TOLERANCE + 1} of 500", False),
    "changed words, close numbers": (
        "Predicted: 3 (true 3)",
        "Predicted: 3 (true 3), unsure",
        False,
    ),
    "one number more": ("folds [0.9 0.8]", "folds [0.9 0.8 0.7]", False),
    "a changed name with digits": ("pixel784: 12", "pixel783: 12", False),
    "a line break moved": ("scores 0.9\n0.8", "scores 0.9 0.8", False),
    "wider numbers shift a table's columns": (
        "MLP (200,)        0.9021        159,010\nCNN               0.9664        117,066\n",
        "MLP (200,)        0.9021        159,010\nCNN                0.97        117,066\n",
        True,
    ),
    "NumPy's zero with a bare point": ("[0.    0.998 0.001]", "[0.002 0.995 0.   ]", True),
}


@pytest.mark.parametrize("case", CASES)
def test_only_training_noise_passes_the_comparison(case):
    saved, new, passes = CASES[case]
    assert (differences(saved, new) == []) == passes


# -- the comparison inside nbval ------------------------------------------------


def test_nbval_compares_only_tagged_cells_within_the_tolerance(tmp_path):
    # Every cell prints "accuracy 0.936"; the notebook was saved with these outputs and tags.
    saved = {
        "same": ([TAG], "accuracy 0.936"),
        "within": ([TAG], "accuracy 0.950"),
        "beyond": ([TAG], "accuracy 0.900"),
        "untagged, compared exactly": ([], "accuracy 0.937"),
    }
    notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Py"}})
    for number, (tags, text) in enumerate(saved.values(), start=1):
        output = new_output("stream", name="stdout", text=text + "\n")
        notebook.cells.append(
            new_code_cell(
                "print('accuracy 0.936')",
                metadata={"tags": tags},
                execution_count=number,
                outputs=[output],
            )
        )
    nbformat.write(notebook, tmp_path / "cells.ipynb")
    result = run_notebook_checks(tmp_path / "cells.ipynb", capture_output=True, text=True)
    failed = {
        list(saved)[int(cell)]
        for cell in re.findall(r"^FAILED \S*::Cell (\d+)", result.stdout, re.M)
    }
    assert failed == {"beyond", "untagged, compared exactly"}, result.stdout[-2000:]


# -- crippled episodes must fail ---------------------------------------------------


def crippled_copy(name: str, old: str, new: str, folder: Path) -> Path:
    """Copy an episode, replacing the regular expression ``old`` by ``new`` in its code."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    changed = 0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source, count = re.subn(old, new, cell.source)
            changed += count
    assert changed, f"{name} has no code matching {old!r}: update this test"
    path = folder / name
    nbformat.write(notebook, path)
    return path


CRIPPLED = {
    "03, hidden layer of 3 instead of 50": (
        "03-mlp-mnist.ipynb",
        r"hidden_layer_sizes=\(50,\), max_iter=50, verbose=True",
        "hidden_layer_sizes=(3,), max_iter=50, verbose=True",
    ),
    "03, pixels not scaled by 255": (
        "03-mlp-mnist.ipynb",
        r" / np\.float32\(255\)",
        ".astype(np.float32)",
    ),
    "07, one epoch of training": ("07-deep-learning.ipynb", r"max_epochs=\d+", "max_epochs=1"),
}


@pytest.mark.parametrize("case", CRIPPLED, ids=list(CRIPPLED))
def test_a_crippled_network_fails_the_notebook_checks_beyond_the_tolerance(tmp_path, case):
    path = crippled_copy(*CRIPPLED[case], folder=tmp_path)
    result = run_notebook_checks(path, capture_output=True, text=True, timeout=900)
    assert result.returncode != 0, f"{case}: the crippled notebook passed"
    assert re.search(r"number \d+ is \S+ where the saved output has \S+", result.stdout), (
        f"{case}: no trained number fell outside the tolerance\n{result.stdout[-3000:]}"
    )
