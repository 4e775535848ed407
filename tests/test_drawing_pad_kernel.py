"""The drawing pad's Python side: what it does with a drawing the browser sends.

The browser sends the canvas as a PNG data URL in ``pad.drawing`` after each
stroke; these tests set that trait directly. ``tests/test_drawing_pad.py``
drives the real pad in Chromium, and checks what the pad shows for a drawing
(the most likely digit, the preview) and after Clear. Where no kernel runs, the
pad's description stands in for it: nbval compares the saved one with a fresh
run's, and tests/test_site.py finds it on the episode's page.
"""

from __future__ import annotations

import base64

import cv2
import nn_helpers
import numpy as np
import pytest
from nn_helpers.drawing import EMPTY_MESSAGE
from sklearn.neural_network import MLPClassifier


def data_url(canvas: np.ndarray) -> str:
    """The canvas as the browser sends it: a PNG data URL."""
    ok, encoded = cv2.imencode(".png", canvas)
    assert ok
    return "data:image/png;base64," + base64.b64encode(encoded.tobytes()).decode()


def drawn_one() -> np.ndarray:
    """A 280 x 280 white canvas with a "1" in the pad's black 28-pixel brush."""
    canvas = np.full((280, 280), 255, np.uint8)
    cv2.line(canvas, (140, 40), (140, 240), 0, 28)
    return canvas


class FixedModel:
    """A stand-in classifier: always the same probabilities, and records what it was given."""

    classes_ = np.array(list("0123456789"))

    def __init__(self):
        self.probabilities = np.full(10, 0.02)
        self.probabilities[1] = 0.82
        self.seen = []

    def predict_proba(self, rows):
        self.seen.append(rows)
        return self.probabilities[None, :]


def test_a_drawing_is_prepared_exactly_like_the_same_picture_in_a_file(tmp_path):
    canvas = drawn_one()
    path = tmp_path / "one.png"
    path.write_bytes(cv2.imencode(".png", canvas)[1].tobytes())
    model = FixedModel()
    pad = nn_helpers.DrawingPad(model)
    pad.drawing = data_url(canvas)
    np.testing.assert_array_equal(pad.digit, nn_helpers.load_digit_image(path))
    np.testing.assert_array_equal(model.seen[-1], pad.digit)


def test_a_canvas_without_ink_asks_for_a_digit_instead_of_predicting():
    model = FixedModel()
    pad = nn_helpers.DrawingPad(model)
    pad.drawing = data_url(np.full((280, 280), 255, np.uint8))
    assert pad.message == EMPTY_MESSAGE
    assert model.seen == []


def test_a_pad_refuses_a_model_that_is_not_trained():
    with pytest.raises(ValueError, match="not trained yet"):
        nn_helpers.DrawingPad(MLPClassifier())
