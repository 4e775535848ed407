"""Tests for the episode 3 helper in nn_helpers (loss curves of multi-layer perceptrons)."""

import matplotlib.pyplot as plt
import nn_helpers
import numpy as np
import pytest
from matplotlib.colors import to_hex
from sklearn.neural_network import MLPClassifier


def test_plot_loss_curves_draws_one_line_per_curve_with_its_losses():
    curves = {"slow": [1.0, 0.8, 0.7], "fast": [1.0, 0.3]}
    ax = nn_helpers.plot_loss_curves(curves)
    drawn = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    assert drawn == curves


def test_plot_loss_curves_numbers_epochs_from_one():
    ax = nn_helpers.plot_loss_curves({"run": [0.9, 0.5, 0.4]})
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2, 3]


def test_plot_loss_curves_gives_each_line_its_own_colour_and_marker():
    curves = {f"run {k}": [1.0, 0.5] for k in range(4)}
    lines = nn_helpers.plot_loss_curves(curves).get_lines()
    assert len({to_hex(line.get_color()) for line in lines}) == 4
    assert len({line.get_marker() for line in lines}) == 4


def test_plot_loss_curves_takes_colours_and_markers_from_the_lesson_palette():
    line = nn_helpers.plot_loss_curves({"run": [1.0, 0.5]}).get_lines()[0]
    assert to_hex(line.get_color()) == to_hex(nn_helpers.LINE_COLOURS[0])
    assert line.get_marker() == nn_helpers.LINE_MARKERS[0]


def test_plot_loss_curves_draws_on_the_axes_it_is_given():
    _, ax = plt.subplots()
    assert nn_helpers.plot_loss_curves({"run": [1.0]}, ax=ax) is ax


def test_plot_loss_curves_shows_a_legend_with_every_label():
    ax = nn_helpers.plot_loss_curves({"a": [1.0], "b": [2.0]})
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["a", "b"]


def test_plot_loss_curves_can_use_a_log_scale():
    ax = nn_helpers.plot_loss_curves({"run": [1.0, 0.01]}, log_scale=True)
    assert ax.get_yscale() == "log"


def test_plot_loss_curves_accepts_a_fitted_mlp_loss_curve():
    rng = np.random.default_rng(0)
    inputs = rng.random((40, 4))
    targets = (inputs[:, 0] > 0.5).astype(int)
    mlp = MLPClassifier(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    with nn_helpers.print_warnings():
        mlp.fit(inputs, targets)
    line = nn_helpers.plot_loss_curves({"tiny": mlp.loss_curve_}).get_lines()[0]
    assert len(line.get_ydata()) == mlp.n_iter_


def test_plot_loss_curves_rejects_an_empty_dict():
    with pytest.raises(ValueError, match="non-empty dict"):
        nn_helpers.plot_loss_curves({})


def test_plot_loss_curves_rejects_a_bare_list_instead_of_a_dict():
    with pytest.raises(ValueError, match="dict"):
        nn_helpers.plot_loss_curves([1.0, 0.5])


def test_plot_loss_curves_rejects_more_curves_than_line_styles():
    too_many = {f"run {k}": [1.0] for k in range(len(nn_helpers.LINE_COLOURS) + 1)}
    with pytest.raises(ValueError, match="line styles"):
        nn_helpers.plot_loss_curves(too_many)


def test_plot_loss_curves_rejects_an_empty_curve():
    with pytest.raises(ValueError, match="'empty'.*one loss per epoch"):
        nn_helpers.plot_loss_curves({"empty": []})


def test_plot_loss_curves_rejects_a_curve_of_words():
    with pytest.raises(ValueError, match="list of numbers"):
        nn_helpers.plot_loss_curves({"words": ["high", "low"]})


def test_plot_loss_curves_rejects_a_table_instead_of_a_curve():
    with pytest.raises(ValueError, match="flat list"):
        nn_helpers.plot_loss_curves({"table": [[1.0, 0.5], [0.4, 0.3]]})


def test_plot_loss_curves_rejects_zero_loss_on_a_log_scale():
    with pytest.raises(ValueError, match="log_scale=False"):
        nn_helpers.plot_loss_curves({"run": [1.0, 0.0]}, log_scale=True)
