"""Helpers for the neural-networks lesson: what the episodes are not about.

``import nn_helpers`` gives the public names imported below; each module holds one part:

- :mod:`nn_helpers.data`: MNIST with a fast local copy and an offline sample;
- :mod:`nn_helpers.perceptron`: the perceptron and learning rule of episode 1;
- :mod:`nn_helpers.plots`: colour-blind-safe plots, digit pictures;
- :mod:`nn_helpers.images`: reading a photo or drawing of a digit;
- :mod:`nn_helpers.drawing`: a pad to draw a digit on in the notebook.
"""

from .data import MNISTUnavailableError, load_mnist
from .drawing import DrawingPad
from .images import load_digit_image
from .perceptron import perceptron, train_perceptron, update
from .plots import (
    CLASS_STYLES,
    COLOURS,
    plot_activations,
    plot_curves,
    plot_digit,
    plot_digits,
    plot_folds,
    plot_probabilities,
    plot_steps,
    plot_truth_table,
)
