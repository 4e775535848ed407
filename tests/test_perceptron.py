"""Tests for the perceptron helpers of episodes 1 and 2."""

from fractions import Fraction

import matplotlib.pyplot as plt
import nn_helpers
import numpy as np
import pytest
from nn_helpers import perceptron, plot_truth_table, train_perceptron

TWO_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND = [0, 0, 0, 1]
OR = [0, 1, 1, 1]
XOR = [0, 1, 1, 0]


def outputs(weights, threshold, rows=TWO_INPUTS):
    return [perceptron(row, weights, threshold) for row in rows]


# -- perceptron ---------------------------------------------------------------


def test_perceptron_fires_when_the_weighted_sum_reaches_the_threshold():
    assert perceptron([1, 1], [0.5, 0.5], 1.0) == 1


def test_perceptron_stays_off_when_the_weighted_sum_is_below_the_threshold():
    assert perceptron([1, 0], [0.5, 0.5], 1.0) == 0


def test_perceptron_computes_or_and_and_with_the_lesson_weights():
    assert outputs([0.5, 0.5], 0.5) == OR
    assert outputs([0.5, 0.5], 1.0) == AND


def test_perceptron_computes_not_with_a_bias_input_fixed_at_one():
    assert outputs([-1.0, 0.5], 0.0, rows=[[0, 1], [1, 1]]) == [1, 0]


def test_perceptron_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="one weight per input"):
        perceptron([1, 0, 1], [0.5, 0.5], 1.0)


def test_perceptron_rejects_inputs_that_are_not_numbers():
    with pytest.raises(ValueError, match="list of numbers"):
        perceptron(["a", "b"], [0.5, 0.5], 1.0)


# -- train_perceptron -----------------------------------------------------------


@pytest.mark.parametrize("name, targets", [("AND", AND), ("OR", OR)])
def test_train_perceptron_learns_a_linearly_separable_function(name, targets):
    weights, threshold, errors = train_perceptron(TWO_INPUTS, targets)
    assert errors[-1] == 0, f"{name} still has errors in the last epoch"
    assert outputs(weights, threshold) == targets


def test_train_perceptron_never_reaches_zero_errors_on_xor():
    _, _, errors = train_perceptron(TWO_INPUTS, XOR, epochs=100)
    assert min(errors) > 0


def test_train_perceptron_returns_one_error_count_per_epoch():
    _, _, errors = train_perceptron(TWO_INPUTS, AND, epochs=7)
    assert len(errors) == 7
    assert all(isinstance(count, int) for count in errors)


def test_train_perceptron_returns_one_weight_per_input_and_a_float_threshold():
    weights, threshold, _ = train_perceptron([[0, 0, 1], [1, 1, 0]], [0, 1])
    assert weights.shape == (3,)
    assert isinstance(threshold, float)


def test_train_perceptron_gives_the_same_answer_every_time():
    first = train_perceptron(TWO_INPUTS, OR)
    second = train_perceptron(TWO_INPUTS, OR)
    np.testing.assert_array_equal(first[0], second[0])
    assert first[1:] == second[1:]


def test_train_perceptron_first_step_follows_the_learning_rule():
    # From zero weights and threshold, [0, 0] gives a sum of 0 >= 0, so the
    # perceptron fires; the target is 0, so the threshold rises by the rate.
    weights, threshold, errors = train_perceptron([[0, 0]], [0], learning_rate=0.25, epochs=1)
    np.testing.assert_array_equal(weights, [0.0, 0.0])
    assert threshold == 0.25
    assert errors == [1]


def exact_training(rows, targets, learning_rate, epochs):
    """The learning rule in exact fractions: the numbers you would get on paper."""
    rate = Fraction(learning_rate)
    weights, threshold, errors = [Fraction(0)] * len(rows[0]), Fraction(0), []
    for _ in range(epochs):
        mistakes = 0
        for row, target in zip(rows, targets, strict=True):
            total = sum(Fraction(x) * w for x, w in zip(row, weights, strict=True))
            error = target - (1 if total >= threshold else 0)
            if error:
                mistakes += 1
                weights = [
                    w + rate * error * Fraction(x) for w, x in zip(weights, row, strict=True)
                ]
                threshold -= rate * error
        errors.append(mistakes)
    return weights, threshold, errors


