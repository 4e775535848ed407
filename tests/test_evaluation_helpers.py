"""Tests for the episode 5-6 helpers in nn_helpers (cross-validation pictures)."""

import matplotlib.pyplot as plt
import nn_helpers
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from sklearn.model_selection import KFold


def cells(ax):
    """The coloured cells plot_folds drew, as (column, row, colour, hatch)."""
    return [
        (int(patch.get_x()), int(patch.get_y()), to_hex(patch.get_facecolor()), patch.get_hatch())
        for patch in ax.patches
        if isinstance(patch, Rectangle)
    ]


def four_folds_of_eight():
    return list(KFold(4).split(np.arange(8)))


def test_plot_folds_draws_one_cell_per_item_and_fold():
    ax = nn_helpers.plot_folds(four_folds_of_eight())
    drawn = {(column, row) for column, row, _, _ in cells(ax)}
    assert drawn == {(column, row) for column in range(8) for row in range(4)}


def test_plot_folds_marks_test_items_by_colour_and_hatch():
    splits = four_folds_of_eight()
    ax = nn_helpers.plot_folds(splits)
    test_style = nn_helpers.FOLD_STYLES["test"]
    marked = {
        (column, row)
        for column, row, colour, hatch in cells(ax)
        if colour == to_hex(test_style["facecolor"]) and hatch == test_style["hatch"]
    }
    expected = {(int(item), row) for row, (_, test) in enumerate(splits) for item in test}
    assert marked == expected


def test_plot_folds_training_style_differs_without_colour():
    train_style, test_style = nn_helpers.FOLD_STYLES["train"], nn_helpers.FOLD_STYLES["test"]
    assert train_style["hatch"] != test_style["hatch"]
    assert train_style["facecolor"] != test_style["facecolor"]


def test_plot_folds_names_columns_with_item_labels():
    ax = nn_helpers.plot_folds(four_folds_of_eight(), item_labels=range(1, 9))
    assert [tick.get_text() for tick in ax.get_xticklabels()] == [str(n) for n in range(1, 9)]


def test_plot_folds_names_one_row_per_fold():
    ax = nn_helpers.plot_folds(four_folds_of_eight())
    assert [tick.get_text() for tick in ax.get_yticklabels()] == [f"fold {k}" for k in range(1, 5)]


def test_plot_folds_draws_on_the_given_axes():
    _, ax = plt.subplots()
    assert nn_helpers.plot_folds(four_folds_of_eight(), ax=ax) is ax


def test_plot_folds_leaves_unused_items_blank():
    ax = nn_helpers.plot_folds([([0, 1], [3])], item_labels="abcd")
    assert {column for column, _, _, _ in cells(ax)} == {0, 1, 3}


def test_plot_folds_rejects_empty_splits():
    with pytest.raises(ValueError, match="empty"):
        nn_helpers.plot_folds([])


def test_plot_folds_rejects_a_fold_that_tests_on_its_training_items():
    with pytest.raises(ValueError, match="also trains on"):
        nn_helpers.plot_folds([([0, 1, 2], [2, 3])])


def test_plot_folds_rejects_too_few_item_labels():
    with pytest.raises(ValueError, match="item_labels has 3"):
        nn_helpers.plot_folds(four_folds_of_eight(), item_labels=["a", "b", "c"])


def test_plot_folds_rejects_positions_that_are_not_whole_numbers():
    with pytest.raises(ValueError, match="whole numbers"):
        nn_helpers.plot_folds([([0.5, 1.5], [2])])


def test_plot_folds_rejects_negative_positions():
    with pytest.raises(ValueError, match="negative"):
        nn_helpers.plot_folds([([-1, 0], [1])])


def test_plot_folds_rejects_something_other_than_pairs():
    with pytest.raises(ValueError, match="not a \\(train, test\\) pair"):
        nn_helpers.plot_folds([([0, 1], [2], [3])])
