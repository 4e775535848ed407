"""The drawing pad in a real browser: JupyterLab runs episode 4 and we draw with the mouse.

JupyterLab is the ``lab`` fixture of ``conftest.py`` (a copy of the episode, the lesson's
settings); Chromium (pytest-playwright's ``page`` fixture) opens the notebook, runs every
cell and draws on the pad. Every wait has a limit.
"""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: Seconds to wait for the whole notebook to run.
RUN_ALL = 300

#: Milliseconds to wait for the kernel to answer a stroke on the pad.
ANSWER = 30_000


def run_every_cell(page, lab) -> None:
    """Open the episode in JupyterLab and run every cell; fail naming the errors if any."""
    url, token, name = lab
    page.set_default_timeout(60_000)
    page.goto(f"{url}/lab/tree/{name}?token={token}")
    page.wait_for_function(
        "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel"
    )
    ran = page.evaluate(
        """async (seconds) => {
            await window.jupyterapp.shell.currentWidget.sessionContext.ready;
            const limit = new Promise((resolve) => {
                setTimeout(() => resolve("timeout"), seconds * 1000);
            });
            const run = window.jupyterapp.commands.execute("notebook:run-all-cells");
            return String(await Promise.race([run, limit]));
        }""",
        RUN_ALL,
    )
    # JupyterLab answers true only if every cell ran without an error; nbval's run of the
    # notebook (pytest's notebooks/ part) shows any error's traceback.
    assert ran == "true", f"running every cell of {name} in JupyterLab gave {ran!r}"
    assert page.locator(".nn-drawing-pad canvas").count() == 1


def pad_parts(page):
    """The pad's canvas, message, preview picture and Clear button."""
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
    page.mouse.move(box["x"] + points[0][0] * scale, box["y"] + points[0][1] * scale)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=4)
    page.mouse.up()


#: Strokes in canvas pixels: a "1" from top to bottom, and a "0" as one closed oval.
ONE = [(150, 40), (140, 140), (135, 240)]
ZERO = [(140 + 60 * math.sin(step / 10), 140 - 95 * math.cos(step / 10)) for step in range(66)]


def clear(page) -> None:
    """Press Clear; the pad asks for a digit again and hides its preview."""
    _, message, preview, button = pad_parts(page)
    button.click()
    expect(message).to_have_text("Draw a digit in the box above.", timeout=ANSWER)
    expect(preview).to_be_hidden()


def test_digits_drawn_with_the_mouse_are_read_previewed_sent_once_and_cleared(page, lab):
    sent = []  # what the page sends to the server over its websockets
    page.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    page.set_viewport_size({"width": 1400, "height": 1000})
    run_every_cell(page, lab)
    canvas, message, preview, _ = pad_parts(page)
    clear(page)
    draw(page, canvas, ONE)
    expect(message).to_have_text(re.compile(r"^Most likely 1, probability"), timeout=ANSWER)
    expect(preview).to_be_visible()
    one = preview.get_attribute("src")
    assert one.startswith("data:image/png;base64,")
    assert preview.evaluate("image => image.naturalWidth") > 0
    clear(page)
    before = len(sent)
    draw(page, canvas, ZERO)  # 65 segments of 4 mouse moves each
    expect(message).to_have_text(re.compile(r"^Most likely 0, probability"), timeout=ANSWER)
    expect(preview).to_be_visible()
    assert preview.get_attribute("src") not in ("", one)
    # The pad sends the canvas to the kernel once per stroke, not once per mouse move.
    frames = [frame if isinstance(frame, bytes) else frame.encode() for frame in sent[before:]]
    assert len([frame for frame in frames if b'"drawing"' in frame]) == 1
    clear(page)
    darkest = canvas.evaluate(
        "canvas => canvas.getContext('2d').getImageData(0, 0, 280, 280).data.reduce("
        "(low, value) => Math.min(low, value), 255)"
    )
    assert darkest == 255  # Clear leaves every pixel white