@pytest.mark.parametrize("rate", ["0.1", "0.3"])
def test_train_perceptron_does_the_arithmetic_you_would_do_on_paper(rate):
    # In floating point 0.3 + 0.6 is 0.8999999999999999, so without care a sum that
    # equals the threshold on paper would fall short of it and the run would differ.
    weights, threshold, errors = train_perceptron(TWO_INPUTS, AND, float(rate), epochs=20)
    exact_weights, exact_threshold, exact_errors = exact_training(TWO_INPUTS, AND, rate, 20)
    assert errors == exact_errors
    np.testing.assert_allclose(weights, [float(w) for w in exact_weights])
    assert threshold == pytest.approx(float(exact_threshold))


def test_train_perceptron_learns_not_with_a_single_input():
    weights, threshold, errors = train_perceptron([[0], [1]], [1, 0])
    assert errors[-1] == 0
    assert outputs(weights, threshold, rows=[[0], [1]]) == [1, 0]


def test_train_perceptron_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="one target per row"):
        train_perceptron(TWO_INPUTS, [0, 1, 1])


def test_train_perceptron_rejects_non_binary_targets():
    with pytest.raises(ValueError, match="0 or 1"):
        train_perceptron(TWO_INPUTS, [0, 1, 2, 1])


def test_train_perceptron_rejects_zero_epochs():
    with pytest.raises(ValueError, match="epochs"):
        train_perceptron(TWO_INPUTS, AND, epochs=0)


def test_train_perceptron_rejects_a_fractional_number_of_epochs():
    with pytest.raises(ValueError, match="epochs"):
        train_perceptron(TWO_INPUTS, AND, epochs=2.5)


def test_train_perceptron_rejects_empty_inputs():
    with pytest.raises(ValueError, match="non-empty"):
        train_perceptron([], [])


def test_train_perceptron_rejects_rows_of_different_lengths():
    with pytest.raises(ValueError, match="rows of numbers"):
        train_perceptron([[0, 0], [1]], [0, 1])


@pytest.mark.parametrize("rate", [0, -0.1, float("nan"), "fast"])
def test_train_perceptron_rejects_a_learning_rate_that_is_not_positive(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        train_perceptron(TWO_INPUTS, AND, learning_rate=rate)


# -- plot_truth_table -------------------------------------------------------------


def test_plot_truth_table_returns_the_axes_it_drew_on():
    _, ax = plt.subplots()
    assert plot_truth_table(TWO_INPUTS, OR, ax=ax) is ax


def test_plot_truth_table_marks_each_class_with_its_own_colour_and_shape():
    ax = plot_truth_table(TWO_INPUTS, AND)
    labels = [collection.get_label() for collection in ax.collections]
    assert labels == [nn_helpers.CLASS_STYLES[0]["label"], nn_helpers.CLASS_STYLES[1]["label"]]
    colours = [tuple(collection.get_facecolor()[0]) for collection in ax.collections]
    assert colours[0] != colours[1]
    shapes = [collection.get_paths()[0].vertices.shape for collection in ax.collections]
    assert shapes[0] != shapes[1]


def test_plot_truth_table_draws_the_decision_line_through_the_threshold():
    ax = plot_truth_table(TWO_INPUTS, OR, weights=[0.5, 0.5], threshold=0.5)
    (line,) = [line for line in ax.get_lines() if line.get_label() == "decision line"]
    x, y = line.get_data()
    np.testing.assert_allclose(0.5 * x + 0.5 * y, 0.5)


def test_plot_truth_table_draws_a_vertical_line_when_input_2_has_no_weight():
    ax = plot_truth_table(TWO_INPUTS, [0, 0, 1, 1], weights=[1.0, 0.0], threshold=0.5)
    (line,) = [line for line in ax.get_lines() if line.get_label() == "decision line"]
    np.testing.assert_allclose(line.get_xdata(), 0.5)


def test_plot_truth_table_rejects_rows_without_two_inputs():
    with pytest.raises(ValueError, match="2 inputs"):
        plot_truth_table([[0], [1]], [1, 0])


def test_plot_truth_table_rejects_weights_without_a_threshold():
    with pytest.raises(ValueError, match="both weights and threshold"):
        plot_truth_table(TWO_INPUTS, OR, weights=[1, 1])


def test_plot_truth_table_rejects_the_wrong_number_of_weights():
    with pytest.raises(ValueError, match="one weight per input"):
        plot_truth_table(TWO_INPUTS, OR, weights=[1, 1, 1], threshold=0.5)


def test_plot_truth_table_rejects_outputs_that_do_not_match_the_rows():
    with pytest.raises(ValueError, match="outputs has 2 values"):
        plot_truth_table(TWO_INPUTS, [0, 1])
