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

The fixture ``lab`` is one JupyterLab server for the whole run, started as
``tools/lesson.py lab`` starts it, on a copy of episode 4 and the data.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import lesson
import matplotlib
import pytest
from project import DATA, NOTEBOOKS

os.environ.setdefault("MNIST_SOURCE", "sample")
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test drew, so they do not pile up in memory."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium.

    Playwright's own switches keep it headless, unsandboxed (the tests may run as root)
    and off the network in the background (no updates, no sync).
    """
    path = shutil.which("chromium")
    if path is None:
        message = "Chromium is not installed (Debian/Ubuntu: apt-get install chromium)"
        if os.environ.get("NN_LESSON_BROWSER_TESTS") == "required":
            pytest.fail(message + "; NN_LESSON_BROWSER_TESTS=required")
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": path}


#: The episode that the lab fixture serves, and seconds to wait for the server to start.
LAB_EPISODE, LAB_START = "04-prediction.ipynb", 90

#: Where JupyterLab looks for a user's own configuration: kept in the test's folder.
JUPYTER_DIRS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR")
LAB_DIRS = ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")


def server_info(runtime: Path, server: subprocess.Popen, log: Path) -> dict:
    """The address and token the server writes once it listens; fail with its log if not."""
    from jupyter_server.serverapp import list_running_servers  # slow: only when JupyterLab runs

    deadline = time.monotonic() + LAB_START
    while time.monotonic() < deadline and server.poll() is None:
        if info := next(list_running_servers(str(runtime)), None):
            return info
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not start within {LAB_START} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab as ``tools/lesson.py lab`` opens it, with the environment's settings
    (``binder/overrides.json``, which set-up copies there), on a free localhost port.

    It serves a copy of episode 4 and the data (no tracked file changes), with its own empty
    user configuration. Yields its address, token and the episode's name; the server is
    always stopped.
    """
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / LAB_EPISODE, root / "notebooks" / LAB_EPISODE)
    shutil.copytree(DATA, root / "data")
    environment = {name: str(root / "jupyter" / name.lower()) for name in JUPYTER_DIRS + LAB_DIRS}
    options = [
        *("--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1"),  # CI runs as root
        "--ServerApp.port=0",  # a free port
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run cells and read errors
    ]
    log = root / "jupyterlab.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(part) for part in lesson.lab_command(sys.executable, *options)],
            cwd=root,
            env=os.environ | environment,
            stdout=output,
            stderr=output,
        )
    try:
        info = server_info(Path(environment["JUPYTER_RUNTIME_DIR"]), server, log)
        yield info["url"].rstrip("/"), info["token"], LAB_EPISODE
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
