"""A pad to draw a digit on, read by a network as you draw (episode 4): an anywidget with
a plain HTML canvas (``drawing.js``), so no build step. After each stroke the browser
sends the canvas as a PNG, which :func:`prepare_digit` prepares like a file."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import anywidget
import traitlets
from matplotlib.figure import Figure

from .images import prepare_digit
from .plots import plot_digit, plot_probabilities

#: What the pad says while nothing is drawn on it.
EMPTY_MESSAGE = "Draw a digit in the box above."


class DrawingPad(anywidget.AnyWidget):
    """A canvas to draw one digit on; under it, the digit as the network gets it and its reading.

    Parameters
    ----------
    model : fitted classifier
        Anything with ``predict_proba`` and ``classes_``, trained on rows like ``X``.

    Attributes
    ----------
    digit : numpy.ndarray or None
        The drawing prepared like an MNIST digit, shape (1, 784); None while empty.

    Examples
    --------
    >>> pad = DrawingPad(model)  # doctest: +SKIP
    """

    _esm = Path(__file__).with_name("drawing.js")
    _css = Path(__file__).with_name("drawing.css")
    #: The canvas as a PNG data URL, sent after each stroke ("" once cleared).
    drawing = traitlets.Unicode("").tag(sync=True)
    #: The prepared digit and its probability bars, as a PNG data URL ("" while empty).
    preview = traitlets.Unicode("").tag(sync=True)
    #: What the pad says under the canvas: the reading, or a request to draw.
    message = traitlets.Unicode(EMPTY_MESSAGE).tag(sync=True)

    def __init__(self, model, **kwargs) -> None:
        if not hasattr(model, "classes_"):
            raise ValueError("the model is not trained yet; call model.fit(...) first")
        super().__init__(**kwargs)
        self.model, self.digit = model, None
        self.observe(self._read_drawing, names="drawing")

    def __repr__(self) -> str:
        # Describes the pad where it cannot run (a saved notebook, the website): no ids.
        return "DrawingPad: a pad to draw a digit on, with the network's reading under it"

    def _read_drawing(self, change: dict) -> None:
        """Prepare the new drawing, and show it with the network's probabilities."""
        try:
            raw = base64.b64decode(change["new"].partition(",")[2])
            self.digit = prepare_digit(raw, "the drawing") if raw else None
        except ValueError:  # the canvas holds no ink
            self.digit = None
        if self.digit is None:
            self.preview, self.message = "", EMPTY_MESSAGE
            return
        figure = Figure(figsize=(6, 2), layout="constrained")
        left, right = figure.subplots(1, 2, width_ratios=[1, 2.6])
        plot_digit(self.digit, ax=left, title="as the network gets it")
        probabilities = self.model.predict_proba(self.digit)[0]
        plot_probabilities(probabilities, self.model.classes_, ax=right)
        best = probabilities.argmax()
        self.message = (
            f"Most likely {self.model.classes_[best]}, probability {probabilities[best]:.2f}"
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80)
        self.preview = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
