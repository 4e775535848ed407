"""The drawing pad in a real browser: JupyterLab runs episode 4 and we draw with the mouse.

A copy of the episode and the data goes into a temporary folder (no tracked
file changes), a JupyterLab server starts there on a free localhost port with a
token and no update checks or news, and Debian's Chromium (the ``browser``
fixture) opens the notebook, runs every cell and draws on the pad. Every wait
has a limit, and the server is always stopped.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from project import DATA, NOTEBOOKS

pytestmark = pytest.mark.browser

EPISODE = "04-prediction.ipynb"

#: Seconds to wait for the server to start, and for the whole notebook to run.
SERVER_START, RUN_ALL = 90, 300

#: Milliseconds to wait for the kernel to answer a stroke on the pad.
ANSWER = 30_000

#: Settings for the test's own JupyterLab: no news or update checks, no pop-ups,
#: and every cell kept in the page so the pad can be found and drawn on.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
        "doNotDisturbMode": True,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    """Return once the server answers at ``url``; fail with its log if it does not."""
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab stopped at start:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of episode 4 and the data; yields its URL and token."""
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / EPISODE, root / "notebooks" / EPISODE)
    shutil.copytree(DATA, root / "data")
    settings = root / "jupyter" / "settings"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    environment = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(root / "jupyter" / "config"),
        JUPYTER_DATA_DIR=str(root / "jupyter" / "data"),
        JUPYTER_RUNTIME_DIR=str(root / "jupyter" / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(root / "jupyter" / "workspaces"),
    )
    port, token = free_port(), secrets.token_hex(16)
    log = root / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
        "--allow-root",  # CI containers often run as root
        "--LabApp.expose_app_in_browser=True",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=root, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{url}/api/status?token={token}", server, log)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


@pytest.fixture(scope="module")
def episode(lab, browser):
    """The episode open in Chromium with every cell run; yields the page and sent frames."""
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sent = []  # what the page sends to the server over its websockets

    def record(frame):
        sent.append(frame)

    page.on("websocket", lambda socket: socket.on("framesent", record))
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{url}/lab/tree/notebooks/{EPISODE}?token={token}")
        page.wait_for_function(
            "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel",
            timeout=60_000,
        )
        ran = page.evaluate(
            """async (seconds) => {
                const panel = window.jupyterapp.shell.currentWidget;
                await panel.sessionContext.ready;
                const limit = new Promise((resolve) => {
                    setTimeout(() => resolve("timeout"), seconds * 1000);
                });
                const run = window.jupyterapp.commands.execute("notebook:run-all-cells");
                return String(await Promise.race([run, limit]));
            }""",
            RUN_ALL,
        )
        assert ran == "true", f"running every cell of {EPISODE} gave {ran!r}: {errors_in(page)}"
        yield page, sent
    finally:
        page.close()


def errors_in(page) -> list[str]:
    """The errors shown by the notebook's cells, as "name: message"."""
    return page.evaluate(
        """() => {
            const errors = [];
            for (const cell of window.jupyterapp.shell.currentWidget.content.model.cells) {
                for (const output of cell.type === "code" ? cell.outputs.toJSON() : []) {
                    if (output.output_type === "error") {
                        errors.push(`${output.ename}: ${output.evalue}`);
                    }
                }
            }
            return errors;
        }"""
    )


def pad_parts(page):
    pad = page.locator(".nn-drawing-pad")
    return (
        pad.locator("canvas"),
        pad.locator(".nn-drawing-message"),
        pad.locator("img.nn-drawing-preview"),
        pad.get_by_role("button", name="Clear"),
    )


def draw(page, canvas, points) -> None:
    """Draw one stroke through ``points`` (canvas pixels, 0-280) with the mouse."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    scale = box["width"] / 280

    def at(x, y):
        return box["x"] + x * scale, box["y"] + y * scale

    page.mouse.move(*at(*points[0]))
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*at(*point), steps=4)
    page.mouse.up()


#: Strokes in canvas pixels: a "1" from top to bottom, and a "0" as one closed oval.
ONE = [(150, 40), (140, 140), (135, 240)]
ZERO = [(140 + 60 * math.sin(step / 10), 140 - 95 * math.cos(step / 10)) for step in range(66)]


def clear(page):
    from playwright.sync_api import expect

    canvas, message, preview, button = pad_parts(page)
    button.click()
    expect(message).to_have_text(re.compile("draw a digit", re.IGNORECASE), timeout=ANSWER)
    expect(preview).to_be_hidden()


def test_the_episode_runs_in_jupyterlab_without_errors(episode):
    page, _ = episode
    assert errors_in(page) == []
    assert page.locator(".nn-drawing-pad canvas").count() == 1


def test_an_empty_pad_asks_for_a_digit_instead_of_predicting(episode):
    from playwright.sync_api import expect

    page, _ = episode
    clear(page)
    canvas, message, preview, _ = pad_parts(page)
    expect(message).to_have_text("Draw a digit in the box above.")
    expect(preview).to_be_hidden()


def test_a_one_and_a_zero_drawn_with_the_mouse_are_read_and_previewed(episode):
    from playwright.sync_api import expect

    page, _ = episode
    clear(page)
    canvas, message, preview, _ = pad_parts(page)
    draw(page, canvas, ONE)
    expect(message).to_have_text(re.compile(r"^Most likely 1, probability"), timeout=ANSWER)
    expect(preview).to_be_visible()
    one = preview.get_attribute("src")
    assert one.startswith("data:image/png;base64,")
    assert preview.evaluate("image => image.naturalWidth") > 0
    clear(page)
    draw(page, canvas, ZERO)
    expect(message).to_have_text(re.compile(r"^Most likely 0, probability"), timeout=ANSWER)
    expect(preview).to_be_visible()
    assert preview.get_attribute("src") not in ("", one)


def test_clear_wipes_the_canvas_and_asks_for_a_digit_again(episode):
    from playwright.sync_api import expect

    page, _ = episode
    canvas, message, preview, _ = pad_parts(page)
    draw(page, canvas, ONE)
    expect(message).to_have_text(re.compile("^Most likely"), timeout=ANSWER)
    clear(page)
    darkest = canvas.evaluate(
        "canvas => canvas.getContext('2d').getImageData(0, 0, 280, 280).data.reduce("
        "(low, value) => Math.min(low, value), 255)"
    )
    assert darkest == 255  # every pixel white again
    expect(message).to_have_text("Draw a digit in the box above.")


def test_the_pad_sends_the_canvas_once_per_stroke_not_per_mouse_move(episode):
    from playwright.sync_api import expect

    page, sent = episode
    clear(page)
    canvas, message, _, _ = pad_parts(page)
    before = len(sent)
    draw(page, canvas, ZERO)  # 65 segments of 4 mouse moves each
    expect(message).to_have_text(re.compile("^Most likely"), timeout=ANSWER)
    with_drawing = [
        frame
        for frame in sent[before:]
        if b'"drawing"' in (frame if isinstance(frame, bytes) else frame.encode())
    ]
    assert len(with_drawing) == 1
