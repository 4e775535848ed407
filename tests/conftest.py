"""Shared test set-up.

Notebooks and tests use the 5,000-digit MNIST sample unless MNIST_SOURCE is
already set, so the committed notebook outputs reproduce on any machine, and
a full-scale run stays possible (``MNIST_SOURCE=openml pytest``).

Plots in tests draw with matplotlib's Agg backend (no screen needed), and every
test's figures are closed afterwards.
"""

import os

import matplotlib
import pytest

os.environ.setdefault("MNIST_SOURCE", "sample")
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test drew, so they do not pile up in memory."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
