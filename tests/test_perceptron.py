"""The perceptron and learning rule: the helper's copies are the very cells of episode 1,
and they learn what the episodes say. (What the episodes print with them, such as the gates
chosen by hand and the learning rates compared, nbval checks against the saved outputs.)"""

from __future__ import annotations

import ast
import inspect
import json

import nn_helpers
import pytest
from project import NOTEBOOKS

TWO_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}


def episode_1_definitions() -> dict[str, str]:
    """The source of each function defined in a code cell of episode 1, by name."""
    notebook = json.loads((NOTEBOOKS / "01-perceptron.ipynb").read_text(encoding="utf-8"))
    found = {}
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.strip():
            for node in ast.parse(source).body:
                if isinstance(node, ast.FunctionDef):
                    found[node.name] = ast.get_source_segment(source, node)
    return found


@pytest.mark.parametrize(
    "function", [nn_helpers.perceptron, nn_helpers.update, nn_helpers.train_perceptron]
)
def test_helper_copy_is_the_cell_learners_type_in_episode_1(function):
    in_notebook = episode_1_definitions()
    assert function.__name__ in in_notebook, f"episode 1 does not define {function.__name__}"
    assert inspect.getsource(function).strip() == in_notebook[function.__name__].strip()


@pytest.mark.parametrize("gate", GATES)
def test_learning_rule_learns_every_linearly_separable_gate(gate):
    weights, threshold, mistakes = nn_helpers.train_perceptron(TWO_INPUTS, GATES[gate])
    learned = [nn_helpers.perceptron(row, weights, threshold) for row in TWO_INPUTS]
    assert learned == GATES[gate]
    assert mistakes[-1] == 0 and len(mistakes) == 20


def test_learning_rule_never_gets_xor_right_in_any_epoch():
    _, _, mistakes = nn_helpers.train_perceptron(TWO_INPUTS, [0, 1, 1, 0], epochs=50)
    assert min(mistakes) > 0
