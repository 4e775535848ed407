"""The tolerant comparison of tests/nbval_tolerance.py lets training noise through and
nothing else: changed text fails, a number too far off fails, and a crippled network in a
real episode fails the notebook checks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbval_tolerance import COUNT_TOLERANCE, SCORE_TOLERANCE, TAG, differences, skeleton
from project import NOTEBOOKS, ROOT

# -- the comparison of two texts -------------------------------------------------


def test_numbers_within_the_tolerance_pass():
    saved = "Test accuracy: 0.936\nMLP wrong: 70, CNN wrong: 24\n"
    new = "Test accuracy: 0.921\nMLP wrong: 75, CNN wrong: 20\n"
    assert differences(saved, new) == []


def test_a_score_further_off_than_the_tolerance_fails():
    problems = differences("Test accuracy: 0.936", "Test accuracy: 0.910")
    assert problems == ["number 1 is 0.910 where the saved output has 0.936: more than 0.02 apart"]


def test_a_count_further_off_than_the_tolerance_fails():
    saved = f"{50} of 500 test digits are misclassified"
    new = f"{50 + COUNT_TOLERANCE + 1} of 500 test digits are misclassified"
    assert len(differences(saved, new)) == 1


def test_a_score_exactly_at_the_tolerance_passes():
    assert differences("0.900", f"{0.900 + SCORE_TOLERANCE:.3f}") == []


def test_changed_words_fail_even_when_every_number_is_close():
    assert differences("Predicted: 3 (true 3)", "Predicted: 3 (true 3), unsure")


def test_a_changed_count_of_numbers_fails():
    assert differences("folds [0.9 0.8]", "folds [0.9 0.8 0.7]")


def test_wider_numbers_may_shift_the_columns_of_a_table():
    saved = "MLP (200,)        0.9021        159,010\nCNN               0.9664        117,066\n"
    new = "MLP (200,)        0.9021        159,010\nCNN                0.97        117,066\n"
    assert differences(saved, new) == []


def test_numpys_zero_with_a_bare_point_is_a_score_like_any_other():
    assert differences("[0.    0.998 0.001]", "[0.002 0.995 0.   ]") == []


def test_the_skeleton_keeps_names_with_digits_and_line_breaks():
    assert skeleton("pixel784: 4,500 digits\nConv2d  -0.25") == "pixel784:#digits\nConv2d#"


# -- the comparison inside nbval ------------------------------------------------


def notebook_printing(text: str, saved: str, tags: list[str]) -> nbformat.NotebookNode:
    """A one-cell notebook that prints ``text`` and was saved printing ``saved``."""
    cell = new_code_cell(
        f"print({text!r})",
        metadata={"tags": tags},
        execution_count=1,
        outputs=[new_output("stream", name="stdout", text=saved + "\n")],
    )
    notebook = new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return notebook


def run_nbval(path: Path) -> subprocess.CompletedProcess:
    """Run the lesson's notebook checks (nbval, the sanitizer, the tolerance) on one notebook."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", "pyproject.toml"]
        + ["-p", "tests.nbval_tolerance", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.mark.parametrize(
    ("tags", "saved", "passes"),
    [
        ([TAG], "accuracy 0.936", True),
        ([TAG], "accuracy 0.950", True),
        ([TAG], "accuracy 0.900", False),
        ([], "accuracy 0.937", False),
    ],
    ids=["same", "within", "beyond", "untagged-compared-exactly"],
)
def test_nbval_compares_only_tagged_cells_within_the_tolerance(tmp_path, tags, saved, passes):
    path = tmp_path / "one-cell.ipynb"
    nbformat.write(notebook_printing("accuracy 0.936", saved, tags), path)
    result = run_nbval(path)
    assert (result.returncode == 0) == passes, result.stdout[-2000:]


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
    result = run_nbval(path)
    assert result.returncode != 0, f"{case}: the crippled notebook passed"
    assert re.search(r"number \d+ is \S+ where the saved output has \S+", result.stdout), (
        f"{case}: no trained number fell outside the tolerance\n{result.stdout[-3000:]}"
    )
