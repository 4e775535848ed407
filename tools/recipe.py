"""Episode 3's final network and how its data are prepared, for the tools that reuse them.

Episodes 3, 4 and 5 type these very lines in their cells, and episode 7 builds the same
network (``tests/test_recipe.py`` keeps them identical), so the benchmark and the
handwriting evaluation measure the network that learners train.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier


def split_and_scale(data, labels):
    """Hold back a stratified tenth of the digits for testing, and scale pixels to 0–1.

    Returns ``X_train, X_test, y_train, y_test`` as the notebooks name them.
    """
    X = data.to_numpy()
    y = labels
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.1, stratify=y, random_state=1
    )
    X_train = X_train / np.float32(255)
    X_test = X_test / np.float32(255)
    return X_train, X_test, y_train, y_test


def final_model() -> MLPClassifier:
    """Episode 3's final network, untrained: 200 hidden units, early stopping."""
    model = MLPClassifier(
        hidden_layer_sizes=(200,), max_iter=30, early_stopping=True, random_state=1
    )
    return model
