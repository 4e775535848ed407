"""A pad to draw a digit on in the notebook, read by a network as you draw (episode 4).

The pad is an anywidget (a plain HTML canvas, see ``drawing.js``), so it works
in JupyterLab, Jupyter Notebook 7 and VS Code without building anything. After
each stroke the browser sends the whole canvas as a PNG, which goes through
:func:`nn_helpers.images.prepare_digit` like any picture file.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from matplotlib.figure import Figure

from .images import prepare_digit
from .plots import plot_digit, plot_probabilities

#: What the pad says while nothing is drawn on it.
EMPTY_MESSAGE = "Draw a digit in the box above."


class DrawingPad(anywidget.AnyWidget):
    """A canvas to draw one digit on, with the network's reading shown under it.

    Draw with a mouse, a finger or a pen; after each stroke the pad shows the
    28 x 28 digit as the network gets it and the probability of each class.

    Parameters
    ----------
    model : fitted classifier, optional
        Anything with ``predict_proba`` and ``classes_``, trained on rows like
        ``X`` (784 values from 0 to 1). Without one, the pad only prepares digits.

    Attributes
    ----------
    digit : numpy.ndarray or None
        The drawing prepared like an MNIST digit, shape (1, 784), or None
        while the pad is empty.

    Examples
    --------
    >>> pad = DrawingPad(model)  # doctest: +SKIP
    >>> pad  # shows the pad; draw, then use pad.digit  # doctest: +SKIP
    """

    _esm = Path(__file__).with_name("drawing.js")
    _css = Path(__file__).with_name("drawing.css")
    #: The canvas as a PNG data URL, sent by the browser after each stroke ("" when cleared).
    drawing = traitlets.Unicode("").tag(sync=True)
    #: The 28 x 28 digit and the probabilities, as a PNG data URL for the browser.
    preview = traitlets.Unicode("").tag(sync=True)
    message = traitlets.Unicode(EMPTY_MESSAGE).tag(sync=True)

    def __init__(self, model=None, **kwargs) -> None:
        if model is not None and not hasattr(model, "classes_"):
            raise ValueError("the model is not trained yet; call model.fit(...) first")
        super().__init__(**kwargs)
        self.model = model
        self.digit: np.ndarray | None = None
        self.observe(self._read_drawing, names="drawing")

    def __repr__(self) -> str:
        # What a saved notebook shows where the pad was: no ids, the same every run.
        return (
            "DrawingPad: a canvas to draw a digit on, with the network's reading under it. "
            "It works while the notebook runs in JupyterLab, Jupyter Notebook 7 or VS Code."
        )

    def _read_drawing(self, change: dict) -> None:
        """Prepare the new drawing, predict its class and show both under the pad."""
        self.digit = None
        if change["new"]:
            raw = base64.b64decode(change["new"].partition(",")[2])
            try:
                self.digit = prepare_digit(raw, "the drawing")
            except ValueError:  # nothing drawn on the canvas
                pass
        if self.digit is None:
            self.preview, self.message = "", EMPTY_MESSAGE
            return
        figure = Figure(figsize=(6, 2), layout="constrained")
        left, right = figure.subplots(1, 2, width_ratios=[1, 2.6])
        plot_digit(self.digit, ax=left, title="as the network gets it")
        self.message = "Drawing prepared (no model to read it)."
        if self.model is not None:
            probabilities = self.model.predict_proba(self.digit)[0]
            best = int(probabilities.argmax())
            plot_probabilities(probabilities, self.model.classes_, ax=right)
            self.message = (
                f"Most likely {self.model.classes_[best]} (probability {probabilities[best]:.2f})"
            )
        else:
            right.set_axis_off()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80)
        self.preview = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
