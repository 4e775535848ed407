"""The perceptron and its learning rule, exactly as episode 1 writes them.

Episode 2 imports them from here; ``tests/test_perceptron.py`` checks that these
definitions are the very cells that learners type in ``01-perceptron.ipynb``.
"""

import numpy as np


def perceptron(inputs, weights, threshold):
    """Return 1 if the weighted sum of the inputs reaches the threshold, else 0."""
    weighted_sum = np.dot(inputs, weights)
    return 1 if weighted_sum >= threshold else 0


def update(weights, threshold, row, target, learning_rate):
    """One step of the learning rule: correct the weights and threshold after one row."""
    error = target - perceptron(row, weights, threshold)
    weights = weights + learning_rate * error * np.asarray(row)
    threshold = threshold - learning_rate * error
    return weights, threshold, error


def train_perceptron(inputs, targets, learning_rate=0.25, epochs=20):
    """Learn weights and a threshold with the perceptron learning rule."""
    weights, threshold = np.zeros(len(inputs[0])), 0.0
    mistakes_per_epoch = []
    for _ in range(epochs):
        mistakes = 0
        for row, target in zip(inputs, targets):
            weights, threshold, error = update(weights, threshold, row, target, learning_rate)
            mistakes += abs(error)
        mistakes_per_epoch.append(mistakes)
    return weights, threshold, mistakes_per_epoch
