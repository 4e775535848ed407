"""Plot helpers draw what the episodes say: digits white on black, colours from the
colour-blind-safe palette, classes and lines told apart by shape too."""

from __future__ import annotations

import nn_helpers
import numpy as np
import pytest
from matplotlib.colors import to_hex
from sklearn.model_selection import KFold

OKABE_ITO = set(nn_helpers.COLOURS.values())


def digit(value: float = 255.0) -> np.ndarray:
    pixels = np.zeros(784)
    pixels[28 * 14 : 28 * 14 + 10] = value
    return pixels


@pytest.mark.parametrize("top", [255.0, 1.0])
def test_plot_digit_shows_ink_white_on_black_for_raw_and_scaled_pixels(top):
    ax = nn_helpers.plot_digit(digit(top), title="a stroke")
    image = ax.get_images()[0]
    assert image.get_cmap().name == "gray"
    assert image.get_clim() == (0, top)
    assert ax.get_title() == "a stroke"


def test_plot_digits_draws_one_titled_picture_per_row_and_blanks_the_rest():
    figure = nn_helpers.plot_digits(np.stack([digit()] * 3), titles=["a", "b", "c"], columns=2)
    axes = figure.axes
    assert len(axes) == 4
    assert [ax.get_title() for ax in axes[:3]] == ["a", "b", "c"]
    assert not axes[3].axison and not axes[3].get_images()


def test_plot_probabilities_marks_the_most_likely_class_by_colour_and_hatch():
    ax = nn_helpers.plot_probabilities([0.1, 0.7, 0.2], ["0", "1", "2"])
    bars = ax.patches
    assert bars[1].get_hatch() == "//" and not bars[0].get_hatch()
    assert to_hex(bars[1].get_facecolor()) != to_hex(bars[0].get_facecolor())
    assert ax.get_title() == "most likely 1" and ax.get_ylim() == (0, 1)


def test_plot_truth_table_tells_outputs_apart_by_colour_and_marker_and_draws_the_line():
    ax = nn_helpers.plot_truth_table(
        [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1], [0.5, 0.5], 0.5
    )
    labels = ax.get_legend_handles_labels()[1]
    assert {"output 0", "output 1", "decision line"} <= set(labels)
    points = ax.collections[-2:]
    assert {to_hex(p.get_facecolor()[0]) for p in points} <= {c.lower() for c in OKABE_ITO}
    assert len({path.vertices.tobytes() for p in points for path in p.get_paths()}) == 2


def test_plot_truth_table_stacks_labels_of_rows_that_land_on_one_point():
    ax = nn_helpers.plot_truth_table(
        [[0, 1], [1, 1], [1, 1]], [0, 1, 1], point_labels=["a", "b", "c"]
    )
    assert sorted(text.get_text() for text in ax.texts) == ["a", "b\nc"]


def test_plot_curves_gives_each_line_its_own_colour_and_marker():
    ax = nn_helpers.plot_curves({"a": [3, 2, 1], "b": [2, 2, 0]}, ylabel="loss", log_scale=False)
    lines = ax.get_lines()
    assert len({line.get_marker() for line in lines}) == 2
    assert len({line.get_color() for line in lines}) == 2
    assert ax.get_ylabel() == "loss"


def test_plot_activations_draws_one_panel_per_function_with_its_slope():
    z = np.linspace(-1, 1, 5)
    axes = nn_helpers.plot_activations({"ReLU": (np.maximum(z, 0), z > 0), "id": (z, z * 0 + 1)}, z)
    assert [ax.get_title() for ax in axes] == ["ReLU", "id"]
    assert all(len(ax.get_lines()) == 3 for ax in axes)  # function, slope, zero line


def test_plot_folds_hatches_test_items_and_leaves_unused_ones_white():
    splits = list(KFold(2).split(np.arange(4)))
    ax = nn_helpers.plot_folds(splits + [([0], [1])], item_labels="abcd")
    hatched = [patch for patch in ax.patches if patch.get_hatch()]
    assert len(hatched) == 2 + 2 + 1
    assert len(ax.patches) == 4 + 4 + 2
    assert [label.get_text() for label in ax.get_xticklabels()] == list("abcd")


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: nn_helpers.plot_digits(np.stack([digit()] * 2), titles=["one"]), "2 digits but 1"),
        (lambda: nn_helpers.plot_truth_table([[0, 0, 1]], [1]), "two inputs"),
        (lambda: nn_helpers.plot_curves(dict.fromkeys("abcdefghi", [1, 0]), "loss"), "at most"),
        (lambda: nn_helpers.plot_folds([([0, 1], [2, 3])], item_labels="ab"), "item_labels has 2"),
    ],
    ids=["titles", "truth-table-rows", "curves", "fold-labels"],
)
def test_plot_helpers_refuse_bad_input_and_say_why(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()
