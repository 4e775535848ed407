"""Shared test set-up.

Notebooks and tests use the 5,000-digit MNIST sample unless MNIST_SOURCE is
already set, so the committed notebook outputs reproduce on any machine, and
a full-scale run stays possible (``MNIST_SOURCE=openml pytest``).

Plots in tests draw with matplotlib's Agg backend (no screen needed), and every
test's figures are closed afterwards.

Browser tests (marker ``browser``) use pytest-playwright's ``browser`` and ``page``
fixtures, launched here on Debian's Chromium. Where Chromium is missing they are
skipped with a reason, unless ``NN_LESSON_BROWSER_TESTS=required`` (as ``.ci/run`` sets it),
which makes a missing Chromium a failure.
"""

import os
import shutil

import matplotlib
import pytest

os.environ.setdefault("MNIST_SOURCE", "sample")
matplotlib.use("Agg")

#: Chromium's switches for a closed network: no background connections, no sandbox
#: (the tests may run as root), and software rendering.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test drew, so they do not pile up in memory."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (or the one ``CHROMIUM`` names)."""
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if path is None:
        message = "Chromium is not installed (Debian/Ubuntu: apt-get install chromium)"
        if os.environ.get("NN_LESSON_BROWSER_TESTS") == "required":
            pytest.fail(message + "; NN_LESSON_BROWSER_TESTS=required")
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}
