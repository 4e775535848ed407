"""Episode 3's recipe in tools/recipe.py is the very code of the notebooks' cells.

The statements of ``split_and_scale`` and ``final_model`` must appear, in order, in the code
cells of episodes 3, 4 and 5, between loading the data and fitting the network; episode 7's
yardstick must be the same network. Statements are compared as parsed by ``ast``, so line
breaks and spacing do not matter.
"""

from __future__ import annotations

import ast
import inspect
import json

import pytest
import recipe
from IPython.core.inputtransformer2 import TransformerManager
from project import NOTEBOOKS
from sklearn.neural_network import MLPClassifier

#: What the notebooks do before and after the recipe's two functions.
LOAD = "data, labels = nn_helpers.load_mnist()"
FIT = "model.fit(X_train, y_train)"


def statements(source: str) -> list[ast.stmt]:
    """The top-level statements of ``source``."""
    return ast.parse(source).body


def body(function) -> list[ast.stmt]:
    """The statements of a function of tools/recipe.py, without docstring and return."""
    (definition,) = statements(inspect.getsource(function))
    return [
        node
        for node in definition.body
        if not isinstance(node, ast.Return)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]


def notebook_statements(name: str) -> list[ast.stmt]:
    """Every top-level statement of a notebook's code cells, in order.

    IPython turns magics such as ``%%time`` into the Python they run, as Jupyter does.
    """
    notebook = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            found += statements(TransformerManager().transform_cell("".join(cell["source"])))
    return found


def missing_in_order(wanted: list[ast.stmt], found: list[ast.stmt]) -> list[str]:
    """The statements of ``wanted`` that do not follow each other, in order, in ``found``
    (from the first one out of place on). Statements are compared as ``ast.dump`` shows them,
    so formatting does not matter; ``in`` on an iterator moves it past what it finds."""
    remaining = iter([ast.dump(node) for node in found])
    return [ast.unparse(node) for node in wanted if ast.dump(node) not in remaining]


RECIPE = (
    statements(LOAD) + body(recipe.split_and_scale) + body(recipe.final_model) + statements(FIT)
)


@pytest.mark.parametrize(
    "name", ["03-mlp-mnist.ipynb", "04-prediction.ipynb", "05-confusion-matrix.ipynb"]
)
def test_episodes_3_to_5_run_the_recipe_statement_by_statement(name):
    missing = missing_in_order(RECIPE, notebook_statements(name))
    assert not missing, f"{name} lacks, or runs out of order: {missing}"


def test_episode_7_measures_the_final_network_of_episode_3():
    (call,) = [
        node.value
        for node in notebook_statements("07-deep-learning.ipynb")
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "model"
    ]
    assert ast.unparse(call.func) == "MLPClassifier" and not call.args, "settings by name"
    settings = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    assert MLPClassifier(**settings).get_params() == recipe.final_model().get_params()
